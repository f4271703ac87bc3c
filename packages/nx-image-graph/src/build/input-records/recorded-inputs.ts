import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import objectHash from 'object-hash';
import { writeJsonAtomic } from '../../core/fs/write-atomic';
import { INPUTS_SUFFIX } from '../../core/image-records/output-files';
import { looksLikeCredential } from '../../inference/secrets/secret-args';

/**
 * What a build was made from, as far as the plugin knows it (kept beside its metadata, an output
 * Nx caches and restores): the next plan or build compares the current inputs with these to say
 * why an image rebuilds. No secret: credential-looking args are kept as a digest, never a value.
 */
export interface RecordedInputs {
  schemaVersion: 1;
  nxHash?: string;
  /** The Nx hash of the build recorded before this one: Nx's input hashes of both say what else changed (nx-input-details.ts). */
  previousNxHash?: string;
  /** Workspace-relative path -> Nx's content hash of each file the build sent, its Dockerfile and the files its manifest's `inputs` name. */
  files: Record<string, string>;
  /** The whole context was sent because a base has ONBUILD triggers (they read files the Dockerfile does not name). */
  onBuildContext?: boolean;
  /** The parents' exact images, by project and the parent's own build target (absent in records of older plugins). */
  parents: { project: string; target?: string; imageId: string }[];
  /** External bases by reference, with their id in the engine when known. */
  bases: { reference: string; imageId?: string }[];
  /** Build args as given (manifest and command line); credential-looking ones as a digest. */
  args: Record<string, string>;
  /** A digest of the other build settings (tags, target, platform, labels, builder...). */
  settings: string;
  /** Why this build ran, compared with the build recorded before it. */
  why?: string[];
}

export type CurrentInputs = Omit<RecordedInputs, 'schemaVersion' | 'nxHash' | 'previousNxHash' | 'why'>;

/** The record's path beside a build's metadata file (`<target>.json` -> `<target>.inputs.json`). */
export function inputsFileOf(metadataPath: string): string {
  return metadataPath.replace(/\.json$/, INPUTS_SUFFIX);
}

/** The recorded inputs, or undefined when there is no record (never built, or built by an older plugin) or it is unreadable. */
export function readRecordedInputs(path: string): RecordedInputs | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as RecordedInputs;
    return r.schemaVersion === 1 && r.files && r.args ? r : undefined;
  } catch {
    return undefined;
  }
}

export function writeRecordedInputs(path: string, record: RecordedInputs): void {
  writeJsonAtomic(path, record);
}

/** A domain prefix, so the digest is not the plain SHA-256 of the value (as bin/secret-digest.js). */
function credentialDigest(value: string): string {
  return `sha256:${createHash('sha256').update('nx-image-graph arg\0').update(value).digest('hex')}`;
}

/** Args as recorded: a credential-looking one as a digest of its value, so a change shows without the value. */
export function recordedArgs(args: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, looksLikeCredential(k) && v !== '' ? credentialDigest(v) : v]));
}

/** The build settings that change the image besides its files, parents, bases and args. */
const SETTING_KEYS = [
  'dockerfile',
  'context',
  'repository',
  'tags',
  'variant',
  'target',
  'platform',
  'labels',
  'network',
  'pull',
  'noCache',
  'builder',
  'archive',
  'cacheFrom',
  'inlineCache',
  'ociLabels',
  'secrets',
];

export function settingsDigest(options: object): string {
  const o = options as Record<string, unknown>;
  // Unset and false are the same setting: the executor sees schema defaults the graph does not write.
  const kept = Object.fromEntries(SETTING_KEYS.filter((k) => o[k] !== undefined && o[k] !== false).map((k) => [k, o[k]]));
  return objectHash(kept, { algorithm: 'sha1', unorderedObjects: true });
}
