import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecretFlag, readSecrets, regroupSecretFlags, secretSources } from './secret-sources';

describe('parseSecretFlag', () => {
  it('reads docker forms: env=, src=, source=, and a bare id', () => {
    expect(parseSecretFlag('id=hf_token,env=HF_TOKEN')).toEqual({ id: 'hf_token', source: { env: 'HF_TOKEN', required: true } });
    expect(parseSecretFlag('id=pipconf,src=~/.config/pip/pip.conf')).toEqual({
      id: 'pipconf',
      source: { file: '~/.config/pip/pip.conf', required: true },
    });
    expect(parseSecretFlag('id=a,source=/x,required=false')).toEqual({ id: 'a', source: { file: '/x', required: false } });
    expect(parseSecretFlag('id=TOK')).toEqual({ id: 'TOK', source: { env: 'TOK', required: true } });
    expect(parseSecretFlag('id=f,type=file')).toEqual({ id: 'f', source: { file: 'f', required: true } });
  });

  it('says what is wrong with a bad flag', () => {
    expect(() => parseSecretFlag('hf_token')).toThrow(/"hf_token" is not key=value; write --secret=id=NAME,env=VAR/);
    expect(() => parseSecretFlag('id=a,value=x')).toThrow(/unknown key "value"/);
    expect(() => parseSecretFlag('env=X')).toThrow(/needs id=NAME/);
    expect(() => parseSecretFlag('id=a,env=X,src=/f')).toThrow(/not both/);
  });
});

describe('readSecrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  writeFileSync(join(dir, 'pip.conf'), '[global]\nindex-url = https://u:p@example.invalid/simple\n');

  it('reads env and files (relative to the workspace, or ~/), the command line winning over the manifest', () => {
    const sources = secretSources({ hf_token: { env: 'HF' }, pipconf: { file: '~/pip.conf' } }, [
      'id=hf_token,env=HF_CLI',
      'id=rel,src=pip.conf',
    ]);
    const values = readSecrets(sources, dir, { HF: 'manifest', HF_CLI: 'from-cli', HOME: dir });
    expect(values.get('hf_token')!.toString()).toBe('from-cli');
    expect(values.get('pipconf')!.toString()).toContain('index-url');
    expect(values.get('rel')!.toString()).toContain('index-url');
  });

  it('fails on an absent required secret, naming it and where it was looked for, never a value', () => {
    expect(() => readSecrets(secretSources({ hf_token: { env: 'HF_TOKEN' } }, undefined), dir, {})).toThrow(
      'secret "hf_token" is required but absent: environment variable HF_TOKEN is not set (from "secrets" in the manifest)',
    );
    expect(() => readSecrets(secretSources(undefined, 'id=pipconf,src=nope/pip.conf'), dir, {})).toThrow(
      /secret "pipconf" is required but absent: file nope\/pip.conf does not exist \(from --secret on the command line\)/,
    );
  });

  it('leaves out an absent optional secret', () => {
    expect(readSecrets(secretSources({ opt: { env: 'NOPE', required: false } }, undefined), dir, {}).size).toBe(0);
  });
});

describe('regroupSecretFlags', () => {
  it('puts back together the fields Nx split at commas', () => {
    expect(regroupSecretFlags(['id=a', 'env=A', 'id=b', 'src=/f', 'required=false'])).toEqual(['id=a,env=A', 'id=b,src=/f,required=false']);
    expect(regroupSecretFlags(['id=a,env=A'])).toEqual(['id=a,env=A']);
  });
});
