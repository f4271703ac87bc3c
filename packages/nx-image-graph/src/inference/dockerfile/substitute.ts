/**
 * Dockerfile variable expansion, written after BuildKit's shell lexer (frontend/dockerfile/shell/lex.go)
 * so that we expand with OUR variables (a manifest's build args), not whatever a parser guesses.
 *
 * Like BuildKit's ProcessWord it also removes quotes and escapes: `ARG OWNER="acme"` has the value `acme`.
 * It never throws: a syntax error Docker would refuse is returned in `error`, with the text left as written.
 */

/** A map, a record, or anything with `get` (looked up name by name, never copied). */
export type Variables = { get(name: string): string | undefined } | Readonly<Record<string, string>>;

export interface SubstituteOptions {
  /**
   * Names that have a value we cannot know here (BuildKit's automatic platform args, TARGETARCH...).
   * They expand as if unset but are always listed in `unresolved`, even under `${X:-default}`.
   */
  unknown?: { has(name: string): boolean };
}

export interface SubstituteResult {
  value: string;
  /** Variables the result depended on that had no value (or an unknowable one), in order of first use. */
  unresolved: string[];
  /** Variables that were read and had a value (callers use it to carry uncertainty through nested ARGs). */
  used: string[];
  /** Set when Docker would reject the text (unterminated quote, `${`, bad modifier); `value` is then the input. */
  error?: string;
}

class SubstitutionError extends Error {}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

export function substitute(text: string, vars: Variables, escapeChar = '\\', options: SubstituteOptions = {}): SubstituteResult {
  const lexer = new Lexer(text, vars, escapeChar, options.unknown ?? new Set());
  try {
    const value = lexer.word();
    return { value, unresolved: [...lexer.unresolved], used: [...lexer.used] };
  } catch (e) {
    if (!(e instanceof SubstitutionError)) throw e;
    return { value: text, unresolved: [...lexer.unresolved], used: [...lexer.used], error: e.message };
  }
}

