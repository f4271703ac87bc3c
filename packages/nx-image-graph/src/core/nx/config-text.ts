/**
 * Text the plugin writes into a target's options (a problem message, which may quote a user's
 * `{workspaceRoot}/..` input or list the tag placeholders `{hash}`, `{projectName}`): Nx reads
 * every option string as a template. It replaces `{projectRoot}` and `{projectName}`, and refuses
 * the whole graph for a `{workspaceRoot}` that is not at the start. So each `{` gets a zero-width
 * space after it, which no Nx token has (and which reads the same), and the executor that prints
 * the text takes it out again. Reversible for any text: only the space added after each `{` goes.
 */
const MARK = '\u200B';

export function toConfigText(text: string): string {
  return text.replace(/\{/g, `{${MARK}`);
}

export function fromConfigText(text: string): string {
  return text.replace(/\{\u200B/g, '{');
}
