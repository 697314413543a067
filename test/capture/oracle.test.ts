// pcap-parser 0.2.1 as an independent oracle for classic µs pcap: it and our reader must agree on every frame
// (count, timestamp, lengths, bytes), on our own fixtures and on every classic µs pcap of the corpus.
import { existsSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as pcapParser from 'pcap-parser';
import { describe, expect, it } from 'vitest';
import { writePcap, type PacketSpec } from '../../fixtures/builder/capture-file.js';
import { frameBytes, readChunked } from './helpers.js';

interface Frame {
  micros: bigint;
  capturedLength: number;
  originalLength: number;
  hex: string;
}

/** All frames pcap-parser sees, or the reason it could not read the file. */
function oracle(data: Buffer): Promise<{ frames: Frame[]; error?: string }> {
  return new Promise((resolve) => {
    const frames: Frame[] = [];
    let error: string | undefined;
    const parser = pcapParser.parse(Readable.from([data]));
    parser.on('packet', (p: pcapParser.PcapParserPacket) => {
      frames.push({
        micros: BigInt(p.header.timestampSeconds) * 1_000_000n + BigInt(p.header.timestampMicroseconds),
        capturedLength: p.header.capturedLength,
        originalLength: p.header.originalLength,
        hex: p.data.toString('hex'),
      });
    });
    parser.on('error', (err: Error) => {
      error = err.message;
    });
    parser.on('end', () => resolve({ frames, error }));
  });
}

function ours(data: Buffer): Frame[] {
  const got = readChunked(data, 65536);
  expect(got.error).toBeUndefined();
  // Our reader carries an invalid fraction into the seconds; in total microseconds both agree.
  return got.records.map((r) => ({
    micros: BigInt(r.seconds) * 1_000_000n + BigInt(r.nanos / 1000),
    capturedLength: r.capturedLength,
    originalLength: r.originalLength,
    hex: r.hex,
  }));
}

const specs: PacketSpec[] = Array.from({ length: 120 }, (_, i) => ({
  bytes: frameBytes([0, 1, 14, 60, 1514, 9000, 70000][i % 7], i),
  seconds: 1_600_000_000 + i * 7,
  nanos: ((i * 37_123) % 1_000_000) * 1000,
  originalLength: i % 5 === 0 ? 65535 : undefined,
}));

const fixtures: Array<[string, Buffer]> = [
  ['little-endian Ethernet', writePcap(specs)],
  ['big-endian Ethernet', writePcap(specs, { bigEndian: true })],
  ['little-endian Linux SLL, snaplen 0', writePcap(specs.slice(0, 30), { linkType: 113, snaplen: 0 })],
  ['header only', writePcap([])],
  ['invalid µs fraction', (() => {
    const f = writePcap(specs.slice(0, 3));
    f.writeUInt32LE(1_500_000, 24 + 4);
    return f;
  })()],
];

describe('pcap-parser agrees with our reader on built fixtures', () => {
  for (const [name, data] of fixtures) {
    it(name, async () => {
      const want = await oracle(data);
      expect(want.error).toBeUndefined();
      expect(ours(data)).toEqual(want.frames);
    });
  }
});

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const present = existsSync(`${corpusDir}INDEX.tsv`);
if (!present) console.warn(`pcap-parser oracle over the corpus SKIPPED: ${corpusDir} is absent`);
const classicMicro = present
  ? readFileSync(`${corpusDir}INDEX.tsv`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .filter((cells) => cells[5]?.startsWith('pcap v2.4') && cells[5].includes('ts=usec') && !cells[5].includes('modified'))
      .map((cells) => cells[0])
  : [];

describe.skipIf(!present)('pcap-parser agrees with our reader on every classic µs pcap of the corpus', () => {
  it('finds the classic µs pcaps', () => {
    expect(classicMicro.length).toBeGreaterThan(100);
  });
  for (const name of classicMicro) {
    it(name, async (ctx) => {
      const data = readFileSync(`${corpusDir}captures/${name}`);
      const want = await oracle(data);
      if (want.error) {
        console.warn(`oracle: pcap-parser cannot read ${name} (${want.error}); skipped`);
        ctx.skip();
      }
      expect(ours(data)).toEqual(want.frames);
    });
  }
});
