/** Plugin options, as written in nx.json: `{ "plugin": "nx-image-graph", "options": { ... } }`. */
export interface ImageGraphPluginOptions {
  /** Target that builds an image (default `docker-build`); variants get `<name>-<variant>`. */
  buildTargetName?: string;
  /** Target that pushes an image (default `docker-push`). */
  pushTargetName?: string;
  /** Target that makes the engine hold a (cached) build's exact image (default `docker-materialize`). */
  materializeTargetName?: string;
  /** Target that reports an image's layers: its own bytes and what it shares with the images it is built on (default `docker-layers`). */
  layersTargetName?: string;
  /** Target that validates a built image (default `docker-validate`). */
  validateTargetName?: string;
  /** File names that make a directory an image, besides the manifest. Default: Dockerfile, Containerfile. Add `Dockerfile.*` or `*.Dockerfile` to take those too. */
  dockerfiles?: string[];
  /** Manifest file name: `image.json` (default) or a name ending in `.image.json` (the names the plugin watches). */
  manifest?: string;
  /** Where image metadata files go, relative to the workspace (default `dist`, so metadata lands in dist/<project root>/). */
  outputDir?: string;
  /** Owner prefixes ignored when matching references to workspace images, e.g. `["rajiup"]` makes `rajiup/base:cpu` match `base:cpu`. */
  ignoredOwners?: string[];
  /**
   * Hash each external base (FROM busybox:1.36) by its image id in the local engine, so pulling a new
   * upstream base invalidates the cache (default true). It costs one small process per distinct base
   * and run; false drops it, at the price of not noticing a re-pulled base.
   */
  hashExternalBases?: boolean;
  /** Registries to push to, for every image without its own `registries`. */
  registries?: string[];
}

export type NormalizedOptions = Required<ImageGraphPluginOptions>;

/** The one place defaults are decided. */
export function normalizeOptions(options: ImageGraphPluginOptions | undefined): NormalizedOptions {
  return {
    buildTargetName: options?.buildTargetName ?? 'docker-build',
    pushTargetName: options?.pushTargetName ?? 'docker-push',
    validateTargetName: options?.validateTargetName ?? 'docker-validate',
    layersTargetName: options?.layersTargetName ?? 'docker-layers',
    materializeTargetName: options?.materializeTargetName ?? 'docker-materialize',
    dockerfiles: options?.dockerfiles ?? ['Dockerfile', 'Containerfile'],
    manifest: options?.manifest ?? 'image.json',
    outputDir: (options?.outputDir ?? 'dist').replace(/\/+$/, ''),
    ignoredOwners: options?.ignoredOwners ?? [],
    registries: options?.registries ?? [],
    hashExternalBases: options?.hashExternalBases ?? true,
  };
}

/** Matches a Dockerfile name against one pattern of `dockerfiles`: `*` stands for any run of characters. */
export function isDockerfileName(name: string, patterns: string[]): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+')}$`).test(name));
}
