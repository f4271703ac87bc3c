import type { ImageDefinition } from '../definitions/image-definition';
import type { ExternalReference, ImageProject, ParentEdge, ResolvedBuild } from '../definitions/image-project';
import { BuildNode, closestTags, ImageIndex } from './image-index';
import { findCycles } from './find-cycles';
import { identityProblems } from './identity-checks';
import { lengthenedNameWarnings, ProjectNameStyle, projectNames } from '../options/project-names';
import { normalizeRepository, parseImageReference } from '../dockerfile';

export type { BrokenImage, GraphProblem } from './graph-problem';
import type { BrokenImage, GraphProblem } from './graph-problem';

/**
 * Places every image definition in one graph: names projects, resolves each Dockerfile
 * reference to a workspace build or an external image, and refuses cycles.
 * Problems are returned, not thrown, so one broken image never hides the others. Broken
 * images keep their repository in the graph: what is built on them is blocked by them, never
 * quietly built on a stale image of the same name.
 */
export function resolveImageGraph(
  definitions: ImageDefinition[],
  options: { buildTargetName: string; ignoredOwners: string[]; projectNames?: ProjectNameStyle },
  broken: BrokenImage[] = [],
  /** Names of the workspace's other projects, by name: no image may take one. */
  reserved: ReadonlyMap<string, string> = new Map(),
): { projects: ImageProject[]; problems: GraphProblem[]; warnings: GraphProblem[]; names: Map<string, string> } {
  const { names, lengthened } = projectNames(
    [
      ...definitions.map((d) => ({ root: d.root, declaredName: d.declaredName, namePath: d.namePath })),
      ...broken.map((b) => ({ root: b.root, declaredName: b.identity.declaredName, namePath: b.namePath })),
    ],
    options.projectNames,
    reserved,
  );
  const configFiles = new Map([...definitions, ...broken].map((d) => [d.root, d.configFile]));
  const identity = identityProblems(
    [
      ...definitions.map((d) => ({ root: d.root, configFile: d.configFile, declaredName: d.declaredName, repository: d.repository })),
      ...broken.map((b) => ({
        root: b.root,
        configFile: b.configFile,
        declaredName: b.identity.declaredName,
        repository: b.identity.repository,
      })),
    ],
    names,
  );
  const problems: GraphProblem[] = identity.problems;
  const warnings: GraphProblem[] = [
    ...lengthenedNameWarnings(lengthened, (root) => configFiles.get(root)!).map((w) => ({ ...w, roots: [] })),
    ...identity.warnings,
  ];
  const duplicate = new Map<string, { configFile: string }>();
  for (const d of [...definitions, ...broken]) {
    const name = names.get(d.root)!;
    const other = duplicate.get(name);
    if (other) {
      problems.push({
        file: d.configFile,
        roots: [d.root],
        message: `${d.configFile}: project name "${name}" is also used by ${other.configFile}; give one of them another "name"`,
      });
      // The twin gets a name of its own (its path): its problem must not reach the images built on the first one.
      let own = d.root.replace(/[^A-Za-z0-9_.-]+/g, '-');
      const taken = new Set(names.values());
      for (let i = 2; taken.has(own); i++) own = `${d.root.replace(/[^A-Za-z0-9_.-]+/g, '-')}-${i}`;
      names.set(d.root, own);
      duplicate.set(own, d);
      continue;
    }
    duplicate.set(name, d);
  }

  const targetNameOf = (variant?: string) => (variant ? `${options.buildTargetName}-${variant}` : options.buildTargetName);
  const nodes: BuildNode[] = [
    ...definitions.flatMap((d) => {
      const project = names.get(d.root)!;
      const repository = d.repository ?? project.toLowerCase();
      return d.builds.map((b) => ({
        project,
        targetName: targetNameOf(b.variant),
        variant: b.variant,
        repository,
        ...ImageIndex.tagsOf(b.tags, { variant: b.variant, args: b.args, projectName: project }),
      }));
    }),
    ...broken.flatMap((d) => {
      const project = names.get(d.root)!;
      const repository = d.identity.repository ?? project.toLowerCase();
      return d.identity.builds.map((b) => ({
        project,
        targetName: targetNameOf(b.variant),
        variant: b.variant,
        repository,
        ...ImageIndex.tagsOf(b.tags ?? [], { variant: b.variant, args: b.args, projectName: project }),
        broken: true,
        anyTag: b.tags === undefined,
      }));
    }),
  ];
  const index = new ImageIndex(nodes, options.ignoredOwners);
  const configOf = new Map([...definitions, ...broken].map((d) => [names.get(d.root)!, d.configFile]));
  warnings.push(...sharedTags(nodes, (project) => configOf.get(project) ?? project));

  // The builds that target a stage, by Dockerfile: each build looks at those of its own Dockerfile only, not at every build.
  const stageTargets = new Map<string, StageTarget[]>();
  for (const d of definitions) {
    for (const other of d.builds) {
      if (!other.target) continue;
      const list = stageTargets.get(other.dockerfile) ?? [];
      list.push({ root: d.root, build: other });
      stageTargets.set(other.dockerfile, list);
    }
  }

  const projects: ImageProject[] = definitions.map((d) => {
    const name = names.get(d.root)!;
    const declaredExternal = new Set((d.manifest.external ?? []).map(comparable));
    const builds: ResolvedBuild[] = d.builds.map((b) => {
      const parents: ParentEdge[] = [];
      const externals: ExternalReference[] = [];
      const addExternal = (e: ExternalReference) => {
        if (!externals.some((x) => x.reference === e.reference)) externals.push(e);
      };
      for (const ref of b.references) {
        const where = `${b.dockerfile}:${ref.line}`;
        if (ref.unresolved.length > 0 && !ref.reference) {
          problems.push({
            file: b.dockerfile,
            roots: [d.root],
            message: `${where}: "${ref.raw}" uses ${ref.unresolved.map((v) => `$${v}`).join(', ')}, which has no value; give the ARG a default or set it in the manifest's "args"`,
          });
          continue;
        }
        if (declaredExternal.has(comparable(ref.reference))) {
          addExternal({ reference: ref.reference, line: ref.line, note: `declared external in ${d.manifestFile ?? 'the manifest'}` });
          continue;
        }
        const r = index.resolve(ref.reference);
        if (r.kind === 'workspace') {
          if (r.node.project === name && r.node.targetName === targetNameOf(b.variant)) {
            problems.push({
              file: b.dockerfile,
              roots: [d.root],
              message: `${where}: "${ref.reference}" is the image this Dockerfile builds; an image cannot be built on itself. If the base is the published image of that name, give this image another "repository" in its manifest`,
            });
            continue;
          }
          if (!parents.some((p) => p.project === r.node.project && p.targetName === r.node.targetName && p.reference === ref.reference)) {
            parents.push({
              reference: ref.reference,
              line: ref.line,
              kind: ref.kind,
              project: r.node.project,
              targetName: r.node.targetName,
              variant: r.node.variant,
            });
          }
        } else if (r.kind === 'ambiguous') {
          problems.push({
            file: b.dockerfile,
            roots: [d.root],
            message: `${where}: "${ref.reference}" could be any of ${r.nodes.map((n) => `${n.project}:${n.targetName}`).join(', ')}; give them different tags or repositories`,
          });
        } else if (r.kind === 'invalid') {
          problems.push({
            file: b.dockerfile,
            roots: [d.root],
            message: `${where}: "${ref.reference}" is not a valid image reference${ref.unresolved.length ? ` (no value for ${ref.unresolved.map((v) => `$${v}`).join(', ')})` : ''}; fix the reference or the ARG that makes it`,
          });
        } else if (r.kind === 'unknown-tag') {
          problems.push({
            file: b.dockerfile,
            roots: [d.root],
            message: unknownTagMessage(where, r.reference, r.tag, r.candidates, d.manifestFile),
            ...(d.manifestFile ? {} : { group: { kind: 'unadopted-tag' as const, reference: r.reference } }),
          });
        } else {
          addExternal({ reference: r.reference, line: ref.line, ...(r.note ? { note: r.note } : {}) });
          const near = r.note ? undefined : index.nearMiss(r.reference);
          if (near) {
            warnings.push({
              file: b.dockerfile,
              roots: [],
              message: `${where}: "${r.reference}" is not built in the workspace (it will be pulled as an external image); did you mean "${near}"?`,
            });
          }
        }
      }
      parents.push(...stageParents(b, name, targetNameOf(b.variant), stageTargets.get(b.dockerfile) ?? [], names, targetNameOf, nodes));
      return { ...b, targetName: targetNameOf(b.variant), parents, externals, producers: [] };
    });
    return { name, definition: d, repository: d.repository ?? name.toLowerCase(), builds };
  });

  applyOnbuild(projects, index, problems);
  breakCycles(projects, problems);
  return { projects, problems, warnings, names };
}

