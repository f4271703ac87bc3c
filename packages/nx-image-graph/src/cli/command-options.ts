import { kebab, type SchemaProperty } from '../hooks/unknown-options/unknown-options';

export class CommandOptionError extends Error {}

/**
 * A target's command line as Nx forwards it to a command (run-commands), read the way Nx reads it
 * for an executor of the same schema, so an option means the same either way: `--build-arg=A=1`,
 * `--build-arg A=1` and `--buildArg=A=1` alike; a value of an option that takes a list split at
 * commas (`--tags=a,b`), repeated options collected; `--no-cache` is `noCache`, `--no-archive` is
 * `archive: false`; `--labels.a=b` an object entry. An option the schema does not have is kept as
 * typed, and positional words in `_`, for unknown-options.ts to refuse with the nearest name.
 */
export function parseCommandOptions(argv: string[], properties: Record<string, SchemaProperty>): Record<string, unknown> {
  const byName = new Map<string, string>();
  for (const name of Object.keys(properties)) byName.set(name, name).set(kebab(name), name);
  const out: Record<string, unknown> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    const [head, ...path] = flag.split('.');
    let name = byName.get(head);
    let negated = false;
    if (!name && head.startsWith('no-') && value === undefined && kinds(properties[byName.get(head.slice(3)) ?? ''])?.includes('boolean')) {
      name = byName.get(head.slice(3));
      negated = true;
    }
    if (!name) {
      out[flag] = value ?? true;
      continue;
    }
    const types = kinds(properties[name]) ?? ['string'];
    if (types.includes('boolean')) {
      if (value === undefined && (argv[i + 1] === 'true' || argv[i + 1] === 'false')) value = argv[++i];
      if (value !== undefined && value !== 'true' && value !== 'false')
        throw new CommandOptionError(`option --${flag} is true or false, not "${value}"`);
      out[name] = negated ? false : value !== 'false';
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--'))
        throw new CommandOptionError(`option --${flag} needs a value (--${flag}=...)`);
      value = argv[++i];
    }
    if (types.includes('object') && path.length) out[name] = { ...(out[name] as object), [path.join('.')]: value };
    else if (types.includes('number')) {
      if (!/^-?\d+(\.\d+)?$/.test(value)) throw new CommandOptionError(`option --${flag} is a number, not "${value}"`);
      out[name] = Number(value);
    } else if (types.includes('array')) out[name] = [...((out[name] as string[] | undefined) ?? []), ...value.split(',')];
    else if (types.includes('object')) throw new CommandOptionError(`option --${flag} takes entries: --${flag}.NAME=value`);
    else out[name] = value;
  }
  if (positional.length) out._ = positional;
  return out;
}

/** The JSON types a property takes (`oneOf` flattened). */
function kinds(p: SchemaProperty | undefined): string[] | undefined {
  if (!p) return undefined;
  if (p.oneOf) return p.oneOf.flatMap((o) => kinds(o) ?? []);
  return p.type ? [p.type] : undefined;
}
