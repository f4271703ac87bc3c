import { posix } from 'node:path';
import { z } from 'zod';
import { PROJECT_NAME_STYLES } from './project-names';
import { PluginOptionsError } from './plugin-options-error';
import { REGISTRY_EXAMPLE, REGISTRY_NAME } from '../references/registry-name';

/**
 * Plugin options, as written in nx.json: `{ "plugin": "nx-image-graph", "options": { ... } }`.
 * Validated here, once, like the manifest: a wrong option would make every image wrong, so it is
 * one clear error naming nx.json and the option, never a TypeError or a silently different graph.
 */

const targetName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a target name: letters, digits, ".", "_" and "-", e.g. "docker-build"');

/** The names createNodes watches (plugin.ts's IMAGE_FILES); a pattern outside them would silently match nothing. */
const WATCHED_DOCKERFILE = /^(Dockerfile|Containerfile)(\.[^/]+)?$|^[^/]+\.(Dockerfile|Containerfile)$/;
const dockerfilePattern = z
  .string()
  .refine(
    (p) => WATCHED_DOCKERFILE.test(p),
    'a Dockerfile name the plugin watches: Dockerfile, Containerfile, Dockerfile.*, Containerfile.*, *.Dockerfile or *.Containerfile',
  );

const manifestName = z
  .string()
  .refine(
    (m) => m === 'image.json' || /^[^/*]+\.image\.json$/.test(m),
    'a manifest file name the plugin watches: "image.json" or a name ending in ".image.json"',
  );

const outputDir = z.string().refine((d) => {
  if (d.trim() === '' || posix.isAbsolute(d) || /^[A-Za-z]:[\\/]/.test(d)) return false;
  const n = posix.normalize(d.replace(/\\/g, '/'));
  return n !== '..' && !n.startsWith('../');
}, 'a directory inside the workspace, relative to it, e.g. "dist"');

const owner = z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*$/, 'an owner prefix such as "acme" (lower case, no "/")');
const registry = z.string().regex(REGISTRY_NAME, REGISTRY_EXAMPLE);

export const pluginOptionsSchema = z.strictObject({
  buildTargetName: targetName.optional().describe('Target that builds an image (default `docker-build`); variants get `<name>-<variant>`.'),
  pushTargetName: targetName.optional().describe('Target that pushes an image (default `docker-push`).'),
  materializeTargetName: targetName
    .optional()
    .describe("Target that makes the engine hold a (cached) build's exact image (default `docker-materialize`)."),
  layersTargetName: targetName.optional().describe("Target that reports an image's layers (default `docker-layers`)."),
  validateTargetName: targetName.optional().describe('Target that validates a built image (default `docker-validate`).'),
  dockerfiles: z
    .array(dockerfilePattern)
    .min(1, 'at least one Dockerfile name, e.g. ["Dockerfile"]')
    .optional()
    .describe(
      'File names that make a directory an image. Default: Dockerfile, Containerfile. Add `Dockerfile.*` or `*.Dockerfile` to take those too.',
    ),
  manifest: manifestName.optional().describe('Manifest file name: `image.json` (default) or a name ending in `.image.json`.'),
  outputDir: outputDir.optional().describe('Where image metadata files go, relative to the workspace (default `dist`).'),
  ignoredOwners: z
    .array(owner)
    .optional()
    .describe('Owner prefixes ignored when matching references to workspace images, e.g. `["rajiup"]`.'),
  hashExternalBases: z.boolean().optional().describe('Hash each external base by its image id in the local engine (default true).'),
  registries: z
    .array(registry)
    .optional()
    .describe('Registries to push to, for every image without its own `registries`, besides the host its repository names.'),
  projectNames: z
    .enum(PROJECT_NAME_STYLES)
    .optional()
    .describe(
      'Default project names: "derived" (default) is the path below the top-level directory (`images/stages/cpu/demux` is `stages-cpu-demux`), which no other directory changes; "directory" (the default before 0.3.0) is the directory\'s name, lengthened with its parents\' names where directories share it; "path" is always the whole path. A manifest\'s "name" wins either way.',
    ),
  buildTargets: z
    .enum(['command', 'executor'])
    .optional()
    .describe(
      'How image builds run: "command" (default) is nx-image-graph-build, a command Nx runs from its own process; "executor" is the nx-image-graph:build executor, a task process per build, or every build of a run in one process with NX_BATCH_MODE=true (faster on a cold CI run, at the cost of how the output is shown: docs/building.md, "Many builds in one process").',
    ),
  materialize: z
    .enum(['check', 'on-hit'])
    .optional()
    .describe(
      'After a run, "check" (default) names every cache hit whose image is not in the engine; "on-hit" puts it there (registry by nx-<hash>, or the cached archive), for CI jobs that `docker run` right after.',
    ),
});

export type ImageGraphPluginOptions = z.infer<typeof pluginOptionsSchema>;

/** The options as written, checked: throws PluginOptionsError naming nx.json and each wrong option. */
export function validateOptions(raw: unknown): ImageGraphPluginOptions {
  const result = pluginOptionsSchema.safeParse(raw ?? {});
  if (!result.success) throw new PluginOptionsError(describeOptionIssues(raw, result.error.issues));
  return result.data;
}

function describeOptionIssues(raw: unknown, issues: z.core.$ZodIssue[]): string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return `nx.json: the "options" of plugin nx-image-graph must be an object, e.g. { "outputDir": "dist" }; got ${show(raw)}`;
  }
  const lines = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys
        .map(
          (k) =>
            `nx.json: nx-image-graph has no option "${k}"; remove it or check the spelling (options: ${Object.keys(pluginOptionsSchema.shape).join(', ')})`,
        )
        .join('\n');
    }
    const key = String(issue.path[0]);
    const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown>)?.[p], raw);
    const where =
      issue.path.length > 1
        ? `"${key}"${issue.path
            .slice(1)
            .map((p) => `[${String(p)}]`)
            .join('')}`
        : `"${key}"`;
    return `nx.json: nx-image-graph option ${where} must be ${expected(issue)}; got ${show(value)}`;
  });
  return lines.join('\n');
}

/** What an option takes, in words. */
function expected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const kind =
      issue.expected === 'array' ? 'a list (JSON array)' : issue.expected === 'boolean' ? 'true or false' : `a ${issue.expected}`;
    return `${kind}${issue.path.length > 1 ? '' : typeHint(String(issue.path[0]))}`;
  }
  return issue.message;
}

const TYPE_HINTS: Record<string, string> = {
  dockerfiles: ' of file names, e.g. ["Dockerfile"]',
  registries: ' of registries, e.g. ["registry.example.com"]',
  ignoredOwners: ' of owner prefixes, e.g. ["acme"]',
  outputDir: ': a directory inside the workspace, e.g. "dist"',
  manifest: ': a file name, e.g. "image.json"',
};

function typeHint(key: string): string {
  return TYPE_HINTS[key] ?? (key.endsWith('TargetName') ? ': a target name, e.g. "docker-build"' : '');
}

function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
