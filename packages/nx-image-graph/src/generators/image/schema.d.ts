export interface ImageGeneratorSchema {
  /** Project name of the new image (not with --project: the image joins that project). */
  name?: string;
  /** A workspace image (project, project:variant, or repository:tag) or an external image with its tag. */
  parent?: string;
  /** An app the workspace already builds: the image packages its build output, in the app's folder. */
  project?: string;
  /** With --project: the target that writes its build output (default: build). */
  buildTarget?: string;
  /** With --project: how it runs, as a Node app or as a static site (default: static when it has an index.html). */
  runtime?: 'node' | 'static';
  /** Default: `<dir>/<name>` for the plugin's include `<dir>/**`, else `images/<name>`. */
  directory?: string;
  /** Default: the parent's owner plus the name (`acme/<name>`), else the name. */
  repository?: string;
  /** Variants; default: the parent project's variants, if it has any. */
  variant?: string[];
  /** Tag templates; default `latest`, or `{variant}` with variants. */
  tags?: string[];
  skipFormat?: boolean;
}
