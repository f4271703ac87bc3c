/** The platform fields of an image or of one of its variants in image.json. */
interface PlatformFields {
  platform?: string;
  platforms?: string[];
}

export class PlatformFieldError extends Error {}

/**
 * What one build is built for: one `platform` (one image, as before) or `platforms` (one image per
 * platform and an index over them). A variant that says either replaces what the image says.
 */
export function planPlatforms(
  manifestFile: string,
  image: PlatformFields,
  variant?: { name: string; fields: PlatformFields },
): PlatformFields {
  check(manifestFile, '', image);
  if (variant) check(manifestFile, `variants.${variant.name}.`, variant.fields);
  const own = variant && (variant.fields.platform !== undefined || variant.fields.platforms !== undefined) ? variant.fields : image;
  return own.platforms ? { platforms: [...own.platforms] } : own.platform ? { platform: own.platform } : {};
}

function check(file: string, prefix: string, f: PlatformFields): void {
  if (f.platform !== undefined && f.platforms !== undefined) {
    throw new PlatformFieldError(
      `${file}: "${prefix}platform" and "${prefix}platforms" are both set; keep "${prefix}platforms" (one image per platform) or "${prefix}platform" (one image)`,
    );
  }
  const seen = new Set<string>();
  for (const p of f.platforms ?? []) {
    if (seen.has(p)) throw new PlatformFieldError(`${file}: "${prefix}platforms" lists "${p}" twice; list each platform once`);
    seen.add(p);
  }
}
