import type { ExecutorContext } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dryRunRequested } from '../../dry-run/dry-run-hook';
import { writeJsonAtomic } from '../../fs/write-atomic';
import { executorSettings, missingSettings } from '../../graph/target-settings';
import { updateImageIndex } from '../../metadata/image-index-file';
import { readImageMetadata } from '../../metadata/image-metadata';
import { promoteImage, Promoted } from '../../promote/promote-image';
import { RegistryApi } from '../../promote/registry-api';
import { versionTags, VersionOptions } from '../../promote/version-tags';
import { contentTag, registryReference } from '../../registry/registry-reference';
import { gitRevision } from '../build/git-revision';
import { refuseUnknownOptions } from '../options/unknown-options';
import { rawValues } from '../options/raw-values';

export interface PromoteExecutorOptions extends VersionOptions {
  metadataFile: string;
  registries: string[];
  indexFile?: string;
  dryRun?: boolean;
  /** The image's variants, so a tag that would be the same for all of them is refused. */
  variants?: string[];
}

/**
 * docker-promote: version tags on the exact image a run built and pushed, copied registry-side in
 * every registry (promote/). Needs the build's metadata (from the run or the Nx cache) and the
 * image in the registry; never the engine. Records `<target>.promote.json` and dist/images.json.
 */
export default async function promoteExecutor(given: PromoteExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const refused = refuseUnknownOptions('promote', given, context);
  if (refused) return refused;
  const options = executorSettings(given, context).settings;
  let label = context.projectName ?? 'image';
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const fail = (message: string) => {
    process.stderr.write(`\n✖ ${label}: ${message}\n`);
    return { success: false };
  };
  const missing = missingSettings(options, ['metadataFile', 'registries']);
  if (missing) return fail(missing);
  const metadataPath = join(context.root, options.metadataFile);
  let m;
  try {
    m = readImageMetadata(metadataPath);
  } catch (e) {
    return fail(`${(e as Error).message}; build and push it first (a cached docker-build restores it)`);
  }
  const name = `${label}${m.variant ? ` (${m.variant})` : ''}`;
  label = name;
  let tags: string[];
  try {
    const needsGit = [given.tag, given.scheme].flat().some((t) => String(t ?? '').includes('{git.'));
    // Tags as typed: Nx reads --tag=1.10 as the number 1.1.
    const tag = rawValues(context, 'tag') ?? options.tag;
    tags = versionTags({ ...options, tag }, { variant: m.variant, variants: options.variants, projectName: m.project, args: m.args, hash: m.nxHash, git: needsGit ? gitRevision(context.root) : undefined, date: new Date() });
  } catch (e) {
    return fail((e as Error).message);
  }
  // The digest each registry got, from the push record of this exact image; else the content tag finds it.
  const recordPath = metadataPath.replace(/\.json$/, '.push.json');
  const record = existsSync(recordPath) ? (JSON.parse(readFileSync(recordPath, 'utf8')) as { imageId?: string; pushed?: { reference: string; digest: string }[] }) : undefined;
  const pushed = record?.imageId === m.imageId ? (record.pushed ?? []) : [];
  const sources = options.registries.map((registry) => {
    const byContent = m.nxHash ? registryReference(registry, m.repository, contentTag(m.nxHash)) : undefined;
    const prefix = registryReference(registry, m.repository, '');
    const hit = pushed.find((p) => p.reference === byContent) ?? pushed.find((p) => p.reference.startsWith(prefix));
    return { registry, reference: hit?.reference ?? byContent, digest: hit?.digest };
  });
  const unfindable = sources.find((s) => !s.reference);
  if (unfindable) return fail(`no push record of ${m.imageId.slice(7, 19)} for ${unfindable.registry} and no Nx hash to find it by (nx-<hash>); run its docker-push first`);

  if (dryRunRequested(options)) {
    print(`[dry run] ${name}: would tag ${tags.join(', ')}`);
    for (const s of sources) print(`  ${s.digest ? `${s.reference!.replace(/:[^:/]+$/, '')}@${s.digest} (push record)` : `${s.reference} (looked up by content tag)`} -> ${tags.map((t) => registryReference(s.registry, m.repository, t)).join(', ')}`);
    print('  dry run: nothing tagged or written; no registry contacted');
    return { success: true };
  }

  const apis = new Map<string, RegistryApi>();
  const apiFor = (host: string) => apis.get(host) ?? apis.set(host, new RegistryApi(host)).get(host)!;
  const results: Promoted[] = [];
  for (const s of sources) {
    try {
      results.push(await promoteImage(s.reference!, s.digest, tags, apiFor));
    } catch (e) {
      return fail((e as Error).message);
    }
  }
  const promoted = results.flatMap((r) => r.references.map((reference) => ({ reference, digest: r.digest })));
  writeJsonAtomic(metadataPath.replace(/\.json$/, '.promote.json'), { project: m.project, target: m.target, imageId: m.imageId, tags, promoted, promotedAt: new Date().toISOString() });
  await updateImageIndex(join(context.root, options.indexFile ?? 'dist/images.json'), m.variant ? `${m.project}:${m.variant}` : m.project, (previous) => ({
    project: m.project,
    ...(m.variant ? { variant: m.variant } : {}),
    repository: m.repository,
    imageId: m.imageId,
    tags: [...new Set([...(previous?.imageId === m.imageId ? previous.tags : m.tags), ...tags])],
    pushed: previous?.imageId === m.imageId ? previous.pushed : [],
    promoted: [...(previous?.imageId === m.imageId ? (previous.promoted ?? []).filter((p) => !promoted.some((n) => n.reference === p.reference)) : []), ...promoted],
    updated: new Date().toISOString(),
  }));
  for (const r of results) print(`  ${r.source} (${r.mediaType.replace(/^application\//, '')}) -> ${r.references.map((x) => x.slice(x.lastIndexOf(':') + 1)).join(', ')}`);
  print(`✔ ${name}: tagged ${tags.join(', ')} in ${options.registries.join(', ')}, registry-side (no pull, no build)`);
  return { success: true };
}