/**
 * Two builds that publish the same repository:tag: whichever builds last takes the tag, and the
 * other's metadata claims an image the tag no longer names. Said even when nothing references it.
 */
function sharedTags(nodes: BuildNode[], configOf: (project: string) => string): GraphProblem[] {
  const owners = new Map<string, BuildNode[]>();
  for (const n of nodes)
    for (const t of n.staticTags) owners.set(`${n.repository}:${t}`, [...(owners.get(`${n.repository}:${t}`) ?? []), n]);
  const out: GraphProblem[] = [];
  for (const [ref, builds] of owners) {
    const distinct = [...new Map(builds.map((b) => [`${b.project}:${b.targetName}`, b])).values()];
    if (distinct.length < 2) continue;
    out.push({
      file: configOf(distinct[0].project),
      roots: [],
      message: `${ref} is published by ${distinct.map((b) => `${b.project}${b.variant ? ` (${b.variant})` : ''} (${configOf(b.project)})`).join(' and ')}: whichever builds last takes the tag and the other's record names an image the tag no longer points at; give them different "tags" or "repository"`,
    });
  }
  return out;
}

/**
 * Several images from one Dockerfile (seed 001: a `base` and a `runtime` stage, each its own image):
 * a build whose run includes a stage that another build of the same Dockerfile targets is built on
 * that build's exact image for the stage, an edge like FROM.
 */
