export interface ImportGeneratorSchema {
  /** Where to look for .image-manifest files (default: the workspace root). */
  directory?: string;
  /** Delete each .image-manifest once imported. */
  remove?: boolean;
  skipFormat?: boolean;
}
