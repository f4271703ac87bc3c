import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlerFor, parseBinfmtHandler, readBinfmtHandlers } from './binfmt';

// What Debian's qemu-user-static registers (cat /proc/sys/fs/binfmt_misc/qemu-aarch64).
const AARCH64 = `enabled
interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P
flags: POCF
offset 0
magic 7f454c460201010000000000000000000200b700
mask ffffffffffffff00fffffffffffffffffeffffff
`;
const S390X = `enabled
interpreter /usr/libexec/qemu-binfmt/s390x-binfmt-P
flags: POCF
offset 0
magic 7f454c4602020100000000000000000000020016
mask ffffffffffffff00fffffffffffffffffffeffff
`;

describe('binfmt handlers', () => {
  it('finds the handler of an architecture by its ELF magic, not its name', () => {
    const h = parseBinfmtHandler('my-arm-emulator', AARCH64)!;
    expect(h.flags).toBe('POCF');
    expect(handlerFor('arm64', [h])?.name).toBe('my-arm-emulator');
    expect(handlerFor('riscv64', [h])).toBeUndefined();
    expect(handlerFor('amd64', [h])).toBeUndefined();
  });
  it('reads big-endian machines', () => {
    expect(handlerFor('s390x', [parseBinfmtHandler('qemu-s390x', S390X)!])?.name).toBe('qemu-s390x');
  });
  it('ignores a disabled handler', () => {
    expect(handlerFor('arm64', [parseBinfmtHandler('qemu-aarch64', AARCH64.replace('enabled', 'disabled'))!])).toBeUndefined();
  });
  it('reads a binfmt_misc directory, and says when it is not mounted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'binfmt-'));
    expect(readBinfmtHandlers(dir)).toBeUndefined();
    writeFileSync(join(dir, 'register'), '');
    writeFileSync(join(dir, 'status'), 'enabled\n');
    writeFileSync(join(dir, 'qemu-aarch64'), AARCH64);
    expect(readBinfmtHandlers(dir)?.map((h) => h.name)).toEqual(['qemu-aarch64']);
  });
});
