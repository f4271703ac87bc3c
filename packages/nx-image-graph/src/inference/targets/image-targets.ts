import type { TargetConfiguration } from '@nx/devkit';
import { contextInputs } from '../inputs/nx-inputs';
import type { NormalizedOptions } from '../options/plugin-options';
import type { BuildExecutorOptions } from './build-schema';
import type { ImageProject, ResolvedBuild } from '../definitions/image-project';
import { manifestFieldsInput } from '../definitions/manifest-fields';
import { settingsMetadata } from './target-settings';
import { BUILD_COMMAND } from './build-command';
import { ARCHIVE_SUFFIX, IMAGE_ID_SUFFIX, INPUTS_SUFFIX } from '../../core/image-records/output-files';
import { metadataFileOf, platformBuilds, variantTargetName } from './target-names';
import { promoteTargets, RELEASE_PUBLISH_TARGET, releasePublishTarget } from './promote-target';
import { buildSecretSettings, secretDigestInputs } from '../secrets/build-secret-settings';
import { platformTargetName } from '../platform-plan/platform-name';
import { lockEntriesInput } from '../lock/lock-input';
import { escapeGlob } from '../workspace/source-presence';
import { pushRegistries } from '../references/push-registries';
import { BaseIdInput, baseIdInputs, platformEnvName } from '../../core/nx/base-id-names';

import { PLUGIN_NAME } from '../../core/nx/metadata-key';

export interface ImageGraphMetadata {
  /** The project name the graph gave the image (another plugin may name its directory otherwise). */
  project?: string;
  repository: string;
  builds: {
    targetName: string;
    variant?: string;
    dockerfile: string;
    parents: ResolvedBuild['parents'];
    externals: ResolvedBuild['externals'];
    /** The workspace paths it copies (directories, or the whole context). */
    copies?: string[];
    /** The tasks whose outputs it copies, as project:target. */
    producers?: string[];
  }[];
  /** Every base-id variable its builds hash, for the run hook to set (base-ids/). */
  baseIds?: BaseIdInput[];
  /** The platforms its builds are built for, whose variables the run hook sets too. */
  platforms?: string[];
}

/**
 * Inferred targets for an image project. Each kind (build, validate, push) gets one target per
 * build (variant), and, with variants, a target of the plain name that runs them all.
 */
/** What a build needs to know of the other image projects: where their metadata is and where they are pushed. */
export type ProjectDirectory = Map<
  string,
  {
    root: string;
    registries: string[];
    /** The platforms of each multi-platform build, by its target name. */
    platforms?: Map<string, string[]>;
  }
>;

/** One build's own files, as Nx inputs. */
export function buildFileInputs(project: ImageProject, build: ResolvedBuild): Exclude<TargetConfiguration['inputs'], undefined> {
  const d = project.definition;
  return [
    `{workspaceRoot}/${build.dockerfile}`,
    // Only the manifest fields this build reads: another variant's args or a push-only field are not its inputs.
    ...(d.manifestFile ? [manifestFieldsInput(d.manifestFile, 'build', build.variant, Object.keys(d.manifest.variants ?? {}))] : []),
    ...contextInputs(build.context, build.dockerignore, build.sources ? { paths: build.sources } : 'whole-context'),
    ...d.inputs,
    // The lock entries of its external bases only (a pinned base moves only the builds on it).
    ...lockEntriesInput(build.externals.map((e) => e.reference)),
  ];
}

/**
 * The image ids recorded by the builds a target depends on: what a child is built on, what a
 * validation checks, what an aggregate (all variants, all platforms) stands for. Nx 24 selects
 * `affected` tasks through what they read of other tasks' outputs, so each is affected exactly when
 * a build it depends on is, and the same ids are a cache hit. A new object each time: Nx may
 * normalize a target's inputs in place.
 */
const builtIdsInput = () => ({ dependentTasksOutputFiles: `**/*${IMAGE_ID_SUFFIX}`, transitive: false });

