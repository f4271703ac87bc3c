import { syntaxDirective } from '../../clients/engine/syntax-frontend';

/**
 * Dockerfile syntax that the engine's builder cannot build, checked before the build so the user
 * gets one clear sentence instead of the engine's parse error (or, for heredocs on Podman before 4.8
 * and on Docker 20.10's BuildKit, a misreading of the heredoc's lines as instructions).
 *
 * Docker's classic builder knows none of these; Docker's BuildKit builds them from the version whose
 * built-in Dockerfile frontend has them (or with a `# syntax=` frontend). Podman's builder (buildah)
 * has its own support, added release by release; versions below are the first Podman whose buildah
 * has the feature. Flags not listed are left to the engine, which names them in its error.
 */
export interface Builder {
  /** `docker` or `podman` (from the engine's /version). */
  engine: string;
  version: string;
  buildkit: boolean;
}

export interface UnsupportedFeature {
  feature: string;
  line: number;
  /** First Podman version that builds it, when there is one. */
  podmanSince?: string;
  /** First Docker version whose BuildKit's built-in Dockerfile frontend builds it. */
  dockerSince?: string;
}

interface Feature {
  feature: string;
  /** Podman version from which it works; undefined: not in any Podman we know of. */
  podmanSince?: string;
  /**
   * Docker version from which its BuildKit's built-in Dockerfile frontend has it; undefined: every
   * Docker with BuildKit. Docker 20.10 vendors BuildKit 0.8, whose frontend (dockerfile 1.2) has no
   * heredocs, COPY --link or RUN --network: tried on 20.10.24, it fails on the heredoc's first line
   * ("unknown instruction") and on the flags ("Unknown flag"). Docker 23.0 has dockerfile 1.4+.
   */
  dockerSince?: string;
  test: (i: Instruction) => boolean;
}

interface Instruction {
  keyword: string;
  flags: string[];
  heredoc: boolean;
  line: number;
}

const FEATURES: Feature[] = [
  // Podman 4.3 (buildah 1.28) verified: cache, bind (also from= a stage), tmpfs, secret and ssh mounts build.
  { feature: 'RUN --mount', podmanSince: '4.0', test: (i) => i.keyword === 'RUN' && i.flags.includes('mount') },
  // containers/buildah#4566 (buildah 1.30); Podman 4.3 says "RUN only supports the --mount flag".
  { feature: 'RUN --network', podmanSince: '4.5', dockerSince: '23.0', test: (i) => i.keyword === 'RUN' && i.flags.includes('network') },
  { feature: 'RUN --security', test: (i) => i.keyword === 'RUN' && i.flags.includes('security') },
  // containers/buildah#5092 (buildah 1.33); older buildah reads the heredoc's lines as instructions.
  { feature: 'heredocs', podmanSince: '4.8', dockerSince: '23.0', test: (i) => ['RUN', 'COPY', 'ADD'].includes(i.keyword) && i.heredoc },
  // containers/buildah#6240 (buildah 1.41).
  {
    feature: `COPY --link`,
    podmanSince: '5.6',
    dockerSince: '23.0',
    test: (i) => ['COPY', 'ADD'].includes(i.keyword) && i.flags.includes('link'),
  },
  // Docker's classic builder: "the --chmod option requires BuildKit"; buildah has had it since before Podman 4.
  { feature: 'COPY --chmod', podmanSince: '4.0', test: (i) => ['COPY', 'ADD'].includes(i.keyword) && i.flags.includes('chmod') },
];

/** The first feature of `dockerfile` the builder cannot build, or undefined. */
export function unsupportedFeature(dockerfile: string, builder: Builder): UnsupportedFeature | undefined {
  if (builder.buildkit) return builtinFrontendLacks(dockerfile, builder);
  const podman = builder.engine === 'podman';
  for (const instruction of instructions(dockerfile)) {
    for (const f of FEATURES) {
      if (!f.test(instruction)) continue;
      if (podman && f.podmanSince && compareVersions(builder.version, f.podmanSince) >= 0) continue;
      return { feature: f.feature, line: instruction.line, ...(podman && f.podmanSince ? { podmanSince: f.podmanSince } : {}) };
    }
  }
  return undefined;
}

/** BuildKit builds with the frontend a `# syntax=` line names, else with the engine's built-in one. */
function builtinFrontendLacks(dockerfile: string, builder: Builder): UnsupportedFeature | undefined {
  if (builder.engine !== 'docker' || syntaxDirective(dockerfile)) return undefined;
  for (const instruction of instructions(dockerfile)) {
    for (const f of FEATURES) {
      if (f.dockerSince && f.test(instruction) && compareVersions(builder.version, f.dockerSince) < 0)
        return { feature: f.feature, line: instruction.line, dockerSince: f.dockerSince };
    }
  }
  return undefined;
}

/** The sentence the executor fails with. */
export function describeUnsupported(file: string, u: UnsupportedFeature, builder: Builder): string {
  const where = `${file} uses ${u.feature} (line ${u.line})`;
  if (u.dockerSince) {
    return (
      `${where}, which the built-in Dockerfile frontend of Docker ${builder.version} does not have` +
      `${u.feature === 'heredocs' ? " (the engine would read the heredoc's lines as instructions)" : ''}; ` +
      `upgrade the engine to Docker ${u.dockerSince.replace(/\.0$/, '')} or later, or make the first line "# syntax=docker/dockerfile:1" so BuildKit uses a frontend that has ${u.feature === 'heredocs' ? 'them' : 'it'} (the engine must be able to pull it)`
    );
  }
  if (builder.engine === 'podman') {
    return (
      `${where}, which the builder of Podman ${builder.version} does not support` +
      `${u.podmanSince ? ` (Podman builds it from ${u.podmanSince})` : ''}; ` +
      `${u.podmanSince ? 'upgrade Podman, or ' : ''}build on an engine with BuildKit (Docker 23 or later)`
    );
  }
  return `${where}, which needs BuildKit, but the build would use the classic builder (${builder.engine} ${builder.version}); use an engine with BuildKit`;
}

/**
 * Instructions with their leading flags, continuation lines joined, heredoc bodies skipped.
 * Enough to spot flags and heredocs; the full reader is src/dockerfile.
 */
function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/im.test(lines.slice(0, 5).join('\n')) ? '`' : '\\';
  const out: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    if (/^\s*(#|$)/.test(logical)) continue;
    while (logical.trimEnd().endsWith(escape) && i + 1 < lines.length) {
      logical = logical.trimEnd().slice(0, -1) + ' ' + lines[++i].replace(/^\s*#.*$/, '');
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    let rest = m[2];
    const flags: string[] = [];
    let flag: RegExpExecArray | null;
    while ((flag = /^--([A-Za-z-]+)(?:=(?:"[^"]*"|'[^']*'|\S*))?\s*/.exec(rest))) {
      flags.push(flag[1].toLowerCase());
      rest = rest.slice(flag[0].length);
    }
    // `<<EOF`, `<<-EOF`, `<<"EOF"`: the body runs to a line holding only the word.
    const words = ['RUN', 'COPY', 'ADD'].includes(keyword) ? [...rest.matchAll(/(?:^|\s)<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g)] : [];
    out.push({ keyword, flags, heredoc: words.length > 0, line: start + 1 });
    for (const w of words) {
      while (i + 1 < lines.length && (w[1] ? lines[i + 1].replace(/^\t+/, '') : lines[i + 1]) !== w[3]) i++;
      i++;
    }
  }
  return out;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
