// File-level mutants of capture files for the fuzzing harness (issue 14): seeded, pure (bytes in, bytes out).
//
// A capture is first walked as its format lays it out — pcap records, pcapng blocks in each section's byte
// order, options inside IDBs, EPBs and SHBs — so mutations can aim at what a reader believes: lengths, interface
// ids, snaplens and link types set to boundary values, truncation at (or next to) every record or block
// boundary, blocks duplicated or spliced in from another file, damaged gzip around it, files concatenated.
// Bit and byte flips cover everything else.
import { gzipSync } from 'node:zlib';

/** mulberry32: a small seeded PRNG, enough for picking mutations. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
}

export const U32_BOUNDARIES = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff] as const;
export const U16_BOUNDARIES = [0, 1, 0x7fff, 0x8000, 0xffff] as const;

/** A unit of the file: a pcap record (with its 16- or 24-byte header) or a pcapng block. */
export interface Unit {
  offset: number;
  length: number;
  /** pcapng block type, or -1 for a pcap record. */
  type: number;
  littleEndian: boolean;
}

export interface Layout {
  format: 'pcap' | 'pcapng' | 'other';
  littleEndian: boolean;
  /** The pcap file header's length (0 for pcapng). */
  headerLength: number;
  /** pcap record header length (16, or 24 for the modified format). */
  recordHeader: number;
  units: Unit[];
}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const EPB = 6;

export function layout(data: Buffer): Layout {
  if (data.length >= 24) {
    const le = data.readUInt32LE(0);
    const pcapLe = le === 0xa1b2c3d4 || le === 0xa1b23c4d || le === 0xa1b2cd34;
    const be = data.readUInt32BE(0);
    const pcapBe = be === 0xa1b2c3d4 || be === 0xa1b23c4d || be === 0xa1b2cd34;
    if (pcapLe || pcapBe) {
      const modified = (pcapLe ? le : be) === 0xa1b2cd34;
      const recordHeader = modified ? 24 : 16;
      const units: Unit[] = [];
      for (let at = 24; at + recordHeader <= data.length; ) {
        const caplen = pcapLe ? data.readUInt32LE(at + 8) : data.readUInt32BE(at + 8);
        const length = recordHeader + caplen;
        if (caplen > 1 << 20 || at + length > data.length) break;
        units.push({ offset: at, length, type: -1, littleEndian: pcapLe });
        at += length;
      }
      return { format: 'pcap', littleEndian: pcapLe, headerLength: 24, recordHeader, units };
    }
  }
  if (data.length >= 12 && data.readUInt32BE(0) === SHB) {
    const units: Unit[] = [];
    let littleEndian = true;
    for (let at = 0; at + 12 <= data.length; ) {
      const typeLe = data.readUInt32LE(at);
      if (typeLe === SHB) littleEndian = data.readUInt32LE(at + 8) === 0x1a2b3c4d;
      const type = littleEndian ? typeLe : data.readUInt32BE(at);
      const length = littleEndian ? data.readUInt32LE(at + 4) : data.readUInt32BE(at + 4);
      if (length < 12 || length % 4 !== 0 || at + length > data.length) break;
      units.push({ offset: at, length, type, littleEndian });
      at += length;
    }
    return { format: 'pcapng', littleEndian: units[0]?.littleEndian ?? true, headerLength: 0, recordHeader: 0, units };
  }
  return { format: 'other', littleEndian: true, headerLength: 0, recordHeader: 0, units: [] };
}

function write32(data: Buffer, at: number, value: number, le: boolean): void {
  if (at < 0 || at + 4 > data.length) return;
  if (le) data.writeUInt32LE(value >>> 0, at);
  else data.writeUInt32BE(value >>> 0, at);
}

function write16(data: Buffer, at: number, value: number, le: boolean): void {
  if (at < 0 || at + 2 > data.length) return;
  if (le) data.writeUInt16LE(value & 0xffff, at);
  else data.writeUInt16BE(value & 0xffff, at);
}

