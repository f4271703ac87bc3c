import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dryRunRequested } from '../../core/nx/dry-run-hook';
import { executorSettings, missingSettings } from '../../inference/targets/target-settings';
import { promoteRecordedBuild, readRecordedImage } from '../../distribution/promote/promote-recorded-build';
import { versionTags } from '../../distribution/promote/version-tags';
import { manifestVersion } from '../../distribution/release/manifest-version';
import { gitRevision } from '../../build/pipeline/git-revision';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';
import { rawValues } from '../../hooks/unknown-options/raw-values';

export interface ReleasePublishOptions {
  /** Each build of the image: its metadata file (its push record beside it) and its variant. */
  builds: { metadataFile: string; variant?: string; platforms?: { platform: string; metadataFile: string }[] }[];
  registries: string[];
  indexFile?: string;
  /** The manifest holding the image's "version" (workspace-relative). */
  manifestFile: string;
  /** Tag templates; default "{version}", "{version}-{variant}" for an image with variants. */
  scheme?: string | string[];
  /** Given by Nx: a tag besides the scheme's (npm's dist-tag, e.g. --tag=latest). */
  tag?: string | number | (string | number)[];
  dryRun?: boolean;
  /** Given by `nx release`: each project's new version. */
  nxReleaseVersionData?: Record<string, { newVersion: string | null } | undefined>;
  /** Given by Nx for npm; an image has no use for them. */
  firstRelease?: boolean;
  registry?: string;
  access?: string;
  otp?: string | number;
}

/**
 * nx-release-publish (run by `nx release` and `nx release publish`): puts the release version
 * on the images its dependencies built and pushed, registry-side, as docker-promote does. The
 * version is `nx release`'s new one, else the "version" `nx release version` wrote to the manifest.
 */
export default async function releasePublishExecutor(
  given: ReleasePublishOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('release-publish', given, context);
  if (refused) return refused;
  const options = executorSettings(given, context).settings;
  const project = context.projectName ?? 'image';
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const fail = (label: string, message: string) => {
    process.stderr.write(`\n✖ ${label}: ${message}\n`);
    return { success: false };
  };
  const missing = missingSettings(options, ['builds', 'registries', 'manifestFile']);
  if (missing) return fail(project, missing);

  const fromRelease = options.nxReleaseVersionData?.[project];
  if (fromRelease && fromRelease.newVersion === null) {
    print(`${project}: no new version in this release; nothing to tag`);
    return { success: true };
  }
  const version = fromRelease?.newVersion ? { version: fromRelease.newVersion } : versionFromManifest(context.root, options.manifestFile);
  if ('error' in version) return fail(project, version.error);
  if (options.registry)
    print(`${project}: --registry is npm's; images are tagged in the registries they were pushed to (${options.registries.join(', ')})`);

  const variants = options.builds.map((b) => b.variant).filter((v): v is string => !!v);
  const scheme = options.scheme ?? (variants.length ? '{version}-{variant}' : '{version}');
  const extra = rawValues(context, 'tag') ?? options.tag;
  const needsGit = [scheme, extra].flat().some((t) => String(t ?? '').includes('{git.'));
  const git = needsGit ? gitRevision(context.root) : undefined;
  for (const build of options.builds) {
    const label = `${project}${build.variant ? ` (${build.variant})` : ''}`;
    const target = {
      metadataFile: build.metadataFile,
      ...(build.platforms ? { platforms: build.platforms } : {}),
      registries: options.registries,
      indexFile: options.indexFile,
    };
    const read = readRecordedImage(context.root, target);
    if ('error' in read) return fail(label, read.error);
    const m = read.metadata;
    let tags: string[];
    try {
      tags = versionTags(
        { scheme, tag: extra, releaseVersion: version.version },
        { variant: m.variant, variants, projectName: m.project, args: m.args, hash: m.nxHash, git, date: new Date() },
      );
    } catch (e) {
      return fail(label, (e as Error).message);
    }
    const outcome = await promoteRecordedBuild(context.root, target, m, tags, `${label} ${version.version}`, dryRunRequested(options));
    for (const line of outcome.lines) print(line);
    if (outcome.error) return fail(label, outcome.error);
  }
  return { success: true };
}

/** The version `nx release version` wrote to the image's manifest. */
function versionFromManifest(root: string, manifestFile: string): { version: string } | { error: string } {
  const path = join(root, manifestFile);
  const hint = 'run `nx release version` first (it writes "version" to the manifest), or `nx release` to version and publish in one go';
  if (!existsSync(path)) return { error: `no release version: ${manifestFile} does not exist; ${hint}` };
  const read = manifestVersion(readFileSync(path, 'utf8'), manifestFile);
  if ('problem' in read) return { error: read.message };
  return read.version === undefined
    ? { error: `no release version: ${manifestFile} has no "version"; ${hint}` }
    : { version: read.version };
}
