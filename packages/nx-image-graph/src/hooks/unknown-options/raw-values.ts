import type { ExecutorContext } from '@nx/devkit';

/**
 * The values of `--<flag>` exactly as typed on the command line. Nx parses numbers (`--tag=1.10`
 * arrives as 1.1), which is wrong for a tag; the task keeps the unparsed arguments.
 */
export function rawValues(context: ExecutorContext, flag: string): string[] | undefined {
  const taskId = `${context.projectName}:${context.targetName}${context.configurationName ? `:${context.configurationName}` : ''}`;
  const unparsed = (context.taskGraph?.tasks[taskId]?.overrides as { __overrides_unparsed__?: string[] } | undefined)
    ?.__overrides_unparsed__;
  if (!unparsed) return undefined;
  const values: string[] = [];
  for (let i = 0; i < unparsed.length; i++) {
    const a = unparsed[i];
    if (a.startsWith(`--${flag}=`)) values.push(a.slice(flag.length + 3));
    else if (a === `--${flag}` && i + 1 < unparsed.length) values.push(unparsed[++i]);
  }
  return values.length ? values : undefined;
}
