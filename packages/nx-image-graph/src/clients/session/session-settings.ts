import { sessionMounts } from './dockerfile-mounts';
import { makeRedactor } from './redactor';
import { looksLikeCredential, secretArgAdvice } from '../../inference/secrets/secret-args';
import { readSecrets, SecretSource, secretSources } from '../../inference/secrets/secret-sources';
import { secretValueDigest } from './secret-digest';
import { type SshSource, sshSources } from './ssh-sources';

/** The build executor's options this folder reads: the manifest's (secrets, sshAgents) and the command line's (secret, ssh). */
export interface SessionOptions {
  secrets?: Record<string, SecretSource>;
  secret?: string[] | string;
  sshAgents?: string[];
  ssh?: string[] | string;
  /** `--build-arg=NAME=value` from the command line: credential-looking ones are redacted from the output. */
  buildArg?: string[] | string;
}

export interface BuildSessionPlan {
  /** The secrets' values, by id. */
  secrets: Map<string, Buffer>;
  /** The ssh agents and keys forwarded, by id. */
  ssh: SshSource[];
  /** How many `RUN --mount=type=secret|ssh` the Dockerfile has, given or not: BuildKit asks the session for each. */
  mounts: number;
  /** Removes every secret value, and the values of credential-looking command-line build args, from a text. */
  redact: (text: string) => string;
  /** Things worth saying before the build (a mount no source gives). */
  notes: string[];
}

const list = (v: string[] | string | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * What the build session answers for one build, decided before the build starts: the secrets'
 * values and the ssh agents (registry credentials are looked up per host as BuildKit asks). Throws, naming the secret or ssh id
 * and where it was looked for, when something required is absent.
 */
export function planBuildSession(
  options: SessionOptions,
  dockerfile: { text: string; path: string },
  workspaceRoot: string,
  buildkit: boolean,
  env: NodeJS.ProcessEnv = process.env,
): BuildSessionPlan {
  const sources = secretSources(options.secrets, options.secret);
  const values = readSecrets(sources, workspaceRoot, env);
  const ssh = sshSources([...new Set([...(options.sshAgents ?? []), ...list(options.ssh)])], workspaceRoot, env);
  const notes: string[] = [];
  const cliArgs = list(options.buildArg).map((a) => [a.slice(0, Math.max(0, a.indexOf('='))), a.slice(a.indexOf('=') + 1)] as const);
  const secretArgs = cliArgs.filter(([name]) => name && looksLikeCredential(name));
  for (const [name] of secretArgs) notes.push(`--build-arg=${name}: ${secretArgAdvice(name)}`);
  const mounts = sessionMounts(dockerfile.text);
  if (!buildkit && (sources.size || ssh.length)) {
    throw new Error(
      `${dockerfile.path}: build secrets and ssh forwarding (RUN --mount=type=secret|ssh, "secrets", "ssh") need BuildKit, and this build uses the classic builder; use "builder": "buildkit" on an engine that has it`,
    );
  }
  for (const m of mounts) {
    const given = m.type === 'secret' ? values.has(m.id) : ssh.some((s) => s.id === m.id);
    if (given) continue;
    const where = `${dockerfile.path}:${m.line} (RUN --mount=type=${m.type}${m.type === 'secret' ? `,id=${m.id}` : m.id === 'default' ? '' : `,id=${m.id}`})`;
    const fix =
      m.type === 'secret'
        ? `declare it in image.json: "secrets": { "${m.id}": { "env": "VARIABLE" } } (or "file": "path"), or pass --secret=id=${m.id},env=VARIABLE`
        : `forward an agent or a key: "ssh": ["${m.id}"] in image.json, or --ssh=${m.id} (the agent at SSH_AUTH_SOCK) or --ssh=${m.id}=~/.ssh/id_ed25519`;
    const looked = m.type === 'secret' && sources.has(m.id) ? ` (looked for in the ${describe(sources.get(m.id)!)})` : '';
    if (m.required)
      throw new Error(
        `${m.type === 'secret' ? `secret "${m.id}"` : `ssh "${m.id}"`} is required by ${where} but nothing gives it${looked}: ${fix}`,
      );
    notes.push(
      `${where} has no ${m.type === 'secret' ? `secret "${m.id}"` : `ssh "${m.id}"`}${looked}; the step runs without it. To give it: ${fix}`,
    );
  }
  const secretValues = [...values.values()].flatMap((v) => {
    const text = v.toString('utf8');
    // A multi-line file (pip.conf) is also redacted line by line, for a step that prints part of it.
    const lines = text.includes('\n')
      ? text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.length >= 8)
      : [];
    return [text, text.trim(), ...lines];
  });
  return { secrets: values, ssh, mounts: mounts.length, redact: makeRedactor([...secretValues, ...secretArgs.map(([, v]) => v)]), notes };
}

function describe(source: SecretSource): string {
  return source.env !== undefined ? `environment variable ${source.env}` : `file ${source.file}`;
}

/** The digests of the secrets marked "hashValue" (as their Nx runtime inputs hash them), by id: a new value is another image. */
export function hashedSecretDigests(
  manifest: Record<string, SecretSource> | undefined,
  flags: string[] | string | undefined,
  values: ReadonlyMap<string, Buffer>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, source] of secretSources(manifest, flags)) if (source.hashValue) out[id] = secretValueDigest(values.get(id));
  return out;
}
