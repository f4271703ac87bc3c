import type { ExecutorContext } from '@nx/devkit';
import { refuseUnknownOptions } from '../options/unknown-options';

/**
 * The target of an image the graph could not read (bad manifest, broken Dockerfile, cycle):
 * it fails with the problem, so the rest of the workspace still loads and builds.
 */
export default async function invalidImageExecutor(options: { messages: string[] }, context: ExecutorContext): Promise<{ success: boolean }> {
  // A typo on the command line is worth saying too; the image's own problem follows.
  const refused = refuseUnknownOptions('invalid', options, context);
  process.stderr.write(`${options.messages.map((m) => `✖ ${m}`).join('\n')}\n`);
  return refused ?? { success: false };
}
