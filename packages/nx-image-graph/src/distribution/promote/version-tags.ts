import { RELEASE_VERSION } from '../../inference/manifest/release-version';
import { expandTagTemplate, isValidTag, TagContext } from '../../inference/tags/tag-template';

export class VersionTagError extends Error {}

export interface VersionOptions {
  /** Tags to put on the image, e.g. `1.2.0` (repeatable); templates like the build's tags. */
  tag?: string | number | (string | number)[];
  /** Tag templates of a versioning scheme: `{version}`, `{date:YYYY.MM.DD}`, `{git.shortSha}`, ... */
  scheme?: string | string[];
  /** The release version that `{version}` stands for (semver). */
  releaseVersion?: string;
}

/**
 * The tags a promotion puts on an image: `--tag` values and the scheme's templates, expanded with
 * `{version}` (which must be semver) and the build's placeholders. An image with variants must name
 * `{variant}` in each, or the variants would overwrite each other's tag.
 */
export function versionTags(options: VersionOptions, context: TagContext & { variants?: string[] }): string[] {
  const templates = [...list(options.tag), ...list(options.scheme)];
  if (templates.length === 0 && options.releaseVersion) templates.push('{version}');
  if (templates.length === 0) {
    throw new VersionTagError(
      'no version to promote to: pass --tag=1.2.0 (repeatable), --release-version=1.2.0, or --scheme (e.g. "{date:YYYY.MM.DD}", "{git.shortSha}"). ' +
        "--version is Nx's own option: Nx takes it off the command line before the target runs, so it never reaches docker-promote; use --release-version",
    );
  }
  if (options.releaseVersion !== undefined && !RELEASE_VERSION.test(options.releaseVersion)) {
    throw new VersionTagError(
      `--release-version "${options.releaseVersion}" is not a semantic version MAJOR.MINOR.PATCH[-prerelease] (build metadata "+..." cannot be in a tag)`,
    );
  }
  const tags: string[] = [];
  for (const template of templates) {
    if (template.includes('{version}') && options.releaseVersion === undefined)
      throw new VersionTagError(`tag "${template}" uses {version}: pass --release-version=1.2.0`);
    if (context.variant && (context.variants?.length ?? 0) > 1 && !template.includes('{variant}')) {
      throw new VersionTagError(
        `tag "${template}" would be the same for every variant (${context.variants!.join(', ')}) of one repository; put {variant} in it, e.g. "${template}-{variant}"`,
      );
    }
    const expanded = expandTagTemplate(template.split('{version}').join(options.releaseVersion ?? ''), context);
    if (expanded === undefined)
      throw new VersionTagError(`tag "${template}" needs a value this workspace does not have (git.sha outside a git repository?)`);
    if (!isValidTag(expanded))
      throw new VersionTagError(
        `tag "${template}" gives "${expanded}", which is not a valid tag (up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -)`,
      );
    if (!tags.includes(expanded)) tags.push(expanded);
  }
  return tags;
}

function list(value: string | number | (string | number)[] | undefined): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}
