import { versionTags } from './version-tags';

describe('promotion tags', () => {
  const ctx = { projectName: 'app', git: { sha: 'a'.repeat(40), shortSha: 'abcdef123456' }, date: new Date('2026-03-04T10:00:00Z') };
  it('takes --tag values, repeatable', () => {
    expect(versionTags({ tag: ['1.2.0', '1.2'] }, ctx)).toEqual(['1.2.0', '1.2']);
    expect(versionTags({ tag: '1.2.0' }, ctx)).toEqual(['1.2.0']);
  });
  it('expands a scheme: calver, semver from --version, the git sha', () => {
    expect(versionTags({ scheme: ['{date:YYYY.MM.DD}', '{git.shortSha}'] }, ctx)).toEqual(['2026.03.04', 'abcdef123456']);
    expect(versionTags({ releaseVersion: '2.0.1' }, ctx)).toEqual(['2.0.1']);
    expect(versionTags({ releaseVersion: '2.0.1-rc.1', scheme: 'v{version}' }, ctx)).toEqual(['v2.0.1-rc.1']);
  });
  it('refuses what would be wrong', () => {
    expect(() => versionTags({}, ctx)).toThrow(/no version to promote to: pass --tag=1\.2\.0/);
    expect(() => versionTags({ releaseVersion: '1.2' }, ctx)).toThrow(/not a semantic version/);
    expect(() => versionTags({ scheme: '{version}' }, ctx)).toThrow(/uses \{version\}: pass --release-version/);
    expect(() => versionTags({ tag: '1.2.0+build' }, ctx)).toThrow(/not a valid tag/);
  });
  it('makes variants name themselves, so they do not overwrite each other', () => {
    const cpu = { ...ctx, variant: 'cpu', variants: ['cpu', 'cuda'] };
    expect(() => versionTags({ tag: '1.2.0' }, cpu)).toThrow(/same for every variant \(cpu, cuda\).*"1\.2\.0-\{variant\}"/);
    expect(versionTags({ tag: '1.2.0-{variant}' }, cpu)).toEqual(['1.2.0-cpu']);
  });
});