export function imageTargets(
  project: ImageProject,
  options: NormalizedOptions,
  projects: ProjectDirectory,
): Record<string, TargetConfiguration> {
  const targets: Record<string, TargetConfiguration> = {};
  const withVariants = project.builds.length > 1 || !!project.builds[0]?.variant;
  const family = (
    base: string,
    make: (b: ResolvedBuild) => TargetConfiguration,
    what: string,
    inputs: TargetConfiguration['inputs'] = [],
  ) => {
    for (const b of project.builds) targets[variantTargetName(base, b.variant)] = make(b);
    if (!withVariants) return;
    targets[base] = {
      executor: 'nx:noop',
      // Nothing of its own to do, so it is cached, on what its variants built (builtIdsInput).
      cache: true,
      inputs,
      outputs: [],
      dependsOn: project.builds.map((b) => variantTargetName(base, b.variant)),
      metadata: {
        description: `${what} every variant of ${project.repository} (${project.builds.map((b) => b.variant).join(', ')})`,
        technologies: ['docker'],
      },
    };
  };
  family(
    options.buildTargetName,
    (b) => (b.platforms ? platformsTarget(project, b) : buildTarget(project, b, options, projects)),
    'Build',
    [builtIdsInput()],
  );
  // A multi-platform build: one cached build target per platform; the build's own target runs them all.
  for (const b of project.builds)
    for (const p of b.platforms ?? []) targets[platformTargetName(b.targetName, p)] = buildTarget(project, b, options, projects, p);
  if (project.builds.some((b) => checksOf(project, b).length))
    family(options.validateTargetName, (b) => validateTarget(project, b, options), 'Validate');
  const registries = registriesOf(project, options);
  if (registries.length) family(options.pushTargetName, (b) => pushTarget(project, b, options, registries), 'Push');
  if (registries.length) Object.assign(targets, promoteTargets(project, options, registries));
  if (registries.length)
    targets[RELEASE_PUBLISH_TARGET] = releasePublishTarget(project, options, registries, manifestFileOf(project, options));
  family(options.materializeTargetName, (b) => materializeTarget(project, b, options, registries), 'Materialize');
  // One table for all variants at once: it shows what they share, which per-variant tables would not.
  for (const b of project.builds)
    targets[variantTargetName(options.layersTargetName, b.variant)] = layersTarget(
      project,
      [b],
      options,
      variantTargetName(options.layersTargetName, b.variant),
    );
  if (withVariants) targets[options.layersTargetName] = layersTarget(project, project.builds, options, options.layersTargetName);
  return targets;
}

/** Every base-id variable the builds of an image hash (each platform's build its own). */
export function baseIdsOf(project: ImageProject, options: NormalizedOptions): BaseIdInput[] {
  return project.builds.flatMap((b) =>
    (b.platforms ?? [undefined]).flatMap((p) => baseIdInputs(b.externals, p, options.hashExternalBases)),
  );
}

/** The image's manifest, where its release version goes: the one it has, else where one would be. */
export function manifestFileOf(project: ImageProject, options: NormalizedOptions): string {
  const d = project.definition;
  return d.manifestFile ?? (d.root === '.' ? options.manifest : `${d.root}/${options.manifest}`);
}

/** Where the image is pushed (and so pulled back from): the host its repository names, then the configured registries. */
export function registriesOf(project: ImageProject, options: NormalizedOptions): string[] {
  return pushRegistries(project.repository, project.definition.manifest.registries ?? options.registries);
}

/** `"contentTag": false` of the variant, else of the image: no nx-<hash> tag is pushed. */
function contentTagOf(project: ImageProject, build: ResolvedBuild): boolean {
  const m = project.definition.manifest;
  return (build.variant ? m.variants?.[build.variant]?.contentTag : undefined) ?? m.contentTag ?? true;
}

/** A variant's own checks replace the image's. */
function checksOf(project: ImageProject, build: ResolvedBuild) {
  return (
    (build.variant ? project.definition.manifest.variants?.[build.variant]?.checks : undefined) ?? project.definition.manifest.checks ?? []
  );
}

function validateTarget(project: ImageProject, build: ResolvedBuild, options: NormalizedOptions): TargetConfiguration {
  const d = project.definition;
  const name = variantTargetName(options.validateTargetName, build.variant);
  const resultsFile = metadataFileOf(options.outputDir, d.root, name);
  return {
    executor: `${PLUGIN_NAME}:validate`,
    cache: true,
    // Cached by what is checked: the image (its id, from the build) and the checks (the manifest).
    inputs: [...(d.manifestFile ? [manifestFieldsInput(d.manifestFile, 'checks', build.variant)] : []), builtIdsInput()],
    outputs: [`{workspaceRoot}/${resultsFile}`],
    dependsOn: [build.targetName],
    metadata: {
      description: `Check ${project.repository}${build.variant ? ` (${build.variant})` : ''}`,
      technologies: ['docker'],
      // A multi-platform build is checked on its first platform's image.
      ...settingsMetadata({
        metadataFile: metadataFileOf(options.outputDir, d.root, recordedTargets(build)[0]),
        checks: checksOf(project, build),
        resultsFile,
      }),
    },
  };
}