type StageTarget = { root: string; build: ImageDefinition['builds'][number] };

function stageParents(
  b: ImageDefinition['builds'][number],
  project: string,
  targetName: string,
  sameDockerfile: StageTarget[],
  names: Map<string, string>,
  targetNameOf: (variant?: string) => string,
  nodes: BuildNode[],
): ParentEdge[] {
  const edges: ParentEdge[] = [];
  for (const { root, build: other } of sameDockerfile) {
    const otherProject = names.get(root)!;
    const otherTarget = targetNameOf(other.variant);
    if (otherProject === project && otherTarget === targetName) continue;
    const stage = other.target!.toLowerCase();
    if (stage === b.target?.toLowerCase() || !b.stagesRun?.includes(stage)) continue;
    const node = nodes.find((n) => n.project === otherProject && n.targetName === otherTarget);
    const tag = node?.staticTags[0] ?? `nx-stage-${stage}`;
    edges.push({
      reference: `${node?.repository ?? otherProject}:${tag}`,
      line: 0,
      kind: 'stage',
      stage,
      project: otherProject,
      targetName: otherTarget,
      variant: other.variant,
    });
  }
  return edges;
}

/**
 * A parent's ONBUILD COPY/ADD runs in each child's build, from the child's context: those paths are
 * inputs of the child (all of its context when they cannot be known), and an ONBUILD
 * `COPY --from=<image>` is an edge of the child.
 */
function applyOnbuild(projects: ImageProject[], index: ImageIndex, problems: GraphProblem[]): void {
  const builds = new Map(projects.flatMap((p) => p.builds.map((b) => [`${p.name}:${b.targetName}`, b] as const)));
  for (const p of projects) {
    for (const b of p.builds) {
      for (const parent of b.parents.filter((e) => e.kind === 'from')) {
        const onbuild = builds.get(`${parent.project}:${parent.targetName}`)?.onbuild;
        if (!onbuild) continue;
        b.sources = onbuild.sources && b.sources ? [...new Set([...b.sources, ...onbuild.sources])] : undefined;
        for (const ref of onbuild.references) {
          const r = index.resolve(ref.reference);
          if (r.kind === 'workspace' && !b.parents.some((e) => e.project === r.node.project && e.targetName === r.node.targetName)) {
            b.parents.push({
              reference: ref.reference,
              line: parent.line,
              kind: 'copy-from',
              project: r.node.project,
              targetName: r.node.targetName,
              variant: r.node.variant,
            });
          } else if (r.kind === 'external' && !b.externals.some((x) => x.reference === r.reference)) {
            b.externals.push({ reference: r.reference, line: parent.line, note: `ONBUILD COPY --from of ${parent.project}` });
          } else if (r.kind === 'unknown-tag' || r.kind === 'ambiguous' || r.kind === 'invalid') {
            problems.push({
              file: b.dockerfile,
              roots: [p.definition.root],
              message: `${b.dockerfile}:${parent.line}: ${parent.project}'s ONBUILD COPY --from=${ref.reference} names no single image; fix it in its Dockerfile (line ${ref.line})`,
            });
          }
        }
      }
    }
  }
}

