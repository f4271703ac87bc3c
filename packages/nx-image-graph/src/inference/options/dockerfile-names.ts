/** Matches a Dockerfile name against one pattern of `dockerfiles`: `*` stands for any run of characters. */
export function isDockerfileName(name: string, patterns: string[]): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.+')}$`).test(name));
}
