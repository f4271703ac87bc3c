import { formatFiles, globAsync, joinPathFragments, logger, Tree } from '@nx/devkit';
import { posix } from 'node:path';
import { contextSources, formatImageReference, parseImageReference, readDockerfile } from '../../inference/dockerfile';
import type { ImageManifest } from '../../inference/manifest/schema';
import { edgesOf } from '../shared/edges';
import { readManifestFile, schemaPath, writeManifestFile } from '../shared/manifest-file';
import { readRegistrations, UNREGISTERED } from '../shared/plugin-registrations';
import { describeImage, scanAllRegistrations, scanWorkspaceImages, WorkspaceImage, WorkspaceImages } from '../shared/workspace-images';
import type { ImportGeneratorSchema } from './schema';
import { IMAGE_MANIFEST, readImageManifestLines } from '../../inference/definitions/legacy-image-manifest';
import { buildReads, ClassifyFile, FileRole } from './build-reads';

export { IMAGE_MANIFEST };

/** A `.image-manifest` line that names another image's Dockerfile: seed 004's way of saying "rebuild me when my parent changes". */
interface ParentLine {
  child: string;
  parent: string;
  line: string;
}

/**
 * `nx g nx-image-graph:import`: seed 004 kept, beside each Dockerfile, a `.image-manifest` listing the
 * files (paths or globs, relative to the repository root) whose change must rebuild the image. Each
 * becomes image.json `inputs`; a line naming another image's Dockerfile becomes a graph edge instead
 * (the plugin rebuilds a child when its parent's image changes, which covers that Dockerfile and more).
 */
export async function importGenerator(tree: Tree, schema: ImportGeneratorSchema = {}): Promise<void> {
  const directory = normalizeDirectory(schema.directory);
  const reg = readRegistrations(tree)[0] ?? UNREGISTERED;
  // Every image directory, whether or not the plugin's include covers it yet (reported at the end).
  const scan = () => scanWorkspaceImages(tree, { ...reg, include: undefined, exclude: undefined });
  const files = (await globAsync(tree, [directory ? `${directory}/**/${IMAGE_MANIFEST}` : `**/${IMAGE_MANIFEST}`])).sort();
  if (files.length === 0) {
    logger.warn(`No ${IMAGE_MANIFEST} files under ${directory || 'the workspace'}; nothing to import.`);
    return;
  }

  let images = await scan();
  const parentLines: ParentLine[] = [];
  const imported: string[] = [];
  const report: string[] = [];
  for (const file of files) {
    const root = posix.dirname(file);
    const image = images.byRoot(root);
    if (!image || image.dockerfiles.length === 0) {
      report.push(`${file}: skipped, no Dockerfile beside it`);
      continue;
    }
    if (image.error) {
      report.push(`${file}: skipped, ${image.manifestFile} cannot be read:\n    ${image.error.replace(/\n/g, '\n    ')}`);
      continue;
    }
    const lines: string[] = [];
    const inputs: string[] = [];
    const manifestFile = image.manifestFile ?? joinPathFragments(root, reg.options.manifest);
    const manifest: ImageManifest = image.manifestFile ? structuredClone(image.manifest) : { $schema: schemaPath(root) };
    const context = await detectContext(tree, image, manifest);
    if (context) manifest.context = context.context;
    // What each file is to the builds (with the context above): a line's files the build cannot read do not become inputs.
    const classify = await buildReads(tree, image, manifest);
    const asInput = (p: string) =>
      p === root || p.startsWith(`${root}/`) || root === '.' ? posix.relative(root, p) || '.' : `{workspaceRoot}/${p}`;
    for (const entry of readImageManifest(tree.read(file, 'utf-8') ?? '')) {
      const path = await resolveEntry(tree, root, entry);
      if (path === undefined) {
        lines.push(`${entry}: skipped, outside the workspace`);
      } else if (path.path === file || path.path === image.manifestFile || image.dockerfiles.includes(path.path)) {
        lines.push(`${entry}: already an input of every build`);
      } else {
        const parent = images.images.find((i) => i.root !== root && i.dockerfiles.includes(path.path));
        if (parent) {
          parentLines.push({ child: root, parent: parent.root, line: entry });
          continue;
        }
        const narrowed = await narrowEntry(tree, path, classify);
        if (narrowed) {
          inputs.push(...narrowed.kept.map(asInput));
          lines.push(`${entry}: ${narrowed.report}`);
          continue;
        }
        const input = asInput(path.path);
        inputs.push(path.isDirectory ? `${input}/**` : input);
        if (!path.matches) lines.push(`${entry}: matches no file yet (kept as an input)`);
      }
    }

    const added = inputs.filter((i) => !(manifest.inputs ?? []).includes(i));
    if (added.length) manifest.inputs = [...new Set([...(manifest.inputs ?? []), ...added])];
    if (context) {
      lines.push(`context "${context.context}": the Dockerfile copies ${context.sources.join(', ')} from the workspace root`);
      const ignore = writeContextIgnore(tree, context.dockerfile, context.sources);
      if (ignore)
        lines.push(`${ignore}: the context is the repository root, so only what the Dockerfile copies is sent (a plain docker build too)`);
    }
    // A manifest holding only $schema says nothing: none is created for an image whose list adds nothing.
    const changed = added.length > 0 || context !== undefined;
    if (changed) writeManifestFile(tree, manifestFile, manifest);
    if (schema.remove) tree.delete(file);
    imported.push(root);
    report.push(
      `${file} -> ${changed ? manifestFile : 'nothing to write'}${added.length ? `: inputs ${added.join(', ')}` : ': no inputs beyond what the plugin already tracks'}${lines.map((l) => `\n    ${l}`).join('')}`,
    );
  }

  for (const l of await linkByRepository(tree, await scan(), imported)) {
    report.push(`${l.file}: "repository": "${l.repository}", the image ${l.child}'s Dockerfile builds on (edge ${l.child} -> ${l.parent})`);
  }
  images = await scan();
  for (const p of parentLines) report.push(parentLine(tree, images, p));

  logger.info(
    `Imported ${imported.length} of ${files.length} ${IMAGE_MANIFEST} file(s)${schema.remove ? ' (and removed them)' : ''}:\n  ${report.join('\n  ')}`,
  );
  await warnUncovered(tree, imported);
  if (!schema.skipFormat) await formatFiles(tree);
}

