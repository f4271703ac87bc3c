export interface VariantGeneratorSchema {
  /** The image project. */
  project: string;
  /** The variant's name: its target is docker-build-<name>. */
  name: string;
  /** NAME=value build args of the variant. */
  args?: string[];
  /** A parent to build the variant on; sets the ARG the Dockerfile's FROM uses. */
  fromParent?: string;
  /** The existing build's variant name when the image had none; default its parent's variant name, else `default`. */
  existingName?: string;
  /** Tag templates; default `{variant}`. */
  tags?: string[];
  skipFormat?: boolean;
}
