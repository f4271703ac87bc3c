import { substitute } from './substitute';

const vars = { REGISTRY: 'ghcr.io', OWNER: 'acme', EMPTY: '', TAG: '1.2' };

describe('substitute', () => {
  it('expands $VAR and ${VAR}', () => {
    expect(substitute('$REGISTRY/${OWNER}/base:$TAG', vars)).toEqual({
      value: 'ghcr.io/acme/base:1.2',
      unresolved: [],
      used: ['REGISTRY', 'OWNER', 'TAG'],
    });
  });

  it('accepts a Map as well as a record', () => {
    expect(
      substitute(
        '${A}-${B}',
        new Map([
          ['A', 'x'],
          ['B', 'y'],
        ]),
      ).value,
    ).toBe('x-y');
  });

  it('expands an unset variable to nothing and lists it as unresolved', () => {
    expect(substitute('acme/base:${VARIANT}', vars)).toEqual({ value: 'acme/base:', unresolved: ['VARIANT'], used: [] });
    expect(substitute('$A$B$A', {})).toEqual({ value: '', unresolved: ['A', 'B'], used: [] });
  });

  it('ends a bare name at the first character that cannot be in a name', () => {
    expect(substitute('$OWNER-tools:$TAG.1', vars).value).toBe('acme-tools:1.2.1');
    expect(substitute('$OWNER_x', vars)).toEqual({ value: '', unresolved: ['OWNER_x'], used: [] });
  });

  it('keeps a $ that starts no name', () => {
    expect(substitute('a$/b$', vars).value).toBe('a$/b$');
  });

  it('${VAR:-default} uses the default when VAR is unset or empty', () => {
    expect(substitute('${MISSING:-latest}', vars)).toEqual({ value: 'latest', unresolved: [], used: [] });
    expect(substitute('${EMPTY:-latest}', vars).value).toBe('latest');
    expect(substitute('${TAG:-latest}', vars).value).toBe('1.2');
  });

  it('${VAR-default} uses the default only when VAR is unset (empty counts as set)', () => {
    expect(substitute('${MISSING-latest}', vars).value).toBe('latest');
    expect(substitute('${EMPTY-latest}', vars).value).toBe('');
  });

  it('${VAR:+alt} gives alt when VAR is set and not empty', () => {
    expect(substitute('base${TAG:+-$TAG}', vars).value).toBe('base-1.2');
    expect(substitute('base${EMPTY:+-x}', vars).value).toBe('base');
    expect(substitute('base${MISSING:+-x}', vars)).toEqual({ value: 'base', unresolved: [], used: [] });
  });

  it('${VAR+alt} gives alt when VAR is set, even to empty', () => {
    expect(substitute('${EMPTY+set}', vars).value).toBe('set');
    expect(substitute('${MISSING+set}', vars).value).toBe('');
  });

  it('expands nested values inside the default word', () => {
    expect(substitute('${MISSING:-${REGISTRY}/${OWNER:-nobody}}/base', vars)).toEqual({
      value: 'ghcr.io/acme/base',
      unresolved: [],
      used: ['REGISTRY', 'OWNER'],
    });
  });

  it('counts only the branch taken as a dependency', () => {
    expect(substitute('${TAG:-$NOPE}', vars)).toEqual({ value: '1.2', unresolved: [], used: ['TAG'] });
    expect(substitute('${MISSING:-$NOPE}', vars)).toEqual({ value: '', unresolved: ['NOPE'], used: [] });
  });

  it('${VAR:?message} is uncertain when VAR is unset (Docker would stop the build)', () => {
    expect(substitute('${TAG:?set TAG}', vars).value).toBe('1.2');
    expect(substitute('${MISSING:?set it}', vars)).toEqual({ value: '', unresolved: ['MISSING'], used: [] });
  });

  it('removes prefixes and suffixes with # ## % %%', () => {
    const v = { V: 'v1.22.3-alpine' };
    expect(substitute('${V#v}', v).value).toBe('1.22.3-alpine');
    expect(substitute('${V#*.}', v).value).toBe('22.3-alpine');
    expect(substitute('${V##*.}', v).value).toBe('3-alpine');
    expect(substitute('${V%-*}', v).value).toBe('v1.22.3');
    expect(substitute('${V%%.*}', v).value).toBe('v1');
  });

  it('replaces with / and //', () => {
    expect(substitute('${V/./-}', { V: '1.2.3' }).value).toBe('1-2.3');
    expect(substitute('${V//./-}', { V: '1.2.3' }).value).toBe('1-2-3');
  });

  it('treats the escape char before $ as a literal $', () => {
    expect(substitute('\\$TAG-${TAG}', vars)).toEqual({ value: '$TAG-1.2', unresolved: [], used: ['TAG'] });
  });

  it('honours another escape char (# escape=`)', () => {
    expect(substitute('`$TAG-$TAG', vars, '`').value).toBe('$TAG-1.2');
    // With ` as the escape char a backslash is an ordinary character (Windows paths).
    expect(substitute('C:\\app\\$OWNER', vars, '`').value).toBe('C:\\app\\acme');
  });

  it('removes quotes and escapes like Docker: single quotes are literal, double quotes expand', () => {
    expect(substitute('"acme"', vars).value).toBe('acme');
    expect(substitute("'$TAG'", vars)).toEqual({ value: '$TAG', unresolved: [], used: [] });
    expect(substitute('"$OWNER base"', vars).value).toBe('acme base');
    expect(substitute('"a\\"b\\c"', vars).value).toBe('a"b\\c');
    expect(substitute('a\\ b\\\\c', vars).value).toBe('a b\\c');
  });

  it('lists unknown variables as unresolved even when a default covers them', () => {
    const unknown = new Set(['TARGETARCH']);
    expect(substitute('tools:${TARGETARCH:-amd64}', {}, '\\', { unknown })).toEqual({
      value: 'tools:amd64',
      unresolved: ['TARGETARCH'],
      used: [],
    });
    expect(substitute('tools:$TARGETARCH', { TARGETARCH: 'arm64' }, '\\', { unknown })).toEqual({
      value: 'tools:',
      unresolved: ['TARGETARCH'],
      used: [],
    });
  });

  it('returns the text unchanged with an error for syntax Docker rejects, never throwing', () => {
    expect(substitute('${OWNER', vars)).toEqual({ value: '${OWNER', unresolved: [], used: ['OWNER'], error: "missing '}'" });
    expect(substitute('${}', vars).error).toBe('bad substitution');
    expect(substitute('${:-x}', vars).error).toBe('bad substitution');
    expect(substitute('${OWNER:=x}', vars).error).toBe('unsupported modifier (=) in substitution');
    expect(substitute("'open", vars).error).toBe('unterminated single quote');
    expect(substitute('"open', vars).error).toBe('unterminated double quote');
  });

  it('leaves text without variables alone', () => {
    expect(substitute('alpine:3.20', {})).toEqual({ value: 'alpine:3.20', unresolved: [], used: [] });
    expect(substitute('', {})).toEqual({ value: '', unresolved: [], used: [] });
  });
});
