import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import leven from 'leven';

/**
 * Refuses options an executor's schema does not have, so a typo (`--build-args`) fails instead of
 * being silently ignored.
 *
 * What Nx passes (checked with the real nx 24 CLI): a command-line option the schema knows arrives
 * camelCased (`--build-arg` -> `buildArg`); one it does not know arrives as typed (`build-args`,
 * `dry-run`); positional words arrive in `_`; Nx's own flags (`--verbose`, `--skip-nx-cache`,
 * `--parallel`, `--configuration`, `--output-style`) never reach the executor.
 */
export function unknownOptionsError(executor: string, options: object): string | undefined {
  const known = schemaProperties(executor);
  const given = options as Record<string, unknown>;
  const problems: string[] = [];
  const positional = Array.isArray(given._) ? given._.map(String) : [];
  if (positional.length)
    problems.push(
      `unexpected argument${positional.length > 1 ? 's' : ''} ${positional.map((p) => `"${p}"`).join(' ')} (options are given as --name=value)`,
    );
  for (const key of Object.keys(given)) {
    if (key === '_' || known.includes(key)) continue;
    const flag = `--${kebab(key)}`;
    const near = closest(kebab(key), known.map(kebab));
    problems.push(`unknown option ${flag}${near ? `: did you mean --${near}?` : ''}`);
  }
  if (!problems.length) return undefined;
  return `nx-image-graph:${executor}: ${problems.join('; ')}. Its options: ${known.map((k) => `--${kebab(k)}`).join(', ')}.`;
}

export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The nearest valid name, when it is near enough to be the one meant. */
function closest(name: string, candidates: string[]): string | undefined {
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = leven(name, c);
    if (!best || d < best.d) best = { c, d };
  }
  if (best && best.d <= Math.max(2, Math.ceil(name.length / 2))) return best.c;
  return candidates.find((c) => c.startsWith(name) || name.startsWith(c));
}

const cache = new Map<string, Record<string, SchemaProperty>>();

/** The property names of an executor's schema.json, found through the package's executors.json. */
export function schemaProperties(executor: string): string[] {
  return Object.keys(schemaPropertyTypes(executor));
}

/** A schema property, as far as reading a command line needs it. */
export interface SchemaProperty {
  type?: string;
  oneOf?: SchemaProperty[];
}

/** The properties of an executor's schema.json, by name. */
export function schemaPropertyTypes(executor: string): Record<string, SchemaProperty> {
  const hit = cache.get(executor);
  if (hit) return hit;
  const root = packageRoot();
  const entry = (JSON.parse(readFileSync(join(root, 'executors.json'), 'utf8')) as { executors: Record<string, { schema: string }> })
    .executors[executor];
  if (!entry) throw new Error(`nx-image-graph has no executor "${executor}" in executors.json`);
  const schema = JSON.parse(readFileSync(join(root, entry.schema), 'utf8')) as { properties?: Record<string, SchemaProperty> };
  const properties = schema.properties ?? {};
  cache.set(executor, properties);
  return properties;
}

/** The plugin package's root: the nearest directory above this file with executors.json (dist/ and src/ alike). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'executors.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`nx-image-graph: executors.json not found above ${__dirname}`);
  }
}

/** For the top of an executor: prints the error and gives the failed result, or undefined when every option is known. */
export function refuseUnknownOptions(
  executor: string,
  options: object,
  context: { projectName?: string; targetName?: string },
): { success: false } | undefined {
  const error = unknownOptionsError(executor, options);
  if (!error) return undefined;
  process.stderr.write(`\n✖ ${context.projectName ?? ''}:${context.targetName ?? ''}: ${error}\n`);
  return { success: false };
}
