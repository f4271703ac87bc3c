import { schemaPropertyTypes } from '../hooks/unknown-options/unknown-options';
import { CommandOptionError, parseCommandOptions } from './command-options';

/** What Nx gave the executor for each command line (checked with nx 24.0.6 and the build schema), which the command must read alike. */
describe('parseCommandOptions: the command line as Nx reads it for the executor', () => {
  const parse = (...argv: string[]) => parseCommandOptions(argv, schemaPropertyTypes('build'));

  it('reads build args in every form Nx forwards, repeated or split at commas', () => {
    expect(parse('--build-arg=A=1', '--build-arg=B=2')).toEqual({ buildArg: ['A=1', 'B=2'] });
    expect(parse('--build-arg', 'A=1')).toEqual({ buildArg: ['A=1'] });
    expect(parse('--buildArg=A=1')).toEqual({ buildArg: ['A=1'] });
    expect(parse('--tags=a,b')).toEqual({ tags: ['a', 'b'] });
    expect(parse('--tags=a', '--tags=b')).toEqual({ tags: ['a', 'b'] });
    // As Nx: split, and regrouped by the secret reader.
    expect(parse('--secret=id=a,env=B')).toEqual({ secret: ['id=a', 'env=B'] });
  });

  it('reads booleans, their negation, numbers and object entries', () => {
    expect(parse('--no-cache')).toEqual({ noCache: true });
    expect(parse('--noCache')).toEqual({ noCache: true });
    expect(parse('--dry-run')).toEqual({ dryRun: true });
    expect(parse('--dryRun=false')).toEqual({ dryRun: false });
    expect(parse('--no-archive')).toEqual({ archive: false });
    expect(parseCommandOptions(['--retries=5'], { retries: { type: 'number' } })).toEqual({ retries: 5 });
    expect(parse('--labels.team=ml', '--labels.tier=1')).toEqual({ labels: { team: 'ml', tier: '1' } });
  });

  it('keeps unknown options as typed and positional words apart, for unknown-options.ts to refuse', () => {
    expect(parse('--build-args=A=1', 'now')).toEqual({ 'build-args': 'A=1', _: ['now'] });
    expect(parse('--zebra')).toEqual({ zebra: true });
  });

  it('names an option given without its value or with a value of the wrong kind', () => {
    expect(() => parse('--target')).toThrow(new CommandOptionError('option --target needs a value (--target=...)'));
    expect(() => parseCommandOptions(['--retries=lots'], { retries: { type: 'number' } })).toThrow(
      'option --retries is a number, not "lots"',
    );
    expect(() => parse('--dry-run=maybe')).toThrow('option --dry-run is true or false, not "maybe"');
  });
});
