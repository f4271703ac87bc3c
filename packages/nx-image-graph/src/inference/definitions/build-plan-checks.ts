import type { DockerfileModel } from '../dockerfile';
import type { ImageManifest } from '../manifest/schema';

/**
 * What a manifest asks of a build that the engine would refuse only when the build starts, with a
 * raw error (HTTP 431, "network mode not supported", "argument list too long") or a tag that
 * cannot be made. Each says the field and the fix, at graph time.
 */

/** BuildKit builds with these only (Docker's builder-next refuses any other network mode). */
const BUILDKIT_NETWORKS = ['default', 'host', 'none'];

export function networkProblem(manifest: ImageManifest, configFile: string): string | undefined {
  const network = manifest.network;
  if (network === undefined || manifest.builder === 'classic' || BUILDKIT_NETWORKS.includes(network)) return undefined;
  return `${configFile}: "network" ${JSON.stringify(network)} is not a network mode BuildKit builds with; use "default", "host" or "none" (a named network needs the classic builder: "builder": "classic")`;
}

/** A tag `{args.NAME}` whose build sets no NAME: the build could make no tag. */
export function tagArgsProblem(
  plan: { variant?: string; tags: string[]; args: Record<string, string> },
  manifest: ImageManifest,
  configFile: string,
): string | undefined {
  const own = plan.variant !== undefined && manifest.variants?.[plan.variant]?.tags !== undefined;
  for (const [i, tag] of plan.tags.entries()) {
    for (const m of tag.matchAll(/\{\s*args\.([A-Za-z_][A-Za-z0-9_]*)\s*\}/g)) {
      const name = m[1];
      if (name in plan.args) continue;
      const field = own ? `"variants.${plan.variant}.tags"[${i}]` : `"tags"[${i}]`;
      const forVariant = plan.variant !== undefined && manifest.variants?.[plan.variant] ? ` for variant ${plan.variant}` : '';
      const where = forVariant ? `"args" (or to "variants.${plan.variant}.args")` : '"args"';
      return `${configFile}: ${field} ${JSON.stringify(tag)} uses build arg ${name}, which "args" does not set${forVariant}; add "${name}" to ${where}, or fix the tag`;
    }
  }
  return undefined;
}

/**
 * The engine's API server (Go's net/http) takes at most 1 MiB of request line and headers (plus
 * 4 KiB of slack, which the other parameters use): build args and labels travel in the query
 * string, URL-encoded JSON, and past it the build fails with HTTP 431.
 */
export const MAX_REQUEST_ARGS_BYTES = 1 << 20;
/** Linux's limit on one environment string (MAX_ARG_STRLEN), NAME=value and its NUL included. */
const MAX_ENV_STRING = 128 * 1024;

export function argsSizeProblem(
  plan: { variant?: string; args: Record<string, string> },
  manifest: ImageManifest,
  configFile: string,
): string | undefined {
  const sent = encodedLength(plan.args) + (manifest.labels ? encodedLength(manifest.labels) : 0);
  if (sent <= MAX_REQUEST_ARGS_BYTES) return undefined;
  const largest = Object.entries(plan.args)
    .map(([name, value]) => [name, Buffer.byteLength(value)] as const)
    .filter(([, n]) => n >= 1000)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  return (
    `${configFile}: "args"${plan.variant ? ` of variant ${plan.variant}` : ''} take ${megabytes(sent)} of the build request, and the engine accepts at most ${megabytes(MAX_REQUEST_ARGS_BYTES, 0)} of request headers (HTTP 431 otherwise)` +
    `${largest.length ? `; the largest: ${largest.map(([name, n]) => `${name} (${kilobytes(n)})`).join(', ')}` : ''}. Pass large values as a file the build copies, or as a build secret`
  );
}

/** An arg a stage declares reaches its RUN steps as an environment variable, which Linux caps. */
export function argEnvironmentProblem(args: Record<string, string>, model: DockerfileModel, configFile: string): string | undefined {
  const declared = new Set([...model.globalArgs, ...model.stages.flatMap((s) => s.args)].map((a) => a.name));
  for (const [name, value] of Object.entries(args)) {
    if (!declared.has(name) || Buffer.byteLength(name) + Buffer.byteLength(value) + 2 <= MAX_ENV_STRING) continue;
    return (
      `${configFile}: "args.${name}" is ${kilobytes(Buffer.byteLength(value))}: a RUN step gets it as an environment variable, and Linux refuses one over 128 kB ` +
      `(the step fails with "argument list too long"); pass it as a file the build copies, or as a build secret`
    );
  }
  return undefined;
}

/** As dockerode sends a JSON query parameter: JSON, then URL-encoded (querystring's escaping). */
function encodedLength(value: Record<string, string>): number {
  return (require('node:querystring') as typeof import('node:querystring')).escape(JSON.stringify(value)).length;
}

function megabytes(n: number, digits = 1): string {
  return `${(n / (digits ? 1e6 : 1 << 20)).toFixed(digits)} MB`;
}

function kilobytes(n: number): string {
  return `${(n / 1e3).toFixed(0)} kB`;
}
