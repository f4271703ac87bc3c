import { parseBinfmtHandler } from './binfmt';
import { platformProblem, type EngineFacts } from './engine-platform';

const aarch64 = parseBinfmtHandler(
  'qemu-aarch64',
  'enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n',
)!;
const engine: EngineFacts = {
  native: 'linux/amd64',
  local: true,
  handlers: [aarch64],
  description: 'docker 20.10 at unix:///var/run/docker.sock',
};

describe('platformProblem', () => {
  it('lets the engine build its own platform and those it runs natively', () => {
    expect(platformProblem('linux/amd64', engine)).toEqual({});
    expect(platformProblem('linux/386', engine)).toEqual({});
  });
  it('lets it build a platform it has an emulator for', () => {
    expect(platformProblem('linux/arm64', engine)).toEqual({});
    expect(platformProblem('linux/arm64/v8', engine)).toEqual({});
  });
  it('refuses a platform without an emulator, with the fix', () => {
    const { problem } = platformProblem('linux/riscv64', engine);
    expect(problem).toContain('cannot run linux/riscv64 RUN steps: no binfmt_misc handler on its host runs riscv64 binaries');
    expect(problem).toContain('update-binfmts --enable qemu-riscv64');
  });
  it('says binfmt_misc is not mounted', () => {
    expect(platformProblem('linux/arm64', { ...engine, handlers: undefined }).problem).toContain('binfmt_misc is not mounted');
  });
  it('refuses a handler without the F flag', () => {
    expect(platformProblem('linux/arm64', { ...engine, handlers: [{ ...aarch64, flags: 'PO' }] }).problem).toContain(
      'lacks the F (fix-binary) flag',
    );
  });
  it('says so when it cannot check a remote engine, instead of guessing', () => {
    const r = platformProblem('linux/arm64', { ...engine, local: false, handlers: undefined });
    expect(r.problem).toBeUndefined();
    expect(r.note).toContain('cannot check from here');
  });
  it('refuses another operating system', () => {
    expect(platformProblem('windows/amd64', engine).problem).toContain('runs linux containers');
  });
});
