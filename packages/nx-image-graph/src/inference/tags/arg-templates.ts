import { expandTagTemplate, TagContext } from './tag-template';

/**
 * Build args are templates, like tags: `{variant}`, `{args.NAME}`, `{projectName}` are filled in when
 * the graph is read; `{git.sha}`, `{git.shortSha}`, `{date:...}`, `{hash}` only a build knows, so
 * they stay in the value until then (`"BASE_IMG": "acme/base:sha-{git.sha}"` names the workspace
 * build tagged `sha-{git.sha}`).
 */
export function expandArgTemplates(
  args: Record<string, string>,
  context: TagContext,
  { dynamic }: { dynamic: boolean },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(args)) {
    if (!value.includes('{')) {
      out[name] = value;
      continue;
    }
    out[name] = value.replace(/\{([^{}]*)\}/g, (whole, key: string) => {
      const k = key.trim();
      const isDynamic = k.startsWith('git.') || k === 'hash' || k === 'date' || k.startsWith('date:');
      if (isDynamic && !dynamic) return whole;
      // Other args by their own (literal) values: no chains of templates.
      const filled = expandTagTemplate(`{${k}}`, {
        ...context,
        args: Object.fromEntries(Object.entries(args).filter(([, v]) => !v.includes('{'))),
      });
      return filled ?? whole;
    });
  }
  return out;
}

/** The placeholders a build can fill in, in a value read before the build. */
export function hasBuildTimePlaceholder(value: string): boolean {
  return /\{\s*(git\.[a-zA-Z]+|hash|date(:[^}]*)?)\s*\}/.test(value);
}
