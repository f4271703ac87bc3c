import type { ImageCheck } from '../../inference/manifest/schema';
import { outputExcerpt } from './check-result';
import type { PathFinding } from './path-stat';
import type { ContainerOutcome } from './run-container';

type Check<T extends ImageCheck['type']> = Extract<ImageCheck, { type: T }>;

/** Whether the image meets a check, with both sides in words for the report. */
export interface Verdict {
  passed: boolean;
  expected: string;
  actual: string;
  output?: string;
}

/** The image config fields the config checks read (`docker image inspect` .Config). */
export interface ImageConfig {
  Env?: string[] | null;
  User?: string;
  Entrypoint?: string[] | string | null;
}

/**
 * Compiles a pattern from the manifest, or says why it cannot be. Output is matched with the m flag,
 * so ^ and $ anchor at line ends: output is many lines, and "^Python 3" should mean "a line starting".
 */
export function compilePattern(source: string, flags = ''): RegExp | string {
  try {
    return new RegExp(source, flags);
  } catch (e) {
    return `/${source}/ is not a valid regular expression (${(e as Error).message})`;
  }
}

export const OUTPUT_FLAGS = 'm';

export function commandExpectation(check: Check<'command'>): string {
  return `exit code ${check.exitCode ?? 0}${check.outputMatches !== undefined ? ` and output matching /${check.outputMatches}/` : ''}`;
}

/** A pattern that does not compile is a failed check, found before any container is made. */
export function invalidPattern(check: ImageCheck): string | undefined {
  const source = check.type === 'command' ? check.outputMatches : check.type === 'env' ? check.matches : undefined;
  if (source === undefined) return undefined;
  const p = compilePattern(source, check.type === 'command' ? OUTPUT_FLAGS : '');
  return typeof p === 'string' ? p : undefined;
}

export function judgeCommand(check: Check<'command'>, outcome: Exclude<ContainerOutcome, { kind: 'cancelled' }>): Verdict {
  const expected = commandExpectation(check);
  if (outcome.kind === 'not-started') return { passed: false, expected, actual: outcome.message };
  const excerpt = outputExcerpt(outcome.output);
  const cut = outcome.truncated ? ' (long output: only its end was kept and matched)' : '';
  if (outcome.kind === 'timed-out') {
    return { passed: false, expected, actual: `timed out after ${outcome.timeoutSeconds}s (the container was killed)`, output: excerpt };
  }
  const wantCode = check.exitCode ?? 0;
  const codeOk = outcome.exitCode === wantCode;
  let matched: boolean | undefined;
  if (check.outputMatches !== undefined) {
    const pattern = compilePattern(check.outputMatches, OUTPUT_FLAGS);
    if (typeof pattern === 'string') return { passed: false, expected, actual: pattern };
    matched = pattern.test(outcome.output);
  }
  const passed = codeOk && matched !== false;
  const actual = `exit code ${outcome.exitCode}${matched === undefined ? '' : matched ? ', output matches' : ', output does not match'}${cut}`;
  return { passed, expected, actual, ...(passed ? {} : { output: excerpt }) };
}

const KIND_WORDS: Record<string, string> = {
  file: 'a regular file',
  directory: 'a directory',
  fifo: 'a named pipe',
  socket: 'a socket',
  device: 'a device',
  other: 'an irregular file',
};

export function fileExpectation(check: Check<'file'>): string {
  const kind = check.kind ?? 'any';
  return `${kind === 'any' ? 'something' : KIND_WORDS[kind]} at ${check.path}`;
}

export function judgeFile(check: Check<'file'>, finding: PathFinding): Verdict {
  const expected = fileExpectation(check);
  const links = finding.via.map((t) => `a symlink to ${t}`).join(', ');
  if (!finding.found) {
    const actual = finding.loop
      ? `too many levels of symlinks (${links})`
      : links
        ? `${links}, which does not exist`
        : 'nothing (no such file or directory)';
    return { passed: false, expected, actual };
  }
  const kind = check.kind ?? 'any';
  const what = KIND_WORDS[finding.kind];
  return { passed: kind === 'any' || finding.kind === kind, expected, actual: links ? `${links}: ${what}` : what };
}

/** The value of a variable in an image's Env; the last entry wins, as for the engine. */
export function envValue(env: string[] | null | undefined, variable: string): string | undefined {
  let value: string | undefined;
  for (const entry of env ?? []) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (name === variable) value = eq < 0 ? '' : entry.slice(eq + 1);
  }
  return value;
}

export function envExpectation(check: Check<'env'>): string {
  const parts = [
    ...(check.equals !== undefined ? [`${check.variable}=${JSON.stringify(check.equals)}`] : []),
    ...(check.matches !== undefined ? [`${check.variable} matching /${check.matches}/`] : []),
  ];
  return parts.length ? parts.join(' and ') : `${check.variable} set`;
}

export function judgeEnv(check: Check<'env'>, config: ImageConfig): Verdict {
  const expected = envExpectation(check);
  const value = envValue(config.Env, check.variable);
  if (value === undefined) return { passed: false, expected, actual: `${check.variable} not set` };
  let passed = check.equals === undefined || value === check.equals;
  if (check.matches !== undefined) {
    const pattern = compilePattern(check.matches);
    if (typeof pattern === 'string') return { passed: false, expected, actual: pattern };
    passed &&= pattern.test(value);
  }
  return { passed, expected, actual: `${check.variable}=${JSON.stringify(value)}` };
}

/** Ways of writing root: no USER at all (''), the name or uid 0, with or without a group. */
const ROOT = new Set(['', 'root', '0', 'root:root', '0:0', 'root:0', '0:root']);

export function sameUser(expected: string, actual: string): boolean {
  return expected === actual || (ROOT.has(expected) && ROOT.has(actual));
}

export function judgeUser(check: Check<'user'>, config: ImageConfig): Verdict {
  const user = config.User ?? '';
  return {
    passed: sameUser(check.equals, user),
    expected: `user ${JSON.stringify(check.equals)}`,
    actual: user === '' ? 'no USER set (root)' : `user ${JSON.stringify(user)}`,
  };
}

export function judgeEntrypoint(check: Check<'entrypoint'>, config: ImageConfig): Verdict {
  const raw = config.Entrypoint;
  const actual = raw == null ? [] : typeof raw === 'string' ? [raw] : raw;
  const passed = actual.length === check.equals.length && actual.every((a, i) => a === check.equals[i]);
  return {
    passed,
    expected: `entrypoint ${JSON.stringify(check.equals)}`,
    actual: actual.length ? `entrypoint ${JSON.stringify(actual)}` : 'no entrypoint',
  };
}
