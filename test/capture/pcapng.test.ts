// pcapng: sections in either byte order, interfaces and their time resolutions, every block type, bad blocks.
import { describe, expect, it } from 'vitest';
import {
  BLOCK_TYPES,
  pcapngBlock,
  writePcapng,
  type PcapngSectionSpec,
} from '../../fixtures/builder/capture-file.js';
import { frameBytes, readChunked, readEveryWay } from './helpers.js';

const SHB_LENGTH = 28;
const IDB_LENGTH = 20;

describe('pcapng fixture builder', () => {
  it('writes SHB, IDB and EPB byte for byte', () => {
    const file = writePcapng([{ bytes: Buffer.from('dead', 'hex'), seconds: 1, nanos: 2000 }]);
    expect(file.toString('hex')).toBe(
      // SHB: type, length 28, byte-order magic, version 1.0, section length -1, length
      '0a0d0d0a' + '1c000000' + '4d3c2b1a' + '01000000' + 'ffffffffffffffff' + '1c000000' +
        // IDB: type, length 20, Ethernet, reserved, snaplen 262144, length
        '01000000' + '14000000' + '0100' + '0000' + '00000400' + '14000000' +
        // EPB: type, length 36, interface 0, ts 1 000 002 µs (high, low), caplen 2, len 2, data + pad, length
        '06000000' + '24000000' + '00000000' + '00000000' + '42420f00' + '02000000' + '02000000' + 'dead0000' + '24000000',
    );
  });

  it('writes a big-endian section', () => {
    const file = writePcapng([{ bytes: Buffer.alloc(0), seconds: 0 }], { bigEndian: true, snaplen: 96, linkType: 113 });
    expect(file.subarray(0, 12).toString('hex')).toBe('0a0d0d0a' + '0000001c' + '1a2b3c4d');
    expect(file.subarray(28, 44).toString('hex')).toBe('00000001' + '00000014' + '0071' + '0000' + '00000060');
  });
});

