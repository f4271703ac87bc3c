import { expandTagTemplate } from '../tags/tag-template';

/**
 * What tags a tag template can give before a build knows its git commit, date or Nx hash:
 * `sha-{git.sha}` matches `sha-` and 40 hex digits, `{date:YYYYMMDD}` eight digits. A reference
 * matches a workspace build only through a tag its templates can really produce, never through
 * "some template is dynamic, so anything goes".
 */
export function tagTemplatePattern(
  template: string,
  context: { variant?: string; args: Record<string, string>; projectName: string },
): RegExp | undefined {
  let source = '';
  let last = 0;
  for (const m of template.matchAll(/\{([^{}]*)\}/g)) {
    source += escape(template.slice(last, m.index));
    last = m.index! + m[0].length;
    const key = m[1].trim();
    const fixed = safeExpand(`{${key}}`, context);
    if (fixed !== undefined) source += escape(fixed);
    else if (key === 'git.sha') source += '[0-9a-f]{40}';
    else if (key === 'git.shortSha') source += '[0-9a-f]{12}';
    else if (key === 'hash') source += '[0-9a-zA-Z]+';
    else if (key === 'date' || key.startsWith('date:')) source += datePattern(key.slice(5) || 'YYYYMMDD');
    else return undefined; // an arg without a value: this template cannot name a tag before the build
  }
  source += escape(template.slice(last));
  return new RegExp(`^${source}$`);
}

function safeExpand(
  template: string,
  context: { variant?: string; args: Record<string, string>; projectName: string },
): string | undefined {
  try {
    return expandTagTemplate(template, context);
  } catch {
    return undefined;
  }
}

function datePattern(format: string): string {
  let out = '';
  for (const part of format.split(/(YYYY|MM|DD|HH|mm|ss)/)) {
    if (part === 'YYYY') out += '[0-9]{4}';
    else if (['MM', 'DD', 'HH', 'mm', 'ss'].includes(part)) out += '[0-9]{2}';
    else out += escape(part);
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
