import { posix } from 'node:path';
import { parseImageReference } from '../dockerfile';
import type { GraphProblem } from './graph-problem';

/**
 * A default project name comes from the directory's path, with every character a name cannot hold
 * made a dash: a directory named with non-ASCII letters (`bücher`) loses them, and may give a name
 * or repository that is no name at all (`-n-`), which the build would end on with "invalid reference
 * format". Said at graph time, with the manifest fields that set them.
 */
const PROJECT_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export interface Identity {
  root: string;
  configFile: string;
  declaredName?: string;
  repository?: string;
}

export function identityProblems(images: Identity[], names: Map<string, string>): { problems: GraphProblem[]; warnings: GraphProblem[] } {
  const problems: GraphProblem[] = [];
  const warnings: GraphProblem[] = [];
  for (const image of images) {
    const name = names.get(image.root)!;
    const repository = image.repository ?? name.toLowerCase();
    const nameOk = image.declaredName !== undefined || PROJECT_NAME.test(name);
    const repositoryOk = image.repository !== undefined || parseImageReference(`${repository}:latest`) !== undefined;
    const foreign = image.declaredName === undefined ? image.root.split('/').find((s) => /[^\x20-\x7e]/.test(s)) : undefined;
    const manifest = image.configFile.endsWith('.json') ? image.configFile : posix.join(image.root, 'image.json');
    const example = JSON.stringify(suggestion(foreign ?? posix.basename(image.root)));
    const set = `give the image its own in ${manifest}, e.g. { "name": ${example}, "repository": ${example} }`;
    if (foreign && (!nameOk || !repositoryOk)) {
      problems.push({
        file: image.configFile,
        roots: [image.root],
        message: `${image.root}: the directory name "${foreign}" holds letters a project name or image repository cannot hold (only ASCII letters, digits, ".", "_" and "-"), so its ${nameOk ? 'repository' : 'project name'} would be "${nameOk ? repository : name}", which is not valid; ${set}`,
      });
    } else if (!nameOk || !repositoryOk) {
      problems.push({
        file: image.configFile,
        roots: [image.root],
        message: `${image.configFile}: the image's ${nameOk ? `repository would be "${repository}" (its project name, lower-cased)` : `project name would be "${name}"`}, which is not valid; ${set}`,
      });
    } else if (foreign) {
      warnings.push({
        file: image.configFile,
        roots: [],
        message: `${image.root}: the directory name "${foreign}" holds letters a project name cannot hold (only ASCII letters, digits, ".", "_" and "-"), so the image is named "${name}"; to choose its name, ${set}`,
      });
    }
  }
  return { problems, warnings };
}

/** The name without its accents, for the example: `bücher` -> `bucher`. */
function suggestion(directory: string): string {
  const ascii = directory
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return ascii || 'image';
}
