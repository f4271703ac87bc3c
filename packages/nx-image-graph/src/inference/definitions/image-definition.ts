import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { contextSources, DockerfileModel, DockerfileProblem, imageDependencies, readDockerfile, stagesNeeded } from '../dockerfile';
import { closestName } from '../dockerfile/dockerfile-checks';
import { DockerignoreError, readDockerignore } from '../inputs/dockerignore';
import { ImageManifest } from '../manifest/schema';
import { readLegacyManifest } from './legacy-image-manifest';
import { ManifestError, parseManifest } from '../manifest/read-manifest';
import { directoryOf, ImageDirectory, variantOfDockerfileName } from './discover-images';
import { planPlatforms } from '../platform-plan/plan-platforms';
import { expandArgTemplates } from '../tags/arg-templates';
import { argEnvironmentProblem, argsSizeProblem, networkProblem, tagArgsProblem } from './build-plan-checks';
import { besideManifest, encodingProblem, MAX_DOCKERFILE_BYTES, notAFileMessage, oversizeMessage } from './dockerfile-file';

export type { BuildDefinition, ImageDefinition } from './definition-model';
import type { BuildDefinition, ImageDefinition } from './definition-model';

export class ImageDefinitionError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImageDefinitionError';
  }
}

/** Reads a directory's manifest and Dockerfiles; the one place manifest fields turn into builds. */
export function readImageDefinition(
  dir: ImageDirectory,
  workspaceRoot: string,
  readModel: (text: string, file: string) => DockerfileModel = readDockerfile,
): ImageDefinition {
  const manifest = dir.manifest ? parseManifest(readLocalFile(workspaceRoot, dir.manifest, dir.manifest), dir.manifest) : {};
  const configFile = dir.manifest ?? dir.dockerfiles[0];
  const rel = (p: string) => posix.normalize(posix.join(directoryOf(dir), p));
  const inputs = (manifest.inputs ?? []).map((g, i) => workspaceInput(g, i, configFile, rel));

  const plans = buildPlans(dir, manifest, rel, workspaceRoot);
  const network = networkProblem(manifest, configFile);
  if (network) throw new ImageDefinitionError(configFile, network);
  const builds = plans.map((plan) => {
    const planProblem = tagArgsProblem(plan, manifest, configFile) ?? argsSizeProblem(plan, manifest, configFile);
    if (planProblem) throw new ImageDefinitionError(configFile, planProblem);
    const context = rel(plan.context ?? manifest.context ?? '.');
    if (context.startsWith('..'))
      throw new ImageDefinitionError(
        configFile,
        `${configFile}: context "${plan.context ?? manifest.context}" is outside the workspace; point it at a directory inside it`,
      );
    if (!existsSync(join(workspaceRoot, context))) {
      throw new ImageDefinitionError(
        configFile,
        `${configFile}: build context "${context}" does not exist; create it or fix the manifest's "context"`,
      );
    }
    if (!statSync(join(workspaceRoot, context)).isDirectory()) {
      throw new ImageDefinitionError(
        configFile,
        `${configFile}: build context "${context}" is a file, not a directory; point "context" at the directory the Dockerfile copies from`,
      );
    }
    const dockerfileText = readDockerfileText(workspaceRoot, plan.dockerfile, configFile);
    const model = readModel(dockerfileText, plan.dockerfile);
    if (model.problems.length > 0) throw new ImageDefinitionError(plan.dockerfile, formatProblems(model.problems));
    const environment = argEnvironmentProblem(plan.args, model, configFile);
    if (environment) throw new ImageDefinitionError(configFile, environment);
    if (plan.target !== undefined) checkTarget(plan, model, configFile, manifest);
    const dockerignore = local(
      context,
      () => readDockerignore(join(workspaceRoot, context), join(workspaceRoot, plan.dockerfile)).patterns,
      configFile,
      workspaceRoot,
    );
    const needed = stagesNeeded(model, plan.args, plan.target);
    const opts = { target: plan.target };
    const sources = contextSources(model, plan.args, opts);
    return {
      variant: plan.variant,
      dockerfile: plan.dockerfile,
      context,
      args: plan.args,
      tags: plan.tags,
      target: plan.target,
      platform: plan.platform,
      ...(plan.platforms ? { platforms: plan.platforms } : {}),
      references: imageDependencies(model, plan.args, opts),
      ...onbuildOf(model, plan.target),
      stagesRun: model.stages.filter((s) => needed.has(s.index) && s.name).map((s) => s.name!.toLowerCase()),
      sources: sources.dynamic || sources.paths.some((p) => p === '.' || p === '' || p === './') ? undefined : sources.paths,
      // Checked once the graph knows which tasks write what (graph/source-problems.ts), not here: that is not this directory's to know.
      copies: sources.entries,
      dockerignore,
    } satisfies BuildDefinition;
  });

  // A seed-004 `.image-manifest` describes its directory's one image.
  const legacy = dir.dir === undefined ? readLegacyManifest(workspaceRoot, dir.root) : undefined;
  return {
    root: dir.root,
    ...(dir.dir !== undefined ? { dir: dir.dir } : {}),
    ...(dir.namePath !== undefined ? { namePath: dir.namePath } : {}),
    configFile,
    manifestFile: dir.manifest,
    declaredName: manifest.name,
    repository: manifest.repository,
    manifest,
    inputs,
    builds,
    ...(legacy ? { legacyManifest: legacy } : {}),
  };
}

