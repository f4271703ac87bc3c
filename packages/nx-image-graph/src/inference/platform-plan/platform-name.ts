/**
 * Names derived from a platform (`linux/arm64`, `linux/arm/v7`): the target of its build
 * (`docker-build-linux-arm64`) and its local tags (`latest-linux-arm64`). The engine's image store
 * holds one image per tag, so each platform's image needs its own tag until an index is pushed.
 */
export function platformSlug(platform: string): string {
  return platform.split('/').join('-');
}

export function platformTargetName(targetName: string, platform: string): string {
  return `${targetName}-${platformSlug(platform)}`;
}

export function platformTag(tag: string, platform: string): string {
  return `${tag}-${platformSlug(platform)}`;
}

/** `os/arch[/variant]` of what the engine or an image says (Go's names: amd64, arm64, arm + v7). */
export function formatPlatform(os: string, architecture: string, variant?: string): string {
  return [os, architecture, ...(variant ? [variant] : [])].join('/');
}

/** Same platform for building on: arm64 is arm64/v8, and a missing variant matches any. */
export function samePlatform(a: string, b: string): boolean {
  const norm = (p: string) => {
    const [os, arch, variant] = p.toLowerCase().split('/');
    const a2 = arch === 'aarch64' ? 'arm64' : arch === 'x86_64' ? 'amd64' : arch;
    return { os, arch: a2, variant: a2 === 'arm64' && variant === 'v8' ? undefined : variant };
  };
  const x = norm(a);
  const y = norm(b);
  return x.os === y.os && x.arch === y.arch && (!x.variant || !y.variant || x.variant === y.variant);
}