describe('pcapng packets', () => {
  it('reads the simple case: one section, one Ethernet interface, µs EPBs', () => {
    const got = readEveryWay(
      writePcapng([
        { bytes: frameBytes(60), seconds: 1700000000, nanos: 1000 },
        { bytes: frameBytes(61, 5), seconds: 1700000002, nanos: 999_999_000, originalLength: 1500 },
      ]),
    );
    expect(got.error).toBeUndefined();
    expect(got.format).toBe('pcapng');
    expect(got.linkTypes).toEqual([1]);
    expect(got.records).toEqual([
      { frame: 1, interfaceId: 0, seconds: 1700000000, nanos: 1000, hasTimestamp: true, capturedLength: 60, originalLength: 60, linkType: 1, hex: frameBytes(60).toString('hex'), comment: undefined },
      { frame: 2, interfaceId: 0, seconds: 1700000002, nanos: 999_999_000, hasTimestamp: true, capturedLength: 61, originalLength: 1500, linkType: 1, hex: frameBytes(61, 5).toString('hex'), comment: undefined },
    ]);
    expect([got.first, got.last]).toEqual(['1700000000.000001000', '1700000002.999999000']);
  });

  it('reads a big-endian section the same way', () => {
    const spec = [{ bytes: frameBytes(33), seconds: 1600000000, nanos: 5000 }];
    const le = readEveryWay(writePcapng(spec));
    const be = readEveryWay(writePcapng(spec, { bigEndian: true }));
    expect(be).toEqual({ ...le, bytes: be.bytes });
  });

  it('gives each packet its interface link type, and counts link types per IDB', () => {
    const got = readEveryWay(
      writePcapng([
        {
          interfaces: [{ linkType: 1 }, { linkType: 113 }, { linkType: 0 }],
          blocks: [
            { type: 'epb', packet: { bytes: frameBytes(20), seconds: 1, interfaceId: 1 } },
            { type: 'epb', packet: { bytes: frameBytes(20), seconds: 2, interfaceId: 0 } },
          ],
        },
      ]),
    );
    expect(got.records.map((r) => [r.interfaceId, r.linkType])).toEqual([[1, 113], [0, 1]]);
    expect(got.linkTypes).toEqual([0, 1, 113]);
  });

  it('reads packet comments (opt_comment) on EPB and the obsolete PB', () => {
    const got = readEveryWay(
      writePcapng([
        {
          interfaces: [{}],
          blocks: [
            { type: 'epb', packet: { bytes: frameBytes(3), seconds: 1, comment: 'gateway moved here' } },
            { type: 'pb', packet: { bytes: frameBytes(5), seconds: 2, nanos: 7000, comment: 'ünïcode ok' } },
            { type: 'epb', packet: { bytes: frameBytes(4), seconds: 3 } },
          ],
        },
      ]),
    );
    expect(got.records.map((r) => [r.frame, r.comment, r.capturedLength, r.seconds, r.nanos])).toEqual([
      [1, 'gateway moved here', 3, 1, 0],
      [2, 'ünïcode ok', 5, 2, 7000],
      [3, undefined, 4, 3, 0],
    ]);
  });

  it('joins several comments on one packet with newlines', () => {
    const file = writePcapng([{ bytes: frameBytes(4), seconds: 1, comment: 'first' }]);
    // Insert a second opt_comment before opt_endofopt: rebuild the EPB by hand.
    const epbAt = SHB_LENGTH + IDB_LENGTH;
    const body = file.subarray(epbAt + 8, epbAt + 8 + 20 + 4); // fixed fields + 4 data bytes
    const opts = Buffer.concat([
      Buffer.from([1, 0, 5, 0]), Buffer.from('first\0\0\0'),
      Buffer.from([1, 0, 6, 0]), Buffer.from('second\0\0'),
      Buffer.from([0, 0, 0, 0]),
    ]);
    const rebuilt = Buffer.concat([file.subarray(0, epbAt), pcapngBlock(BLOCK_TYPES.epb, Buffer.concat([body, opts]))]);
    expect(readEveryWay(rebuilt).records[0].comment).toBe('first\nsecond');
  });

  it('reads Simple Packet Blocks: interface 0, no timestamp, captured = min(original, snaplen, block room)', () => {
    const got = readEveryWay(
      writePcapng([
        {
          interfaces: [{ snaplen: 64, linkType: 1 }],
          blocks: [
            { type: 'spb', bytes: frameBytes(100) }, // snaplen wins: 64
            { type: 'spb', bytes: frameBytes(40), originalLength: 1500 }, // block room wins: 40
            { type: 'spb', bytes: frameBytes(31), originalLength: 30 }, // original wins: 30 (one byte is padding)
            { type: 'epb', packet: { bytes: frameBytes(10), seconds: 5 } },
          ],
        },
      ]),
    );
    expect(got.records.map((r) => [r.frame, r.interfaceId, r.hasTimestamp, r.seconds, r.capturedLength, r.originalLength])).toEqual([
      [1, 0, false, 0, 64, 100],
      [2, 0, false, 0, 40, 1500],
      [3, 0, false, 0, 30, 30],
      [4, 0, true, 5, 10, 10],
    ]);
    expect(got.records[0].hex).toBe(frameBytes(64).toString('hex'));
    expect([got.first, got.last]).toEqual(['5.000000000', '5.000000000']);
  });

  it('does not warn when a snaplen of 0 means "no limit", warns when an EPB exceeds a real one', () => {
    const got = readEveryWay(
      writePcapng([
        {
          interfaces: [{ snaplen: 0 }, { snaplen: 8 }],
          blocks: [
            { type: 'epb', packet: { bytes: frameBytes(100), seconds: 1 } },
            { type: 'epb', packet: { bytes: frameBytes(9), seconds: 1, interfaceId: 1 } },
          ],
        },
      ]),
    );
    expect(got.records).toHaveLength(2);
    expect(got.warnings).toEqual([{ code: 'snaplen-exceeded', offset: SHB_LENGTH + 2 * IDB_LENGTH + 132, frame: 2 }]);
  });
});