function read32(data: Buffer, at: number, le: boolean): number {
  return le ? data.readUInt32LE(at) : data.readUInt32BE(at);
}

/** Start of the options of a pcapng block, or -1. */
function optionsStart(data: Buffer, unit: Unit): number {
  if (unit.type === SHB) return unit.offset + 24;
  if (unit.type === IDB) return unit.offset + 16;
  if ((unit.type === EPB || unit.type === PB) && unit.length >= 32) {
    const caplen = read32(data, unit.offset + 20, unit.littleEndian);
    return unit.offset + 28 + ((caplen + 3) & ~3);
  }
  return -1;
}

/** Offsets of the option headers (code u16, length u16) of a block. */
function optionHeaders(data: Buffer, unit: Unit): number[] {
  const out: number[] = [];
  const end = unit.offset + unit.length - 4;
  for (let at = optionsStart(data, unit); at >= 0 && at + 4 <= end; ) {
    out.push(at);
    const length = unit.littleEndian ? data.readUInt16LE(at + 2) : data.readUInt16BE(at + 2);
    at += 4 + ((length + 3) & ~3);
  }
  return out;
}

export interface Mutant {
  bytes: Buffer;
  /** What was done, for the failure report (and a regression fixture's name). */
  how: string;
}

type Mutator = (data: Buffer, lay: Layout, rnd: Random, other: Buffer) => Mutant | null;

function units(lay: Layout, types?: number[]): Unit[] {
  return types ? lay.units.filter((u) => types.includes(u.type)) : lay.units;
}

function u32Value(rnd: Random, near: number[] = []): number {
  return rnd.next() < 0.7 ? rnd.pick(U32_BOUNDARIES) : (rnd.pick(near.length ? near : [0]) + rnd.int(9) - 4) >>> 0;
}

