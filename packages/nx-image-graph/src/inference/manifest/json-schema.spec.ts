import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestJsonSchema, manifestJsonSchemaText } from './json-schema';

describe('the published JSON Schema', () => {
  it('is up to date with the zod schema (regenerate: npm run schema -w nx-image-graph)', () => {
    const published = readFileSync(join(__dirname, '..', '..', '..', 'image.schema.json'), 'utf8');
    expect(published).toBe(manifestJsonSchemaText());
  });

  it('describes the fields editors complete, with their documentation', () => {
    const schema = manifestJsonSchema() as { properties: Record<string, { description?: string }>; additionalProperties: unknown };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining([
        'name',
        'repository',
        'tags',
        'dockerfile',
        'context',
        'inputs',
        'args',
        'target',
        'platform',
        'variants',
        'registries',
        'checks',
      ]),
    );
    expect(schema.properties.context.description).toMatch(/relative to the manifest/);
    expect(schema.additionalProperties).toBe(false);
  });
});
