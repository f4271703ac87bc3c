import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { lockReferences } from './reference-lock';

describe('lockReferences', () => {
  it('makes a second holder of the same reference wait until the first releases it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'locks-'));
    const order: string[] = [];
    const first = await lockReferences('engine', ['acme/base:latest'], () => undefined, { dir });
    const waits: string[] = [];
    const second = lockReferences('engine', ['acme/base:latest', 'acme/tools:1'], (l) => waits.push(l), { dir, pollMs: 10 }).then(
      (release) => {
        order.push('second');
        return release;
      },
    );
    await new Promise((r) => setTimeout(r, 50));
    order.push('first done');
    first();
    (await second)();
    expect(order).toEqual(['first done', 'second']);
    expect(waits[0]).toContain('waiting for acme/base:latest');
  });
  it('does not wait for another engine or another reference', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'locks-'));
    const a = await lockReferences('engine-a', ['acme/base:latest'], undefined, { dir });
    const b = await lockReferences('engine-b', ['acme/base:latest'], undefined, { dir, timeoutMs: 100 });
    const c = await lockReferences('engine-a', ['acme/other:latest'], undefined, { dir, timeoutMs: 100 });
    a();
    b();
    c();
  });
  it('takes over a lock whose owner process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'locks-'));
    const path = join(dir, createHash('sha256').update('engine\nacme/base:latest').digest('hex').slice(0, 24));
    mkdirSync(path);
    writeFileSync(join(path, 'owner'), '999999999\nacme/base:latest\n');
    const release = await lockReferences('engine', ['acme/base:latest'], undefined, { dir, timeoutMs: 500 });
    release();
  });
});
