import { sessionServices } from './session-services';
import { planBuildSession } from './session-settings';

const dockerfile = (text: string) => ({ text, path: 'images/asr/Dockerfile' });

describe('planBuildSession', () => {
  it('fails before the build on a required mount nothing gives, naming the secret, the line and the fixes', () => {
    expect(() =>
      planBuildSession({}, dockerfile('FROM x\nRUN --mount=type=secret,id=hf_token,required=true true\n'), '/ws', true, {}),
    ).toThrow(
      'secret "hf_token" is required by images/asr/Dockerfile:2 (RUN --mount=type=secret,id=hf_token) but nothing gives it: declare it in image.json: "secrets": { "hf_token": { "env": "VARIABLE" } }',
    );
    expect(() =>
      planBuildSession(
        { secrets: { hf_token: { env: 'HF', required: false } } },
        dockerfile('FROM x\nRUN --mount=type=secret,id=hf_token,required true\n'),
        '/ws',
        true,
        {},
      ),
    ).toThrow(/\(looked for in the environment variable HF\)/);
    expect(() => planBuildSession({}, dockerfile('FROM x\nRUN --mount=type=ssh,required=true git clone\n'), '/ws', true, {})).toThrow(
      /ssh "default" is required by images\/asr\/Dockerfile:2/,
    );
  });

  it('notes an optional mount nothing gives, and a credential-looking command-line build arg', () => {
    const plan = planBuildSession(
      { buildArg: ['HF_TOKEN=hf_value_123', 'CUDA=12.8'] },
      dockerfile('FROM x\nRUN --mount=type=secret,id=pipconf true\n'),
      '/ws',
      true,
      {},
    );
    expect(plan.notes).toEqual([
      expect.stringMatching(/^--build-arg=HF_TOKEN: build arg "HF_TOKEN" looks like a credential/),
      expect.stringMatching(
        /^images\/asr\/Dockerfile:2 \(RUN --mount=type=secret,id=pipconf\) has no secret "pipconf"; the step runs without it/,
      ),
    ]);
    expect(plan.redact('echo hf_value_123 12.8')).toBe('echo *** 12.8');
  });

  it('serves auth always, secrets and ssh when given, and redacts the secret values', () => {
    const plan = planBuildSession({ secret: 'id=hf_token,env=HF', ssh: 'default' }, dockerfile('FROM x\n'), '/ws', true, {
      HF: 'hf_secret_value',
      SSH_AUTH_SOCK: '/',
    });
    expect(sessionServices(plan, {}).map((s) => Object.values(s.definition)[0].path)).toEqual([
      '/moby.filesync.v1.Auth/Credentials',
      '/moby.buildkit.secrets.v1.Secrets/GetSecret',
      '/moby.sshforward.v1.SSH/CheckAgent',
    ]);
    expect(plan.redact('token hf_secret_value')).toBe('token ***');
  });

  it('refuses secrets on the classic builder instead of building without them', () => {
    expect(() => planBuildSession({ secret: 'id=a,env=A' }, dockerfile('FROM x\n'), '/ws', false, { A: 'x' })).toThrow(
      /need BuildKit, and this build uses the classic builder/,
    );
  });
});
