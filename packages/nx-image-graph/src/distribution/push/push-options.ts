/** docker-push's options (its schema.json), shared by the executor and its dry run. */
export interface PushExecutorOptions {
  metadataFile: string;
  registries: string[];
  indexFile?: string;
  contentTag?: boolean;
  retries?: number;
  /** A multi-platform build: each platform's build record; they are pushed with an index over them. */
  platforms?: { platform: string; metadataFile: string }[];
  /** Print the references it would push; push nothing. */
  dryRun?: boolean;
}
