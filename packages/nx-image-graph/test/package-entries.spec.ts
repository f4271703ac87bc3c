import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What Nx and npm load from the package by path (executors.json, generators.json, migrations.json,
 * the bin commands, the release version actions, package.json's main) names a source file that
 * exists: a file moved without them would pass every unit test and fail only in a user's workspace.
 */
const PACKAGE = join(__dirname, '..');
const sourceOf = (distPath: string) =>
  join(
    PACKAGE,
    distPath
      .replace(/^\.\//, '')
      .replace(/^dist\//, 'src/')
      .replace(/\.js$/, '') + '.ts',
  );
const json = (file: string) => JSON.parse(readFileSync(join(PACKAGE, file), 'utf8'));

function declaredPaths(): string[] {
  const paths: string[] = [json('package.json').main];
  for (const [file, key, fields] of [
    ['executors.json', 'executors', ['implementation', 'batchImplementation']],
    ['generators.json', 'generators', ['factory']],
    ['migrations.json', 'generators', ['implementation', 'factory']],
  ] as const) {
    for (const entry of Object.values<Record<string, string>>(json(file)[key] ?? {})) {
      for (const field of fields) if (entry[field]) paths.push(entry[field]);
    }
  }
  // `require('../dist/...')` in the package's own JavaScript entry files.
  for (const dir of ['bin', 'release']) {
    for (const f of readdirSync(join(PACKAGE, dir)).filter((f) => f.endsWith('.js'))) {
      for (const m of readFileSync(join(PACKAGE, dir, f), 'utf8').matchAll(/require\('\.\.\/(dist\/[^']+)'\)/g)) paths.push(m[1]);
    }
  }
  return paths;
}

describe("the package's entry files", () => {
  it('name only modules that exist in the sources', () => {
    const paths = declaredPaths();
    expect(paths.length).toBeGreaterThan(15);
    expect(paths.filter((p) => !existsSync(sourceOf(p)))).toEqual([]);
  });

  it('name schemas that exist', () => {
    const schemas = [
      ...Object.values<Record<string, string>>(json('executors.json').executors),
      ...Object.values<Record<string, string>>(json('generators.json').generators),
    ].map((e) => e.schema);
    expect(schemas.filter((s) => !existsSync(join(PACKAGE, s)))).toEqual([]);
  });
});
