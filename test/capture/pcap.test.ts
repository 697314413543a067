// Classic pcap: all magics, both byte orders, the modified format, timestamps, snaplen, truncation.
import { describe, expect, it } from 'vitest';
import { writePcap, type PacketSpec } from '../../fixtures/builder/capture-file.js';
import { frameBytes, readChunked, readEveryWay } from './helpers.js';

const packets: PacketSpec[] = [
  { bytes: frameBytes(60, 1), seconds: 1700000000, nanos: 123456000 },
  { bytes: frameBytes(1514, 2), seconds: 1700000001, nanos: 999999000, originalLength: 1600 },
  { bytes: frameBytes(0, 3), seconds: 1700000001, nanos: 0 },
  { bytes: frameBytes(42, 4), seconds: 4294967295, nanos: 1000 },
];

describe('pcap fixture builder', () => {
  it('writes the file and record headers byte for byte', () => {
    const file = writePcap([{ bytes: Buffer.from('dead', 'hex'), seconds: 1, nanos: 2000 }]);
    // magic, v2.4, thiszone, sigfigs, snaplen 262144, Ethernet | ts 1 s 2 µs, caplen 2, len 2, data
    expect(file.toString('hex')).toBe(
      'd4c3b2a1' + '02000400' + '00000000' + '00000000' + '00000400' + '01000000' +
        '01000000' + '02000000' + '02000000' + '02000000' + 'dead',
    );
    const be = writePcap([{ bytes: Buffer.from('dead', 'hex'), seconds: 1, nanos: 3 }], { bigEndian: true, nanosecond: true, linkType: 113, snaplen: 96 });
    expect(be.toString('hex')).toBe(
      'a1b23c4d' + '00020004' + '00000000' + '00000000' + '00000060' + '00000071' +
        '00000001' + '00000003' + '00000002' + '00000002' + 'dead',
    );
  });
});

describe('classic pcap variants', () => {
  const variants = [
    { name: 'µs little-endian (d4c3b2a1)', opts: {}, magic: 'd4c3b2a1' },
    { name: 'µs big-endian (a1b2c3d4)', opts: { bigEndian: true }, magic: 'a1b2c3d4' },
    { name: 'ns little-endian (4d3cb2a1)', opts: { nanosecond: true }, magic: '4d3cb2a1' },
    { name: 'ns big-endian (a1b23c4d)', opts: { nanosecond: true, bigEndian: true }, magic: 'a1b23c4d' },
    { name: 'modified little-endian (34cdb2a1)', opts: { modified: true }, magic: '34cdb2a1' },
    { name: 'modified big-endian (a1b2cd34)', opts: { modified: true, bigEndian: true }, magic: 'a1b2cd34' },
  ];
  for (const { name, opts, magic } of variants) {
    it(`reads ${name}`, () => {
      const specs = 'nanosecond' in opts ? packets.map((p, i) => ({ ...p, nanos: (p.nanos ?? 0) + i + 1 })) : packets;
      const file = writePcap(specs, opts);
      expect(file.subarray(0, 4).toString('hex')).toBe(magic);
      const got = readEveryWay(file);
      expect(got.error).toBeUndefined();
      expect(got.format).toBe('pcap');
      expect(got.linkTypes).toEqual([1]);
      expect(got.packets).toBe(4);
      expect(got.records.map((r) => r.frame)).toEqual([1, 2, 3, 4]);
      specs.forEach((p, i) => {
        const r = got.records[i];
        expect(r.seconds).toBe(p.seconds);
        expect(r.nanos).toBe(p.nanos);
        expect(r.hex).toBe(Buffer.from(p.bytes).toString('hex'));
        expect(r.capturedLength).toBe(p.bytes.length);
        expect(r.originalLength).toBe(p.originalLength ?? p.bytes.length);
        expect(r.interfaceId).toBe(0);
        expect(r.hasTimestamp).toBe(true);
        expect(r.linkType).toBe(1);
        expect(r.comment).toBeUndefined();
      });
      expect(got.first).toBe(`1700000000.${String(specs[0].nanos).padStart(9, '0')}`);
      expect(got.last).toBe(`4294967295.${String(specs[3].nanos).padStart(9, '0')}`);
      expect(got.warnings).toEqual([]);
      expect(got.truncated).toBe(false);
    });
  }

  it('takes the link type from the low bits of the header field (FCS bits above it)', () => {
    const file = writePcap([{ bytes: frameBytes(20), seconds: 1 }], { linkType: 113 });
    file.writeUInt32LE(0x10000000 | 113, 20); // FCS length 1 in the top bits
    expect(readChunked(file).records[0].linkType).toBe(113);
  });

  it('reports a header-only file as zero packets, no error', () => {
    const got = readEveryWay(writePcap([]));
    expect(got).toMatchObject({ packets: 0, records: [], error: undefined, truncated: false, first: undefined });
  });

  it('reports first/last as the earliest and latest timestamps', () => {
    const got = readEveryWay(
      writePcap([
        { bytes: frameBytes(10), seconds: 20, nanos: 5000 },
        { bytes: frameBytes(10), seconds: 10, nanos: 7000 },
        { bytes: frameBytes(10), seconds: 20, nanos: 4000 },
      ]),
    );
    expect([got.first, got.last]).toEqual(['10.000007000', '20.000005000']);
  });
});