describe('pcapng timestamps', () => {
  const one = (iface: object, units: bigint) =>
    readEveryWay(writePcapng([{ interfaces: [iface], blocks: [{ type: 'epb', packet: { bytes: frameBytes(1), seconds: 0 }, units }] }])).records[0];

  it.each([
    // [name, if_tsresol, raw units, seconds, nanos]
    ['µs default', undefined, 1_700_000_000_123_456n, 1_700_000_000, 123_456_000],
    ['ns (10^-9)', 9, 1_700_000_000_123_456_789n, 1_700_000_000, 123_456_789],
    ['ms (10^-3)', 3, 1_700_000_000_123n, 1_700_000_000, 123_000_000],
    ['seconds (10^0)', 0, 1_700_000_000n, 1_700_000_000, 0],
    ['10^-12 (BigInt path, rounds down)', 12, 1_700_000_123_456_789_999n, 1_700_000, 123_456_789],
    ['2^-8 (gopacket test902)', 0x88, 1519128000n * 256n + 50n, 1519128000, 195_312_500],
    ['2^-20 rounds down', 0x94, 1n, 0, 953],
    ['2^-30 (BigInt path)', 0x9e, (5n << 30n) + 1n, 5, 0],
    ['2^-30 just below a second', 0x9e, (1n << 30n) - 1n, 0, 999_999_999],
    ['µs beyond 2106 (64-bit seconds)', 6, 4_323_283_200_000_000n, 4_323_283_200, 0],
    ['ns count above 2^64/2 (BigInt path)', 9, 0xffff_ffff_ffff_ffffn, 18_446_744_073, 709_551_615],
    ['µs count just below 2^52 (double path)', 6, (1n << 52n) - 1n, 4_503_599_627, 370_495_000],
  ])('%s', (_name, tsresol, units, seconds, nanos) => {
    expect(one(tsresol === undefined ? {} : { tsresol }, units)).toMatchObject({ seconds, nanos });
  });

  it('adds if_tsoffset seconds', () => {
    expect(one({ tsoffset: 1_000_000_000 }, 5_000_001n)).toMatchObject({ seconds: 1_000_000_005, nanos: 1000 });
    expect(one({ tsoffset: -5, tsresol: 9 }, 7_000_000_001n)).toMatchObject({ seconds: 2, nanos: 1 });
  });

  it('round-trips builder timestamps at each resolution', () => {
    for (const tsresol of [3, 6, 9, 0x80 | 10, 0x80 | 30]) {
      const got = readEveryWay(
        writePcapng([{ bytes: frameBytes(1), seconds: 1712345678, nanos: 0 }, { bytes: frameBytes(1), seconds: 1712345679, nanos: 500_000_000 }], { tsresol }),
      );
      expect(got.records.map((r) => [r.seconds, r.nanos])).toEqual([[1712345678, 0], [1712345679, 500_000_000]]);
    }
  });
});

describe('pcapng sections and skipped blocks', () => {
  const sections: PcapngSectionSpec[] = [
    {
      interfaces: [{ linkType: 1 }, { linkType: 0, snaplen: 0 }],
      blocks: [
        { type: 'custom' },
        { type: 'epb', packet: { bytes: frameBytes(10), seconds: 1, interfaceId: 1 } },
        { type: 'nrb' },
        { type: 'isb', interfaceId: 0 },
        { type: 'dsb' },
        { type: 'raw', blockType: 0x12345678, body: frameBytes(13) },
        { type: 'spb', bytes: frameBytes(12) },
      ],
    },
    {
      bigEndian: true,
      interfaces: [{ linkType: 113, tsresol: 9 }],
      blocks: [
        { type: 'epb', packet: { bytes: frameBytes(11), seconds: 2, nanos: 5 } },
        { type: 'custom', copyable: false, data: frameBytes(40) },
        { type: 'spb', bytes: frameBytes(7) },
        { type: 'idb', iface: { linkType: 276 } },
        { type: 'pb', packet: { bytes: frameBytes(12), seconds: 3, interfaceId: 1 } },
      ],
    },
    { interfaces: [], blocks: [] },
    {
      interfaces: [{ linkType: 1, tsresol: 0x88 }],
      blocks: [{ type: 'epb', packet: { bytes: frameBytes(9), seconds: 4 } }],
    },
  ];

  it('numbers frames across sections, interface ids across the file, each section in its byte order', () => {
    const got = readEveryWay(writePcapng(sections));
    expect(got.error).toBeUndefined();
    expect(got.records.map((r) => [r.frame, r.interfaceId, r.linkType, r.seconds, r.nanos, r.capturedLength])).toEqual([
      // frame 1 is the custom block: Wireshark shows it as a frame, so the numbering leaves room for it
      [2, 1, 0, 1, 0, 10],
      [3, 0, 1, 0, 0, 12],
      [4, 2, 113, 2, 5, 11],
      // frame 5: the second custom block
      [6, 2, 113, 0, 0, 7],
      [7, 3, 276, 3, 0, 12],
      [8, 4, 1, 4, 0, 9],
    ]);
    expect(got.packets).toBe(6);
    expect(got.linkTypes).toEqual([0, 1, 113, 276]);
  });

  it('skips large blocks as they stream past, checking their trailing length', () => {
    const big = { type: 'raw' as const, blockType: 0x0bad0001, body: frameBytes(200_000) };
    const file = writePcapng([
      {
        interfaces: [{}],
        blocks: [big, { type: 'epb', packet: { bytes: frameBytes(5), seconds: 1 } }, { type: 'custom', data: frameBytes(100_000) }, { type: 'spb', bytes: frameBytes(3) }],
      },
    ]);
    const got = readEveryWay(file);
    expect(got.records.map((r) => [r.frame, r.capturedLength])).toEqual([[1, 5], [3, 3]]);
    expect(readChunked(file, 65536).records).toHaveLength(2);

    const bad = Buffer.from(file);
    const bigAt = SHB_LENGTH + IDB_LENGTH;
    bad.writeUInt32LE(12, bigAt + 8 + 200_000); // trailing length
    for (const size of [1000, 65536, bad.length]) {
      const broken = readChunked(bad, size);
      expect(broken.error).toMatchObject({ code: 'bad-block', offset: bigAt });
      expect(broken.records).toEqual([]);
    }
  });
});

