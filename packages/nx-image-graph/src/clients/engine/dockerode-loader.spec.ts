import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

/**
 * Jest has a module registry of its own, so the loader runs in a plain Node process here, compiled
 * as the package compiles it, against the workspace's dockerode.
 */
describe('dockerode-loader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockerode-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function runNode(script: string): Record<string, unknown> {
    const source = readFileSync(join(__dirname, 'dockerode-loader.ts'), 'utf8');
    const compiled = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    writeFileSync(join(dir, 'dockerode-loader.js'), compiled);
    writeFileSync(join(dir, 'script.js'), script);
    const nodePath = dirname(dirname(require.resolve('dockerode/package.json')));
    return JSON.parse(
      execFileSync(process.execPath, [join(dir, 'script.js')], { encoding: 'utf8', env: { ...process.env, NODE_PATH: nodePath } }),
    );
  }

  const loaded = `const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));`;

  it('loads dockerode without gRPC, proto-loader or ssh2, and the Docker it gives works', () => {
    const result = runNode(`${loaded}
      const { Docker } = require('./dockerode-loader.js');
      const docker = new Docker({ socketPath: '/nonexistent.sock' });
      console.log(JSON.stringify({
        grpc: loaded(/@grpc[\\\\/]grpc-js/), protoLoader: loaded(/proto-loader/), ssh2: loaded(/[\\\\/]ssh2[\\\\/]/),
        hasModem: typeof docker.modem.dial === 'function', isDockerode: Docker === require('dockerode'),
      }));`);
    expect(result).toEqual({ grpc: false, protoLoader: false, ssh2: false, hasModem: true, isDockerode: true });
  });

  it("loads docker-modem's ssh transport on its first use (DOCKER_HOST=ssh://)", () => {
    const result = runNode(`${loaded}
      const { Docker } = require('./dockerode-loader.js');
      const path = require('path');
      const ssh = require(require.resolve('docker-modem/lib/ssh', { paths: [path.dirname(require.resolve('dockerode/package.json'))] }));
      const before = loaded(/[\\\\/]ssh2[\\\\/]/);
      const agent = ssh({ host: '127.0.0.1', port: 1 });
      console.log(JSON.stringify({ before, after: loaded(/[\\\\/]ssh2[\\\\/]/), agent: typeof agent.createConnection }));`);
    expect(result).toEqual({ before: false, after: true, agent: 'function' });
  });

  it("loads dockerode's own session module on its first use, which then answers as the real one", () => {
    const result = runNode(`${loaded}
      const { Docker } = require('./dockerode-loader.js');
      const withSession = require(require.resolve('dockerode/lib/session'));
      const docker = new Docker({ socketPath: '/nonexistent.sock' });
      withSession(docker, undefined, (err) => {
        console.log(JSON.stringify({ grpc: loaded(/@grpc[\\\\/]grpc-js/), error: /ENOENT|nonexistent/.test(String(err && err.message)) }));
        process.exit(0);
      });`);
    expect(result).toEqual({ grpc: true, error: true });
  });
});