describe('pcap record checks', () => {
  it('warns (does not fail) when caplen exceeds the snaplen', () => {
    const got = readEveryWay(writePcap([{ bytes: frameBytes(8), seconds: 1, originalLength: 78 }], { snaplen: 1 }));
    expect(got.records).toHaveLength(1);
    expect(got.warnings).toEqual([{ code: 'snaplen-exceeded', offset: 24, frame: 1 }]);
  });

  it('does not warn for a snaplen of 0', () => {
    const got = readEveryWay(writePcap([{ bytes: frameBytes(100), seconds: 1 }], { snaplen: 0 }));
    expect(got.warnings).toEqual([]);
  });

  it('keeps at most ten warnings per code and summarises the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ bytes: frameBytes(8), seconds: i }));
    const got = readEveryWay(writePcap(many, { snaplen: 4 }));
    expect(got.records).toHaveLength(25);
    expect(got.warnings).toHaveLength(11);
    expect(got.warnings[10]).toEqual({ code: 'snaplen-exceeded', offset: 24 + 24 * 24 });
  });

  it('fails with record-too-large when caplen is above the hard cap, after the records before it', () => {
    const file = writePcap([
      { bytes: frameBytes(100), seconds: 1 },
      { bytes: frameBytes(300), seconds: 2 },
    ]);
    const got = readEveryWay(file, { maxRecordBytes: 200 });
    expect(got.records).toHaveLength(1);
    expect(got.error).toMatchObject({ code: 'record-too-large', offset: 24 + 16 + 100 });
    expect(got.error!.message).toBe(
      'record header at byte offset 140 (frame 2) claims 300 captured bytes, above the limit of 200',
    );
  });

  it.each([
    // [fraction as written, nanosecond file?, seconds read, nanos read]
    [999_999, false, 100, 999_999_000],
    [1_000_000, false, 101, 0],
    [2_147_483_648, false, 100 + 2147, 483_648_000],
    [999_999_999, true, 100, 999_999_999],
    [1_000_000_000, true, 101, 0],
    [4_294_967_295, true, 104, 294_967_295],
  ])('carries an invalid fraction %i (ns file: %s) into the seconds with a warning', (fraction, nanosecond, s, ns) => {
    const file = writePcap([{ bytes: frameBytes(4), seconds: 100 }], { nanosecond });
    file.writeUInt32LE(fraction, 28);
    const got = readEveryWay(file);
    expect(got.records[0]).toMatchObject({ seconds: s, nanos: ns });
    const invalid = fraction >= (nanosecond ? 1e9 : 1e6);
    expect(got.warnings).toEqual(invalid ? [{ code: 'bad-timestamp', offset: 24, frame: 1 }] : []);
  });
});

describe('pcap truncation sweep', () => {
  const file = writePcap([
    { bytes: frameBytes(60, 9), seconds: 1 },
    { bytes: frameBytes(61, 8), seconds: 2 },
  ]);
  const recordEnds = [24, 24 + 16 + 60, file.length];
  for (let cut = 0; cut < file.length; cut++) {
    it(`prefix of ${cut} bytes`, () => {
      const got = readEveryWay(file.subarray(0, cut));
      if (cut === 0) {
        expect(got.error).toMatchObject({ code: 'empty', offset: 0 });
      } else if (cut < 24) {
        expect(got.error).toMatchObject({ code: 'truncated', offset: 0 });
        expect(got.records).toEqual([]);
      } else if (recordEnds.includes(cut)) {
        expect(got.error).toBeUndefined();
        expect(got.truncated).toBe(false);
        expect(got.records).toHaveLength(recordEnds.indexOf(cut));
      } else {
        const complete = cut < recordEnds[1] ? 0 : 1;
        expect(got.error).toBeUndefined();
        expect(got.truncated).toBe(true);
        expect(got.records).toHaveLength(complete);
        expect(got.warnings).toEqual([{ code: 'truncated-record', offset: recordEnds[complete], frame: complete + 1 }]);
      }
    });
  }
});
