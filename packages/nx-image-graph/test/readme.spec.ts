import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pluginOptionsSchema } from '../src/inference/options/plugin-options-schema';

/**
 * The package README is the reference of fields, options and targets: every field of
 * image.schema.json, every plugin option, every executor's and generator's option is in its table,
 * and every name a table lists still exists. A field added or removed without the README fails here.
 */
// The package's README, beside this folder.
const PACKAGE = join(__dirname, '..');
const README = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const readJson = (path: string) => JSON.parse(readFileSync(join(PACKAGE, path), 'utf8'));

/** The text under a heading (its exact line), up to the next heading of the same or a higher level. */
function section(heading: string): string {
  const lines = README.split('\n');
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`the package README has no heading "${heading}"`);
  const level = heading.match(/^#+/)![0].length;
  const end = lines.findIndex((l, i) => i > at && /^#+ /.test(l) && l.match(/^#+/)![0].length <= level);
  return lines.slice(at + 1, end < 0 ? undefined : end).join('\n');
}

/** The names in backticks in the first column of the tables of a text (header and rule rows skipped). */
function firstColumnNames(text: string): string[] {
  const rows = text.split('\n').filter((l) => l.startsWith('|'));
  const cells = rows
    .slice(2)
    .filter((r) => !/^\|\s*-/.test(r))
    .map((r) => r.split('|')[1]);
  return [...new Set(cells.flatMap((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1])))].sort();
}

const keys = (schema: { properties?: Record<string, unknown> }) =>
  Object.keys(schema.properties ?? {})
    .filter((k) => k !== '$schema')
    .sort();

function pluginOptionKeys(): string[] {
  return Object.keys(pluginOptionsSchema.shape).sort();
}

describe('the package README', () => {
  it('lists every field of image.schema.json, and no other, in the manifest table', () => {
    expect(firstColumnNames(section('## The manifest: `image.json`'))).toEqual(keys(readJson('image.schema.json')));
  });

  it('lists every field a variant takes, and no other', () => {
    const variant = readJson('image.schema.json').properties.variants.additionalProperties;
    expect(firstColumnNames(section('### A variant: `variants.<name>`'))).toEqual(keys(variant));
  });

  it('lists every plugin option, and no other', () => {
    expect(firstColumnNames(section('## Plugin options (`nx.json`)'))).toEqual(pluginOptionKeys());
  });

  const executors: Record<string, { schema: string }> = readJson('executors.json').executors;
  it.each(Object.entries(executors))('lists every option of the executor %s, and no other', (name, { schema }) => {
    expect(firstColumnNames(section(`### \`nx-image-graph:${name}\``))).toEqual(keys(readJson(schema)));
  });

  const generators: Record<string, { schema: string }> = readJson('generators.json').generators;
  it.each(Object.entries(generators))('lists every option of the generator %s, and no other', (name, { schema }) => {
    expect(firstColumnNames(section(`### \`nx g nx-image-graph:${name}\``))).toEqual(keys(readJson(schema)));
  });

  it('has no executor or generator section the package does not have', () => {
    const named = [...README.matchAll(/^### `(?:nx g )?nx-image-graph:([a-z-]+)`$/gm)].map((m) => m[1]).sort();
    expect(named).toEqual([...Object.keys(executors), ...Object.keys(generators)].sort());
  });
});
