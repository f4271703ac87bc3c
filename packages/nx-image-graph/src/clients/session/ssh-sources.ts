import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { expandHome } from '../../inference/secrets/secret-sources';

/** What one ssh id forwards: an agent's socket, or private key files served by an agent of our own. */
export type SshSource = { id: string; socket: string } | { id: string; keys: string[] };

export class SshSourceError extends Error {}

/**
 * `--ssh` / the manifest's "ssh" entries, as docker takes them: `default` (the agent at
 * SSH_AUTH_SOCK), `ID` (the same agent under another id), or `ID=PATH[,PATH]`: an agent socket,
 * or private key files (unencrypted).
 */
export function sshSources(specs: string[], workspaceRoot: string, env: NodeJS.ProcessEnv = process.env): SshSource[] {
  const out = new Map<string, SshSource>();
  for (const spec of regroupSshSpecs(specs)) {
    const eq = spec.indexOf('=');
    const id = eq < 0 ? spec : spec.slice(0, eq);
    if (!/^[A-Za-z0-9_.-]+$/.test(id))
      throw new SshSourceError(
        `ssh "${spec}": the id must be letters, digits, ".", "_" or "-" (e.g. default, or default=~/.ssh/id_ed25519)`,
      );
    const paths =
      eq < 0
        ? []
        : spec
            .slice(eq + 1)
            .split(',')
            .filter(Boolean);
    if (!paths.length) {
      const sock = env.SSH_AUTH_SOCK;
      if (!sock)
        throw new SshSourceError(
          `ssh "${spec}" forwards the ssh agent, but SSH_AUTH_SOCK is not set: start one (eval "$(ssh-agent)" && ssh-add) or give a key: ${id}=~/.ssh/id_ed25519`,
        );
      if (!existsSync(sock))
        throw new SshSourceError(`ssh "${spec}": SSH_AUTH_SOCK names ${sock}, which does not exist; is the agent running?`);
      out.set(id, { id, socket: sock });
      continue;
    }
    const full = paths.map((p) => {
      const e = expandHome(p, env);
      return isAbsolute(e) ? e : join(workspaceRoot, e);
    });
    const missing = paths.filter((_p, i) => !existsSync(full[i]));
    if (missing.length) throw new SshSourceError(`ssh "${id}": ${missing.join(', ')} does not exist`);
    if (full.length === 1 && statSync(full[0]).isSocket()) out.set(id, { id, socket: full[0] });
    else out.set(id, { id, keys: full });
  }
  return [...out.values()];
}

/** Nx splits `--ssh=deploy=~/.ssh/a,~/.ssh/b` at the comma: a bare path continues the id before it. */
export function regroupSshSpecs(items: string[]): string[] {
  const out: string[] = [];
  for (const item of items.flatMap((i) => i.split(','))) {
    if (out.length && out[out.length - 1].includes('=') && !item.includes('=') && /^[~/.]/.test(item)) out[out.length - 1] += `,${item}`;
    else if (item) out.push(item);
  }
  return out;
}
