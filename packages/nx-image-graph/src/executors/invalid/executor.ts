import type { ExecutorContext } from '@nx/devkit';
import { fromConfigText } from '../../core/nx/config-text';
import { refuseUnknownOptions } from '../../hooks/unknown-options/unknown-options';

/**
 * The target of an image the graph could not read (bad manifest, broken Dockerfile, cycle):
 * it fails with the problem, so the rest of the workspace still loads and builds.
 */
export default async function invalidImageExecutor(
  options: { messages: string[] },
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  // A typo on the command line is worth saying too; the image's own problem follows.
  const refused = refuseUnknownOptions('invalid', options, context);
  process.stderr.write(
    `${printedMessages(options)
      .map((m) => `✖ ${m}`)
      .join('\n')}\n`,
  );
  return refused ?? { success: false };
}

/** The messages as the graph reported them (they are kept safe from Nx's tokens in the options: nx/config-text.ts). */
export function printedMessages(options: { messages: string[] }): string[] {
  return options.messages.map(fromConfigText);
}
