import { PassThrough, Readable } from 'node:stream';
import { readSavedConfig } from './saved-config';

const ID = 'sha256:' + 'ab'.repeat(32);

/** A tar entry: a ustar header (octal size) and its data padded to 512 bytes. */
function entry(name: string, data: Buffer | string, type = '0', rawSize?: Buffer): Buffer {
  const body = Buffer.from(data);
  const header = Buffer.alloc(512);
  header.write(name.slice(0, 100), 0);
  header.write('0000644\0', 100);
  if (rawSize) rawSize.copy(header, 124);
  else header.write(body.length.toString(8).padStart(11, '0') + '\0', 124);
  header.write(type, 156);
  header.write('ustar\x0000', 257);
  header.fill(' ', 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

const config = {
  history: [
    { created_by: 'ADD x', empty_layer: false },
    { created_by: 'CMD', empty_layer: true },
  ],
  rootfs: { diff_ids: ['sha256:1'] },
};

describe('readSavedConfig', () => {
  it('finds the image config among layer directories, whatever the chunking', async () => {
    const tar = Buffer.concat([
      entry('0123/', '', '5'),
      entry('0123/layer.tar', Buffer.alloc(3000, 7)),
      entry(`${ID.slice(7)}.json`, JSON.stringify(config)),
      entry('manifest.json', '[]'),
      Buffer.alloc(1024),
    ]);
    for (const size of [1, 100, 511, 512, 4096, tar.length]) {
      const chunks = [];
      for (let i = 0; i < tar.length; i += size) chunks.push(tar.subarray(i, i + size));
      await expect(readSavedConfig(Readable.from(chunks), ID)).resolves.toEqual(config);
    }
  });

  it('follows pax and GNU long names, and reads base-256 sizes', async () => {
    const big = Buffer.alloc(12);
    big[0] = 0x80;
    big.writeUInt32BE(600, 8);
    const pax = `${`x path=${ID.slice(7)}.json\n`.length + 3} path=${ID.slice(7)}.json\n`;
    const tar = Buffer.concat([
      entry('blob', Buffer.alloc(600, 1), '0', big),
      entry('PaxHeader', pax, 'x'),
      entry('short', JSON.stringify(config)),
      Buffer.alloc(1024),
    ]);
    await expect(readSavedConfig(Readable.from([tar]), ID)).resolves.toEqual(config);
    const gnu = Buffer.concat([
      entry('././@LongLink', `${ID.slice(7)}.json\0`, 'L'),
      entry('short', JSON.stringify(config)),
      Buffer.alloc(1024),
    ]);
    await expect(readSavedConfig(Readable.from([gnu]), ID)).resolves.toEqual(config);
  });

  it('stops reading once found, and is undefined when the stream has no such config', async () => {
    const stream = new PassThrough();
    const done = readSavedConfig(stream, ID);
    stream.write(entry(`${ID.slice(7)}.json`, JSON.stringify(config)));
    await expect(done).resolves.toEqual(config);
    expect(stream.destroyed).toBe(true);
    await expect(
      readSavedConfig(Readable.from([Buffer.concat([entry('manifest.json', '[]'), Buffer.alloc(1024)])]), ID),
    ).resolves.toBeUndefined();
  });
});
