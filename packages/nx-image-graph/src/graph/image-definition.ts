import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { contextSources, DockerfileModel, DockerfileProblem, imageDependencies, ImageDependency, readDockerfile } from '../dockerfile';
import { readDockerignore } from '../context/dockerignore';
import { ImageManifest } from '../manifest/schema';
import { ManifestError, parseManifest } from '../manifest/read-manifest';
import { ImageDirectory, variantOfDockerfileName } from './discover-images';
import { missingContextSources } from './missing-sources';

/** One build of an image: the image itself, or one of its variants. Paths are workspace-relative. */
export interface BuildDefinition {
  variant?: string;
  dockerfile: string;
  context: string;
  args: Record<string, string>;
  tags: string[];
  target?: string;
  platform?: string;
  references: ImageDependency[];
  /** Context paths the Dockerfile copies; `undefined` when it may copy anything (`COPY . .`, unresolved args). */
  sources?: string[];
  dockerignore: string[];
}

/** What one image directory declares, before it is placed in the graph. JSON-serialisable (it is cached). */
export interface ImageDefinition {
  root: string;
  configFile: string;
  manifestFile?: string;
  declaredName?: string;
  repository?: string;
  manifest: ImageManifest;
  inputs: string[];
  builds: BuildDefinition[];
}

export class ImageDefinitionError extends Error {
  constructor(readonly file: string, message: string) {
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
  const manifest = dir.manifest ? parseManifest(readFileSync(join(workspaceRoot, dir.manifest), 'utf8'), dir.manifest) : {};
  const configFile = dir.manifest ?? dir.dockerfiles[0];
  const rel = (p: string) => posix.normalize(posix.join(dir.root, p));

  const plans = buildPlans(dir, manifest, rel);
  const builds = plans.map((plan) => {
    const context = rel(manifest.context ?? '.');
    if (context.startsWith('..')) throw new ImageDefinitionError(configFile, `${configFile}: context "${manifest.context}" is outside the workspace; point it at a directory inside it`);
    if (!existsSync(join(workspaceRoot, context))) {
      throw new ImageDefinitionError(configFile, `${configFile}: build context "${context}" does not exist; create it or fix the manifest's "context"`);
    }
    const dockerfileText = readDockerfileText(workspaceRoot, plan.dockerfile, configFile);
    const model = readModel(dockerfileText, plan.dockerfile);
    if (model.problems.length > 0) throw new ImageDefinitionError(plan.dockerfile, formatProblems(model.problems));
    const dockerignore = readDockerignore(join(workspaceRoot, context), join(workspaceRoot, plan.dockerfile)).patterns;
    const missing = missingContextSources(model, join(workspaceRoot, context), context, dockerignore);
    if (missing.length > 0) throw new ImageDefinitionError(plan.dockerfile, missing.join('\n'));
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
      references: imageDependencies(model, plan.args, opts),
      sources: sources.dynamic || sources.paths.some((p) => p === '.' || p === '' || p === './') ? undefined : sources.paths,
      dockerignore,
    } satisfies BuildDefinition;
  });

  return {
    root: dir.root,
    configFile,
    manifestFile: dir.manifest,
    declaredName: manifest.name,
    repository: manifest.repository,
    manifest,
    inputs: (manifest.inputs ?? []).map((g) => (g.startsWith('{workspaceRoot}/') ? g : `{workspaceRoot}/${rel(g)}`)),
    builds,
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
}

/** The one place manifest fields (variants, Dockerfile names) turn into builds; the generators use it too. */
export function buildPlans(dir: ImageDirectory, m: ImageManifest, rel: (p: string) => string): BuildPlan[] {
  const defaultDockerfile = m.dockerfile ? rel(m.dockerfile) : dir.dockerfiles[0];
  if (!defaultDockerfile && !m.variants) {
    throw new ManifestError(dir.manifest!, `${dir.manifest}: no Dockerfile beside the manifest; add one or set "dockerfile"`);
  }
  if (m.variants && Object.keys(m.variants).length > 0) {
    return Object.entries(m.variants).map(([variant, v]) => ({
      variant,
      dockerfile: v.dockerfile ? rel(v.dockerfile) : defaultDockerfile,
      args: { ...m.args, ...v.args },
      tags: v.tags ?? m.tags ?? ['{variant}'],
      target: v.target ?? m.target,
      platform: v.platform ?? m.platform,
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
      platform: m.platform,
    }));
  }
  return [{ dockerfile: defaultDockerfile, args: { ...m.args }, tags: m.tags ?? ['latest'], target: m.target, platform: m.platform }];
}

function readDockerfileText(workspaceRoot: string, dockerfile: string, configFile: string): string {
  try {
    return readFileSync(join(workspaceRoot, dockerfile), 'utf8');
  } catch {
    throw new ImageDefinitionError(configFile, `${configFile}: Dockerfile "${dockerfile}" does not exist; create it or fix "dockerfile"`);
  }
}

function formatProblems(problems: DockerfileProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
}
