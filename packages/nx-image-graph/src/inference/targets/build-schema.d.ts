/** Options of the `build` executor (see schema.json). Paths are workspace-relative. */
export interface BuildExecutorOptions {
  dockerfile: string;
  context: string;
  repository: string;
  tags: string[];
  args?: Record<string, string>;
  /** `NAME=value` pairs from the command line (`--build-arg=NAME=value`), applied over `args`. */
  buildArg?: string[] | string;
  variant?: string;
  target?: string;
  platform?: string;
  /** This is one platform's build of a multi-platform image: its tags get the platform as suffix (latest-linux-arm64). */
  platformTags?: boolean;
  labels?: Record<string, string>;
  network?: string;
  pull?: 'missing' | 'always' | 'never';
  noCache?: boolean;
  builder?: 'auto' | 'buildkit' | 'classic';
  /** Workspace parents this build is pinned to: the reference its Dockerfile uses and the metadata of the parent build. */
  /** `stage`: a stage of this Dockerfile that the parent builds; the build uses the parent's image for it. */
  parents: { reference: string; project: string; metadataFile: string; registries?: string[]; platform?: string; stage?: string }[];
  /** Keep `docker save` of the image beside the metadata, so the Nx cache carries the image. */
  archive?: boolean;
  /** BuildKit cache-from references. */
  cacheFrom?: string[];
  /** Embed BuildKit inline cache metadata in the image. */
  inlineCache?: boolean;
  /** Registries to look in for `<repository>:nx-<hash>` before building. */
  reuseFromRegistry?: string[];
  metadataFile: string;
  /** Build secrets from the manifest: id -> where its value comes from (env or file), never the value. */
  secrets?: Record<string, { env?: string; file?: string; required?: boolean; hashValue?: boolean }>;
  /** `--secret=id=NAME,env=VAR` / `--secret=id=NAME,src=PATH` from the command line. */
  secret?: string[] | string;
  /** SSH agents the manifest forwards ("default", "id=path"). */
  sshAgents?: string[];
  /** `--ssh=default` / `--ssh=id=path` from the command line, added to the manifest's. */
  ssh?: string[] | string;
  /** OCI labels (title, source, revision, created) derived from the build's inputs; false leaves them out. */
  ociLabels?: boolean;
  /** The manifest's extra inputs (Nx globs), which date the build's revision label too. */
  inputs?: string[];
  /** End the build after this many minutes, cancelling it in the engine (image.json "timeoutMinutes"). */
  timeoutMinutes?: number;
  /** Warn when the context sent to the engine is larger than this many MB (default 200). */
  contextWarnMB?: number;
  /** Print what would be built; touch neither engine nor registry, write no metadata. */
  dryRun?: boolean;
}
