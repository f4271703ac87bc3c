import { DefinitionCache } from './definition-cache';
import type { ImageDirectory } from './discover-images';
import type { ImageDefinition } from './image-definition';
import { readDefinitions } from './read-definitions';

const dir = (root: string): ImageDirectory => ({ root, dockerfiles: [`${root}/Dockerfile`] });
const definition = (root: string, context = root): ImageDefinition => ({
  root,
  configFile: `${root}/Dockerfile`,
  manifest: {},
  inputs: [],
  builds: [{ dockerfile: `${root}/Dockerfile`, context, args: {}, tags: ['latest'], references: [], dockerignore: [], copies: [] }],
});

describe('readDefinitions', () => {
  it('reads a directory again only when the hash of its files changed', async () => {
    const cache = new DefinitionCache();
    const reads: string[] = [];
    const read = (d: ImageDirectory) => (reads.push(d.root), definition(d.root));
    let hashes: Record<string, string> = { 'images/a': 'a1', 'images/b': 'b1' };
    const hashRoots = async (roots: string[]) => roots.map((r) => hashes[r]);
    await readDefinitions([dir('images/a'), dir('images/b')], read, cache, hashRoots);
    await readDefinitions([dir('images/a'), dir('images/b')], read, cache, hashRoots);
    hashes = { 'images/a': 'a2', 'images/b': 'b1' };
    await readDefinitions([dir('images/a'), dir('images/b')], read, cache, hashRoots);
    expect(reads).toEqual(['images/a', 'images/b', 'images/a']);
  });

  it('hashes a context outside the directory too, once the definition says it has one', async () => {
    const cache = new DefinitionCache();
    const calls: string[][][] = [];
    const hashRoots = async (roots: string[], globs: string[][]) => (calls.push(globs), roots.map(() => 'h'));
    await readDefinitions([dir('images/base/cpu')], (d) => definition(d.root, 'images/base'), cache, hashRoots);
    expect(calls).toEqual([[[]], [['images/base/**/*']]]);
    expect(cache.extraGlobs('images/base/cpu')).toEqual(['images/base/**/*']);
  });

  it('reads everything when Nx cannot hash, and keeps a broken directory as its error', async () => {
    const cache = new DefinitionCache();
    const result = await readDefinitions(
      [dir('images/a'), dir('images/bad')],
      (d) => {
        if (d.root === 'images/bad') throw new Error('images/bad/Dockerfile:1: no FROM');
        return definition(d.root);
      },
      cache,
      async () => {
        throw new Error('no workspace context');
      },
    );
    expect(result.get('images/a')).toMatchObject({ root: 'images/a' });
    expect((result.get('images/bad') as Error).message).toContain('no FROM');
  });
});
