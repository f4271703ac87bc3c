import type Docker from 'dockerode';
import { redact, registryAuth } from '../credentials/registry-auth';
import { splitReference } from '../../inference/references/registry-reference';
import { isAuthFailure, isTransient, readRegistryStream } from './registry-stream';
import { PushProgress } from './push-progress';
import { pushLockFile } from './push-lock';
import { withMachineLock } from '../../core/fs/machine-lock';

export class PushError extends Error {}

export interface PushOptions {
  retries?: number;
  backoffMs?: number;
  /** Where retries and progress lines go (push-progress.ts); none printed without it. */
  log?: (line: string) => void;
  progressIntervalMs?: number;
}

export interface PushResult {
  reference: string;
  digest: string;
  /** Layer ids this push uploaded, and those the registry had; see layer-counts.ts for counts per image. */
  uploaded: string[];
  existing: string[];
  attempts: number;
}

/**
 * Pushes one local image under `reference` (`registry/repo:tag`). Layers the registry has are not
 * uploaded again (the engine asks first); transient failures are retried with backoff, a refusal
 * (wrong credentials) fails at once, naming the registry. Credentials never reach a message.
 */
export async function pushImage(docker: Docker, imageId: string, reference: string, opts: PushOptions = {}): Promise<PushResult> {
  const { repo, tag } = splitReference(reference);
  const registry = repo.split('/')[0];
  const auth = registryAuth(registry);
  const restore = await tagForPush(docker, imageId, repo, tag);
  try {
    // One push per engine and registry at a time: pushed side by side, images on one base each upload
    // its layers (the engine shares no upload across repositories); one after the other, the later
    // ones mount them from the first (push-lock.ts).
    return await withMachineLock(pushLockFile(registry), () => pushTagged(docker, reference, repo, tag, registry, auth, opts), {
      onWait: (pid) =>
        opts.log?.(
          `  ${reference}: waiting for another push to ${registry}${pid ? ` (pid ${pid})` : ''}, so layers they share are uploaded once`,
        ),
    });
  } finally {
    await restore();
  }
}

/**
 * The engine pushes by name, so the image needs `reference` as a local tag. One the engine already
 * has on this image (a repository that names its registry) is used as it is; one made for the push
 * is taken off again afterwards, and a tag it moved goes back to its image. The image and the
 * build's own tags stay.
 */
async function tagForPush(docker: Docker, imageId: string, repo: string, tag: string): Promise<() => Promise<void>> {
  const reference = `${repo}:${tag}`;
  const before = await docker
    .getImage(reference)
    .inspect()
    .then(
      (i) => i.Id as string,
      () => undefined,
    );
  if (before === imageId) return async () => undefined;
  await docker.getImage(imageId).tag({ repo, tag });
  return async () => {
    try {
      if (before) {
        await docker.getImage(before).tag({ repo, tag });
      } else {
        // Removing an image's last tag would remove the image: untag only while it has another.
        const tags = ((await docker.getImage(imageId).inspect()).RepoTags ?? []) as string[];
        if (tags.some((t) => t !== reference)) await docker.getImage(reference).remove({ noprune: true });
      }
    } catch {
      // A tag left behind costs nothing but clutter; the push's own outcome is what counts.
    }
  };
}

async function pushTagged(
  docker: Docker,
  reference: string,
  repo: string,
  tag: string,
  registry: string,
  auth: ReturnType<typeof registryAuth>,
  opts: PushOptions,
): Promise<PushResult> {
  const retries = opts.retries ?? 4;
  for (let attempt = 1; ; attempt++) {
    let message: string;
    try {
      const stream = (await docker.getImage(repo).push({ tag, ...(auth ? { authconfig: auth } : {}) })) as NodeJS.ReadableStream;
      const progress = opts.log && new PushProgress(reference, opts.log, { intervalMs: opts.progressIntervalMs });
      const result = await readRegistryStream(stream, progress ? (m) => progress.message(m) : undefined);
      if (!result.error && result.digest) {
        progress?.end();
        return { reference, digest: result.digest, uploaded: result.uploaded, existing: result.existing, attempts: attempt };
      }
      message = result.error ?? 'the engine reported no digest';
    } catch (e) {
      message = (e as Error).message;
    }
    message = redact(message, auth);
    if (isAuthFailure(message)) {
      throw new PushError(
        `registry ${registry} refused ${reference}: ${message}. ${auth ? 'Check the credentials for it' : 'No credentials found for it'} (docker login ${registry}, DOCKER_CONFIG, or DOCKER_AUTH_CONFIG).`,
      );
    }
    if (!isTransient(message) || attempt > retries)
      throw new PushError(`push of ${reference} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${message}`);
    const wait = (opts.backoffMs ?? 500) * 2 ** (attempt - 1);
    opts.log?.(`  ${reference}: ${message.split('\n')[0]}; retrying in ${wait} ms (attempt ${attempt + 1} of ${retries + 1})`);
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Pulls `reference` and returns the image id the engine then has for it, or undefined when the registry lacks it. */
export async function pullImage(docker: Docker, reference: string, platform?: string): Promise<{ imageId?: string; error?: string }> {
  const registry = reference.split('/')[0];
  const auth = registry.includes('.') || registry.includes(':') || registry === 'localhost' ? registryAuth(registry) : undefined;
  try {
    // A platform picks that platform's image out of an index (a multi-platform build's image).
    const stream = (await docker.pull(reference, {
      ...(auth ? { authconfig: auth } : {}),
      ...(platform ? { platform } : {}),
    })) as NodeJS.ReadableStream;
    const result = await readRegistryStream(stream);
    if (result.error) return { error: redact(result.error, auth) };
    const inspected = await docker.getImage(reference).inspect();
    return { imageId: inspected.Id };
  } catch (e) {
    return { error: redact((e as Error).message, auth) };
  }
}
