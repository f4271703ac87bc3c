import { z } from 'zod';
import { manifestSchema } from './schema';

/** The manifest's JSON Schema, for editors (`"$schema": "./node_modules/nx-image-graph/image.schema.json"`). */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { target: 'draft-07', io: 'input' }),
    title: 'nx-image-graph image manifest',
  };
}

export function manifestJsonSchemaText(): string {
  return JSON.stringify(manifestJsonSchema(), null, 2) + '\n';
}
