// Issue 14: a gzip whose only damage is its trailer (CRC-32 or ISIZE) is read whole, as zcat does, with one
// warning that the check failed — small files (one zlib write) and large ones alike, from files and streams.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../../fixtures/builder/capture-file.js';
import { CaptureInput } from '../../src/capture/index.js';
import { analyze } from '../../src/index.js';
import { frameBytes } from '../capture/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gwcheck-gzip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(count: number): Buffer {
  return writePcap(Array.from({ length: count }, (_, i) => ({ bytes: frameBytes(60 + (i % 1400), i), seconds: 1700000000 + i })));
}

/** gzip of `data` with one byte of the trailer's CRC-32 (field 'crc') or ISIZE (field 'size') flipped. */
function badTrailer(data: Buffer, field: 'crc' | 'size'): Buffer {
  const gz = gzipSync(data);
  gz[gz.length - (field === 'crc' ? 8 : 4)] ^= 0x5a;
  return gz;
}

async function packets(input: CaptureInput): Promise<number> {
  let n = 0;
  for (;;) {
    if (input.next()) n++;
    else if (!(await input.fill())) return n;
  }
}

describe('gzip with a bad trailer', () => {
  it.each([
    ['small', 5, 'crc'],
    ['small', 5, 'size'],
    ['large', 6000, 'crc'],
    ['large', 6000, 'size'],
  ] as const)('%s file (%i packets), bad %s: every packet read, one warning', async (_size, count, field) => {
    const path = join(dir, `${count}-${field}.pcap.gz`);
    writeFileSync(path, badTrailer(capture(count), field));
    const report = await analyze([path]);
    const input = report.inputs[0];
    expect(input.error).toBeNull();
    expect(input.packets).toBe(count);
    expect(input.truncated).toBe(false);
    expect(input.warnings).toHaveLength(1);
    expect(input.warnings[0]).toMatch(/^gzip incorrect (data|length) check .*; all \d+ decompressed bytes were read$/);
  });

  it('reads the same from a stream delivered in 1- and 3-byte chunks', async () => {
    const gz = badTrailer(capture(40), 'crc');
    for (const size of [1, 3]) {
      const stream = Readable.from(Array.from({ length: Math.ceil(gz.length / size) }, (_, i) => gz.subarray(i * size, (i + 1) * size)));
      const input = CaptureInput.fromStream(stream, '-');
      expect(await packets(input)).toBe(40);
      expect(input.info.warnings.map((w) => w.code)).toEqual(['gzip-check-failed']);
      expect(input.info.error).toBeUndefined();
    }
  });

  it('a bad check inside the first of two members is damage, not a trailer-only failure', async () => {
    const first = badTrailer(capture(40), 'crc');
    const path = join(dir, 'two-members.gz');
    writeFileSync(path, Buffer.concat([first, gzipSync(Buffer.alloc(100))]));
    const input = await CaptureInput.open(path);
    await packets(input);
    expect(input.info.warnings.map((w) => w.code)).not.toContain('gzip-check-failed');
    expect(input.info.error !== undefined || input.info.truncated).toBe(true);
  });

  it('still reads a good gzip without a warning, and still calls a cut-short one truncated', async () => {
    const data = capture(300);
    writeFileSync(join(dir, 'good.gz'), gzipSync(data));
    const ok = await CaptureInput.open(join(dir, 'good.gz'));
    expect(await packets(ok)).toBe(300);
    expect(ok.info.warnings).toEqual([]);
    const gz = gzipSync(data);
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 4000));
    const cut = await CaptureInput.open(join(dir, 'cut.gz'));
    expect(await packets(cut)).toBeGreaterThan(0);
    expect(cut.info.warnings.map((w) => w.code)).toContain('truncated-gzip');
    expect(cut.info.truncated).toBe(true);
  });
});
