import { rmSync } from 'node:fs';
import { tempTree } from '../../core/fs/test-support/temp-tree';
import { normalizeOptions } from '../options/plugin-options';
import { ImageGraphMetadata } from '../targets/image-targets';
import { METADATA_KEY } from '../../core/nx/metadata-key';
import { inferFromFilesUncached } from '../targets/infer-from-files';
import { isBuildTarget } from '../targets/build-command';

/** The workspace: an app built by a command into dist/apps/api, and its image at the app's root. */
const api = {
  'apps/api/project.json': JSON.stringify({
    name: 'api',
    targets: {
      build: {
        command: 'mkdir -p dist/apps/api && cp apps/api/src/main.js dist/apps/api/main.js',
        outputs: ['{workspaceRoot}/dist/{projectRoot}'],
      },
    },
  }),
  'apps/api/src/main.js': 'console.log("v1")\n',
  'apps/api/Dockerfile': 'FROM busybox:1.36\nCOPY dist/apps/api /app\nCMD ["cat", "/app/main.js"]\n',
  'apps/api/image.json': JSON.stringify({ repository: 'appimg/api', context: '../..' }),
};

function infer(files: Record<string, string>) {
  const dir = tempTree(files);
  try {
    return inferFromFilesUncached(Object.keys(files), normalizeOptions(undefined), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("an image of an app's build output", () => {
  it('is built after the task that writes what it copies, and hashed by those files (no dist/ on disk)', () => {
    const { projects, problems, warnings } = infer(api);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    const p = projects.find((x) => x.root === 'apps/api')!;
    // The image's targets join the app's project: no name of its own.
    expect(p.project.name).toBeUndefined();
    const build = p.project.targets!['docker-build'];
    expect(isBuildTarget(build)).toBe(true);
    expect(build.dependsOn).toEqual([{ projects: ['api'], target: 'build' }]);
    expect(build.inputs).toEqual(
      expect.arrayContaining([
        { dependentTasksOutputFiles: 'dist/apps/api', transitive: false },
        { dependentTasksOutputFiles: 'dist/apps/api/**/*', transitive: false },
      ]),
    );
    const meta = p.project.metadata![METADATA_KEY] as ImageGraphMetadata;
    expect(meta.builds[0]).toMatchObject({ copies: ['dist/apps/api'], producers: ['api:build'] });
  });

  it("keeps its records out of the app's output folder", () => {
    const build = infer(api).projects.find((x) => x.root === 'apps/api')!.project.targets!['docker-build'];
    expect(build.outputs).toEqual([
      '{workspaceRoot}/dist/image-builds/apps/api/docker-build.json',
      '{workspaceRoot}/dist/image-builds/apps/api/docker-build.image-id',
      '{workspaceRoot}/dist/image-builds/apps/api/docker-build.inputs.json',
    ]);
  });

  it('is an image of its own project when its directory is elsewhere, with the edge to the app', () => {
    const files = {
      ...api,
      'apps/api/Dockerfile': undefined,
      'apps/api/image.json': undefined,
      'images/api/Dockerfile': 'FROM busybox:1.36\nCOPY dist/apps/api /app\n',
      'images/api/image.json': JSON.stringify({ repository: 'appimg/api', context: '../..' }),
    };
    const { projects, problems, warnings } = infer(
      Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) as Record<string, string>,
    );
    expect(problems).toEqual([]);
    const p = projects.find((x) => x.root === 'images/api')!;
    // "api" is the app's name: the image's default name is lengthened, and the graph says so.
    expect(p.project.name).toBe('images-api');
    expect(warnings.map((w) => w.message)).toEqual([
      'images/api -> images-api: the default project name "api" is the name of the project at apps/api, so the image\'s name was lengthened. Pin it with a "name" in its image.json, or put the Dockerfile in apps/api to make it an image of that project.',
    ]);
    expect(p.project.implicitDependencies).toEqual(['api']);
    expect(p.project.targets!['docker-build'].dependsOn).toEqual([{ projects: ['api'], target: 'build' }]);
  });

  it('takes a task named in the manifest for a path no project file declares, and still refuses what nothing writes', () => {
    const files = {
      'apps/web/Dockerfile': 'FROM busybox:1.36\nCOPY apps/web/out /www\n',
      'apps/web/image.json': JSON.stringify({ context: '../..', dependsOn: ['web:build'] }),
      'apps/other/Dockerfile': 'FROM busybox:1.36\nCOPY apps/other/out /www\n',
      'apps/other/image.json': JSON.stringify({ context: '../..' }),
    };
    const { projects, problems } = infer(files);
    expect(projects.find((x) => x.root === 'apps/web')!.project.targets!['docker-build'].dependsOn).toEqual([
      { projects: ['web'], target: 'build' },
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /^apps\/other\/Dockerfile:2: COPY source "apps\/other\/out" is not in the build context \., and no task of the workspace declares it as an output/,
      ),
    ]);
  });

  it('refuses an output directory whose records another target declares as its output', () => {
    const { problems } = inferFromFilesUncachedWith({
      ...api,
      'tools/project.json': JSON.stringify({ name: 'tools', targets: { gen: { command: 'x', outputs: ['{workspaceRoot}/dist'] } } }),
    });
    expect(problems.map((p) => p.message)).toContain(
      'the image\'s build records go to dist/image-builds/apps/api, which tools:gen also declares as its output (dist): Nx restoring either from its cache would replace the other\'s files; set the plugin option "outputDir" in nx.json to a folder no target writes',
    );
  });
});

function inferFromFilesUncachedWith(files: Record<string, string>) {
  return infer(files);
}
