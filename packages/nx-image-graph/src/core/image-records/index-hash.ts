import { createHash } from 'node:crypto';

/**
 * The content tag of an index: from its platforms' Nx hashes, so the same builds give the same
 * tag on every machine (each platform's own image is also pushed under its own nx-<hash>).
 */
export function indexHash(platforms: { platform: string; nxHash?: string }[]): string | undefined {
  if (platforms.some((p) => !p.nxHash)) return undefined;
  const text = platforms
    .map((p) => `${p.platform}=${p.nxHash}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}
