import type { ProjectGraph, ProjectGraphDependency, Tree } from '@nx/devkit';
import { applyEdits, modify } from 'jsonc-parser';
import { join } from 'node:path';
import { VersionActions } from 'nx/release';
import { RELEASE_VERSION } from '../../inference/manifest/release-version';
import { manifestVersion } from './manifest-version';

/**
 * `nx release` for images, which have no package.json: an image's version lives in the
 * `"version"` field of its manifest (image.json), which no build reads, so bumping it rebuilds
 * nothing. `nx release version` writes it (creating a manifest holding only the version where
 * the image had none); nx-release-publish reads it to tag the pushed image registry-side.
 * Images name their parents by tag, not by version, so a parent's release does not bump them.
 */
export default class ImageVersionActions extends VersionActions {
  validManifestFilenames: string[] = [this.manifestName()];

  async readCurrentVersionFromSourceManifest(tree: Tree): Promise<{ currentVersion: string; manifestPath: string } | null> {
    const manifestPath = this.manifestPath();
    // No manifest, or no version in it yet: a first release, as for an unversioned package.
    if (!tree.exists(manifestPath)) return { currentVersion: '0.0.0', manifestPath };
    const read = manifestVersion(tree.read(manifestPath, 'utf-8')!, manifestPath);
    if ('problem' in read) {
      const message = `${read.message}; ${read.problem === 'invalid' ? 'fix it, or remove it to start from 0.0.0' : 'fix the manifest before releasing'}`;
      // Nx replaces any error from here by its own "does not have a image.json file": the real reason is said first.
      process.stderr.write(`\n ✖ nx-image-graph: ${message}\n`);
      throw new Error(message);
    }
    return { currentVersion: read.version ?? '0.0.0', manifestPath };
  }

  async readCurrentVersionFromRegistry(): Promise<{ currentVersion: string | null; logText: string } | null> {
    throw new Error(
      `nx-image-graph: "currentVersionResolver": "registry" is not supported for images; use "disk" (the "version" in ${this.manifestPath()}) or "git-tag"`,
    );
  }

  async readCurrentVersionOfDependency(): Promise<{ currentVersion: string | null; dependencyCollection: string | null }> {
    return { currentVersion: null, dependencyCollection: null };
  }

  override async readDependencies(_tree: Tree, _graph: ProjectGraph): Promise<ProjectGraphDependency[]> {
    return [];
  }

  async updateProjectVersion(tree: Tree, newVersion: string): Promise<string[]> {
    if (!RELEASE_VERSION.test(newVersion)) {
      throw new Error(
        `nx-image-graph: ${this.projectGraphNode.name}: version "${newVersion}" cannot be an image tag; use MAJOR.MINOR.PATCH[-prerelease] (no "+build" metadata)`,
      );
    }
    const manifestPath = this.manifestPath();
    if (!tree.exists(manifestPath)) {
      tree.write(manifestPath, `${JSON.stringify({ version: newVersion }, null, 2)}\n`);
      // Nx hashes a manifest that exists differently from none: that image's next build is one cache miss.
      return [
        `✍️  New version ${newVersion} written to new manifest ${manifestPath} (its next build is an Nx cache miss; from a warm layer cache it gives the same image)`,
      ];
    }
    const text = tree.read(manifestPath, 'utf-8')!;
    const read = manifestVersion(text, manifestPath);
    if ('problem' in read && read.problem === 'unreadable') throw new Error(`${read.message}; fix the manifest before releasing`);
    // A version that is not one is replaced like any other.
    tree.write(manifestPath, withVersion(text, { version: 'problem' in read ? read.message : read.version }, newVersion));
    return [`✍️  New version ${newVersion} written to manifest: ${manifestPath}`];
  }

  async updateProjectDependencies(): Promise<string[]> {
    return [];
  }

  private manifestName(): string {
    const options = this.finalConfigForProject?.versionActionsOptions as { manifest?: unknown } | undefined;
    return typeof options?.manifest === 'string' ? options.manifest : 'image.json';
  }

  private manifestPath(): string {
    return join(this.projectGraphNode.data.root, this.manifestName());
  }
}

/**
 * The manifest text with its version set, by an edit, not a rewrite: the user's order and
 * formatting stay. A new "version" goes first, indented like the first field.
 */
export function withVersion(text: string, manifest: { version?: unknown }, version: string): string {
  if (manifest.version !== undefined) return applyEdits(text, modify(text, ['version'], version, {}));
  const open = text.indexOf('{');
  const firstField = /\{(\s*)"/.exec(text.slice(open));
  if (!firstField) return `${JSON.stringify({ version }, null, 2)}\n`;
  const gap = firstField[1];
  const line = `"version": ${JSON.stringify(version)},`;
  return `${text.slice(0, open + 1)}${gap}${line}${text.slice(open + 1)}`;
}
