import { registryLocation } from '../../clients/registry/resolve-base';
import { RegistryApi, RegistryUnreachableError } from '../../clients/registry/registry-api';

/**
 * "cacheFrom" images the build cannot use: BuildKit skips a cache source it cannot fetch without a
 * word, and the build then quietly rebuilds every layer. Asked of each image's registry before the
 * build (one HEAD per reference, only for builds that have cacheFrom); each unusable one is a warning.
 */
export type TagExists = (host: string, apiHost: string, repository: string, tag: string) => Promise<boolean>;

export const registryTagExists: TagExists = async (host, apiHost, repository, tag) =>
  (await new RegistryApi(host, process.env, apiHost).manifestDigest(repository, tag)) !== undefined;

export async function cacheFromWarnings(references: string[] | undefined, exists: TagExists = registryTagExists): Promise<string[]> {
  const warnings: string[] = [];
  for (const reference of references ?? []) {
    const where = registryLocation(reference);
    if (!where) continue;
    const unused = 'so the build reuses no layers from it (BuildKit goes on without a word)';
    try {
      if (await exists(where.host, where.apiHost, where.repository, where.tag)) continue;
      warnings.push(
        `"cacheFrom" ${reference}: the registry ${where.apiHost} has no ${where.repository}:${where.tag}, ${unused}; push it first (a build with "inlineCache": true, then docker-push), or fix the reference`,
      );
    } catch (e) {
      const reason = (e as Error).message.replace(/^registry \S+ /, '');
      warnings.push(
        e instanceof RegistryUnreachableError
          ? `"cacheFrom" ${reference}: its registry ${where.apiHost} cannot be reached (${reason}), ${unused}`
          : `"cacheFrom" ${reference}: the registry ${reason}, ${unused}`,
      );
    }
  }
  return warnings;
}
