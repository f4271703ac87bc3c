import type Docker from 'dockerode';
import { imageByLabel } from './images-by-label';

describe('imageByLabel: one request for the image of some inputs', () => {
  const engine = (images: { Id: string; Created: number; RepoTags?: string[] }[]) => {
    const asked: unknown[] = [];
    const docker = { listImages: async (opts: unknown) => (asked.push(opts), images) } as unknown as Docker;
    return { docker, asked };
  };

  it('asks the engine with a label filter and gives undefined when no image has it', async () => {
    const { docker, asked } = engine([]);
    expect(await imageByLabel(docker, 'k', 'v', [])).toBeUndefined();
    expect(asked).toEqual([{ filters: '{"label":["k=v"]}' }]);
  });

  it('keeps the image that already has one of the build\'s tags, else takes the newest', async () => {
    const images = [
      { Id: 'old', Created: 1, RepoTags: ['acme/app:latest'] },
      { Id: 'new', Created: 2, RepoTags: ['<none>:<none>'] },
    ];
    expect(await imageByLabel(engine(images).docker, 'k', 'v', ['acme/app:latest'])).toBe('old');
    expect(await imageByLabel(engine(images).docker, 'k', 'v', ['acme/app:other'])).toBe('new');
  });
});
