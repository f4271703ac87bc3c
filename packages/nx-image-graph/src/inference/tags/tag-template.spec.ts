import { expandTagTemplate, expandTags, formatDate, TagTemplateError } from './tag-template';

describe('tag templates', () => {
  const git = { sha: 'abcdef1234567890abcdef1234567890abcdef12', shortSha: 'abcdef123456' };

  it("expresses linnaeus' base tag <arch>-cu<cuda>-torch<ver>-fa<ver>", () => {
    const args = { ARCH: 'ampere', CUDA: '126', TORCH: '2.7.1', FA: 'v2' };
    expect(expandTags(['{args.ARCH}-cu{args.CUDA}-torch{args.TORCH}-fa{args.FA}'], { args })).toEqual(['ampere-cu126-torch2.7.1-fav2']);
  });

  it("expresses linnaeus' runtime tag <git_sha>-<arch><suffix>", () => {
    expect(
      expandTags(['{git.shortSha}-{variant}{args.TAG_SUFFIX}'], { git, variant: 'ampere', args: { TAG_SUFFIX: '-myfeature' } }),
    ).toEqual(['abcdef123456-ampere-myfeature']);
  });

  it('fills variant, project name, hash and date', () => {
    const date = new Date(Date.UTC(2026, 10, 3, 9, 5, 7));
    expect(
      expandTags(['{projectName}-{variant}', 'nx-{hash}', '{date:YYYY.MM.DD-HHmmss}', '{date}'], {
        projectName: 'asr',
        variant: 'cpu',
        hash: '123',
        date,
      }),
    ).toEqual(['asr-cpu', 'nx-123', '2026.11.03-090507', '20261103']);
  });

  it('leaves a template unexpanded when a value is not known yet (before a build)', () => {
    expect(expandTagTemplate('{git.shortSha}-{variant}', { variant: 'cpu' })).toBeUndefined();
    expect(expandTagTemplate('{variant}', { variant: 'cpu' })).toBe('cpu');
  });

  it('rejects a tag Docker would refuse, naming template and result', () => {
    expect(() => expandTags(['{args.V}'], { args: { V: 'feat/x' } })).toThrow(
      /template "\{args.V\}" gives "feat\/x", which is not a valid Docker tag/,
    );
    expect(() => expandTags(['-{variant}'], { variant: 'x' })).toThrow(TagTemplateError);
    expect(() => expandTags(['a'.repeat(129)], {})).toThrow(/not a valid Docker tag/);
  });

  it('names an unknown placeholder and lists the known ones', () => {
    expect(() => expandTags(['{branch}'], {})).toThrow(/unknown placeholder \{branch\}; use \{variant\}/);
  });

  it('says which build arg is missing', () => {
    expect(() => expandTags(['{args.ARCH}'], { args: {} })).toThrow(/build arg ARCH is not set/);
  });

  it('drops duplicate tags', () => {
    expect(expandTags(['{variant}', 'cpu'], { variant: 'cpu' })).toEqual(['cpu']);
  });

  it('formats dates in UTC', () => {
    expect(formatDate(new Date(Date.UTC(2026, 0, 2)), 'YYYYMMDD')).toBe('20260102');
  });
});
