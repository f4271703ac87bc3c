import { RELEASE_VERSION } from '../../inference/manifest/release-version';

export type ManifestVersion =
  | { version?: string }
  /** `unreadable`: not a JSON object; `invalid`: a "version" that is not one. The message names the file. */
  | { problem: 'unreadable' | 'invalid'; message: string };

/** The "version" of a manifest's text (undefined: none yet), read by `nx release version` and by nx-release-publish. */
export function manifestVersion(text: string, file: string): ManifestVersion {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: 'unreadable', message: `${file}: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'unreadable', message: `${file}: not a JSON object` };
  const version = (value as { version?: unknown }).version;
  if (version === undefined) return {};
  if (typeof version !== 'string' || !RELEASE_VERSION.test(version)) {
    return {
      problem: 'invalid',
      message: `${file}: "version" is ${JSON.stringify(version)}, not a version MAJOR.MINOR.PATCH[-prerelease]`,
    };
  }
  return { version };
}