class Lexer {
  private pos = 0;
  readonly unresolved = new Set<string>();
  readonly used = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly vars: Variables,
    private readonly escape: string,
    private readonly unknown: { has(name: string): boolean },
  ) {}

  word(): string {
    return this.until(undefined);
  }

  private peek(): string | undefined {
    return this.pos < this.text.length ? this.text[this.pos] : undefined;
  }

  private next(): string | undefined {
    return this.pos < this.text.length ? this.text[this.pos++] : undefined;
  }

  /** Reads up to `stop` (consumed) or the end; quotes, escapes and `$` are processed on the way. */
  private until(stop: string | undefined): string {
    let out = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stop !== undefined && ch === stop) {
        this.pos++;
        return out;
      }
      if (ch === "'") out += this.singleQuoted();
      else if (ch === '"') out += this.doubleQuoted();
      else if (ch === '$') out += this.dollar();
      else {
        this.pos++;
        if (ch === this.escape) {
          // The escape char makes the next char literal; a trailing one is dropped (as BuildKit does).
          const escaped = this.next();
          if (escaped === undefined) break;
          out += escaped;
        } else {
          out += ch;
        }
      }
    }
    if (stop !== undefined) throw new SubstitutionError(`missing '${stop}'`);
    return out;
  }

  private singleQuoted(): string {
    this.pos++;
    const end = this.text.indexOf("'", this.pos);
    if (end < 0) throw new SubstitutionError('unterminated single quote');
    const out = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return out;
  }

  private doubleQuoted(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new SubstitutionError('unterminated double quote');
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '$') {
        out += this.dollar();
        continue;
      }
      this.pos++;
      // Inside double quotes only `"`, `$` and the escape char itself can be escaped; other escapes stay.
      if (ch === this.escape) {
        const escaped = this.peek();
        if (escaped === undefined) continue;
        if (escaped === '"' || escaped === '$' || escaped === this.escape) {
          this.pos++;
          out += escaped;
          continue;
        }
      }
      out += ch;
    }
  }

  private name(): string {
    const start = this.pos;
    const first = this.peek();
    if (first === undefined) return '';
    if (/[0-9]/.test(first)) {
      while (this.peek() !== undefined && /[0-9]/.test(this.peek()!)) this.pos++;
      return this.text.slice(start, this.pos);
    }
    if (SPECIAL_PARAMS.has(first)) {
      this.pos++;
      return first;
    }
    while (this.peek() !== undefined && /[\p{L}\p{N}_]/u.test(this.peek()!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** The value of `name`, or undefined when unset; records what the result depended on. */
  private lookup(name: string): string | undefined {
    if (this.unknown.has(name)) return undefined;
    const vars = this.vars as { get?: unknown };
    const value =
      typeof vars.get === 'function'
        ? (this.vars as { get(name: string): string | undefined }).get(name)
        : Object.prototype.hasOwnProperty.call(this.vars, name)
          ? (this.vars as Record<string, string>)[name]
          : undefined;
    if (value !== undefined) this.used.add(name);
    return value;
  }

  /** An unset variable that changes the result: the caller cannot be sure of it. */
  private missing(name: string): void {
    this.unresolved.add(name);
  }

  /** Unknown values are uncertain even when a modifier supplies a fallback. */
  private noteUnknown(name: string): void {
    if (this.unknown.has(name)) this.unresolved.add(name);
  }

  private dollar(): string {
    this.pos++; // '$'
    if (this.peek() !== '{') {
      const name = this.name();
      if (name === '') return '$';
      const value = this.lookup(name);
      if (value === undefined) this.missing(name);
      return value ?? '';
    }
    this.pos++; // '{'
    const first = this.peek();
    if (first === undefined) throw new SubstitutionError("missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new SubstitutionError('bad substitution');
    const name = this.name();
    if (name === '') throw new SubstitutionError('bad substitution');
    const op = this.next();
    const value = this.lookup(name);
    switch (op) {
      case '}':
        if (value === undefined) this.missing(name);
        return value ?? '';
      case ':': {
        // `:` makes empty count as unset.
        const modifier = this.next();
        if (modifier !== '-' && modifier !== '+' && modifier !== '?')
          throw new SubstitutionError(`unsupported modifier (${modifier ?? 'end of text'}) in substitution`);
        return this.modify(name, value, modifier, value === undefined || value === '');
      }
      case '-':
      case '+':
      case '?': {
        return this.modify(name, value, op, value === undefined);
      }
      case '#':
      case '%': {
        const longest = this.peek() === op;
        if (longest) this.pos++;
        const pattern = this.until('}');
        if (value === undefined) this.missing(name);
        return trimPattern(value ?? '', pattern, op === '#' ? 'prefix' : 'suffix', longest);
      }
      case '/': {
        const all = this.peek() === '/';
        if (all) this.pos++;
        const pattern = this.untilAny(['/', '}']);
        const replacement = this.text[this.pos - 1] === '/' ? this.until('}') : '';
        if (value === undefined) this.missing(name);
        return replacePattern(value ?? '', pattern, replacement, all);
      }
      case undefined:
        throw new SubstitutionError("missing '}'");
      default:
        throw new SubstitutionError(`missing ':' in substitution of ${name}`);
    }
  }

  private modify(name: string, value: string | undefined, modifier: '-' | '+' | '?', unset: boolean): string {
    this.noteUnknown(name);
    // The word is always read (Docker checks its syntax) but only the branch taken counts as a dependency.
    const wordUsed = modifier === '-' ? unset : modifier === '+' ? !unset : false;
    const word = this.tracked(wordUsed, () => this.until('}'));
    if (modifier === '-') return unset ? word : value!;
    if (modifier === '+') return unset ? '' : word;
    // `${X:?message}`: Docker stops the build when X is unset; here that is an uncertain empty value.
    if (unset) this.missing(name);
    return unset ? '' : value!;
  }

  /** Runs `read`, keeping what it recorded in unresolved/used only when `keep`. */
  private tracked(keep: boolean, read: () => string): string {
    if (keep) return read();
    const unresolved = new Set(this.unresolved);
    const used = new Set(this.used);
    const out = read();
    this.unresolved.clear();
    this.used.clear();
    unresolved.forEach((n) => this.unresolved.add(n));
    used.forEach((n) => this.used.add(n));
    return out;
  }

  /** Like until(), but stops at any of `stops` (consumed). */
  private untilAny(stops: string[]): string {
    let out = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stops.includes(ch)) {
        this.pos++;
        return out;
      }
      if (ch === '$') out += this.dollar();
      else {
        this.pos++;
        if (ch === this.escape && this.peek() !== undefined) out += this.next();
        else out += ch;
      }
    }
    throw new SubstitutionError(`missing '}'`);
  }
}

/** A shell glob (`*`, `?`, `[...]`) as a regular-expression source. */
function globSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        out += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

function trimPattern(value: string, pattern: string, side: 'prefix' | 'suffix', longest: boolean): string {
  const re = new RegExp(`^${globSource(pattern)}$`);
  const cuts = [...Array(value.length + 1).keys()];
  if (side === 'prefix') {
    for (const i of longest ? cuts.reverse() : cuts) if (re.test(value.slice(0, i))) return value.slice(i);
  } else {
    for (const i of longest ? cuts : cuts.reverse()) if (re.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

function replacePattern(value: string, pattern: string, replacement: string, all: boolean): string {
  if (pattern === '') return value;
  const re = new RegExp(globSource(pattern), all ? 'g' : '');
  return value.replace(re, () => replacement);
}
