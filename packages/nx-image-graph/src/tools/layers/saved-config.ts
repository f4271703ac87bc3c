/** The part of an image config (as `docker save` holds it) that says which steps made layers. */
export interface SavedImageConfig {
  history?: { created_by?: string; empty_layer?: boolean }[];
  rootfs?: { diff_ids?: string[] };
}

/**
 * Reads `<image id>.json` (the image config) out of a `docker save` tar stream and stops there.
 * The config's history keeps `empty_layer`, which the Engine API's history endpoint drops. The
 * engine still exports the whole image to produce the stream: slow for large images, so this is
 * the last resort. Reads plain ustar/pax/GNU headers; the layer data is skipped, never buffered.
 */
export function readSavedConfig(stream: NodeJS.ReadableStream, imageId: string): Promise<SavedImageConfig | undefined> {
  const wanted = `${imageId.replace(/^sha256:/, '')}.json`;
  return new Promise((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    let skip = 0;
    let collecting: { size: number } | undefined;
    let longName: string | undefined;
    let finished = false;
    const finish = (value: SavedImageConfig | undefined, error?: Error) => {
      if (finished) return;
      finished = true;
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      if (error) reject(error);
      else resolve(value);
    };
    stream.on('data', (chunk: Buffer) => {
      if (finished) return;
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, buffered.length);
          buffered = buffered.subarray(n);
          skip -= n;
          if (skip > 0) return;
        }
        if (collecting) {
          const padded = roundUp(collecting.size);
          if (buffered.length < padded) return;
          const data = buffered.subarray(0, collecting.size);
          try {
            return finish(JSON.parse(data.toString('utf8')) as SavedImageConfig);
          } catch (e) {
            return finish(undefined, new Error(`the config ${wanted} in docker save output is not JSON: ${(e as Error).message}`));
          }
        }
        if (buffered.length < 512) return;
        const header = buffered.subarray(0, 512);
        buffered = buffered.subarray(512);
        if (header.every((b) => b === 0)) return finish(undefined);
        const size = sizeOf(header);
        const type = String.fromCharCode(header[156]);
        if (type === 'L' || type === 'x') {
          // GNU long name or pax header: its data names the next entry.
          if (buffered.length < roundUp(size)) {
            buffered = Buffer.concat([header, buffered]);
            return;
          }
          const data = buffered.subarray(0, size).toString('utf8');
          buffered = buffered.subarray(roundUp(size));
          longName = type === 'L' ? data.replace(/\0.*$/s, '') : (/(?:^|\n)\d+ path=([^\n]*)\n/.exec(data)?.[1] ?? longName);
          continue;
        }
        const name = (longName ?? nameOf(header)).replace(/^\.\//, '');
        longName = undefined;
        if (name === wanted) collecting = { size };
        else skip = roundUp(size);
      }
    });
    stream.on('end', () => finish(undefined));
    stream.on('error', (e: Error) => finish(undefined, e));
  });
}

function roundUp(n: number): number {
  return Math.ceil(n / 512) * 512;
}

function nameOf(header: Buffer): string {
  const field = (start: number, length: number) => {
    const raw = header.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  const name = field(0, 100);
  const prefix = header.subarray(257, 262).toString() === 'ustar' ? field(345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function sizeOf(header: Buffer): number {
  const field = header.subarray(124, 136);
  // Base-256 for entries of 8 GiB and more (a big layer.tar).
  if (field[0] & 0x80) return field.subarray(1).reduce((n, b) => n * 256 + b, field[0] & 0x7f);
  return parseInt(field.toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
}
