// Synthetic image workspaces for the graph-inference benchmark: N image directories shaped like
// the repo's example stack (images/): base pairs (cpu/cuda publishing one repository), ML bases with
// variants whose parent comes from a build arg, and leaves built on them through literal FROM,
// ARG defaults (also built from another ARG), COPY --from=<image> and RUN --mount=from=<image>;
// about half have an image.json, each has a small app/ (or runtime/, mlcore/) directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const pad = (i) => String(i).padStart(4, '0');

/**
 * The directories and files of a workspace of `n` images, and what the plugin should make of them:
 * the project names and the project-to-project edges (deduplicated), to check the inference.
 */
export function planWorkspace(n) {
  const pairs = Math.max(1, Math.round(n / 50));
  const mlBases = Math.max(1, Math.round(n / 30));
  const leaves = n - 2 * pairs - mlBases;
  if (leaves < 4) throw new Error(`N=${n} is too small (need at least ${2 * pairs + mlBases + 4})`);

  const files = {};
  const projects = [];
  const edges = new Set();
  const withManifest = { yes: 0, no: 0 };
  const addImage = (name, hasManifest) => {
    projects.push(name);
    withManifest[hasManifest ? 'yes' : 'no']++;
  };

  // Bases: images/bases/base-J/{cpu,cuda}, context "..", sharing runtime/.
  for (let j = 0; j < pairs; j++) {
    const dir = `images/bases/base-${j}`;
    files[`${dir}/runtime/bin/run-stage`] = runStage(j);
    for (const flavor of ['cpu', 'cuda']) {
      const name = `base-${j}-${flavor}`;
      files[`${dir}/${flavor}/image.json`] = json({
        $schema: '../../../../node_modules/nx-image-graph/image.schema.json',
        name,
        repository: `acme/base-${j}`,
        tags: [flavor],
        context: '..',
      });
      files[`${dir}/${flavor}/Dockerfile`] = baseDockerfile(j, flavor);
      addImage(name, true);
    }
  }

  // ML bases: one Dockerfile, the variant's BASE_IMAGE picks base-J:cuda or base-J:cpu.
  for (let k = 0; k < mlBases; k++) {
    const j = k % pairs;
    const dir = `images/ml/ml-base-${k}`;
    files[`${dir}/image.json`] = json({
      $schema: '../../../node_modules/nx-image-graph/image.schema.json',
      repository: `acme/ml-base-${k}`,
      tags: ['{variant}'],
      variants: { cuda: { args: { BASE_IMAGE: `acme/base-${j}:cuda` } }, cpu: { args: { BASE_IMAGE: `acme/base-${j}:cpu` } } },
    });
    files[`${dir}/Dockerfile`] = mlBaseDockerfile(k, j);
    files[`${dir}/mlcore/lib/mlcore.sh`] = `# mlcore ${k}\nml_self_test() { echo ok; }\nml_device() { echo cpu; }\n`;
    files[`${dir}/mlcore/share/vocab.txt`] = Array.from({ length: 20 }, (_, i) => `token-${k}-${i}`).join('\n') + '\n';
    addImage(`ml-base-${k}`, true);
    edges.add(`ml-base-${k} -> base-${j}-cpu`);
    edges.add(`ml-base-${k} -> base-${j}-cuda`);
  }

  // Leaves: images/stages/group-G/stage-IIII, 50 to a group, four shapes in turn.
  for (let i = 0; i < leaves; i++) {
    const name = `stage-${pad(i)}`;
    const dir = `images/stages/group-${Math.floor(i / 50)}/${name}`;
    const j = i % pairs;
    const k = i % mlBases;
    files[`${dir}/app/main.sh`] = `#!/bin/sh\n# ${name}\nset -eu\necho "${name}: $*"\ncat /app/data.txt | wc -l\n`;
    files[`${dir}/app/data.txt`] = Array.from({ length: 8 }, (_, r) => `${name}\trow-${r}\t${(r * 37 + i) % 101}`).join('\n') + '\n';
    switch (i % 4) {
      case 0: // CPU stage: literal FROM, manifest.
        files[`${dir}/image.json`] = json({
          $schema: '../../../../node_modules/nx-image-graph/image.schema.json',
          repository: `acme/${name}`,
          tags: ['cpu'],
        });
        files[`${dir}/Dockerfile`] = cpuStageDockerfile(name, j);
        addImage(name, true);
        edges.add(`${name} -> base-${j}-cpu`);
        break;
      case 1: // GPU stage with variants: parent from an ARG default built from another ARG.
        files[`${dir}/image.json`] = json({
          $schema: '../../../../node_modules/nx-image-graph/image.schema.json',
          repository: `acme/${name}`,
          tags: ['{variant}'],
          variants: { cuda: {}, cpu: { args: { BASE_IMAGE: `acme/ml-base-${k}:cpu` } } },
        });
        files[`${dir}/Dockerfile`] = gpuStageDockerfile(name, k);
        addImage(name, true);
        edges.add(`${name} -> ml-base-${k}`);
        break;
      case 2: {
        // No manifest: multi-stage, .dockerignore, COPY --from=<an earlier CPU stage image>.
        const dep = `stage-${pad(i - 2)}`;
        files[`${dir}/Dockerfile`] = multiStageDockerfile(name, j, dep);
        files[`${dir}/.dockerignore`] = '.env\nnotes/\n*.tmp\n';
        files[`${dir}/notes/readme.txt`] = 'local notes, never sent to the engine\n';
        addImage(name, false);
        edges.add(`${name} -> base-${j}-cpu`);
        edges.add(`${name} -> ${dep}`);
        break;
      }
      default: {
        // No manifest: FROM $BASE (ARG default), RUN --mount=from=<an earlier CPU stage image>.
        const dep = `stage-${pad(i - 3)}`;
        files[`${dir}/Dockerfile`] = mountFromDockerfile(name, j, dep);
        addImage(name, false);
        edges.add(`${name} -> base-${j}-cpu`);
        edges.add(`${name} -> ${dep}`);
      }
    }
  }
  return {
    files,
    projects: projects.sort(),
    edges: [...edges].sort(),
    counts: { pairs, mlBases, leaves, ...withManifest },
    changeable: changeableDockerfile(leaves),
  };
}

