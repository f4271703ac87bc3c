/**
 * Replaces known secret values in text the plugin prints or writes (a step's log that echoes a
 * token, a build arg given on the command line). Values shorter than 4 characters are left
 * alone: replacing them would mangle ordinary output and hide nothing worth hiding.
 */
export function makeRedactor(values: Iterable<string>): (text: string) => string {
  const list = [...new Set([...values].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  if (!list.length) return (t) => t;
  return (text) => {
    let out = text;
    for (const v of list) if (out.includes(v)) out = out.split(v).join('***');
    return out;
  };
}
