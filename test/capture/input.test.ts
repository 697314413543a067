// CaptureInput: files, gzip by content, streams, open failures, and the bad-input messages the CLI will print.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap, writePcapng } from '../../fixtures/builder/capture-file.js';
import { CaptureError, CaptureInput } from '../../src/capture/index.js';
import { frameBytes, readEveryWay, snapshot, type RecordSnapshot } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gwcheck-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, data: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

/** The driver loop the rest of gwcheck uses. */
async function drive(input: CaptureInput): Promise<RecordSnapshot[]> {
  const records: RecordSnapshot[] = [];
  for (;;) {
    const rec = input.next();
    if (rec) {
      records.push(snapshot(rec));
      continue;
    }
    if (!(await input.fill())) break;
  }
  return records;
}

const packets = Array.from({ length: 300 }, (_, i) => ({ bytes: frameBytes(60 + (i % 1400), i), seconds: 1700000000 + i, nanos: i * 1000 }));
const pcap = writePcap(packets);
const pcapng = writePcapng(packets, { tsresol: 9 });

describe('CaptureInput from files', () => {
  it('reads a pcap file in small chunks exactly as the pure parser does', async () => {
    const input = await CaptureInput.open(file('a.pcap', pcap), { chunkSize: 1000 });
    const records = await drive(input);
    expect(records).toEqual(readEveryWay(pcap).records);
    expect(input.info).toMatchObject({ format: 'pcap', compressed: false, packets: 300, bytes: pcap.length, fileBytesRead: pcap.length, fileSize: pcap.length, error: undefined, truncated: false });
  });

  it('detects gzip by content, not by name, and counts compressed bytes for progress', async () => {
    const gz = gzipSync(pcapng);
    const input = await CaptureInput.open(file('renamed.pcap', gz), { chunkSize: 512 });
    const records = await drive(input);
    expect(records).toEqual(readEveryWay(pcapng).records);
    expect(input.info).toMatchObject({ format: 'pcapng', compressed: true, bytes: pcapng.length, fileBytesRead: gz.length, fileSize: gz.length, error: undefined });
  });

  it('ends a cut gzip stream with a truncation warning, keeping the records read so far', async () => {
    const gz = gzipSync(pcap);
    const input = await CaptureInput.open(file('cut.pcap.gz', gz.subarray(0, Math.floor(gz.length * 0.6))), { chunkSize: 4096 });
    const records = await drive(input);
    expect(input.info.error).toBeUndefined();
    expect(input.info.truncated).toBe(true);
    expect(records.length).toBeGreaterThan(50);
    expect(records).toEqual(readEveryWay(pcap).records.slice(0, records.length));
    expect(input.info.warnings.map((w) => w.code)).toContain('truncated-gzip');
  });

  it('fails with io when nothing of a gzip stream is readable', async () => {
    const garbage = Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('this is not deflate data at all')]);
    const input = await CaptureInput.open(file('garbage.gz', garbage));
    expect(await drive(input)).toEqual([]);
    expect(input.info.error).toBeInstanceOf(CaptureError);
    expect(input.info.error).toMatchObject({ code: 'io', offset: 0 });
    expect(input.info.error!.message).toMatch(/^gzip data is corrupt: /);
    expect(input.info.error!.stack).toBeDefined(); // it is an Error, but the message alone is one line
    expect(input.info.error!.message).not.toContain('\n');
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.pcap'), 'cannot open: no such file or directory'],
    ['a directory', () => { const d = join(dir, 'sub'); mkdirSync(d, { recursive: true }); return d; }, 'cannot open: is a directory'],
  ])('rejects with CaptureError io for %s', async (_name, path, message) => {
    const opened = CaptureInput.open(path());
    await expect(opened).rejects.toBeInstanceOf(CaptureError);
    await expect(opened).rejects.toMatchObject({ code: 'io', offset: 0, message });
  });

  it('opens an empty file, then reports empty once reading reaches it', async () => {
    const input = await CaptureInput.open(file('empty.pcap', Buffer.alloc(0)));
    expect(await drive(input)).toEqual([]);
    expect(input.info.error).toMatchObject({ code: 'empty', offset: 0, message: 'the file is empty' });
  });

  it('keeps fill() false after the end and after close()', async () => {
    const input = await CaptureInput.open(file('b.pcap', pcap));
    await drive(input);
    expect(await input.fill()).toBe(false);
    input.close();
    expect(await input.fill()).toBe(false);
  });
});