export default importGenerator;

function normalizeDirectory(dir: string | undefined): string {
  const d = posix.normalize((dir ?? '').trim().replace(/\\/g, '/') || '.').replace(/^\.\/|\/+$/g, '');
  if (d.startsWith('../') || d === '..' || posix.isAbsolute(d)) throw new Error(`--directory "${dir}" must be inside the workspace.`);
  return d === '.' ? '' : d;
}

/** Seed 004's format: one path or glob per line; `#` starts a comment line; blank lines are ignored. */
export function readImageManifest(text: string): string[] {
  return readImageManifestLines(text).map((l) => l.entry);
}

const GLOB = /[*?[\]{}]/;

/**
 * An entry's workspace path. Seed 004 lists paths relative to the repository root; one that exists
 * only relative to the image directory is taken from there.
 */
async function resolveEntry(
  tree: Tree,
  root: string,
  entry: string,
): Promise<{ path: string; matches: boolean; isDirectory: boolean } | undefined> {
  const fromRoot = posix.normalize(entry.replace(/^\/+/, ''));
  const fromDir = posix.normalize(posix.join(root, entry));
  for (const path of root !== '.' && !entry.startsWith('/') ? [fromDir, fromRoot] : [fromRoot]) {
    if (path.startsWith('../') || path === '..') continue;
    const isDirectory = !GLOB.test(path) && tree.exists(path) && !tree.isFile(path);
    if (isDirectory || (await matches(tree, path))) return { path: path.replace(/\/+$/, ''), matches: true, isDirectory };
  }
  return fromRoot.startsWith('../') || fromRoot === '..'
    ? undefined
    : { path: fromRoot.replace(/\/+$/, ''), matches: false, isDirectory: false };
}

