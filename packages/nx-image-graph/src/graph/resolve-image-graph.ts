import type { ImageDefinition } from './image-definition';
import type { ExternalReference, ImageProject, ParentEdge, ResolvedBuild } from './image-project';
import { BuildNode, ImageIndex } from './image-index';
import { findCycles } from './find-cycles';
import { assignProjectNames } from './project-names';

export interface GraphProblem {
  file: string;
  message: string;
  /** Image directories that cannot be built because of it. */
  roots: string[];
}

/**
 * Places every image definition in one graph: names projects, resolves each Dockerfile
 * reference to a workspace build or an external image, and refuses cycles.
 * Problems are returned, not thrown, so one broken image never hides the others.
 */
export function resolveImageGraph(
  definitions: ImageDefinition[],
  options: { buildTargetName: string; ignoredOwners: string[] },
): { projects: ImageProject[]; problems: GraphProblem[] } {
  const names = assignProjectNames(definitions.map((d) => ({ root: d.root, declaredName: d.declaredName })));
  const problems: GraphProblem[] = [];
  const duplicate = new Map<string, ImageDefinition>();
  for (const d of definitions) {
    const name = names.get(d.root)!;
    const other = duplicate.get(name);
    if (other) problems.push({ file: d.configFile, roots: [d.root], message: `${d.configFile}: project name "${name}" is also used by ${other.configFile}; give one of them another "name"` });
    duplicate.set(name, d);
  }

  const targetNameOf = (variant?: string) => (variant ? `${options.buildTargetName}-${variant}` : options.buildTargetName);
  const nodes: BuildNode[] = definitions.flatMap((d) => {
    const project = names.get(d.root)!;
    const repository = d.repository ?? project.toLowerCase();
    return d.builds.map((b) => {
      const { tags, dynamic } = ImageIndex.staticTags(b.tags, { variant: b.variant, args: b.args, projectName: project });
      return { project, targetName: targetNameOf(b.variant), variant: b.variant, repository, staticTags: tags, hasDynamicTags: dynamic };
    });
  });
  const index = new ImageIndex(nodes, options.ignoredOwners);

  const projects: ImageProject[] = definitions.map((d) => {
    const name = names.get(d.root)!;
    const builds: ResolvedBuild[] = d.builds.map((b) => {
      const parents: ParentEdge[] = [];
      const externals: ExternalReference[] = [];
      for (const ref of b.references) {
        const where = `${b.dockerfile}:${ref.line}`;
        if (ref.unresolved.length > 0 && !ref.reference) {
          problems.push({ file: b.dockerfile, roots: [d.root], message: `${where}: "${ref.raw}" uses ${ref.unresolved.map((v) => `$${v}`).join(', ')}, which has no value; give the ARG a default or set it in the manifest's "args"` });
          continue;
        }
        const r = index.resolve(ref.reference);
        if (r.kind === 'workspace') {
          if (r.node.project === name && r.node.targetName === targetNameOf(b.variant)) {
            problems.push({ file: b.dockerfile, roots: [d.root], message: `${where}: "${ref.reference}" is the image this Dockerfile builds; an image cannot be built on itself` });
            continue;
          }
          if (!parents.some((p) => p.project === r.node.project && p.targetName === r.node.targetName && p.reference === ref.reference)) {
            parents.push({ reference: ref.reference, line: ref.line, kind: ref.kind, project: r.node.project, targetName: r.node.targetName, variant: r.node.variant });
          }
        } else if (r.kind === 'ambiguous') {
          problems.push({
            file: b.dockerfile,
            roots: [d.root],
            message: `${where}: "${ref.reference}" could be any of ${r.nodes.map((n) => `${n.project}:${n.targetName}`).join(', ')}; give them different tags or repositories`,
          });
        } else if (r.kind === 'invalid') {
          problems.push({ file: b.dockerfile, roots: [d.root], message: `${where}: "${ref.reference}" is not a valid image reference${ref.unresolved.length ? ` (no value for ${ref.unresolved.map((v) => `$${v}`).join(', ')})` : ''}; fix the reference or the ARG that makes it` });
        } else if (!externals.some((e) => e.reference === r.reference)) {
          externals.push({ reference: r.reference, line: ref.line, ...(r.note ? { note: r.note } : {}) });
        }
      }
      return { ...b, targetName: targetNameOf(b.variant), parents, externals };
    });
    return { name, definition: d, repository: d.repository ?? name.toLowerCase(), builds };
  });

  breakCycles(projects, problems);
  return { projects, problems };
}

/** A cycle is reported once, naming every image on it, and its edges are dropped so the rest still loads. */
function breakCycles(projects: ImageProject[], problems: GraphProblem[]): void {
  const key = (project: string, target: string) => `${project}:${target}`;
  const edges = new Map<string, string[]>();
  for (const p of projects) for (const b of p.builds) edges.set(key(p.name, b.targetName), b.parents.map((e) => key(e.project, e.targetName)));
  for (const cycle of findCycles(edges)) {
    const members = new Set(cycle);
    const lines: string[] = [];
    for (const p of projects) {
      for (const b of p.builds) {
        if (!members.has(key(p.name, b.targetName))) continue;
        for (const e of b.parents.filter((e) => members.has(key(e.project, e.targetName)))) lines.push(`  ${b.dockerfile}:${e.line}: ${p.name} is built on ${e.project} ("${e.reference}")`);
        b.parents = b.parents.filter((e) => !members.has(key(e.project, e.targetName)));
      }
    }
    const imageNames = [...new Set(cycle.map((c) => c.split(':')[0]))];
    const first = projects.find((p) => p.name === imageNames[0])!;
    problems.push({
      file: first.definition.configFile,
      roots: projects.filter((p) => imageNames.includes(p.name)).map((p) => p.definition.root),
      message: `image cycle: ${imageNames.join(' -> ')} -> ${imageNames[0]}; an image cannot be built on its own descendants. Change one of these references:\n${lines.join('\n')}`,
    });
  }
}