describe('CaptureInput from streams (stdin)', () => {
  const chunked = (data: Buffer, size: number) =>
    Readable.from(Array.from({ length: Math.ceil(data.length / size) }, (_, i) => data.subarray(i * size, (i + 1) * size)));

  it('reads a pcapng stream delivered one byte at a time', async () => {
    const input = CaptureInput.fromStream(chunked(pcapng.subarray(0, 5000), 1), '-');
    const records = await drive(input);
    expect(records).toEqual(readEveryWay(pcapng.subarray(0, 5000)).records);
    expect(input.info.path).toBe('-');
    expect(input.info.fileSize).toBeUndefined();
    expect(input.info.truncated).toBe(true);
  });

  it('reads a gzip stream whose magic arrives split over two chunks', async () => {
    const gz = gzipSync(pcap);
    const input = CaptureInput.fromStream(chunked(gz, 1), '-');
    expect(await drive(input)).toHaveLength(300);
    expect(input.info.compressed).toBe(true);
  });

  it('reports an empty stream as empty and a one-byte stream as not a capture', async () => {
    const empty = CaptureInput.fromStream(Readable.from([]), '-');
    await drive(empty);
    expect(empty.info.error?.code).toBe('empty');
    const one = CaptureInput.fromStream(Readable.from([Buffer.from('x')]), '-');
    await drive(one);
    expect(one.info.error?.code).toBe('not-a-capture');
  });

  it('turns a stream error into io, keeping the records before it', async () => {
    async function* failing() {
      yield pcap.subarray(0, 1000);
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    const input = CaptureInput.fromStream(Readable.from(failing()), 'disk.pcap');
    const records = await drive(input);
    expect(records.length).toBeGreaterThan(0);
    expect(input.info.error).toMatchObject({ code: 'io', message: 'read error: EIO: i/o error, read' });
  });
});

describe('bad input: one clear message with the offset', () => {
  it('names the magic seen and what gwcheck reads', () => {
    const got = readEveryWay(Buffer.from('this is not a valid pcap file.'));
    expect(got.error).toEqual({
      code: 'not-a-capture',
      offset: 0,
      message: 'not a pcap or pcapng file (starts with 74 68 69 73); gwcheck reads pcap, pcapng, their .gz and Wireshark/tshark exports with bytes, and this text is none of them (no packet summary, packet detail or hex dump line)',
    });
  });

  it('calls a short file that starts like a capture truncated, one that does not not-a-capture', () => {
    expect(readEveryWay(Buffer.from('d4c3', 'hex')).error).toMatchObject({ code: 'truncated', offset: 0 });
    expect(readEveryWay(Buffer.from('0a0d0d', 'hex')).error).toMatchObject({ code: 'truncated', offset: 0 });
    expect(readEveryWay(Buffer.from('d4c4', 'hex')).error).toMatchObject({ code: 'not-a-capture', offset: 0 });
  });

  it('fails fast, without allocating, on a record claiming 2 GB', () => {
    const evil = writePcap([{ bytes: frameBytes(10), seconds: 1 }]);
    evil.writeUInt32LE(0x80000000, 24 + 8);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const got = readEveryWay(evil);
    expect(performance.now() - started).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(got.error).toMatchObject({ code: 'record-too-large', offset: 24 });
    expect(got.error!.message).toBe('record header at byte offset 24 (frame 1) claims 2147483648 captured bytes, above the limit of 262144');
  });

  it('fails fast on a pcapng block claiming 2 GB', () => {
    const evil = writePcapng([{ bytes: frameBytes(10), seconds: 1 }]);
    evil.writeUInt32LE(0x80000000, 48 + 4);
    const got = readEveryWay(evil);
    expect(got.error).toMatchObject({ code: 'bad-block', offset: 48 });
  });
});
