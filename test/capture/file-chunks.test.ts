// FileChunks: a file read in chunks into reused buffers — every byte once, in order, and a chunk intact until the
// next one is asked for.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileChunks } from '../../src/capture/file-chunks.js';

const dir = mkdtempSync(join(tmpdir(), 'gwcheck-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, size: number): { path: string; data: Buffer } {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

async function readAll(path: string, chunkSize: number, reuseAfter: number) {
  const chunks = new FileChunks(await open(path, 'r'), chunkSize);
  const copies: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for (let i = 0; ; i++) {
    if (i === reuseAfter) chunks.reuseBuffers();
    const step = await chunks.next();
    if (step.done) break;
    copies.push(Buffer.from(step.value));
    if (i >= reuseAfter) buffers.add(step.value.buffer);
  }
  chunks.destroy();
  return { data: Buffer.concat(copies), count: copies.length, buffers: buffers.size };
}

describe('FileChunks', () => {
  it.each([
    ['sizes that divide the file', 64 * 1024, 4096],
    ['a last chunk shorter than the rest', 10_000 + 17, 1000],
    ['one chunk', 300, 4096],
    ['an empty file', 0, 4096],
  ])('reads every byte once, in order: %s', async (_name, size, chunkSize) => {
    const { path, data } = file(`f${size}.bin`, size);
    const out = await readAll(path, chunkSize, 1);
    expect(out.data.equals(data)).toBe(true);
    expect(out.count).toBe(Math.ceil(size / chunkSize));
  });

  it('takes turns with two buffers once told only the parser reads', async () => {
    const { path, data } = file('turns.bin', 50 * 1000);
    const out = await readAll(path, 1000, 2);
    expect(out.data.equals(data)).toBe(true);
    // From the third chunk on: the fresh buffer read ahead before reuse was switched on, then two in turn.
    expect(out.buffers).toBeLessThanOrEqual(3);
  });

  it('a chunk keeps its bytes until the next one is asked for', async () => {
    const { path, data } = file('intact.bin', 20 * 512);
    const chunks = new FileChunks(await open(path, 'r'), 512);
    chunks.reuseBuffers();
    let offset = 0;
    for (;;) {
      const step = await chunks.next();
      if (step.done) break;
      // Give the read started ahead every chance to land before the chunk is checked.
      await new Promise((r) => setTimeout(r, 1));
      expect(Buffer.compare(step.value, data.subarray(offset, offset + step.value.length))).toBe(0);
      offset += step.value.length;
    }
    expect(offset).toBe(data.length);
    chunks.destroy();
  });

  it('closing with a read in flight is quiet (no unhandled rejection), and reads after it end', async () => {
    const { path } = file('close.bin', 8192);
    const chunks = new FileChunks(await open(path, 'r'), 1024);
    chunks.reuseBuffers();
    expect((await chunks.next()).done).toBe(false);
    chunks.destroy(); // the second chunk's read is under way
    await new Promise((r) => setTimeout(r, 10));
    chunks.destroy();
  });
});