/** One build a manifest declares, before its Dockerfile is read. */
export interface BuildPlan {
  variant?: string;
  dockerfile: string;
  args: Record<string, string>;
  tags: string[];
  target?: string;
  platform?: string;
  platforms?: string[];
  /** Relative to the manifest; default: the image's context. */
  context?: string;
}

/** The one place manifest fields (variants, Dockerfile names) turn into builds; the generators use it too. */
export function buildPlans(dir: ImageDirectory, m: ImageManifest, rel: (p: string) => string, workspaceRoot?: string): BuildPlan[] {
  // Args are templates: {variant} and {args.NAME} now, {git.sha} and {date:...} at build time (arg-templates.ts).
  return declaredPlans(dir, m, rel, workspaceRoot).map((p) => ({
    ...p,
    args: expandArgTemplates(p.args, { variant: p.variant }, { dynamic: false }),
  }));
}

function declaredPlans(dir: ImageDirectory, m: ImageManifest, rel: (p: string) => string, workspaceRoot?: string): BuildPlan[] {
  const defaultDockerfile = m.dockerfile ? rel(m.dockerfile) : dir.dockerfiles[0];
  if (!defaultDockerfile && !m.variants) {
    // Nx lists files only: a Dockerfile that is a directory or a broken link reaches us as no Dockerfile at all.
    const beside = workspaceRoot ? besideManifest(workspaceRoot, directoryOf(dir), dir.manifest!) : undefined;
    if (beside) throw new ManifestError(dir.manifest!, beside);
    // A manifest of its own (`lonely.image.json`) builds the Dockerfile of the same name.
    const stem = dir.dir !== undefined ? dir.manifest!.slice(dir.manifest!.lastIndexOf('/') + 1).replace(/\.image\.json$/, '') : undefined;
    throw new ManifestError(
      dir.manifest!,
      `${dir.manifest}: no Dockerfile beside the manifest; add ${stem ? `${stem}.Dockerfile` : 'one'} or set "dockerfile"`,
    );
  }
  if (m.variants && Object.keys(m.variants).length > 0) {
    return Object.entries(m.variants).map(([variant, v]) => ({
      variant,
      dockerfile: v.dockerfile ? rel(v.dockerfile) : defaultDockerfile,
      ...(v.context ? { context: v.context } : {}),
      args: { ...m.args, ...v.args },
      tags: v.tags ?? m.tags ?? ['{variant}'],
      target: v.target ?? m.target,
      ...platformsOf(dir, m, { name: variant, fields: v }),
    }));
  }
  // Several Dockerfiles and no manifest that says otherwise: each is a variant (Dockerfile.cpu -> cpu).
  if (!m.dockerfile && dir.dockerfiles.length > 1) {
    return dir.dockerfiles.map((dockerfile) => ({
      variant: variantOfDockerfileName(dockerfile),
      dockerfile,
      args: { ...m.args },
      tags: m.tags ?? ['{variant}'],
      target: m.target,
      ...platformsOf(dir, m),
    }));
  }
  return [{ dockerfile: defaultDockerfile, args: { ...m.args }, tags: m.tags ?? ['latest'], target: m.target, ...platformsOf(dir, m) }];
}

/** `platform` or `platforms`, the variant's replacing the image's (platforms/plan-platforms.ts). */
function platformsOf(
  dir: ImageDirectory,
  m: ImageManifest,
  variant?: { name: string; fields: { platform?: string; platforms?: string[] } },
): { platform?: string; platforms?: string[] } {
  try {
    return planPlatforms(dir.manifest ?? 'image.json', m, variant);
  } catch (e) {
    throw new ManifestError(dir.manifest!, (e as Error).message);
  }
}

/** The ONBUILD triggers of the stage a build makes (its target, or the last stage). */
function onbuildOf(model: DockerfileModel, target: string | undefined): Pick<BuildDefinition, 'onbuild'> {
  const stage = target ? model.stages.find((s) => s.name === target.toLowerCase()) : model.stages[model.stages.length - 1];
  if (!stage?.onbuild) return {};
  const raw = stage.onbuild.contextSources.flatMap((c) => c.sources);
  const whole = raw.some((s) => s.includes('$') || ['.', './', '', '/'].includes(s));
  const references = stage.onbuild.copyFroms
    .filter((f) => !f.raw.includes('$') && !/^\d+$/.test(f.raw))
    .map((f) => ({ reference: f.raw, line: f.line }));
  return { onbuild: { ...(whole ? {} : { sources: raw }), references } };
}

