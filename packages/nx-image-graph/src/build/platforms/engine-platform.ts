import type Docker from 'dockerode';
import { release } from 'node:os';
import { handlerFor, knownArchitecture, readBinfmtHandlers, type BinfmtHandler } from './binfmt';
import { formatPlatform, samePlatform } from '../../inference/platform-plan/platform-name';

/** What decides whether an engine runs a platform's RUN steps. */
export interface EngineFacts {
  /** The engine's own platform, e.g. linux/amd64. */
  native: string;
  /** Whether its kernel is this machine's (a local socket, same kernel release): then its binfmt_misc is ours to read. */
  local: boolean;
  /** The handlers of this machine's binfmt_misc; undefined when it is not mounted. */
  handlers?: BinfmtHandler[];
  description: string;
}

/** Architectures an engine runs without emulation besides its own. */
const NATIVE_TOO: Record<string, string[]> = { amd64: ['386'] };
/** Debian's qemu-user-static handler names, for the fix in the message. */
const QEMU: Record<string, string> = { arm64: 'aarch64', amd64: 'x86_64', '386': 'i386', mips64le: 'mips64el', loong64: 'loongarch64' };

/**
 * Why the engine cannot run RUN steps for `platform`, decided before the build (BuildKit would
 * only fail at the first RUN, with "exec format error"); or a note when it cannot be known from here.
 */
export function platformProblem(platform: string, engine: EngineFacts): { problem?: string; note?: string } {
  if (samePlatform(platform, engine.native)) return {};
  const [os, arch] = platform.split('/');
  const [nativeOs, nativeArch] = engine.native.split('/');
  if (os !== nativeOs) return { problem: `${engine.description} runs ${nativeOs} containers; it cannot build for ${platform}` };
  if (NATIVE_TOO[nativeArch]?.includes(arch)) return {};
  const fix =
    `Register an emulator for it on the engine's host (Debian/Ubuntu: apt-get install qemu-user-static binfmt-support, then update-binfmts --enable qemu-${QEMU[arch] ?? arch}; ` +
    `elsewhere: docker run --privileged --rm tonistiigi/binfmt --install ${arch}), or remove "${platform}" from "platforms"`;
  if (!engine.local)
    return {
      note: `cannot check from here whether ${engine.description} (${engine.native}) runs ${platform} RUN steps (its kernel is not this machine's); if a RUN step fails with "exec format error": ${fix}`,
    };
  if (!knownArchitecture(arch))
    return { note: `cannot check whether ${engine.description} runs ${platform} RUN steps (unknown architecture "${arch}")` };
  if (!engine.handlers) {
    return {
      problem: `${engine.description} (${engine.native}) cannot run ${platform} RUN steps: binfmt_misc is not mounted on its host (/proc/sys/fs/binfmt_misc), so no emulator is registered. Mount it (mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc), then: ${fix}`,
    };
  }
  const handler = handlerFor(arch, engine.handlers);
  if (!handler)
    return {
      problem: `${engine.description} (${engine.native}) cannot run ${platform} RUN steps: no binfmt_misc handler on its host runs ${arch} binaries. ${fix}`,
    };
  if (!handler.flags.includes('F')) {
    return {
      problem: `${engine.description} cannot run ${platform} RUN steps: the binfmt_misc handler ${handler.name} lacks the F (fix-binary) flag, so containers do not find its interpreter ${handler.interpreter ?? ''}. Re-register it with the F flag (fix_binary yes), e.g. update-binfmts --disable ${handler.name} && update-binfmts --enable ${handler.name} with Debian's qemu-user-static`,
    };
  }
  return {};
}

/** The engine's own platform: from the /version answer connectEngine already has, else asked for. */
export async function nativePlatform(docker: Docker, engine: { os?: string; arch?: string }): Promise<string> {
  if (engine.os && engine.arch) return formatPlatform(engine.os, engine.arch);
  const v = (await docker.version()) as unknown as { Os: string; Arch: string };
  return formatPlatform(v.Os, v.Arch);
}

/** The facts of the engine `docker` talks to, for a build of another platform than its own. */
export async function engineFacts(
  docker: Docker,
  engine: { name: string; version: string; address: string },
  native: string,
): Promise<EngineFacts> {
  const info = (await docker.info()) as { KernelVersion?: string };
  const local = engine.address.startsWith('unix://') && info.KernelVersion === release();
  return {
    native,
    local,
    ...(local ? { handlers: readBinfmtHandlers() } : {}),
    description: `${engine.name} ${engine.version} at ${engine.address}`,
  };
}