/**
 * A line whose files include some the build cannot read, or the image's own manifest (a glob such as
 * `Stack/app/*` holds image.json, whose "version" would then rebuild the image on every release):
 * the files it may read, one by one, and a report of the others. Undefined when the line can stay as written.
 */
async function narrowEntry(
  tree: Tree,
  path: { path: string; matches: boolean; isDirectory: boolean },
  classify: ClassifyFile,
): Promise<{ kept: string[]; report: string } | undefined> {
  if (!path.matches) return undefined;
  const files = path.isDirectory
    ? await globAsync(tree, [`${path.path}/**`])
    : GLOB.test(path.path)
      ? await globAsync(tree, [path.path])
      : [path.path];
  const roles = new Map(files.sort().map((f) => [f, classify(f)]));
  const of = (...r: FileRole[]) => [...roles].filter(([, role]) => r.includes(role)).map(([f]) => f);
  const own = of('own');
  const unread = of('unread');
  if (own.length === 0 && unread.length === 0) return undefined;
  const kept = of('read', 'outside');
  const parts = [
    kept.length ? `inputs ${kept.join(', ')}` : 'no input',
    own.length
      ? `not ${own.join(', ')} (the image's own files: its Dockerfile is hashed already, its manifest by the fields each build reads)`
      : '',
    unread.length
      ? `not ${unread.join(', ')} (in the build context, but the build is never sent ${unread.length === 1 ? 'it' : 'them'})`
      : '',
  ];
  return { kept, report: parts.filter(Boolean).join('; ') };
}

async function matches(tree: Tree, path: string): Promise<boolean> {
  return GLOB.test(path) ? (await globAsync(tree, [path])).length > 0 : tree.exists(path);
}

/**
 * Seed 004 builds from the repository root (`COPY ARR_COC/ ARR_COC/` in Stack/arr-trainer/Dockerfile).
 * When none of what the Dockerfile copies is in the image directory and all of it is at the root,
 * the build context is the root.
 */
async function detectContext(
  tree: Tree,
  image: WorkspaceImage,
  manifest: ImageManifest,
): Promise<{ context: string; sources: string[]; dockerfile: string } | undefined> {
  if (manifest.context || image.root === '.') return undefined;
  const dockerfile = manifest.dockerfile ? posix.normalize(posix.join(image.root, manifest.dockerfile)) : image.dockerfiles[0];
  const text = tree.read(dockerfile, 'utf-8');
  if (text === null) return undefined;
  const model = readDockerfile(text, dockerfile);
  if (model.problems.length) return undefined;
  const sources = contextSources(model, manifest.args ?? {})
    .paths.map((s) => s.replace(/^\.\/|\/+$/g, ''))
    .filter((s) => s !== '' && s !== '.');
  if (sources.length === 0) return undefined;
  for (const s of sources) {
    if (await matches(tree, posix.join(image.root, s))) return undefined;
    if (!(await matches(tree, posix.normalize(s)))) return undefined;
  }
  return { context: posix.relative(image.root, '.'), sources, dockerfile };
}

/**
 * A context at the repository root would send all of it (node_modules, .git) to a plain `docker build`:
 * a Dockerfile-specific ignore file (`Dockerfile.dockerignore`, read before the context's `.dockerignore`)
 * lets through only what the Dockerfile copies. An existing one is kept.
 */
function writeContextIgnore(tree: Tree, dockerfile: string, sources: string[]): string | undefined {
  const file = `${dockerfile}.dockerignore`;
  if (tree.exists(file)) return undefined;
  tree.write(
    file,
    ['# The build context is the repository root: send only what the Dockerfile copies.', '*', ...sources.map((s) => `!${s}`), ''].join(
      '\n',
    ),
  );
  return file;
}

/**
 * Seed 004 pushes each image to a registry path ending in its directory name and builds children
 * FROM that path (FROM <registry>/<project>/arr-ml-stack:latest), while the directory declares no
 * repository, so the plugin would call it plain `arr-ml-stack`. When an imported image is built on
 * such a reference to another imported image, that image's manifest gets the repository (and a tag
 * other than latest), and the reference becomes an edge.
 */