function readDockerfileText(workspaceRoot: string, dockerfile: string, configFile: string): string {
  let bytes: Buffer;
  try {
    // Refused by size before it is read: a file of megabytes is no Dockerfile, and the engine would choke on it.
    const size = statSync(join(workspaceRoot, dockerfile)).size;
    if (size > MAX_DOCKERFILE_BYTES) throw new ImageDefinitionError(dockerfile, oversizeMessage(dockerfile, size));
    bytes = readFileSync(join(workspaceRoot, dockerfile));
  } catch (e) {
    if (e instanceof ImageDefinitionError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const notAFile =
      code === 'ENOENT' || code === 'ELOOP' || code === 'EISDIR' ? notAFileMessage(workspaceRoot, dockerfile, configFile) : undefined;
    if (notAFile) throw new ImageDefinitionError(configFile, notAFile);
    if (code === 'ENOENT')
      throw new ImageDefinitionError(configFile, `${configFile}: Dockerfile "${dockerfile}" does not exist; create it or fix "dockerfile"`);
    throw localError(dockerfile, e, configFile);
  }
  const encoding = encodingProblem(bytes, dockerfile);
  if (encoding) throw new ImageDefinitionError(dockerfile, encoding);
  return bytes.toString('utf8');
}

/** A file of this machine; a failure to read it is named as local (not the engine's, not a bad manifest). */
function readLocalFile(workspaceRoot: string, file: string, configFile: string): string {
  return local(file, () => readFileSync(join(workspaceRoot, file), 'utf8'), configFile);
}

/** Runs a read under `path` (workspace-relative); a failing file is named by its own path when it is inside the workspace. */
function local<T>(path: string, read: () => T, configFile: string, workspaceRoot?: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DockerignoreError) throw new ImageDefinitionError(configFile, path === '.' ? e.message : `${path}/${e.message}`);
    if (e instanceof Error && !(e as NodeJS.ErrnoException).code) throw e;
    const failed = (e as NodeJS.ErrnoException).path;
    const rel = failed && workspaceRoot ? relative(workspaceRoot, failed).split(sep).join('/') : undefined;
    throw localError(rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path, e, configFile);
  }
}

const FS_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

function localError(path: string, e: unknown, configFile: string): ImageDefinitionError {
  const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
  return new ImageDefinitionError(
    configFile,
    `${path}: cannot be read on this machine (${FS_ERRORS[code] ?? code}, ${code}); this is a local file-system error, not the engine's: fix the file's permissions or type`,
  );
}

/** Inputs are workspace files: an absolute glob or one that climbs out of the workspace would silently hash nothing. */
function workspaceInput(glob: string, index: number, configFile: string, rel: (p: string) => string): string {
  const field = `"inputs"[${index}]`;
  if (glob.startsWith('{workspaceRoot}/')) {
    const inside = posix.normalize(glob.slice('{workspaceRoot}/'.length));
    if (inside === '..' || inside.startsWith('../'))
      throw new ImageDefinitionError(configFile, `${configFile}: ${field} "${glob}" is outside the workspace; list files inside it`);
    return `{workspaceRoot}/${inside}`;
  }
  if (posix.isAbsolute(glob) || /^[A-Za-z]:[\\/]/.test(glob)) {
    throw new ImageDefinitionError(
      configFile,
      `${configFile}: ${field} "${glob}" is an absolute path; write it relative to the manifest, or starting with {workspaceRoot}/`,
    );
  }
  const path = rel(glob);
  if (path === '..' || path.startsWith('../'))
    throw new ImageDefinitionError(configFile, `${configFile}: ${field} "${glob}" is outside the workspace; list files inside it`);
  return `{workspaceRoot}/${path}`;
}

/** `target` must name a stage; Docker would refuse it only when the build starts. */
function checkTarget(plan: BuildPlan, model: DockerfileModel, configFile: string, manifest: ImageManifest): void {
  const names = model.stages.flatMap((s) => (s.name ? [s.name] : []));
  if (names.includes(plan.target!.toLowerCase())) return;
  const field = plan.variant && manifest.variants?.[plan.variant]?.target !== undefined ? `"variants.${plan.variant}.target"` : '"target"';
  const near = closestName(plan.target!, names);
  throw new ImageDefinitionError(
    configFile,
    `${configFile}: ${field} "${plan.target}" names no stage of ${plan.dockerfile}` +
      (names.length
        ? ` (its stages: ${names.join(', ')})${near ? `; did you mean "${near}"?` : ''}`
        : `, which has no named stages; name one with FROM <image> AS <name>`),
  );
}

/** The first problems, with a count of the rest: a file full of errors must not flood the output. */
const MAX_PROBLEMS = 5;

function formatProblems(problems: DockerfileProblem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS).map((p) => `${p.file}:${p.line}: ${p.message}`);
  if (problems.length > MAX_PROBLEMS) shown.push(`... and ${problems.length - MAX_PROBLEMS} more problems in ${problems[0].file}`);
  return shown.join('\n');
}
