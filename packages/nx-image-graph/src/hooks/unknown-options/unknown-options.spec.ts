import { schemaProperties, unknownOptionsError } from './unknown-options';

describe('unknown executor options', () => {
  it('reads the names from the executor schema', () => {
    expect(schemaProperties('build')).toEqual(expect.arrayContaining(['buildArg', 'noCache', 'metadataFile']));
  });
  it('accepts what the schema has, and Nx-converted camelCase', () => {
    expect(unknownOptionsError('build', { buildArg: ['A=1'], noCache: true })).toBeUndefined();
    expect(unknownOptionsError('push', { retries: 4, _: [] })).toBeUndefined();
  });
  it('names a typo and the closest valid option, as the user typed them', () => {
    expect(unknownOptionsError('build', { 'build-args': 'A=1' })).toMatch(/unknown option --build-args: did you mean --build-arg\?/);
    expect(unknownOptionsError('push', { retry: 2 })).toMatch(/unknown option --retry: did you mean --retries\?/);
  });
  it('lists the valid options when nothing is close', () => {
    const message = unknownOptionsError('materialize', { zebra: 1 })!;
    expect(message).toMatch(/unknown option --zebra\./);
    expect(message).toMatch(/Its options: .*--metadata-file/);
  });
  it('refuses positional arguments', () => {
    expect(unknownOptionsError('validate', { _: ['foo', 'bar'] })).toMatch(/unexpected arguments "foo" "bar"/);
  });
});
