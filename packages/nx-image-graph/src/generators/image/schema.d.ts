export interface ImageGeneratorSchema {
  /** Project name of the new image. */
  name: string;
  /** A workspace image (project, project:variant, or repository:tag) or an external image with its tag. */
  parent: string;
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
