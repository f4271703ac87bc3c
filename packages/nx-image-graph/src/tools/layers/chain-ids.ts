import { createHash } from 'node:crypto';

/**
 * Chain ids of an image's layers (the OCI image spec's ChainID): a layer's id together with
 * everything beneath it. The engine stores and shares layers by chain id, not by diff id: the
 * same diff on two different parents is two layers on disk (Docker's /system/df counts them so).
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const below = out[out.length - 1];
    out.push(below === undefined ? diffId : `sha256:${createHash('sha256').update(`${below} ${diffId}`).digest('hex')}`);
  }
  return out;
}
