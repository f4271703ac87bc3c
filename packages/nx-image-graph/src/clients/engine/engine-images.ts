import type { EngineAddress } from './engine-address';
import { plainEngine } from './plain-http';

/** An image as the engine inspects it: its id and platform. */
export interface InspectedImage {
  id: string;
  os?: string;
  arch?: string;
}

/**
 * The image each reference names in the engine (undefined: no such image), by `GET
 * /images/{ref}/json` over plain HTTP(S), several at once on kept-alive connections, without the
 * engine client (dockerode takes longer to load than the requests take). For checks made
 * after every run. Undefined as a whole when the engine is not reachable this way (ssh://, named
 * pipes) or does not answer, so the caller can use the full client and its errors.
 */
export async function inspectImages(
  address: EngineAddress,
  references: string[],
  timeoutMs = 3000,
): Promise<Map<string, InspectedImage | undefined> | undefined> {
  const engine = plainEngine(address);
  if (!engine) return undefined;
  const inspect = async (ref: string): Promise<InspectedImage | undefined | 'failed'> => {
    try {
      const { response, body } = await engine.request(`/images/${encodeURIComponent(ref)}/json`, timeoutMs);
      if (response.statusCode === 404) return undefined;
      if (response.statusCode !== 200) return 'failed';
      const image = JSON.parse(body.toString('utf8')) as { Id: string; Os?: string; Architecture?: string };
      return { id: image.Id, os: image.Os, arch: image.Architecture };
    } catch {
      return 'failed';
    }
  };
  try {
    const unique = [...new Set(references)];
    const images = await Promise.all(unique.map(inspect));
    if (images.includes('failed')) return undefined;
    return new Map(unique.map((r, i) => [r, images[i] as InspectedImage | undefined]));
  } finally {
    engine.close();
  }
}
