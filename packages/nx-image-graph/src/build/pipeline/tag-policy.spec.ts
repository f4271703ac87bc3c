import { tagPolicy } from './tag-policy';

describe('tagPolicy: command-line overrides do not move configured tags', () => {
  it('keeps the configured tags when nothing that changes the image was given', () => {
    expect(tagPolicy(['cpu', 'latest'], [], '123')).toEqual({ tags: ['cpu', 'latest'] });
    expect(tagPolicy(['cpu'], ['noCache', 'pull'], '123')).toEqual({ tags: ['cpu'] });
  });

  it('tags only nx-<hash> for a build with other args, and says so', () => {
    expect(tagPolicy(['cpu'], ['buildArg'], '123')).toEqual({
      tags: ['nx-123'],
      note: "built with --build-arg given on the command line: recorded under this run's hash and tagged nx-123; the configured tags (cpu) were not moved. Pass --tags to tag it",
    });
  });

  it('keeps the configured tags for a build given only credentials (--secret, --ssh), as docker keeps them out of the image', () => {
    expect(tagPolicy(['latest'], ['secret'], '123')).toEqual({ tags: ['latest'] });
    expect(tagPolicy(['latest'], ['ssh', 'secret', 'noCache'], '123')).toEqual({ tags: ['latest'] });
    // With a build arg too, it is another image: the note names only what made it so.
    expect(tagPolicy(['latest'], ['secret', 'buildArg'], '123').note).toMatch(/^built with --build-arg given on the command line/);
  });

  it('moves tags where --tags says', () => {
    expect(tagPolicy(['rc1'], ['buildArg', 'tags'], '123')).toEqual({ tags: ['rc1'] });
  });
});