/** A reference as the index compares it: no Docker Hub host, `latest` when no tag. */
function comparable(reference: string): string {
  const r = parseImageReference(reference);
  if (!r) return reference;
  return `${normalizeRepository(r.repository, r.registry)}:${r.tag ?? 'latest'}${r.digest ? `@${r.digest}` : ''}`;
}

function unknownTagMessage(
  where: string,
  reference: string,
  tag: string,
  candidates: BuildNode[],
  manifestFile: string | undefined,
): string {
  const builds = [...new Set(candidates.map((c) => `${c.project}${c.variant ? ` (${c.variant})` : ''}`))].join(', ');
  const suggestions = closestTags(tag, candidates).slice(0, 5);
  return (
    `${where}: "${reference}" names ${candidates[0].repository}, which the workspace builds (${builds}), but no build of it has tag "${tag}"; ` +
    `did you mean ${suggestions.map((t) => `"${t}"`).join(' or ')}? ` +
    `If you mean the published image, list "${reference}" in "external" in ${manifestFile ?? 'an image.json beside the Dockerfile'}`
  );
}

/** A cycle is reported once, naming every image on it, and its edges are dropped so the rest still loads. */
function breakCycles(projects: ImageProject[], problems: GraphProblem[]): void {
  const key = (project: string, target: string) => `${project}:${target}`;
  const edges = new Map<string, string[]>();
  for (const p of projects)
    for (const b of p.builds)
      edges.set(
        key(p.name, b.targetName),
        b.parents.map((e) => key(e.project, e.targetName)),
      );
  for (const cycle of findCycles(edges)) {
    const members = new Set(cycle);
    const lines: string[] = [];
    for (const p of projects) {
      for (const b of p.builds) {
        if (!members.has(key(p.name, b.targetName))) continue;
        for (const e of b.parents.filter((e) => members.has(key(e.project, e.targetName))))
          lines.push(`  ${b.dockerfile}:${e.line}: ${p.name} is built on ${e.project} ("${e.reference}")`);
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

/**
 * Every image built, directly or not, on an image that cannot be built cannot be built either:
 * it is blocked with its parent's problem, not built on whatever the engine holds under that name.
 */
export function blockDescendants(projects: ImageProject[], problems: GraphProblem[], brokenRoots: Map<string, string>): void {
  const firstProblem = new Map<string, string>();
  const groupOf = new Map<string, GraphProblem['group']>();
  const rootOf = new Map<string, string>([
    ...projects.map((p) => [p.name, p.definition.root] as const),
    ...[...brokenRoots].map(([name, root]) => [name, root] as const),
  ]);
  for (const p of problems) {
    for (const r of p.roots) {
      if (firstProblem.has(r)) continue;
      firstProblem.set(r, p.message.split('\n')[0]);
      if (p.group) groupOf.set(r, p.group);
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const p of projects) {
      if (firstProblem.has(p.definition.root)) continue;
      const blocker = p.builds.flatMap((b) => b.parents).find((e) => firstProblem.has(rootOf.get(e.project) ?? ''));
      if (!blocker) continue;
      const why = firstProblem.get(rootOf.get(blocker.project)!)!;
      const build = p.builds.find((b) => b.parents.includes(blocker))!;
      const message = `${build.dockerfile}:${blocker.line}: ${p.name} cannot be built because ${blocker.project} ("${blocker.reference}") cannot be built: ${why}`;
      // Blocked by an image outside the manifests: one more of the same notice, not a problem of its own.
      const group = p.definition.manifestFile ? undefined : groupOf.get(rootOf.get(blocker.project)!);
      problems.push({ file: build.dockerfile, roots: [p.definition.root], message, ...(group ? { group } : {}) });
      firstProblem.set(p.definition.root, message);
      if (group) groupOf.set(p.definition.root, group);
      changed = true;
    }
  }
}
