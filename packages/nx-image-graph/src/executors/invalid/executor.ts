/**
 * The target of an image the graph could not read (bad manifest, broken Dockerfile, cycle):
 * it fails with the problem, so the rest of the workspace still loads and builds.
 */
export default async function invalidImageExecutor(options: { messages: string[] }): Promise<{ success: boolean }> {
  process.stderr.write(`${options.messages.map((m) => `✖ ${m}`).join('\n')}\n`);
  return { success: false };
}