describe('pcapng errors', () => {
  const good = writePcapng([
    { bytes: frameBytes(20), seconds: 1 },
    { bytes: frameBytes(21), seconds: 2 },
  ]);
  const firstEpb = SHB_LENGTH + IDB_LENGTH;
  const secondEpb = firstEpb + 12 + 20 + 20;

  const cases: Array<{ name: string; damage: (b: Buffer) => void; code: string; offset: number; records: number; message?: string }> = [
    {
      name: 'trailing length disagrees',
      damage: (b) => b.writeUInt32LE(52, secondEpb + 56 - 4),
      code: 'bad-block', offset: secondEpb, records: 1,
      message: `pcapng block at byte offset ${secondEpb}: trailing length 52 disagrees with leading length 56`,
    },
    {
      name: 'length not a multiple of 4',
      damage: (b) => b.writeUInt32LE(58, secondEpb + 4),
      code: 'bad-block', offset: secondEpb, records: 1,
      message: `pcapng block at byte offset ${secondEpb} (type 0x00000006): total length 58 is not a multiple of 4`,
    },
    { name: 'length below 12', damage: (b) => b.writeUInt32LE(8, secondEpb + 4), code: 'bad-block', offset: secondEpb, records: 1 },
    { name: 'EPB shorter than its fixed fields', damage: (b) => b.writeUInt32LE(28, secondEpb + 4), code: 'bad-block', offset: secondEpb, records: 1 },
    { name: 'length above the sane cap', damage: (b) => b.writeUInt32LE(0x80000000, secondEpb + 4), code: 'bad-block', offset: secondEpb, records: 1 },
    {
      name: 'captured length overruns the block',
      damage: (b) => b.writeUInt32LE(40, secondEpb + 20),
      code: 'bad-block', offset: secondEpb, records: 1,
    },
    {
      name: 'captured length above the hard cap',
      damage: (b) => b.writeUInt32LE(0x7fffffff, secondEpb + 20),
      code: 'record-too-large', offset: secondEpb, records: 1,
      message: `packet block at byte offset ${secondEpb} (frame 2) claims 2147483647 captured bytes, above the limit of 262144`,
    },
    {
      name: 'interface never described',
      damage: (b) => b.writeUInt32LE(1, secondEpb + 8),
      code: 'bad-interface', offset: secondEpb, records: 1,
      message: `packet block at byte offset ${secondEpb} (frame 2) names interface 1, but its section describes only 1`,
    },
    {
      name: 'SHB version 2.0',
      damage: (b) => b.writeUInt16LE(2, 12),
      code: 'bad-block', offset: 0, records: 0,
      message: 'section header block at byte offset 0 has unsupported pcapng version 2.0',
    },
    {
      name: 'SHB byte-order magic garbled',
      damage: (b) => b.writeUInt32LE(0x12345678, 8),
      code: 'bad-block', offset: 8, records: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.code} at ${c.offset}`, () => {
      const file = Buffer.from(good);
      c.damage(file);
      const got = readEveryWay(file);
      expect(got.error).toMatchObject({ code: c.code, offset: c.offset });
      if (c.message) expect(got.error!.message).toBe(c.message);
      expect(got.records).toHaveLength(c.records);
    });
  }

  it('stops at a later section with an unknown major version, after the packets before it (as tshark)', () => {
    const file = writePcapng([
      { interfaces: [{}], blocks: [{ type: 'epb', packet: { bytes: frameBytes(8), seconds: 1 } }] },
      { version: [2, 0], interfaces: [{}], blocks: [{ type: 'epb', packet: { bytes: frameBytes(8), seconds: 2 } }] },
    ]);
    const got = readEveryWay(file);
    expect(got.records).toHaveLength(1);
    expect(got.error).toMatchObject({ code: 'bad-block', offset: SHB_LENGTH + IDB_LENGTH + 40 });
  });

  it('accepts SHB minor versions of 1.x', () => {
    const got = readEveryWay(writePcapng([{ version: [1, 2], interfaces: [{}], blocks: [{ type: 'epb', packet: { bytes: frameBytes(8), seconds: 1 } }] }]));
    expect(got.error).toBeUndefined();
    expect(got.records).toHaveLength(1);
  });

  it('fails an SPB in a section without interfaces with bad-interface', () => {
    const got = readEveryWay(writePcapng([{ interfaces: [], blocks: [{ type: 'spb', bytes: frameBytes(8) }] }]));
    expect(got.error).toMatchObject({ code: 'bad-interface', offset: SHB_LENGTH });
    expect(got.error!.message).toContain('describes none');
  });

  it('ignores a malformed option list with a warning', () => {
    const file = writePcapng([{ bytes: frameBytes(4), seconds: 1, comment: 'hello' }]);
    const optionAt = SHB_LENGTH + IDB_LENGTH + 28 + 4;
    file.writeUInt16LE(200, optionAt + 2); // comment length runs past the block
    const got = readEveryWay(file);
    expect(got.records).toHaveLength(1);
    expect(got.records[0].comment).toBeUndefined();
    expect(got.warnings).toEqual([{ code: 'bad-option', offset: SHB_LENGTH + IDB_LENGTH }]);
  });
});

describe('pcapng truncation sweep', () => {
  const file = writePcapng([
    { interfaces: [{}], blocks: [{ type: 'epb', packet: { bytes: frameBytes(10), seconds: 1 } }, { type: 'nrb' }, { type: 'spb', bytes: frameBytes(6) }] },
  ]);
  const epbAt = SHB_LENGTH + IDB_LENGTH;
  const nrbAt = epbAt + 12 + 20 + 12;
  const spbAt = nrbAt + (file.length - nrbAt - 24);
  const boundaries = [SHB_LENGTH, epbAt, nrbAt, spbAt, file.length];
  for (let cut = 1; cut < file.length; cut++) {
    it(`prefix of ${cut} bytes`, () => {
      const got = readEveryWay(file.subarray(0, cut));
      if (cut < SHB_LENGTH) {
        expect(got.error).toMatchObject({ code: 'truncated', offset: 0 });
        return;
      }
      expect(got.error).toBeUndefined();
      expect(got.records).toHaveLength(cut >= spbAt + 24 ? 2 : cut >= nrbAt ? 1 : 0);
      if (boundaries.includes(cut)) {
        expect(got.truncated).toBe(false);
        expect(got.warnings).toEqual([]);
      } else {
        const blockAt = Math.max(...boundaries.filter((b) => b <= cut));
        // With fewer than 4 bytes of the block the reader cannot tell it was a packet.
        const frame = cut - blockAt < 4 ? undefined : blockAt === epbAt ? 1 : blockAt === spbAt ? 2 : undefined;
        expect(got.truncated).toBe(true);
        expect(got.warnings).toEqual([frame === undefined ? { code: 'truncated-record', offset: blockAt } : { code: 'truncated-record', offset: blockAt, frame }]);
      }
    });
  }
});
