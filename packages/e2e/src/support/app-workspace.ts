/**
 * A small Nx monorepo whose images package its own code, as a team would have it: a shared library
 * and a Node API built by @nx/js's tsc executor into dist/, the API's image in the app's own folder
 * (copying both builds), a child image FROM the API image, and a static web app (a package.json
 * project of the npm workspaces) served by busybox httpd. `P` keeps its repositories apart from
 * other tests'.
 */
export function appWorkspaceFiles(P: string): Record<string, string> {
  return {
    'nx.json': JSON.stringify(
      {
        namedInputs: { default: ['{projectRoot}/**/*'], production: ['default'] },
        targetDefaults: {
          build: {
            cache: true,
            dependsOn: ['^build'],
            inputs: ['production', '^production'],
            outputs: ['{workspaceRoot}/dist/{projectRoot}'],
          },
        },
        plugins: [{ plugin: 'nx-image-graph' }],
      },
      null,
      2,
    ),
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'commonjs',
        moduleResolution: 'node',
        strict: true,
        declaration: true,
        skipLibCheck: true,
        baseUrl: '.',
        paths: { '@acme/shared': ['libs/shared/src/index.ts'] },
      },
    }),
    'libs/shared/project.json': JSON.stringify({
      name: 'shared',
      projectType: 'library',
      targets: {
        build: {
          executor: '@nx/js:tsc',
          outputs: ['{options.outputPath}'],
          options: { outputPath: 'dist/libs/shared', main: 'libs/shared/src/index.ts', tsConfig: 'libs/shared/tsconfig.lib.json' },
        },
      },
    }),
    'libs/shared/package.json': JSON.stringify({
      name: '@acme/shared',
      version: '0.0.1',
      main: './src/index.js',
      types: './src/index.d.ts',
    }),
    'libs/shared/tsconfig.lib.json': JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: { outDir: '../../dist/libs/shared', rootDir: '.' },
      include: ['src/**/*.ts'],
    }),
    'libs/shared/src/index.ts': 'export const greeting = (name: string) => `hello ${name} from shared v1`;\n',
    'apps/api/project.json': JSON.stringify({
      name: 'api',
      projectType: 'application',
      targets: {
        build: {
          executor: '@nx/js:tsc',
          outputs: ['{options.outputPath}'],
          options: { outputPath: 'dist/apps/api', main: 'apps/api/src/main.ts', tsConfig: 'apps/api/tsconfig.app.json' },
        },
      },
    }),
    'apps/api/tsconfig.app.json': JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: { outDir: '../../dist/apps/api' },
      include: ['src/**/*.ts'],
    }),
    'apps/api/src/main.ts': "import { greeting } from '@acme/shared';\nconsole.log(greeting('api v1'));\n",
    'apps/api/Dockerfile':
      'FROM busybox:1.36\nCOPY dist/libs/shared /app/node_modules/@acme/shared\nCOPY dist/apps/api /app\nCMD ["cat", "/app/src/main.js"]\n',
    'apps/api/image.json': JSON.stringify({ repository: `${P}/api`, context: '../..' }),
    'images/api-child/Dockerfile': `FROM ${P}/api:latest\nRUN cat /app/src/main.js > /child.txt\n`,
    'images/api-child/image.json': JSON.stringify({ repository: `${P}/api-child` }),
    'apps/web/package.json': JSON.stringify({
      name: 'web',
      private: true,
      scripts: { build: 'mkdir -p dist && cp index.html dist/index.html' },
      nx: { targets: { build: { outputs: ['{projectRoot}/dist'] } } },
    }),
    'apps/web/index.html': '<h1>web v1</h1>\n',
    'apps/web/Dockerfile': 'FROM busybox:1.36\nCOPY apps/web/dist /www\nCMD ["httpd", "-f", "-v", "-h", "/www"]\n',
    'apps/web/image.json': JSON.stringify({ repository: `${P}/web`, context: '../..' }),
  };
}

/** What the workspace installs from the registry beside nx and the plugin, per Nx major. */
export function appWorkspaceDevDependencies(nxVersion: string): Record<string, string> {
  return { '@nx/js': nxVersion, typescript: '5.9.3' };
}
