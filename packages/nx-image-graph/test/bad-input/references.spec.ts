import { describeCases } from './test-support/bad-input-workspace';

const D = 'images/bad/Dockerfile';
const M = 'images/bad/image.json';
const json = (v: unknown) => JSON.stringify(v, null, 2);
const STAGES = 'FROM busybox:1.36 AS base\nFROM base AS runtime\nRUN true\n';

describeCases('bad input: references between images and stages', [
  {
    name: 'an image built on itself',
    files: { [D]: 'FROM bad:latest\n' },
    messages: [
      'images/bad/Dockerfile:1: "bad:latest" is the image this Dockerfile builds; an image cannot be built on itself. If the base is the published image of that name, give this image another "repository" in its manifest',
    ],
  },
  {
    name: 'a cycle of two images',
    files: { [D]: 'FROM other:latest\n', 'images/other/Dockerfile': 'FROM bad:latest\n' },
    messages: [
      'image cycle: bad -> other -> bad; an image cannot be built on its own descendants. Change one of these references:\n  images/bad/Dockerfile:1: bad is built on other ("other:latest")\n  images/other/Dockerfile:1: other is built on bad ("bad:latest")',
    ],
  },
  {
    name: 'a workspace repository with a tag no build has',
    files: { [D]: 'FROM good:1.0\n' },
    messages: [
      'images/bad/Dockerfile:1: "good:1.0" names good, which the workspace builds (good), but no build of it has tag "1.0"; did you mean "latest"? If you mean the published image, list "good:1.0" in "external" in an image.json beside the Dockerfile',
    ],
  },
  {
    name: 'two images publishing one repository:tag, referenced',
    files: {
      [D]: 'FROM shared:latest\n',
      'images/one/Dockerfile': 'FROM busybox:1.36\n',
      'images/one/image.json': json({ repository: 'shared' }),
      'images/two/Dockerfile': 'FROM busybox:1.36\n',
      'images/two/image.json': json({ repository: 'shared' }),
    },
    messages: [
      'images/bad/Dockerfile:1: "shared:latest" could be any of one:docker-build, two:docker-build; give them different tags or repositories',
    ],
  },
  {
    name: 'a build arg making an invalid reference',
    files: { [D]: 'ARG BASE=busybox:1.36\nFROM ${BASE}\n', [M]: json({ args: { BASE: 'Not A Reference' } }) },
    messages: ['images/bad/Dockerfile:2: "Not A Reference" is not a valid image reference; fix the reference or the ARG that makes it'],
  },
  {
    name: 'COPY --from a broken image: blocked, not built on a stale one',
    files: { [D]: 'FROM busybox:1.36\nCOPY --from=broken:latest /a /b\n', 'images/broken/Dockerfile': 'FROMM busybox\n' },
    messages: [
      'images/broken/Dockerfile:1: unknown instruction "FROMM"; did you mean FROM?\nimages/broken/Dockerfile:1: no FROM instruction; start the Dockerfile (after any ARGs) with FROM <image>, e.g. FROM alpine:3.20',
      'images/bad/Dockerfile:2: bad cannot be built because broken ("broken:latest") cannot be built: images/broken/Dockerfile:1: unknown instruction "FROMM"; did you mean FROM?',
    ],
  },
  {
    name: 'built on a broken image: blocked',
    files: { [D]: 'FROM broken:latest\n', 'images/broken/Dockerfile': 'FROM\n' },
    messages: [
      'images/broken/Dockerfile:1: FROM has no image; name the base image, e.g. FROM alpine:3.20 (or FROM scratch)',
      'images/bad/Dockerfile:1: bad cannot be built because broken ("broken:latest") cannot be built: images/broken/Dockerfile:1: FROM has no image; name the base image, e.g. FROM alpine:3.20 (or FROM scratch)',
    ],
  },
  {
    name: 'target naming no stage, one edit off',
    files: { [D]: STAGES, [M]: json({ target: 'runtim' }) },
    messages: [
      'images/bad/image.json: "target" "runtim" names no stage of images/bad/Dockerfile (its stages: base, runtime); did you mean "runtime"?',
    ],
  },
  {
    name: 'target naming no stage at all',
    files: { [D]: STAGES, [M]: json({ target: 'production' }) },
    messages: ['images/bad/image.json: "target" "production" names no stage of images/bad/Dockerfile (its stages: base, runtime)'],
  },
  {
    name: 'target in a Dockerfile without named stages',
    files: { [D]: 'FROM busybox:1.36\n', [M]: json({ target: 'runtime' }) },
    messages: [
      'images/bad/image.json: "target" "runtime" names no stage of images/bad/Dockerfile, which has no named stages; name one with FROM <image> AS <name>',
    ],
  },
  {
    name: "a variant's target naming no stage",
    files: { [D]: STAGES, [M]: json({ variants: { slim: { target: 'slim' }, full: { target: 'runtime' } } }) },
    messages: ['images/bad/image.json: "variants.slim.target" "slim" names no stage of images/bad/Dockerfile (its stages: base, runtime)'],
  },
  {
    name: 'COPY --from a stage number in a one-stage Dockerfile',
    files: { [D]: 'FROM busybox:1.36\nCOPY --from=7 /a /b\n' },
    messages: ['images/bad/Dockerfile:2: COPY --from=7: there is no stage 7; this Dockerfile has one stage, number 0'],
  },
]);
