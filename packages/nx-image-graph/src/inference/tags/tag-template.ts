/**
 * Tag templates: `{variant}`, `{args.NAME}`, `{git.sha}`, `{git.shortSha}`, `{date:FORMAT}`,
 * `{hash}`, `{projectName}`. The graph expands them with what is known before a build
 * (variant, args, project) to match references to workspace images; the executor expands
 * them fully just before tagging.
 */
export interface TagContext {
  variant?: string;
  args?: Record<string, string>;
  projectName?: string;
  git?: { sha: string; shortSha: string };
  hash?: string;
  date?: Date;
}

export class TagTemplateError extends Error {}

const PLACEHOLDER = /\{([^{}]*)\}/g;
/** Docker's tag grammar: up to 128 of [A-Za-z0-9_.-], not starting with . or -. */
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isValidTag(tag: string): boolean {
  return VALID_TAG.test(tag);
}

/** Expand a template; `undefined` when it needs something the context does not have (e.g. git before a build). */
export function expandTagTemplate(template: string, context: TagContext): string | undefined {
  let missing = false;
  const value = template.replace(PLACEHOLDER, (_, key: string) => {
    const v = placeholderValue(key.trim(), context, template);
    if (v === undefined) missing = true;
    return v ?? '';
  });
  return missing ? undefined : value;
}

const KNOWN_PLACEHOLDERS = '{variant}, {args.NAME}, {git.sha}, {git.shortSha}, {date:FORMAT}, {hash} or {projectName}';
/** What each placeholder may give, for checking a template before any value is known (a hash is 64 hex digits). */
const SAMPLE: TagContext = {
  variant: 'v',
  args: new Proxy({}, { get: () => 'a' }) as Record<string, string>,
  projectName: 'p',
  git: { sha: 'a'.repeat(40), shortSha: 'a'.repeat(7) },
  hash: 'a'.repeat(64),
  date: new Date(0),
};

/**
 * What is wrong with a template, whatever the values: an unknown placeholder, a brace left open,
 * a character no tag may hold. Undefined when it is fine. Run when the manifest is read, so a bad
 * template fails its own image at graph time, not the build (or the graph) later.
 */
export function tagTemplateProblem(template: string): string | undefined {
  if (template === '') return undefined; // "must not be empty" is the schema's to say
  const literal = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(literal)) return `"${template}" has an unmatched "{" or "}"; placeholders are written {variant}, {args.NAME}, ...`;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const key = m[1].trim();
    if (key.startsWith('args.') && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key.slice(5)))
      return `"${template}" has {${key}}, which names no build arg; write {args.NAME} with a build arg's name`;
    try {
      placeholderValue(key, SAMPLE, template);
    } catch {
      return `"${template}" has an unknown placeholder {${key}}; use ${KNOWN_PLACEHOLDERS}`;
    }
  }
  const bad = [...new Set(literal.replace(/[A-Za-z0-9_.-]/g, ''))];
  if (bad.length)
    return `"${template}" holds ${bad.map((c) => JSON.stringify(c)).join(', ')}, which no Docker tag may contain (only A-Z a-z 0-9 _ . -)`;
  const sample = expandTagTemplate(template, SAMPLE)!;
  if (!isValidTag(sample)) {
    return sample.length > 128
      ? `"${template}" gives tags longer than 128 characters, the most a Docker tag may have`
      : `"${template}" gives tags like "${sample}", which is not a valid Docker tag (only A-Z a-z 0-9 _ . -, not starting with . or -)`;
  }
  return undefined;
}

/** Expand every template for a build; throws with the template and reason when a tag would be invalid. */
export function expandTags(templates: string[], context: TagContext): string[] {
  const tags = templates.map((t) => {
    const tag = expandTagTemplate(t, context);
    if (tag === undefined)
      throw new TagTemplateError(`tag template "${t}" needs a value that is not known here (${describeMissing(t, context)})`);
    if (!isValidTag(tag)) {
      throw new TagTemplateError(
        `tag template "${t}" gives "${tag}", which is not a valid Docker tag (at most 128 of A-Z a-z 0-9 _ . -, not starting with . or -)`,
      );
    }
    return tag;
  });
  return [...new Set(tags)];
}

function placeholderValue(key: string, c: TagContext, template: string): string | undefined {
  if (key === 'variant') return c.variant ?? '';
  if (key === 'projectName') return c.projectName;
  if (key === 'hash') return c.hash;
  if (key === 'git.sha') return c.git?.sha;
  if (key === 'git.shortSha') return c.git?.shortSha;
  if (key.startsWith('args.')) return c.args?.[key.slice(5)];
  if (key === 'date' || key.startsWith('date:')) return c.date ? formatDate(c.date, key.slice(5) || 'YYYYMMDD') : undefined;
  throw new TagTemplateError(`tag template "${template}" has an unknown placeholder {${key}}; use ${KNOWN_PLACEHOLDERS}`);
}

function describeMissing(template: string, c: TagContext): string {
  const keys = [...template.matchAll(PLACEHOLDER)].map((m) => m[1].trim());
  const missing = keys.filter((k) => placeholderValue(k, c, template) === undefined);
  return missing
    .map((k) =>
      k.startsWith('args.')
        ? `build arg ${k.slice(5)} is not set`
        : k.startsWith('git.')
          ? `{${k}}: the workspace has no git commit`
          : `{${k}}`,
    )
    .join(', ');
}

/** UTC date formatting with YYYY, MM, DD, HH, mm, ss tokens. */
export function formatDate(date: Date, format: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const tokens: Record<string, string> = {
    YYYY: String(date.getUTCFullYear()),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
  };
  return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (t) => tokens[t]);
}
