/** Whether checks marked `gpu` can run here, and if not, why (shown beside each check not run). */
export type GpuSupport = { available: true } | { available: false; reason: string };

/**
 * GPU checks need the NVIDIA runtime registered with the engine (NVIDIA Container Toolkit):
 * without it `--gpus` fails or, worse, the check runs on CPU and proves nothing about the GPU.
 */
export function gpuSupport(info: { Runtimes?: Record<string, unknown> | null }, engine: string): GpuSupport {
  const runtimes = Object.keys(info.Runtimes ?? {}).sort();
  if (runtimes.includes('nvidia')) return { available: true };
  return {
    available: false,
    reason: `no GPU runtime in the engine: ${engine} has ${runtimes.length ? `runtimes ${runtimes.join(', ')}` : 'no runtimes listed'}, none of them "nvidia"; install the NVIDIA Container Toolkit there, or validate on an engine that has it`,
  };
}
