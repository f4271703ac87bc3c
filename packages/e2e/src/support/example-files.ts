import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './paths';

/** The example graph of images/, under its own repository owner (`acme/` becomes `<owner>/`), as files for a test workspace. */
export function exampleFiles(owner: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(REPO_ROOT, path)] = readFileSync(path, 'utf8').replace(/\bacme\b/g, owner);
    }
  };
  walk(join(REPO_ROOT, 'images'));
  return files;
}