function layersTarget(project: ImageProject, builds: ResolvedBuild[], options: NormalizedOptions, name: string): TargetConfiguration {
  return {
    executor: `${PLUGIN_NAME}:layer-report`,
    // Not cached: it reports what the engine holds now.
    cache: false,
    dependsOn: builds.map((b) => b.targetName),
    metadata: {
      description: `Layer sizes of ${project.repository} and its parents`,
      technologies: ['docker'],
      ...settingsMetadata({
        projects: builds.flatMap((b) => recordedTargets(b).map((t) => `${project.name}:${t}`)),
        ancestors: true,
        outputFile: metadataFileOf(options.outputDir, project.definition.root, name),
      }),
    },
  };
}

function materializeTarget(
  project: ImageProject,
  build: ResolvedBuild,
  options: NormalizedOptions,
  registries: string[],
): TargetConfiguration {
  return {
    executor: `${PLUGIN_NAME}:materialize`,
    // Not cached: it acts on what the engine holds now.
    cache: false,
    dependsOn: [build.targetName],
    metadata: {
      ...settingsMetadata({
        metadataFile: metadataFileOf(options.outputDir, project.definition.root, build.targetName),
        registries,
        ...platformBuilds(project, build, options),
      }),
      description: `Put the recorded image of ${project.repository}${build.variant ? ` (${build.variant})` : ''} in the engine`,
      technologies: ['docker'],
    },
  };
}

function pushTarget(project: ImageProject, build: ResolvedBuild, options: NormalizedOptions, registries: string[]): TargetConfiguration {
  const d = project.definition;
  return {
    executor: `${PLUGIN_NAME}:push`,
    // Not cached: a registry is not an output Nx can restore.
    cache: false,
    dependsOn: [build.targetName],
    metadata: {
      description: `Push ${project.repository}${build.variant ? ` (${build.variant})` : ''} to ${registries.join(', ')}`,
      technologies: ['docker'],
      ...settingsMetadata({
        metadataFile: metadataFileOf(options.outputDir, d.root, build.targetName),
        registries,
        indexFile: `${options.outputDir}/images.json`,
        ...(contentTagOf(project, build) ? {} : { contentTag: false }),
        ...platformBuilds(project, build, options),
      }),
    },
  };
}

/** The targets whose builds record images: the build's own, or one per platform. */
function recordedTargets(build: ResolvedBuild): string[] {
  return build.platforms ? build.platforms.map((p) => platformTargetName(build.targetName, p)) : [build.targetName];
}

/** The target of a multi-platform build: runs its per-platform builds, each cached on its own. */
function platformsTarget(project: ImageProject, build: ResolvedBuild): TargetConfiguration {
  return {
    executor: 'nx:noop',
    cache: true,
    inputs: [builtIdsInput()],
    outputs: [],
    dependsOn: recordedTargets(build),
    metadata: {
      description: `Build ${project.repository}${build.variant ? ` (${build.variant})` : ''} for ${build.platforms!.join(', ')}, one image per platform`,
      technologies: ['docker'],
    },
  };
}

/**
 * A parent built per platform: the child's build of one platform depends on the parent's build of
 * that platform; a build of no declared platform (or one the parent lacks) lists them all and picks
 * its own at build time (platforms/parent-platforms.ts).
 */
function parentBuilds(
  parent: ResolvedBuild['parents'][number],
  projects: ProjectDirectory,
  platform: string | undefined,
): { targetName: string; platform?: string }[] {
  const theirs = projects.get(parent.project)?.platforms?.get(parent.targetName);
  if (!theirs) return [{ targetName: parent.targetName }];
  const chosen = platform && theirs.includes(platform) ? [platform] : theirs;
  return chosen.map((p) => ({ targetName: platformTargetName(parent.targetName, p), platform: p }));
}

/** The copied paths of each producer's outputs, as files of the tasks the build depends on. */
function producedInputs(build: ResolvedBuild): Exclude<TargetConfiguration['inputs'], undefined> {
  const paths = [...new Set(build.producers.flatMap((t) => t.paths))];
  const globs = paths.flatMap((p) => (p === '.' ? ['**/*'] : [escapeGlob(p), `${escapeGlob(p)}/**/*`]));
  return globs.map((glob) => ({ dependentTasksOutputFiles: glob, transitive: false }));
}

