import type Docker from 'dockerode';
import { imageByLabel } from './images-by-label';

describe('imageByLabel: one request for the image of some inputs', () => {
  const engine = (images: { Id: string; Created: number; RepoTags?: string[]; Labels?: Record<string, string> }[]) => {
    const asked: unknown[] = [];
    const docker = {
      listImages: async (opts: unknown) => (asked.push(opts), images),
      getImage: (id: string) => ({
        inspect: async () => {
          asked.push(`inspect ${id}`);
          const i = images.find((x) => x.Id === id);
          if (!i) throw new Error('no such image');
          return { Id: i.Id, Config: { Labels: i.Labels ?? {} } };
        },
      }),
    } as unknown as Docker;
    return { docker, asked };
  };

  it('asks the engine with a label filter and gives undefined when no image has it', async () => {
    const { docker, asked } = engine([]);
    expect(await imageByLabel(docker, 'k', 'v', [])).toBeUndefined();
    expect(asked).toEqual([{ filters: '{"label":["k=v"]}' }]);
  });

  it("keeps the image that already has one of the build's tags, else takes the newest", async () => {
    const images = [
      { Id: 'old', Created: 1, RepoTags: ['acme/app:latest'] },
      { Id: 'new', Created: 2, RepoTags: ['<none>:<none>'] },
    ];
    expect(await imageByLabel(engine(images).docker, 'k', 'v', ['acme/app:latest'])).toBe('old');
    expect(await imageByLabel(engine(images).docker, 'k', 'v', ['acme/app:other'])).toBe('new');
  });

  it('asks for a recorded image by id first, and lists only when it does not carry the label', async () => {
    const images = [
      { Id: 'recorded', Created: 1, Labels: { k: 'v' } },
      { Id: 'other', Created: 2, Labels: { k: 'old' } },
    ];
    const hit = engine(images);
    expect(await imageByLabel(hit.docker, 'k', 'v', [], ['recorded'])).toBe('recorded');
    expect(hit.asked).toEqual(['inspect recorded']);
    const miss = engine(images);
    await imageByLabel(miss.docker, 'k', 'v', [], ['other', 'gone']);
    expect(miss.asked).toEqual(['inspect other', 'inspect gone', { filters: '{"label":["k=v"]}' }]);
  });
});
