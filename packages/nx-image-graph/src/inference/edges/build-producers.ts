import { posix } from 'node:path';
import { createIgnoreMatcher } from '../inputs/dockerignore';
import type { DeclaredOutputs } from '../workspace/declared-outputs';
import { inside, literalPrefix, Producer, producersOf } from '../workspace/copy-producers';
import type { ImageProject, ResolvedBuild } from '../definitions/image-project';
import type { GraphProblem } from './resolve-image-graph';
import type { Presence } from '../workspace/source-presence';
import { sourceProblems } from './source-problems';

/** What inference needs to know of the rest of the workspace (see workspace/read-workspace-index.ts). */
export interface WorkspaceView {
  outputs: DeclaredOutputs[];
  presence(workspacePath: string): Presence;
}

/**
 * Places each build among the workspace's own tasks: the tasks whose outputs it copies (from
 * the declared outputs, and the manifest's "dependsOn" for tasks another plugin infers) become
 * its producers, and its COPY sources are checked against what exists or will be written.
 */
export function placeBuilds(
  projects: ImageProject[],
  workspace: WorkspaceView,
  plugin: { ownTargets: Set<string>; manifestOf: (p: ImageProject) => string; recordsDirOf: (p: ImageProject) => string },
): { problems: GraphProblem[]; warnings: GraphProblem[] } {
  const problems: GraphProblem[] = [];
  const warnings: GraphProblem[] = [];
  for (const p of projects) {
    const root = p.definition.root;
    for (const b of p.builds) {
      const copied = copiedPaths(b);
      const ignored = createIgnoreMatcher(b.dockerignore);
      const sent = (path: string) => !inside(path, b.context) || !ignored(b.context === '.' ? path : path.slice(b.context.length + 1));
      // A hand-written target of the plugin's own in the image's project.json is the build, not its input.
      const declared = producersOf(copied, workspace.outputs, sent).filter(
        (t) => !(t.project === p.name && plugin.ownTargets.has(t.target)),
      );
      const named = namedProducers(p, b, copied);
      b.producers = mergeProducers(declared, named);
      // A task named in the manifest is taken at its word (createDependencies checks it against the whole graph).
      const produced = (path: string) => named.length > 0 || declared.some((t) => t.paths.includes(path));
      const found = sourceProblems(b, plugin.manifestOf(p), { produced, presence: workspace.presence });
      problems.push(...found.errors.map((message) => ({ file: b.dockerfile, roots: [root], message })));
      warnings.push(...found.warnings.map((message) => ({ file: b.dockerfile, roots: [], message })));
    }
    const clash = recordsClash(plugin.recordsDirOf(p), workspace.outputs);
    if (clash) problems.push({ file: plugin.manifestOf(p), roots: [root], message: clash });
  }
  return { problems, warnings };
}

/** The workspace paths a build copies: each source's literal directories, or the whole context. */
export function copiedPaths(b: Pick<ResolvedBuild, 'context' | 'sources'>): string[] {
  if (!b.sources) return [b.context];
  const paths = b.sources.map((s) => {
    const p = literalPrefix(posix.normalize(s.replace(/^\/+/, '').replace(/^\.\//, '')).replace(/\/+$/, ''));
    return p === '' || p === '.' ? b.context : b.context === '.' ? p : `${b.context}/${p}`;
  });
  return [...new Set(paths)];
}

/** The manifest's "dependsOn" tasks (its variant's, else the image's): they write what the build copies. */
function namedProducers(p: ImageProject, b: ResolvedBuild, copied: string[]): Producer[] {
  const m = p.definition.manifest;
  const tasks = (b.variant ? m.variants?.[b.variant]?.dependsOn : undefined) ?? m.dependsOn ?? [];
  return tasks.map((task) => {
    const colon = task.indexOf(':');
    return { project: task.slice(0, colon), target: task.slice(colon + 1), paths: copied };
  });
}

function mergeProducers(a: Producer[], b: Producer[]): Producer[] {
  const merged = new Map<string, Producer>();
  for (const t of [...a, ...b]) {
    const key = `${t.project}:${t.target}`;
    const known = merged.get(key);
    merged.set(key, known ? { ...known, paths: [...new Set([...known.paths, ...t.paths])] } : t);
  }
  return [...merged.values()];
}

/**
 * The image's records (metadata, image id, inputs) are its build's outputs: a folder another target
 * also declares as output would be replaced whenever Nx restores either from its cache.
 */
function recordsClash(recordsDir: string, outputs: DeclaredOutputs[]): string | undefined {
  for (const o of outputs) {
    for (const out of o.outputs) {
      const literal = literalPrefix(out);
      if (literal === '' || !(inside(recordsDir, literal) || inside(literal, recordsDir))) continue;
      return (
        `the image's build records go to ${recordsDir}, which ${o.project}:${o.target} also declares as its output (${out}): ` +
        `Nx restoring either from its cache would replace the other's files; set the plugin option "outputDir" in nx.json to a folder no target writes`
      );
    }
  }
  return undefined;
}
