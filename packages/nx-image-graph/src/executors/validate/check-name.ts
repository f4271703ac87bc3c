import type { ImageCheck } from '../../inference/manifest/schema';

/** How a check is called in reports: its own `name`, or one made from what it checks. */
export function checkName(check: ImageCheck): string {
  if (check.name) return check.name;
  switch (check.type) {
    case 'command':
      return `command ${JSON.stringify(check.command)}`;
    case 'file':
      return `file ${check.path}${check.kind && check.kind !== 'any' ? ` (${check.kind})` : ''}`;
    case 'env':
      return `env ${check.variable}${check.equals !== undefined ? `=${JSON.stringify(check.equals)}` : ''}${check.matches !== undefined ? ` ~ /${check.matches}/` : ''}`;
    case 'user':
      return `user ${JSON.stringify(check.equals)}`;
    case 'entrypoint':
      return `entrypoint ${JSON.stringify(check.equals)}`;
  }
}
