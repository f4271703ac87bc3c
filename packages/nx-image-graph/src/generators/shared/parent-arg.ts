import { DockerfileModel, imageDependencies, readDockerfile } from '../../inference/dockerfile';

/** The global ARG a Dockerfile takes its parent from: `ARG BASE_IMAGE=acme/ml-base:cuda` then `FROM ${BASE_IMAGE}`. */
export interface ParentArg {
  name: string;
  /** Index of the stage whose FROM uses it (the first FROM that uses a global ARG). */
  stage: number;
  /** The FROM image as written. */
  fromRaw: string;
  /** The literal text around the variable when the FROM is `<prefix>${NAME}<suffix>` (`acme/linnaeus-base:${BASE_TAG}`). */
  prefix?: string;
  suffix?: string;
  /** The ARG's default, unquoted, when it is a plain value (no variables). */
  literalDefault?: string;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
/** A FROM image that is one variable with literal text around it; `${NAME:-word}` counts as the variable. */
const ONE_VARIABLE = /^([^$]*)(?:\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*))([^$]*)$/;

function unquote(s: string): string {
  return /^(["']).*\1$/s.test(s) ? s.slice(1, -1) : s;
}

export function findParentArg(model: DockerfileModel): ParentArg | undefined {
  const globals = new Map(model.globalArgs.map((a) => [a.name, a]));
  for (const stage of model.stages) {
    const raw = stage.from.raw;
    const used = [...raw.matchAll(VARIABLE)].map((m) => m[1] ?? m[2]).filter((n) => globals.has(n));
    if (used.length === 0) continue;
    const name = used[0];
    const m = ONE_VARIABLE.exec(unquote(raw));
    const def = globals.get(name)?.defaultValue;
    const literalDefault = def !== undefined && !def.includes('$') ? unquote(def) : undefined;
    return {
      name,
      stage: stage.index,
      fromRaw: raw,
      ...(m && (m[2] ?? m[3]) === name ? { prefix: m[1], suffix: m[4] } : {}),
      ...(literalDefault !== undefined ? { literalDefault } : {}),
    };
  }
  return undefined;
}

/** The image the parent stage's FROM names under these build args (after ARG defaults), if it resolves. */
export function parentReferenceUnder(model: DockerfileModel, stage: number, args: Record<string, string>): string | undefined {
  const dep = imageDependencies(model, args).find((d) => d.kind === 'from' && d.stage === stage);
  return dep && dep.unresolved.length === 0 ? dep.reference : undefined;
}

/**
 * The value the ARG needs so that the FROM names `reference`: the whole reference for `FROM ${BASE_IMAGE}`,
 * the tag for `FROM acme/linnaeus-base:${BASE_TAG}`. Checked by expanding the FROM as the plugin will.
 */
export function argValueFor(
  model: DockerfileModel,
  arg: ParentArg,
  reference: string,
  otherArgs: Record<string, string>,
): string | undefined {
  const candidates = [reference];
  if (arg.prefix !== undefined && arg.suffix !== undefined && reference.startsWith(arg.prefix) && reference.endsWith(arg.suffix)) {
    candidates.unshift(reference.slice(arg.prefix.length, reference.length - arg.suffix.length));
  }
  return candidates.find(
    (value) => value !== '' && parentReferenceUnder(model, arg.stage, { ...otherArgs, [arg.name]: value }) === reference,
  );
}

/**
 * Turns a literal parent into an ARG without changing what is built: `FROM acme/base:cuda AS app` becomes
 * `ARG BASE_IMAGE=acme/base:cuda` (before the first FROM, where FROM lines can see it) and
 * `FROM ${BASE_IMAGE} AS app`. The stage is the first one built on an image (not on an earlier stage, not
 * scratch). Returns undefined when there is no such FROM or it is written in a way we do not rewrite
 * (a continuation line, variables).
 */
export function rewriteLiteralFrom(text: string, file: string): { text: string; arg: string; from: string } | undefined {
  const model = readDockerfile(text, file);
  if (model.problems.length) return undefined;
  const earlierNames = new Set<string>();
  const stage = model.stages.find((s) => {
    const raw = s.from.raw;
    const isImage = raw !== '' && !raw.includes('$') && raw.toLowerCase() !== 'scratch' && !earlierNames.has(raw.toLowerCase());
    if (s.name) earlierNames.add(s.name);
    return isImage;
  });
  if (!stage) return undefined;

  const taken = new Set(model.globalArgs.map((a) => a.name));
  const arg = ['BASE_IMAGE', 'PARENT_IMAGE', ...Array.from({ length: 8 }, (_, i) => `BASE_IMAGE_${i + 2}`)].find((n) => !taken.has(n));
  if (!arg) return undefined;

  const lines = text.split('\n');
  const fromLine = lines[stage.from.line - 1];
  const m = /^(\s*from\s+(?:--\S+\s+)*)(\S+)/i.exec(fromLine ?? '');
  if (!m || m[2] !== stage.from.raw) return undefined;
  lines[stage.from.line - 1] = `${m[1]}\${${arg}}${fromLine.slice(m[0].length)}`;
  const eol = fromLine.endsWith('\r') ? '\r' : '';
  lines.splice(
    model.stages[0].from.line - 1,
    0,
    `# The parent image, as an ARG so a variant in image.json can build this file on another parent.${eol}`,
    `ARG ${arg}=${stage.from.raw}${eol}`,
  );
  return { text: lines.join('\n'), arg, from: stage.from.raw };
}