async function linkByRepository(
  tree: Tree,
  images: WorkspaceImages,
  imported: string[],
): Promise<{ child: string; parent: string; file: string; repository: string }[]> {
  const linked: { child: string; parent: string; file: string; repository: string }[] = [];
  const claimed = new Set<string>();
  for (const root of imported) {
    const child = images.byRoot(root)!;
    for (const ref of edgesOf(tree, images, child).flatMap((e) => e.others)) {
      const parsed = parseImageReference(ref);
      if (!parsed || !parsed.repository.includes('/')) continue;
      const last = parsed.repository.split('/').pop()!;
      const parent = imported
        .map((r) => images.byRoot(r)!)
        .find(
          (i) =>
            i.root !== root &&
            !i.error &&
            !i.manifest.repository &&
            !claimed.has(i.root) &&
            [i.project, posix.basename(i.root)].some((n) => n.toLowerCase() === last),
        );
      if (!parent) continue;
      const file = parent.manifestFile ?? joinPathFragments(parent.root, images.registration.options.manifest);
      const manifest: ImageManifest = readManifestFile(tree, file) ?? { $schema: schemaPath(parent.root) };
      manifest.repository = formatImageReference({
        ...(parsed.registry ? { registry: parsed.registry } : {}),
        repository: parsed.repository,
      });
      if (parsed.tag && parsed.tag !== 'latest' && !manifest.tags) manifest.tags = [parsed.tag];
      writeManifestFile(tree, file, manifest);
      claimed.add(parent.root);
      linked.push({ child: child.project, parent: parent.project, file, repository: manifest.repository });
    }
  }
  return linked;
}

/**
 * A `.image-manifest` line naming another image's Dockerfile: the child must rebuild when the parent does.
 * If the child's Dockerfile builds on that image, the edge covers it (and more: any change to the parent
 * image). Otherwise the line stays an input, and the report says the Dockerfile does not name the parent.
 */
function parentLine(tree: Tree, images: WorkspaceImages, p: ParentLine): string {
  const child = images.byRoot(p.child)!;
  const parent = images.byRoot(p.parent)!;
  const head = `${p.child}/${IMAGE_MANIFEST}: ${p.line}`;
  if (edgesOf(tree, images, child).some((e) => e.parents.some((x) => x.project === parent.project))) {
    return `${head}: an edge ${child.project} -> ${parent.project} instead (a new ${parent.project} image rebuilds ${child.project})`;
  }
  const file = child.manifestFile ?? joinPathFragments(child.root, images.registration.options.manifest);
  const manifest = readManifestFile(tree, file) ?? { $schema: schemaPath(child.root) };
  const input = `{workspaceRoot}/${parent.dockerfiles[0]}`;
  if (!(manifest.inputs ?? []).includes(input)) manifest.inputs = [...(manifest.inputs ?? []), input];
  writeManifestFile(tree, file, manifest);
  return `${head}: kept as an input; ${child.project}'s Dockerfile does not build on ${parent.project} (${describeImage(parent)}), so there is no edge`;
}

/** Imported images the plugin does not read yet are no projects: say which include would take them. */
async function warnUncovered(tree: Tree, roots: string[]): Promise<void> {
  const regs = readRegistrations(tree);
  const scans = await scanAllRegistrations(tree, regs);
  const missing = roots.filter((r) => !scans.some((s) => s.byRoot(r)));
  if (missing.length === 0) return;
  const dirs = [...new Set(missing.map((r) => (r.includes('/') ? `${r.split('/')[0]}/**` : r)))];
  logger.warn(
    regs.length === 0
      ? `nx-image-graph is not registered in nx.json; run nx g nx-image-graph:init --include=${dirs.join(',')} so ${missing.join(', ')} become projects.`
      : `${missing.join(', ')} are outside the plugin's include in nx.json; add ${dirs.map((d) => `"${d}"`).join(', ')} to it (or run nx g nx-image-graph:init --include=${dirs.join(',')}).`,
  );
}
