import { formatReasons } from '../input-records/input-diff';
import type { PlanRow } from '../input-records/plan-row';

/**
 * The first line of a build's dry run: what the real run would do with this task. A dry run runs with
 * Nx's cache off, so it asks the plan (plan/task-outlook.ts) whether Nx has the task's real hash:
 * `would restore ... from Nx's local cache: no build` for a hit, `would build ...: because ...` for a miss.
 */
export async function realRunVerdict(
  outlookOf: (() => Promise<PlanRow | { error: string }>) | undefined,
  references: string,
  dockerfile: string,
): Promise<string> {
  const what = `${references} from ${dockerfile}`;
  const outlook = outlookOf
    ? await outlookOf().catch((e: Error) => ({ error: e.message.split('\n')[0] }))
    : { error: 'Nx gave the task no task graph' };
  if ('error' in outlook)
    return `would build ${what}, unless Nx's cache has it (not told here: ${outlook.error}; npx nx-image-graph-plan tells)`;
  if (outlook.status === 'local hit') return `would restore ${references} from Nx's local cache (hash ${outlook.hash}): no build`;
  if (outlook.status === 'remote hit') return `would restore ${references} from the remote cache (hash ${outlook.hash}): no build`;
  const why = formatReasons(outlook.reasons);
  return `would build ${what}${why ? ` ${why}` : ''}`;
}