function buildTarget(
  project: ImageProject,
  build: ResolvedBuild,
  options: NormalizedOptions,
  projects: ProjectDirectory,
  platform?: string,
): TargetConfiguration {
  const d = project.definition;
  const metadataFile = metadataFileOf(
    options.outputDir,
    d.root,
    platform ? platformTargetName(build.targetName, platform) : build.targetName,
  );
  const registries = registriesOf(project, options);
  const inputs: TargetConfiguration['inputs'] = [
    ...buildFileInputs(project, build),
    // The parent's exact image id: a child is rebuilt when its parent image changed, even to the same
    // sources. Its ancestors' files are not inputs: Nx 24's affected reaches it through this output.
    ...(build.parents.length > 0 ? [builtIdsInput()] : []),
    // External bases by their id in the local engine, set by the run hook: pulling a new upstream base
    // invalidates the cache (a base locked in images.lock.json is a constant: its lock entry, in the files above, stands for it).
    ...baseIdInputs(build.externals, platform, options.hashExternalBases).map((b) => ({ env: b.env })),
    // Each platform's build hashes its platform: the platforms' targets have the same files as inputs.
    ...(platform ? [{ env: platformEnvName(platform) }] : []),
    ...secretDigestInputs(d.manifest, d.dir ?? d.root, build.variant),
    // What it copies of the outputs of the tasks that write them (git ignores those, so Nx hashes them only as outputs).
    ...producedInputs(build),
  ];

  const options_: BuildExecutorOptions = {
    dockerfile: build.dockerfile,
    context: build.context,
    repository: project.repository,
    tags: build.tags,
    ...(Object.keys(build.args).length ? { args: build.args } : {}),
    ...(build.variant ? { variant: build.variant } : {}),
    ...(build.target ? { target: build.target } : {}),
    ...(platform ? { platform, platformTags: true } : build.platform ? { platform: build.platform } : {}),
    ...(d.manifest.labels ? { labels: d.manifest.labels } : {}),
    ...(d.manifest.ociLabels === false ? { ociLabels: false } : {}),
    ...(d.manifest.contextWarnMB ? { contextWarnMB: d.manifest.contextWarnMB } : {}),
    ...(d.manifest.timeoutMinutes ? { timeoutMinutes: d.manifest.timeoutMinutes } : {}),
    ...(d.inputs.length ? { inputs: d.inputs } : {}),
    ...(d.manifest.network ? { network: d.manifest.network } : {}),
    ...(d.manifest.pull ? { pull: d.manifest.pull } : {}),
    ...(d.manifest.builder ? { builder: d.manifest.builder } : {}),
    ...(d.manifest.archive ? { archive: true } : {}),
    ...(d.manifest.cacheFrom ? { cacheFrom: d.manifest.cacheFrom } : {}),
    ...(d.manifest.inlineCache ? { inlineCache: true } : {}),
    ...(d.manifest.reuseFromRegistry && registries.length ? { reuseFromRegistry: registries } : {}),
    ...buildSecretSettings(d.manifest, d.dir ?? d.root, build.variant),
    parents: build.parents.flatMap((p) =>
      parentBuilds(p, projects, platform ?? build.platform).map((pb) => ({
        reference: p.reference,
        project: p.project,
        ...(p.stage ? { stage: p.stage } : {}),
        metadataFile: metadataFileOf(options.outputDir, projects.get(p.project)?.root ?? '.', pb.targetName),
        ...(projects.get(p.project)?.registries.length ? { registries: projects.get(p.project)!.registries } : {}),
        ...(pb.platform ? { platform: pb.platform } : {}),
      })),
    ),
    metadataFile,
  };
  const on = build.parents.map((p) => `${p.project}${p.variant ? ` (${p.variant})` : ''}`);
  return {
    // A command Nx runs from its own process (no forked process loading Nx), or, asked for, the executor
    // (batchable: NX_BATCH_MODE). Either way the settings are in the metadata.
    ...(options.buildTargets === 'executor'
      ? { executor: `${PLUGIN_NAME}:build` }
      : { executor: 'nx:run-commands', options: { command: BUILD_COMMAND } }),
    cache: true,
    inputs,
    outputs: [
      `{workspaceRoot}/${metadataFile}`,
      `{workspaceRoot}/${metadataFile.replace(/\.json$/, IMAGE_ID_SUFFIX)}`,
      // What it was built from (plan/recorded-inputs.ts): restored with the image, for the next plan to compare.
      `{workspaceRoot}/${metadataFile.replace(/\.json$/, INPUTS_SUFFIX)}`,
      ...(d.manifest.archive ? [`{workspaceRoot}/${metadataFile.replace(/\.json$/, ARCHIVE_SUFFIX)}`] : []),
    ],
    dependsOn: [
      ...build.parents.flatMap((p) =>
        parentBuilds(p, projects, platform ?? build.platform).map((pb) => ({ projects: [p.project], target: pb.targetName })),
      ),
      ...build.producers.map((t) => ({ projects: [t.project], target: t.target })),
    ],
    metadata: {
      ...settingsMetadata(options_),
      description: `Build ${project.repository}${build.variant ? ` (${build.variant})` : ''}${platform ? ` for ${platform}` : ''} from ${build.dockerfile}${on.length ? ` on ${on.join(', ')}` : ''}${
        build.externals.length ? `${on.length ? ' and' : ' on'} ${build.externals.map((e) => e.reference).join(', ')}` : ''
      }`,
      technologies: ['docker'],
    },
  };
}
