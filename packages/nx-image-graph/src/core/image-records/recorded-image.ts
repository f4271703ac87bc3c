import { join } from 'node:path';
import { ImageMetadata, readImageMetadata } from './image-metadata';

/** The build a dry run would act on: its recorded metadata, or why there is none yet. */
export function recordedImage(root: string, metadataFile: string): { metadata?: ImageMetadata; missing?: string } {
  try {
    return { metadata: readImageMetadata(join(root, metadataFile)) };
  } catch {
    return { missing: `no build recorded at ${metadataFile} yet (its docker-build runs first in a real run)` };
  }
}

/** `project (variant)`, as every executor's lines name an image. */
export function imageLabel(project: string | undefined, variant?: string): string {
  return `${project ?? 'image'}${variant ? ` (${variant})` : ''}`;
}
