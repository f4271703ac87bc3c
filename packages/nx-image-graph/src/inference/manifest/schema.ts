import { z } from 'zod';
import { RELEASE_VERSION } from './release-version';
import { tagTemplateProblem } from '../tags/tag-template';
import { REGISTRY_EXAMPLE, REGISTRY_NAME, registryHint } from '../references/registry-name';

/**
 * The image manifest (`image.json` beside a Dockerfile). Every field is optional:
 * a bare Dockerfile is a complete image; the manifest only says more.
 * The JSON Schema published as `image.schema.json` is generated from this file.
 */

const buildArgs = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a build arg name: letters, digits and _, not starting with a digit'), z.string())
  .describe('Build args (--build-arg). They override the Dockerfile ARG defaults, and may pick the parent image.');

const tagTemplate = z
  .string()
  .min(1)
  .superRefine((t, ctx) => {
    const problem = tagTemplateProblem(t);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid tag template: ${problem}` });
  })
  .describe(
    'A tag template: {variant}, {args.NAME}, {git.sha}, {git.shortSha}, {date:YYYYMMDD}, {hash}, {projectName}. Example: "{args.ARCH}-cu{args.CUDA}-torch{args.TORCH}".',
  );

const platform = z
  .string()
  .regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, 'an OS/architecture pair such as linux/amd64 or linux/arm64/v8')
  .describe('Target platform, e.g. linux/amd64.');

const secretSource = z
  .strictObject({
    env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional()
      .describe('Read the value from this environment variable.'),
    file: z.string().min(1).optional().describe('Read the value from this file: relative to the manifest, absolute, or starting with ~/.'),
    required: z.boolean().optional().describe('Fail before the build when the value is absent (default true).'),
    hashValue: z
      .boolean()
      .optional()
      .describe(
        "Let a SHA-256 digest of the value enter the Nx hash, so a new value rebuilds the image (default false: like docker, a secret's value is not part of the cache key).",
      ),
  })
  .refine((s) => (s.env === undefined) !== (s.file === undefined), { message: 'give exactly one of "env" or "file"' })
  .describe('Where a build secret comes from (never its value).');

const secrets = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a secret id: letters, digits, ".", "_" and "-"'), secretSource)
  .describe(
    'Build secrets by id, for RUN --mount=type=secret,id=<id>: { "hf_token": { "env": "HF_TOKEN" }, "pipconf": { "file": "~/.config/pip/pip.conf" } }. Their values go to the build only, over the BuildKit session.',
  );

const ssh = z
  .array(z.string().regex(/^[A-Za-z0-9_.-]+(=.+)?$/, 'an ssh id ("default"), or id=path to an agent socket or private key files'))
  .describe('SSH agents forwarded to RUN --mount=type=ssh: "default" (the agent at SSH_AUTH_SOCK), or "id=~/.ssh/key".');

const checkBase = {
  name: z.string().min(1).optional().describe('A name for the check, shown in reports.'),
  timeoutSeconds: z.number().int().positive().max(3600).optional().describe('Per-check timeout (default 60).'),
  gpu: z.boolean().optional().describe('The check needs a GPU runtime; it is reported as not run where the engine has none.'),
};

export const checkSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('command'),
    ...checkBase,
    command: z.array(z.string()).min(1).describe('Command run in a container of the image (exec form).'),
    exitCode: z.number().int().optional().describe('Expected exit code (default 0).'),
    outputMatches: z.string().optional().describe('A regular expression the combined output must match.'),
  }),
  z.strictObject({
    type: z.literal('file'),
    ...checkBase,
    path: z.string().startsWith('/', 'an absolute path inside the image'),
    kind: z.enum(['file', 'directory', 'any']).optional(),
  }),
  z.strictObject({
    type: z.literal('env'),
    ...checkBase,
    variable: z.string().min(1),
    equals: z.string().optional(),
    matches: z.string().optional(),
  }),
  z.strictObject({ type: z.literal('user'), ...checkBase, equals: z.string().min(1) }),
  z.strictObject({ type: z.literal('entrypoint'), ...checkBase, equals: z.array(z.string()) }),
]);

/** Push-only, so not among the build settings a build hashes (see graph/manifest-fields.ts). */
const contentTag = z
  .boolean()
  .optional()
  .describe(
    "Also push the tag nx-<Nx hash>, by which other machines and reuseFromRegistry find this exact build (default true); false pushes only the image's own tags.",
  );

/** Tasks whose outputs a build copies, where the plugin cannot find them from project.json/package.json outputs. */
const dependsOn = z
  .array(z.string().regex(/^[^:\s]+:[^\s]+$/, 'a task as project:target, e.g. "api:build"'))
  .describe(
    'Tasks that write files this image copies, as project:target (e.g. ["api:build"]): they run before the build, and the build is hashed by what it copies of their outputs. ' +
      'Needed only for tasks another Nx plugin infers: the outputs declared in project.json and package.json (and targetDefaults) are found without it.',
  );

const buildSettings = {
  dependsOn: dependsOn.optional(),
  dockerfile: z.string().min(1).optional().describe('Dockerfile path, relative to the manifest (default: Dockerfile).'),
  args: buildArgs.optional(),
  tags: z.array(tagTemplate).optional().describe('Tag templates (default: ["latest"], or ["{variant}"] with variants).'),
  target: z.string().min(1).optional().describe('Build stage to stop at (--target).'),
  platform: platform.optional(),
  platforms: z
    .array(platform)
    .min(1)
    .optional()
    .describe(
      'Build one image per platform, each its own cached target (docker-build-linux-arm64), pushed with an OCI image index over them: ["linux/amd64", "linux/arm64"]. Instead of "platform".',
    ),
  secrets: secrets.optional(),
  ssh: ssh.optional(),
};

export const variantName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'a variant name: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit');

export const variantSchema = z
  .strictObject({
    ...buildSettings,
    checks: z
      .array(checkSchema)
      .optional()
      .describe("This variant's checks, instead of the image's (e.g. no GPU checks for a cpu variant)."),
    contentTag: contentTag.describe("This variant's contentTag, instead of the image's: false pushes no nx-<Nx hash> tag for it."),
    context: z
      .string()
      .min(1)
      .optional()
      .describe(
        'This variant\'s build context, relative to the manifest (default: the image\'s), e.g. "cuda" with "dockerfile": "cuda/Dockerfile".',
      ),
  })
  .describe('One way to build this image: its own args (and so its own parent), tags, target.');

export const manifestSchema = z
  .strictObject({
    $schema: z.string().optional(),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/, 'a project name: letters, digits, ".", "_" and "-"')
      .optional()
      .describe(
        'Nx project name (default: the path below the top-level directory, e.g. `stages-cpu-demux` for images/stages/cpu/demux; see the plugin option projectNames).',
      ),
    repository: z
      .string()
      .regex(
        /^([a-z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
        'an image repository such as acme/base or registry.example.com/acme/base (lower case, no tag)',
      )
      .optional()
      .describe('Image repository, without tag (default: the project name).'),
    version: z
      .string()
      .regex(RELEASE_VERSION, 'a release version MAJOR.MINOR.PATCH[-prerelease] (no "+build" metadata: it cannot be in a tag)')
      .optional()
      .describe(
        "The image's release version, written by `nx release version` and tagged by nx-release-publish. No build reads it: changing it rebuilds nothing.",
      ),
    ...buildSettings,
    context: z
      .string()
      .min(1)
      .optional()
      .describe('Build context, relative to the manifest; may be above it, e.g. "../.." (default: ".").'),
    inputs: z
      .array(z.string().min(1))
      .optional()
      .describe('Extra files whose change must rebuild the image: globs relative to the manifest, or starting with {workspaceRoot}/.'),
    variants: z
      .record(variantName, variantSchema)
      .refine(
        (v) => Object.keys(v).length > 0,
        'is empty; name at least one variant, e.g. "variants": { "cpu": { "args": { ... } } }, or remove "variants" to build the image once',
      )
      .optional(),
    external: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'References this image\'s Dockerfile uses that name a repository the workspace builds, but mean the published image (e.g. "acme/base:2020-01-01"): built on as external images, not as workspace builds.',
      ),
    registries: z
      .array(
        z
          .string()
          .min(1)
          .superRefine((r, ctx) => {
            if (REGISTRY_NAME.test(r)) return;
            const hint = registryHint(r);
            ctx.addIssue({ code: 'custom', message: `${JSON.stringify(r)} is not ${REGISTRY_EXAMPLE}${hint ? `; ${hint}` : ''}` });
          }),
      )
      .optional()
      .describe(
        'Registries to push to, e.g. "registry.example.com" or "localhost:5000/team", besides the host the repository names (a repository such as registry.example.com/acme/x is pushed there with no registries).',
      ),
    contentTag,
    labels: z.record(z.string(), z.string()).optional().describe('Extra image labels.'),
    ociLabels: z
      .boolean()
      .optional()
      .describe(
        "Set the OCI labels title, source, revision and created, derived from the build's inputs (default true); false leaves them out.",
      ),
    timeoutMinutes: z
      .number()
      .positive()
      .optional()
      .describe(
        'End a build that runs longer than this many minutes, and cancel it in the engine (default: none; a build the engine sends no progress for 30 minutes is ended anyway).',
      ),
    contextWarnMB: z
      .number()
      .positive()
      .optional()
      .describe('Warn when the build context sent to the engine is larger than this many MB (default 200).'),
    network: z
      .string()
      .min(1)
      .optional()
      .describe('Network mode for RUN steps: "default", "host" or "none" (BuildKit); a named network needs "builder": "classic".'),
    pull: z.enum(['missing', 'always', 'never']).optional().describe('Pull policy for external base images (default: missing).'),
    builder: z.enum(['auto', 'buildkit', 'classic']).optional().describe('Builder (default: auto: BuildKit where the engine has it).'),
    archive: z
      .boolean()
      .optional()
      .describe('Keep an image archive (docker save) in the build outputs, so the Nx cache (local or remote) carries the image itself.'),
    cacheFrom: z
      .array(z.string().min(1))
      .optional()
      .describe('Images whose layers a build may reuse (BuildKit cache-from), e.g. "registry.example.com/acme/asr:cpu".'),
    inlineCache: z
      .boolean()
      .optional()
      .describe(
        "Make a build cache image beside the image (<repository>:buildcache[-<variant>]) holding BuildKit's inline cache metadata, pushed with it, for cacheFrom on other machines; the image itself never holds that metadata, so its id stays the same on every machine.",
      ),
    reuseFromRegistry: z
      .boolean()
      .optional()
      .describe(
        'Before building, pull <registry>/<repository>:nx-<hash> from the push registries; when it is there, use it instead of building.',
      ),
    checks: z.array(checkSchema).optional().describe('Validation checks run in a container of the built image (docker-validate).'),
  })
  .describe('nx-image-graph image manifest');

export type ImageManifest = z.infer<typeof manifestSchema>;
export type VariantManifest = z.infer<typeof variantSchema>;
export type ImageCheck = z.infer<typeof checkSchema>;
