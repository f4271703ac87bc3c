import type { ContextSources, ImageDependency } from '../dockerfile';
import type { ImageManifest } from '../manifest/schema';

/** A line of a `.image-manifest` file: a path or glob the old scripts tracked. */
export interface ImageManifestLine {
  line: number;
  entry: string;
}

/** One build of an image: the image itself, or one of its variants. Paths are workspace-relative. */
export interface BuildDefinition {
  variant?: string;
  dockerfile: string;
  context: string;
  args: Record<string, string>;
  tags: string[];
  target?: string;
  platform?: string;
  /** One image per platform (per-platform targets and an index), instead of `platform`. */
  platforms?: string[];
  references: ImageDependency[];
  /** ONBUILD COPY/ADD of the stage this build makes: read by the images built FROM it (sources undefined: any of their context). */
  onbuild?: { sources?: string[]; references: { reference: string; line: number }[] };
  /** Names of the stages this build runs (lower case), so a stage another image builds can be an edge. */
  stagesRun?: string[];
  /** Context paths the Dockerfile copies; `undefined` when it may copy anything (`COPY . .`, unresolved args). */
  sources?: string[];
  /** Each resolved context source of the stages built, with its line (relative to the context, as written). */
  copies: ContextSources['entries'];
  dockerignore: string[];
}

/** What one image directory declares, before it is placed in the graph. JSON-serialisable (it is cached). */
export interface ImageDefinition {
  /** The Nx project root: its directory, or its Dockerfile when it shares the directory with other images. */
  root: string;
  /** The directory its manifest's paths are relative to, when not the root (discover-images.ts). */
  dir?: string;
  /** What its default project name is made from, when not the root. */
  namePath?: string;
  configFile: string;
  manifestFile?: string;
  declaredName?: string;
  repository?: string;
  manifest: ImageManifest;
  inputs: string[];
  builds: BuildDefinition[];
  /** A seed-004 `.image-manifest` beside the image, compared with what the plugin tracks. */
  legacyManifest?: { file: string; lines: ImageManifestLine[] };
}
