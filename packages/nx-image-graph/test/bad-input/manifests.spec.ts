import { describeCases } from './test-support/bad-input-workspace';

const D = 'images/bad/Dockerfile';
const M = 'images/bad/image.json';
const ok = 'FROM busybox:1.36\n';
const manifest = (m: unknown) => ({ [D]: ok, [M]: JSON.stringify(m, null, 2) });
const text = (t: string) => ({ [D]: ok, [M]: t });

describeCases('bad input: image manifests', [
  {
    name: 'not JSON',
    files: text('{ name: bad }'),
    messages: [
      "images/bad/image.json:1:3: not valid JSON (Expected property name or '}'). Fix the syntax, or delete the file to use the Dockerfile alone.",
    ],
  },
  {
    name: 'a trailing comma',
    files: text('{ "name": "bad", }'),
    messages: [
      'images/bad/image.json:1:18: not valid JSON (Expected double-quoted property name). Fix the syntax, or delete the file to use the Dockerfile alone.',
    ],
  },
  {
    name: 'a byte-order mark',
    files: text('\uFEFF{ "name": "bad" }'),
    messages: ['images/bad/image.json: starts with a byte-order mark (BOM); save it as UTF-8 without BOM (JSON does not allow one)'],
  },
  {
    name: 'an array, not an object',
    files: text('["bad"]'),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - (top level): must be an object; got a list (["bad"])\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an empty file',
    files: text(''),
    messages: [
      'images/bad/image.json: not valid JSON (Unexpected end of JSON input). Fix the syntax, or delete the file to use the Dockerfile alone.',
    ],
  },
  {
    name: 'an unknown field',
    files: manifest({ nmae: 'x' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - (top level): unknown field "nmae"; remove it or check the spelling\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'two unknown fields',
    files: manifest({ tag: 'x', buildArgs: {} }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - (top level): unknown fields "tag", "buildArgs"; remove them or check the spelling\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a name with a space',
    files: manifest({ name: 'my image' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - name: "my image" is not a project name: letters, digits, ".", "_" and "-"\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an upper-case repository',
    files: manifest({ repository: 'Acme/Bad' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - repository: "Acme/Bad" is not an image repository such as acme/base or registry.example.com/acme/base (lower case, no tag)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a repository with a tag',
    files: manifest({ repository: 'acme/bad:1.0' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - repository: "acme/bad:1.0" is not an image repository such as acme/base or registry.example.com/acme/base (lower case, no tag)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'tags as a string',
    files: manifest({ tags: 'latest' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags: must be a list (JSON array); got "latest"\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an unknown placeholder {foo}',
    files: manifest({ tags: ['{foo}'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: not a valid tag template: "{foo}" has an unknown placeholder {foo}; use {variant}, {args.NAME}, {git.sha}, {git.shortSha}, {date:FORMAT}, {hash} or {projectName}\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an unmatched brace',
    files: manifest({ tags: ['v{git.sha'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: not a valid tag template: "v{git.sha" has an unmatched "{" or "}"; placeholders are written {variant}, {args.NAME}, ...\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a space in a tag',
    files: manifest({ tags: ['my tag'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: not a valid tag template: "my tag" holds " ", which no Docker tag may contain (only A-Z a-z 0-9 _ . -)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a tag starting with "-"',
    files: manifest({ tags: ['-rc1'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: not a valid tag template: "-rc1" gives tags like "-rc1", which is not a valid Docker tag (only A-Z a-z 0-9 _ . -, not starting with . or -)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a tag of 129 characters',
    files: manifest({ tags: ['a'.repeat(129)] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: not a valid tag template: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" gives tags longer than 128 characters, the most a Docker tag may have\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an empty tag',
    files: manifest({ tags: [''] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: must not be empty\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'every invalid tag, each with its field',
    files: manifest({ tags: ['ok', 'a:b', '{nope}', 'x/y'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[1]: not a valid tag template: "a:b" holds ":", which no Docker tag may contain (only A-Z a-z 0-9 _ . -)\n  - tags[2]: not a valid tag template: "{nope}" has an unknown placeholder {nope}; use {variant}, {args.NAME}, {git.sha}, {git.shortSha}, {date:FORMAT}, {hash} or {projectName}\n  - tags[3]: not a valid tag template: "x/y" holds "/", which no Docker tag may contain (only A-Z a-z 0-9 _ . -)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: "a variant's invalid tag",
    files: manifest({ variants: { cpu: { tags: ['cpu', '{variant}@x'] } } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - variants.cpu.tags[1]: not a valid tag template: "{variant}@x" holds "@", which no Docker tag may contain (only A-Z a-z 0-9 _ . -)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: '{args.} with no name',
    files: manifest({ tags: ['{args.}'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - tags[0]: not a valid tag template: "{args.}" has {args.}, which names no build arg; write {args.NAME} with a build arg\'s name\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a build arg name with a dash',
    files: manifest({ args: { 'MY-ARG': 'x' } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - args: "MY-ARG" is not a build arg name: letters, digits and _, not starting with a digit\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a build arg name starting with a digit',
    files: manifest({ args: { '1ARG': 'x' } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - args: "1ARG" is not a build arg name: letters, digits and _, not starting with a digit\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a build arg value that is a number',
    files: manifest({ args: { PYTHON: 3.11 } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - args.PYTHON: must be a string; got 3.11\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an upper-case variant name',
    files: manifest({ variants: { CPU: {} } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - variants: "CPU" is not a variant name: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a variant name with a slash',
    files: manifest({ variants: { 'cpu/x': {} } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - variants: "cpu/x" is not a variant name: lower-case letters, digits, ".", "_" and "-", starting with a letter or digit\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a variant with an unknown field',
    files: manifest({ variants: { cpu: { arg: {} } } }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - variants.cpu: unknown field "arg"; remove it or check the spelling\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an invalid platform',
    files: manifest({ platform: 'amd64' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - platform: "amd64" is not an OS/architecture pair such as linux/amd64 or linux/arm64/v8\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'an invalid pull policy',
    files: manifest({ pull: 'sometimes' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - pull: must be one of "missing", "always", "never"; got "sometimes"\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a check of an unknown type',
    files: manifest({ checks: [{ type: 'port', port: 80 }] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - checks[0].type: "port" is not a check type; use "command", "file", "env", "user" or "entrypoint"\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: '"dockerfile" naming a missing file',
    files: manifest({ dockerfile: 'Dockerfile.prod' }),
    messages: ['images/bad/image.json: Dockerfile "images/bad/Dockerfile.prod" does not exist; create it or fix "dockerfile"'],
  },
  {
    name: 'a context outside the workspace',
    files: manifest({ context: '../../..' }),
    messages: ['images/bad/image.json: context "../../.." is outside the workspace; point it at a directory inside it'],
  },
  {
    name: 'a context that does not exist',
    files: manifest({ context: 'nowhere' }),
    messages: ['images/bad/image.json: build context "images/bad/nowhere" does not exist; create it or fix the manifest\'s "context"'],
  },
  {
    name: 'an absolute input',
    files: manifest({ inputs: ['/etc/passwd'] }),
    messages: [
      'images/bad/image.json: "inputs"[0] "/etc/passwd" is an absolute path; write it relative to the manifest, or starting with {workspaceRoot}/',
    ],
  },
  {
    name: 'an input climbing out of the workspace',
    files: manifest({ inputs: ['../../../outside/*.json'] }),
    messages: ['images/bad/image.json: "inputs"[0] "../../../outside/*.json" is outside the workspace; list files inside it'],
  },
  {
    name: 'a {workspaceRoot} input climbing out',
    files: manifest({ inputs: ['{workspaceRoot}/../secrets'] }),
    messages: ['images/bad/image.json: "inputs"[0] "{workspaceRoot}/../secrets" is outside the workspace; list files inside it'],
  },
  {
    name: 'a registry with a scheme',
    files: manifest({ registries: ['http://127.0.0.1:5000/x'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - registries[0]: "http://127.0.0.1:5000/x" is not a registry such as "registry.example.com" or "localhost:5000/team"; write it without "http://": "127.0.0.1:5000/x"\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a registry that is not one',
    files: manifest({ registries: ['Registry Example'] }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - registries[0]: "Registry Example" is not a registry such as "registry.example.com" or "localhost:5000/team"\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'empty "variants"',
    files: manifest({ variants: {} }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - variants: is empty; name at least one variant, e.g. "variants": { "cpu": { "args": { ... } } }, or remove "variants" to build the image once\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a tag needing an arg no build sets',
    files: manifest({ tags: ['v-{args.MISSING}'] }),
    messages: [
      'images/bad/image.json: "tags"[0] "v-{args.MISSING}" uses build arg MISSING, which "args" does not set; add "MISSING" to "args", or fix the tag',
    ],
  },
  {
    name: 'a tag needing an arg one variant does not set',
    files: manifest({ tags: ['{variant}-cu{args.CUDA}'], variants: { cuda: { args: { CUDA: '12' } }, cpu: {} } }),
    messages: [
      'images/bad/image.json: "tags"[0] "{variant}-cu{args.CUDA}" uses build arg CUDA, which "args" does not set for variant cpu; add "CUDA" to "args" (or to "variants.cpu.args"), or fix the tag',
    ],
  },
  {
    name: 'a network BuildKit does not build with',
    files: manifest({ network: 'bogus' }),
    messages: [
      'images/bad/image.json: "network" "bogus" is not a network mode BuildKit builds with; use "default", "host" or "none" (a named network needs the classic builder: "builder": "classic")',
    ],
  },
  {
    name: "build args too large for the engine's request headers",
    files: manifest({ args: { SMALL: 'x', BIG: 'a'.repeat(700_000), BIGGER: 'b'.repeat(400_000) } }),
    messages: [
      'images/bad/image.json: "args" take 1.1 MB of the build request, and the engine accepts at most 1 MB of request headers (HTTP 431 otherwise); the largest: BIG (700 kB), BIGGER (400 kB). Pass large values as a file the build copies, or as a build secret',
    ],
  },
  {
    name: 'a build arg a RUN step cannot take',
    files: { [D]: 'FROM busybox:1.36\nARG MID\nRUN true\n', [M]: JSON.stringify({ args: { MID: 'm'.repeat(200_000) } }) },
    messages: [
      'images/bad/image.json: "args.MID" is 200 kB: a RUN step gets it as an environment variable, and Linux refuses one over 128 kB (the step fails with "argument list too long"); pass it as a file the build copies, or as a build secret',
    ],
  },
  {
    name: 'a version that is not MAJOR.MINOR.PATCH',
    files: manifest({ version: '1.2' }),
    messages: [
      'images/bad/image.json: invalid image manifest\n  - version: "1.2" is not a release version MAJOR.MINOR.PATCH[-prerelease] (no "+build" metadata: it cannot be in a tag)\nSee the JSON Schema nx-image-graph/image.schema.json for every field.',
    ],
  },
  {
    name: 'a directory name with non-ASCII letters',
    files: { 'images/ünï/Dockerfile': ok },
    project: '-n-',
    messages: [
      'images/ünï: the directory name "ünï" holds letters a project name or image repository cannot hold (only ASCII letters, digits, ".", "_" and "-"), so its project name would be "-n-", which is not valid; give the image its own in images/ünï/image.json, e.g. { "name": "uni", "repository": "uni" }',
    ],
  },
  {
    name: 'a manifest with no Dockerfile',
    files: { [M]: JSON.stringify({ name: 'bad' }) },
    messages: ['images/bad/image.json: no Dockerfile beside the manifest; add one or set "dockerfile"'],
  },
  {
    name: 'two manifests with one name',
    files: { ...manifest({ name: 'twin' }), 'images/twin/Dockerfile': ok, 'images/twin/image.json': JSON.stringify({ name: 'twin' }) },
    project: 'images-twin',
    messages: ['images/twin/image.json: project name "twin" is also used by images/bad/image.json; give one of them another "name"'],
  },
]);
