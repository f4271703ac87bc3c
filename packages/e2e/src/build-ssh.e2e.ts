import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { removeImages } from './support/engine';
import { E2E_TMP, REPO_ROOT } from './support/paths';
import { TestWorkspace } from './support/test-workspace';

/**
 * SSH forwarding through the plugin's BuildKit session: a real ssh-agent holding a key this test
 * makes, a throwaway sshd on 127.0.0.1 (tools/sshd-up.sh) serving a git repository, and
 * `git clone` over ssh inside a build (network host, so the build reaches the host's sshd).
 */
const OWNER = `e2essh${process.pid}`;
/**
 * A small image with git and an ssh client, from debian:bookworm-slim: a workspace image the plugin
 * builds first (apt-get from Debian's mirror the first time, BuildKit's layer cache after that).
 * Outside OWNER, so it is not removed after the test and later runs find its layers.
 */
const GIT_IMAGE = 'nx-image-graph-test/git-ssh:bookworm';
const GIT_DOCKERFILE =
  'FROM debian:bookworm-slim\nRUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends git openssh-client ca-certificates && rm -rf /var/lib/apt/lists/*\n';

const cloneStep = (mode: string) =>
  `FROM ${GIT_IMAGE}\nARG SSHD_PORT\nARG REPO\nARG SSH_USER\n` +
  `RUN --mount=type=ssh,required=true echo "${mode}" && GIT_SSH_COMMAND="ssh -p \${SSHD_PORT} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null" ` +
  `git clone -q "ssh://\${SSH_USER}@127.0.0.1:\${SSHD_PORT}\${REPO}" /src && cat /src/README\n`;

describe('ssh forwarding through the BuildKit session', () => {
  let ws: TestWorkspace;
  let sshd: Record<string, string>;
  let agent: { SSH_AUTH_SOCK: string; SSH_AGENT_PID: string };
  const sshdDir = mkdtempSync(join((mkdirSync(E2E_TMP, { recursive: true }), E2E_TMP), 'sshd-'));

  beforeAll(async () => {
    const up = execFileSync('bash', [join(REPO_ROOT, 'tools', 'sshd-up.sh'), sshdDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    sshd = Object.fromEntries([...up.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    const agentOut = execFileSync('ssh-agent', ['-s', '-a', join(sshdDir, 'agent.sock')], { encoding: 'utf8' });
    agent = { SSH_AUTH_SOCK: /SSH_AUTH_SOCK=([^;]+)/.exec(agentOut)![1], SSH_AGENT_PID: /SSH_AGENT_PID=(\d+)/.exec(agentOut)![1] };
    execFileSync('ssh-add', [sshd.SSH_TEST_KEY], { env: { ...process.env, ...agent }, stdio: 'pipe' });
    const args = { SSHD_PORT: sshd.SSHD_PORT, REPO: sshd.SSH_TEST_REPO, SSH_USER: userInfo().username };
    ws = TestWorkspace.create('ssh', {
      'images/git-ssh/Dockerfile': GIT_DOCKERFILE,
      'images/git-ssh/image.json': JSON.stringify({ repository: 'nx-image-graph-test/git-ssh', tags: ['bookworm'], network: 'host' }),
      'images/clone/Dockerfile': cloneStep('through the agent'),
      'images/clone/image.json': JSON.stringify({ repository: `${OWNER}/clone`, network: 'host', ssh: ['default'], args }),
      'images/clone-key/Dockerfile': cloneStep('with a key file'),
      'images/clone-key/image.json': JSON.stringify({ repository: `${OWNER}/clone-key`, network: 'host', args }),
    });
  });
  afterAll(async () => {
    if (sshd?.SSHD_PID) spawnSync('kill', [sshd.SSHD_PID]);
    if (agent?.SSH_AGENT_PID) spawnSync('kill', [agent.SSH_AGENT_PID]);
    ws?.remove();
    rmSync(sshdDir, { recursive: true, force: true });
    await removeImages(`${OWNER}/`);
  });

  it('clones a git repository over ssh inside a build, with the agent at SSH_AUTH_SOCK ("ssh": ["default"])', () => {
    const r = ws.nx(['run', 'clone:docker-build', '--outputStyle=stream'], agent);
    if (r.code !== 0) throw new Error(r.output.slice(-4000));
    expect(r.output).toMatch(/RUN --mount=type=ssh,required=true echo "through the agent"/);
    expect(r.output).toContain('cloned over ssh');
    expect(r.output).toMatch(new RegExp(`✔ clone: [0-9a-f]{12} ${OWNER}/clone:latest`));
  });

  it('forwards a private key file given on the command line (--ssh=default=<key>), with no agent', () => {
    const r = ws.nx(['run', 'clone-key:docker-build', `--ssh=default=${sshd.SSH_TEST_KEY}`, '--outputStyle=stream'], { SSH_AUTH_SOCK: '' });
    if (r.code !== 0) throw new Error(r.output.slice(-4000));
    expect(r.output).toContain('cloned over ssh');
  });

  it('says what to do when the manifest forwards the agent and there is none', () => {
    ws.write({ 'images/clone/Dockerfile': cloneStep('no agent') });
    const r = ws.nx(['run', 'clone:docker-build', '--outputStyle=stream'], { SSH_AUTH_SOCK: '' });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('✖ clone: ssh "default" forwards the ssh agent, but SSH_AUTH_SOCK is not set');
  });
});
