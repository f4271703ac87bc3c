import { joinPathFragments, logger, readNxJson, readProjectConfiguration, TargetConfiguration, Tree, updateNxJson } from '@nx/devkit';
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { nxTargetDefaultsReader } from '../../core/nx/nx-helpers';
import { resolveOutputs } from '../../inference/workspace/declared-outputs';
import { literalPrefix } from '../../inference/workspace/copy-producers';
import type { ImageManifest } from '../../inference/manifest/schema';
import { schemaPath, writeManifestFile } from '../shared/manifest-file';
import { isImageGraphPlugin } from '../shared/plugin-registrations';
import type { ImageGeneratorSchema } from './schema';

/** The bases an app's image gets unless `--parent` says otherwise. */
export const APP_BASES = { node: 'node:22-slim', static: 'busybox:1.36' } as const;

type Runtime = keyof typeof APP_BASES;

/**
 * `nx g nx-image-graph:image --project=api`: an image of an app the workspace already builds, in the
 * app's own folder (so its targets join the app's project). The Dockerfile copies the build's output,
 * the target that writes it is found from its declared outputs (the plugin makes it the build's
 * dependency), and a target no project file declares (another plugin's) is named in "dependsOn".
 */
export function appImage(
  tree: Tree,
  schema: ImageGeneratorSchema,
  inferredTarget?: TargetConfiguration,
): { directory: string; dockerfile: string; manifest: ImageManifest } {
  const project = readProjectConfiguration(tree, schema.project!);
  const root = project.root;
  const targetName = schema.buildTarget ?? 'build';
  const declared = project.targets?.[targetName];
  const target = declared ?? inferredTarget;
  if (!target) {
    throw new Error(
      `${schema.project} has no target "${targetName}" that builds it; pass --buildTarget=<the target that writes its build output>.`,
    );
  }
  // nx.json's targetDefaults say where many teams' builds write (`{workspaceRoot}/dist/{projectRoot}`).
  const defaults = readTargetDefaults(
    tree,
    targetName,
    target.executor ?? (target.command || target.options?.command ? 'nx:run-commands' : undefined),
    schema.project!,
    root,
  );
  const options = { ...defaults?.options, ...target.options };
  const outputs = resolveOutputs(target.outputs ?? defaults?.outputs, targetName, { name: schema.project!, root }, options)
    .map(literalPrefix)
    .filter((o) => o !== '' && o !== '.');
  const output = outputs[0];
  if (!output)
    throw new Error(
      `${schema.project}:${targetName} declares no outputs, so its image would not know what to copy; give the target "outputs".`,
    );
  for (const file of ['Dockerfile', 'image.json']) {
    if (tree.exists(joinPathFragments(root, file)))
      throw new Error(`${joinPathFragments(root, file)} already exists; the app has an image.`);
  }

  const runtime: Runtime = schema.runtime ?? (isStaticSite(tree, root, options) ? 'static' : 'node');
  const parent = schema.parent?.trim() || APP_BASES[runtime];
  const contextFromRoot = posix.relative(root, '.') || '.';
  const dockerfile =
    runtime === 'static'
      ? staticDockerfile(schema.project!, output, parent)
      : nodeDockerfile(schema.project!, output, parent, mainFile(target.executor, options, root), !!options.generatePackageJson);
  const manifest: ImageManifest = {
    $schema: schemaPath(root),
    repository: (schema.repository?.trim() || schema.project!).toLowerCase(),
    context: contextFromRoot,
    // The plugin finds a target project.json or package.json declares; one another plugin infers, it is told.
    ...(declared ? {} : { dependsOn: [`${schema.project}:${targetName}`] }),
  };
  tree.write(joinPathFragments(root, 'Dockerfile'), dockerfile);
  writeManifestFile(tree, joinPathFragments(root, 'image.json'), manifest);
  includeRoot(tree, root);
  logger.info(`${schema.project}: an image of ${output} (written by ${schema.project}:${targetName}) on ${parent}`);
  logger.info(`Build it with: nx run ${schema.project}:docker-build`);
  return { directory: root, dockerfile, manifest };
}

/** A web app builds to HTML: an index.html in its sources, or a bundler of web apps. */
function isStaticSite(tree: Tree, root: string, options: Record<string, unknown>): boolean {
  if (typeof options.index === 'string') return true;
  return ['index.html', 'src/index.html', 'public/index.html'].some((f) => tree.exists(joinPathFragments(root, f)));
}

/**
 * The file node runs, inside the output: tsc and swc keep the sources' layout below the project's
 * root (`src/main.ts` -> `src/main.js`); bundlers write `main.js` at the top.
 */
function mainFile(executor: string | undefined, options: Record<string, unknown>, root: string): string {
  const main = typeof options.main === 'string' ? options.main : undefined;
  if (main && /^@nx\/js:(tsc|swc)$/.test(executor ?? '')) return posix.relative(root, main).replace(/\.[cm]?tsx?$/, '.js');
  return main ? posix.basename(main).replace(/\.[cm]?tsx?$/, '.js') : 'main.js';
}

function nodeDockerfile(project: string, output: string, parent: string, main: string, packageJson: boolean): string {
  const deps = packageJson
    ? `# Production dependencies first, from the package.json and lock file the build writes
# (generatePackageJson), so a code change does not reinstall them.
COPY ${output}/package*.json ./
RUN npm ci --omit=dev

`
    : '';
  return `# ${project}'s image: its build output (${output}) on ${parent}.
# nx-image-graph builds it after ${project}'s build and hashes what it copies of its output:
# a change to the app (or a library it uses) rebuilds this image, nothing else does.
FROM ${parent}
ENV NODE_ENV=production
WORKDIR /app

${deps}COPY ${output} ./
CMD ["node", "${main}"]
`;
}

function staticDockerfile(project: string, output: string, parent: string): string {
  return `# ${project}'s image: its built site (${output}) served by busybox httpd on ${parent}.
# nx-image-graph builds it after ${project}'s build and hashes what it copies of its output.
FROM ${parent}
COPY ${output} /www
EXPOSE 80
CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]
`;
}

function readTargetDefaults(tree: Tree, target: string, executor: string | undefined, name: string, root: string) {
  const targetDefaults = readNxJson(tree)?.targetDefaults;
  if (!targetDefaults || Object.keys(targetDefaults).length === 0) return null;
  return nxTargetDefaultsReader()(target, targetDefaults, executor, {
    projectName: name,
    projectNode: { name, type: 'app', data: { root, name } },
  });
}

/** The plugin must read the app's folder: a registration with an include that misses it gets the folder added. */
function includeRoot(tree: Tree, root: string): void {
  const nxJson = readNxJson(tree);
  const plugins = nxJson?.plugins ?? [];
  const at = plugins.findIndex(isImageGraphPlugin);
  const entry = plugins[at];
  if (!nxJson || at < 0 || typeof entry === 'string' || !entry.include?.length) return;
  const glob = `${root}/**`;
  if (picomatch(entry.include)(`${root}/Dockerfile`)) return;
  plugins[at] = { ...entry, include: [...entry.include, glob] };
  updateNxJson(tree, nxJson);
  logger.info(`nx.json: added "${glob}" to nx-image-graph's include, so the plugin reads the app's image`);
}