/** A leaf Dockerfile in the middle of the tree (a GPU stage), the one the "changed" measurement edits. */
function changeableDockerfile(leaves) {
  let i = Math.floor(leaves / 2);
  while (i % 4 !== 1) i--;
  return `images/stages/group-${Math.floor(i / 50)}/stage-${pad(i)}/Dockerfile`;
}

export function writeWorkspace(dir, plan, { plugin }) {
  const all = {
    ...plan.files,
    'nx.json': nxJson(plugin),
    '.gitignore': 'node_modules\ndist\n.nx\n',
  };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/**
 * nx.json with the plugin (as the README configures it) or without it: the floor. The planned names
 * are the directories' own (`stage-0500` under images/stages/group-10/): "directory" names, as a
 * workspace upgraded from 0.2 keeps them (the migration pin-directory-project-names).
 */
export function nxJson(plugin) {
  return json({
    $schema: './node_modules/nx/schemas/nx-schema.json',
    plugins: plugin ? [{ plugin: 'nx-image-graph', include: ['images/**'], options: { projectNames: 'directory' } }] : [],
  });
}

const json = (v) => `${JSON.stringify(v, null, 2)}\n`;

function runStage(j) {
  return `#!/bin/sh
# run-stage ${j}: stand-in runtime shared by base-${j}:cpu and base-${j}:cuda.
set -eu
case "\${1:-}" in
  --self-test) echo "self-test ok"; exit 0 ;;
  --version) echo "run-stage 3.11-standin (\${RUNTIME_FLAVOR:-cpu})"; exit 0 ;;
esac
exec /app/main.sh "$@"
`;
}

function baseDockerfile(j, flavor) {
  const from = flavor === 'cpu' ? 'busybox:1.36' : 'debian:bookworm-slim';
  return `# acme/base-${j}:${flavor} -- the ${flavor} runtime the stages are built on.
# Build context is the pair's directory (image.json: "context": ".."), so runtime/
# is shared with the other flavour.
FROM ${from}

ENV RUNTIME_HOME=/opt/runtime \\
    RUNTIME_VERSION=3.11-standin \\
    RUNTIME_FLAVOR=${flavor} \\
    PATH=/opt/runtime/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

COPY runtime/ /opt/runtime/
${flavor === 'cuda' ? 'RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*\n' : ''}
RUN chmod 0755 /opt/runtime/bin/run-stage \\
 && echo 'pipeline:x:1000:1000:pipeline:/home/pipeline:/bin/sh' >> /etc/passwd \\
 && mkdir -p /app /data /out /home/pipeline \\
 && run-stage --self-test \\
 && test "$(run-stage --version)" = "run-stage 3.11-standin (${flavor})"

WORKDIR /app
CMD ["run-stage"]
`;
}

function mlBaseDockerfile(k, j) {
  return `# acme/ml-base-${k}:{cuda,cpu} -- the shared ML layer. One Dockerfile, two parents:
# the variant's BASE_IMAGE build arg picks acme/base-${j}:cuda or acme/base-${j}:cpu.
ARG BASE_IMAGE=acme/base-${j}:cuda
FROM \${BASE_IMAGE}

ARG MLCORE_VERSION=0.9.${k}
ENV ML_HOME=/opt/ml \\
    MLCORE_VERSION=\${MLCORE_VERSION}

COPY mlcore/ /opt/ml/

RUN cd /opt/ml/share \\
 && awk '{ printf "%d\\t%s\\n", NR, $0 }' vocab.txt > vocab.idx \\
 && test "$(wc -l < vocab.idx)" -eq "$(wc -l < vocab.txt)" \\
 && . /opt/ml/lib/mlcore.sh \\
 && ml_self_test \\
 && printf 'mlcore=%s\\ndevice=%s\\n' "$MLCORE_VERSION" "$(ml_device)" > /opt/ml/BUILD_INFO
`;
}

function cpuStageDockerfile(name, j) {
  return `# acme/${name}:cpu -- a CPU stage.
FROM acme/base-${j}:cpu

ENV STAGE=${name}
COPY app/ /app/

RUN chmod 0755 /app/main.sh \\
 && out=$(run-stage "Lagaan" 2001) \\
 && echo "$out" \\
 && test -n "$out"

USER pipeline
`;
}

function gpuStageDockerfile(name, k) {
  return `# acme/${name}:{cuda,cpu} -- a GPU stage with a CPU fallback.
# The default parent is built from two ARGs; the cpu variant overrides BASE_IMAGE.
ARG REGISTRY_PREFIX=acme
ARG BASE_IMAGE="\${REGISTRY_PREFIX}/ml-base-${k}:cuda"
FROM \${BASE_IMAGE} AS runtime

ENV STAGE=${name}
COPY app/ /app/

RUN chmod 0755 /app/main.sh \\
 && if [ -f /usr/local/cuda/version.json ]; then want=cuda; else want=cpu; fi \\
 && out=$(run-stage /app/data.txt 2>/dev/null) \\
 && echo "$out" \\
 && test -n "$want"

USER pipeline
`;
}

function multiStageDockerfile(name, j, dep) {
  return `# acme/${name}:latest -- multi-stage: the build stage prepares, the final image gets the result.
FROM --platform=$BUILDPLATFORM acme/base-${j}:cpu AS build
WORKDIR /src
COPY . .
RUN test ! -e .env \\
 && test ! -e notes \\
 && mkdir -p /build/bin \\
 && cp app/main.sh /build/bin/${name}

FROM acme/base-${j}:cpu
ENV STAGE=${name} \\
    STAGE_ENTRY=/app/bin/${name}
COPY --from=build /build/ /app/
COPY --from=acme/${dep}:cpu /app/main.sh /opt/deps/${dep}.sh
RUN test -x /app/bin/${name} && test -f /opt/deps/${dep}.sh

USER pipeline
`;
}

function mountFromDockerfile(name, j, dep) {
  return `# acme/${name}:latest -- parent from an ARG default; a file taken from another image at build time.
ARG BASE=acme/base-${j}:cpu
FROM $BASE

ENV STAGE=${name}
COPY app/ /app/

RUN --mount=from=acme/${dep}:cpu,source=/app,target=/dep \\
    cp /dep/main.sh /opt/${dep}.sh \\
 && chmod 0755 /app/main.sh /opt/${dep}.sh

USER pipeline
`;
}
