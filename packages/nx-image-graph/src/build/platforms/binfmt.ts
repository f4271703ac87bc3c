import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One binfmt_misc handler, as /proc/sys/fs/binfmt_misc/<name> describes it. */
export interface BinfmtHandler {
  name: string;
  enabled: boolean;
  interpreter?: string;
  flags: string;
  offset: number;
  magic: Buffer;
  mask?: Buffer;
}

export function parseBinfmtHandler(name: string, text: string): BinfmtHandler | undefined {
  const field = (key: string) =>
    text
      .split('\n')
      .find((l) => l.startsWith(`${key} `) || l.startsWith(`${key}:`))
      ?.slice(key.length + 1)
      .trim();
  const magic = field('magic');
  if (!magic) return undefined; // an extension handler, not a magic one
  const mask = field('mask');
  return {
    name,
    enabled: text.split('\n')[0].trim() === 'enabled',
    interpreter: field('interpreter'),
    flags: field('flags') ?? '',
    offset: Number(field('offset') ?? 0),
    magic: Buffer.from(magic, 'hex'),
    ...(mask ? { mask: Buffer.from(mask, 'hex') } : {}),
  };
}

/** The handlers registered on this machine's kernel; undefined when binfmt_misc is not mounted. */
export function readBinfmtHandlers(dir = '/proc/sys/fs/binfmt_misc'): BinfmtHandler[] | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n !== 'register' && n !== 'status');
    if (!readdirSync(dir).includes('register')) return undefined;
  } catch {
    return undefined;
  }
  return names.flatMap((n) => {
    try {
      const h = parseBinfmtHandler(n, readFileSync(join(dir, n), 'utf8'));
      return h ? [h] : [];
    } catch {
      return [];
    }
  });
}

/** The ELF header fields that tell an architecture's binaries apart: class, byte order, e_machine. */
const ELF: Record<string, { cls: 1 | 2; le: boolean; machine: number }> = {
  amd64: { cls: 2, le: true, machine: 0x3e },
  '386': { cls: 1, le: true, machine: 0x03 },
  arm64: { cls: 2, le: true, machine: 0xb7 },
  arm: { cls: 1, le: true, machine: 0x28 },
  ppc64le: { cls: 2, le: true, machine: 0x15 },
  s390x: { cls: 2, le: false, machine: 0x16 },
  riscv64: { cls: 2, le: true, machine: 0xf3 },
  mips64le: { cls: 2, le: true, machine: 0x08 },
  loong64: { cls: 2, le: true, machine: 0x102 },
};

/** The enabled handler that runs this architecture's ELF binaries, if any. */
export function handlerFor(architecture: string, handlers: BinfmtHandler[]): BinfmtHandler | undefined {
  const elf = ELF[architecture];
  if (!elf) return undefined;
  const header = Buffer.alloc(20);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]).copy(header);
  header[4] = elf.cls;
  header[5] = elf.le ? 1 : 2;
  header[6] = 1;
  header[16] = 2; // ET_EXEC; handlers mask the low bit so ET_DYN matches too
  if (elf.le) header.writeUInt16LE(elf.machine, 18);
  else header.writeUInt16BE(elf.machine, 18);
  if (!elf.le) header.writeUInt16BE(2, 16);
  return handlers.find((h) => {
    if (!h.enabled || h.offset !== 0 || h.magic.length < 20) return false;
    for (let i = 0; i < h.magic.length && i < header.length; i++) {
      const m = h.mask?.[i] ?? 0xff;
      if ((header[i] & m) !== (h.magic[i] & m)) return false;
    }
    return true;
  });
}

export function knownArchitecture(architecture: string): boolean {
  return architecture in ELF;
}