const MUTATORS: Record<string, Mutator> = {
  bitflips(data, _lay, rnd) {
    const out = Buffer.from(data);
    const n = 1 + rnd.int(8);
    for (let i = 0; i < n; i++) out[rnd.int(out.length)] ^= 1 << rnd.int(8);
    return { bytes: out, how: `bitflips(${n})` };
  },
  byteflips(data, _lay, rnd) {
    const out = Buffer.from(data);
    const n = 1 + rnd.int(4);
    for (let i = 0; i < n; i++) out[rnd.int(out.length)] = rnd.pick([0, 1, 0x7f, 0x80, 0xff, rnd.int(256)]);
    return { bytes: out, how: `byteflips(${n})` };
  },
  truncate(data, lay, rnd) {
    const bounds = [lay.headerLength, ...lay.units.map((u) => u.offset + u.length), ...lay.units.map((u) => u.offset)];
    const at = Math.max(0, Math.min(data.length - 1, rnd.pick(bounds) + rnd.pick([0, 0, 0, -1, 1, -4, 4, 8, 12])));
    return { bytes: Buffer.from(data.subarray(0, at)), how: `truncate@${at}` };
  },
  'pcap-record-length'(data, lay, rnd) {
    const list = units(lay, [-1]);
    if (!list.length) return null;
    const u = rnd.pick(list);
    const field = rnd.pick([8, 12]);
    const value = u32Value(rnd, [u.length - lay.recordHeader, 262144, 65535]);
    const out = Buffer.from(data);
    write32(out, u.offset + field, value, u.littleEndian);
    return { bytes: out, how: `pcap-${field === 8 ? 'caplen' : 'origlen'}@${u.offset}=${value}` };
  },
  'pcap-header'(data, lay, rnd) {
    if (lay.format !== 'pcap') return null;
    const out = Buffer.from(data);
    const field = rnd.pick([4, 6, 16, 20]);
    if (field < 8) write16(out, field, rnd.pick(U16_BOUNDARIES), lay.littleEndian);
    else write32(out, field, field === 20 ? rnd.pick([...U32_BOUNDARIES, 101, 113, 228, 229, 276, 0xffff]) : u32Value(rnd, [64]), lay.littleEndian);
    return { bytes: out, how: `pcap-header+${field}` };
  },
  'block-length'(data, lay, rnd) {
    const list = units(lay);
    if (lay.format !== 'pcapng' || !list.length) return null;
    const u = rnd.pick(list);
    const trailing = rnd.next() < 0.4;
    const value = u32Value(rnd, [u.length, 12, 28, 32]);
    const out = Buffer.from(data);
    write32(out, trailing ? u.offset + u.length - 4 : u.offset + 4, value, u.littleEndian);
    return { bytes: out, how: `block-${trailing ? 'trailing' : 'leading'}-length@${u.offset}=${value}` };
  },
  'option-length'(data, lay, rnd) {
    const candidates = units(lay, [SHB, IDB, EPB, PB]).flatMap((u) => optionHeaders(data, u).map((at) => ({ u, at })));
    if (!candidates.length) return null;
    const { u, at } = rnd.pick(candidates);
    const out = Buffer.from(data);
    const value = rnd.next() < 0.7 ? rnd.pick(U16_BOUNDARIES) : u.offset + u.length - at - 4 + rnd.int(9) - 4;
    write16(out, at + 2, value, u.littleEndian);
    return { bytes: out, how: `option-length@${at}=${value & 0xffff}` };
  },
  'interface-id'(data, lay, rnd) {
    const list = units(lay, [EPB, PB]);
    if (!list.length) return null;
    const u = rnd.pick(list);
    const interfaces = units(lay, [IDB]).length;
    const out = Buffer.from(data);
    const value = u32Value(rnd, [interfaces, interfaces - 1]);
    if (u.type === PB) write16(out, u.offset + 8, value, u.littleEndian);
    else write32(out, u.offset + 8, value, u.littleEndian);
    return { bytes: out, how: `interface-id@${u.offset}=${value}` };
  },
  'captured-length'(data, lay, rnd) {
    const list = units(lay, [EPB, PB]);
    if (!list.length) return null;
    const u = rnd.pick(list);
    const out = Buffer.from(data);
    const field = rnd.pick([20, 24]);
    const value = u32Value(rnd, [u.length - 32, 65535, 262144]);
    write32(out, u.offset + field, value, u.littleEndian);
    return { bytes: out, how: `epb-${field === 20 ? 'caplen' : 'origlen'}@${u.offset}=${value}` };
  },
  snaplen(data, lay, rnd) {
    const out = Buffer.from(data);
    const value = u32Value(rnd, [1, 14, 42, 64]);
    if (lay.format === 'pcap') {
      write32(out, 16, value, lay.littleEndian);
      return { bytes: out, how: `pcap-snaplen=${value}` };
    }
    const list = units(lay, [IDB]);
    if (!list.length) return null;
    const u = rnd.pick(list);
    write32(out, u.offset + 12, value, u.littleEndian);
    return { bytes: out, how: `idb-snaplen@${u.offset}=${value}` };
  },
  'link-type'(data, lay, rnd) {
    const out = Buffer.from(data);
    if (lay.format === 'pcap') {
      const value = rnd.pick([...U32_BOUNDARIES, 101, 113, 228, 229, 276]);
      write32(out, 20, value, lay.littleEndian);
      return { bytes: out, how: `pcap-linktype=${value}` };
    }
    const list = units(lay, [IDB]);
    if (!list.length) return null;
    const u = rnd.pick(list);
    const value = rnd.pick([...U16_BOUNDARIES, 101, 113, 228, 229, 276]);
    write16(out, u.offset + 8, value, u.littleEndian);
    return { bytes: out, how: `idb-linktype@${u.offset}=${value}` };
  },
  'tsresol'(data, lay, rnd) {
    const list = units(lay, [IDB]);
    if (!list.length) return null;
    const u = rnd.pick(list);
    // Append-free: rewrite the first option of the IDB (if any) as if_tsresol with a boundary value.
    const headers = optionHeaders(data, u);
    if (!headers.length) return null;
    const out = Buffer.from(data);
    write16(out, headers[0], 9, u.littleEndian);
    if (headers[0] + 4 < out.length) out[headers[0] + 4] = rnd.pick([0, 1, 9, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xff]);
    return { bytes: out, how: `idb-tsresol@${u.offset}` };
  },
  duplicate(data, lay, rnd) {
    if (!lay.units.length) return null;
    const u = rnd.pick(lay.units);
    const copies = rnd.pick([1, 1, 2, 50]);
    const where = rnd.pick(lay.units);
    const at = rnd.next() < 0.5 ? where.offset : where.offset + where.length;
    const block = data.subarray(u.offset, u.offset + u.length);
    return {
      bytes: Buffer.concat([data.subarray(0, at), ...Array.from({ length: copies }, () => block), data.subarray(at)]),
      how: `duplicate@${u.offset}x${copies}->${at}`,
    };
  },
  splice(data, lay, rnd, other) {
    const theirs = layout(other);
    if (!lay.units.length || !theirs.units.length) return null;
    const u = rnd.pick(theirs.units);
    const where = rnd.pick(lay.units);
    const at = rnd.next() < 0.5 ? where.offset : where.offset + where.length;
    return {
      bytes: Buffer.concat([data.subarray(0, at), other.subarray(u.offset, u.offset + u.length), data.subarray(at)]),
      how: `splice(${theirs.format}@${u.offset})->${at}`,
    };
  },
  concatenate(data, _lay, rnd, other) {
    const second = rnd.next() < 0.5 ? data : other;
    return { bytes: Buffer.concat([data, second]), how: `concatenate(${second === data ? 'self' : 'other'})` };
  },
  gzip(data, lay, rnd, other) {
    // A mutant (or the file) compressed, then the gzip damaged: truncated, a byte flipped, a member appended.
    const inner = rnd.next() < 0.5 ? data : (mutate(data, rnd, other, ['gzip']).bytes);
    const gz = gzipSync(inner);
    const kind = rnd.pick(['clean', 'truncate', 'flip', 'trailer', 'member', 'double']);
    let out = Buffer.from(gz);
    if (kind === 'truncate') out = out.subarray(0, Math.max(2, rnd.int(out.length)));
    else if (kind === 'flip') out[10 + rnd.int(Math.max(1, out.length - 10))] ^= 1 << rnd.int(8);
    else if (kind === 'trailer') out[out.length - 1 - rnd.int(8)] ^= 0xff;
    else if (kind === 'member') out = Buffer.concat([out, gzipSync(other)]);
    else if (kind === 'double') out = gzipSync(out);
    void lay;
    return { bytes: out, how: `gzip-${kind}` };
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** One mutant of `data` (`other` is a second file for splicing and concatenation). */
export function mutate(data: Buffer, rnd: Random, other: Buffer, exclude: string[] = []): Mutant {
  const lay = layout(data);
  const names = MUTATOR_NAMES.filter((n) => !exclude.includes(n));
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = rnd.pick(names);
    const m = MUTATORS[name](data, lay, rnd, other);
    if (m && m.bytes.length > 0) {
      // Now and then a second mutation on top of the first.
      if (rnd.next() < 0.15 && !exclude.includes('stack')) {
        const again = mutate(m.bytes, rnd, other, [...exclude, 'gzip', 'stack']);
        return { bytes: again.bytes, how: `${m.how}+${again.how}` };
      }
      return m;
    }
  }
  return MUTATORS.bitflips(data, lay, rnd, other)!;
}

/** Every truncation at, and one byte either side of, each record or block boundary (for the exhaustive sweep). */
export function truncations(data: Buffer): Mutant[] {
  const lay = layout(data);
  const cuts = new Set<number>();
  for (const u of lay.units) for (const d of [-1, 0, 1]) cuts.add(u.offset + d), cuts.add(u.offset + u.length + d);
  cuts.add(lay.headerLength);
  return [...cuts]
    .filter((at) => at > 0 && at < data.length)
    .sort((a, b) => a - b)
    .map((at) => ({ bytes: Buffer.from(data.subarray(0, at)), how: `truncate@${at}` }));
}
