// pcapng (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/).
//
// Every block, in its section's byte order (set by the Section Header Block's byte-order magic 1a2b3c4d):
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +---------------------------------------------------------------+
//  |                          Block Type                           |
//  +---------------------------------------------------------------+
//  |                      Block Total Length                       |
//  +---------------------------------------------------------------+
//  /                          Block Body                           /  padded to 32 bits
//  +---------------------------------------------------------------+
//  |                      Block Total Length                       |
//  +---------------------------------------------------------------+
// Bodies read here (offsets from the block start):
//  SHB 0x0a0d0d0a: +8 byte-order magic, +12 major u16, +14 minor u16, +16 section length i64, options
//  IDB 0x00000001: +8 LinkType u16, +10 reserved, +12 SnapLen u32, options (if_tsresol 9, if_tsoffset 14)
//  EPB 0x00000006: +8 Interface ID u32, +12 ts high, +16 ts low, +20 captured len, +24 original len, +28 data, options
//  PB  0x00000002 (obsolete): +8 Interface ID u16, +10 drops u16, then as EPB
//  SPB 0x00000003: +8 original len, +12 data (interface 0, no timestamp, captured = min(len, snaplen, room))
// Everything else (NRB, ISB, DSB, custom 0x0bad / 0x40000bad, unknown) is skipped by its length.
import { hexBytes, type FormatReader, type ReaderContext } from './context.js';
import { MICROSECONDS, setPcapngTime, timeResolution, type TimeResolution } from './timestamp.js';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_NRB = 0x00000004;
export const BLOCK_ISB = 0x00000005;
export const BLOCK_EPB = 0x00000006;
export const BLOCK_SYSTEMD_JOURNAL = 0x00000009;
export const BLOCK_DSB = 0x0000000a;
export const BLOCK_CUSTOM = 0x00000bad;
export const BLOCK_CUSTOM_NOCOPY = 0x40000bad;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** Sane cap on one block: real blocks are packets (≤ the record cap) and small metadata. */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** Blocks smaller than this are assembled when they straddle chunks; larger skippable ones are skipped. */
const ASSEMBLE_SKIPPABLE_BELOW = 64 * 1024;
/** More interfaces than this in one file is not a real capture (hostile or generated): said once, then read on. */
export const MANY_INTERFACES = 4096;
/** Interfaces kept at most (measured: 2^18 IDBs peak at 103 MiB RSS, 1M at 170 MiB): past this a file is refused. */
export const MAX_INTERFACES = 1 << 18;

interface Interface {
  linkType: number;
  snaplen: number;
  resolution: TimeResolution;
  offsetSeconds: number;
  /** if_name, when the interface block gives one. */
  name: string | undefined;
}

/** Blocks Wireshark 4.0 turns into frames of their own: they take a frame number though we return no record. */
function isWiresharkFrame(type: number): boolean {
  return type === BLOCK_CUSTOM || type === BLOCK_CUSTOM_NOCOPY || type === BLOCK_SYSTEMD_JOURNAL;
}

export class PcapngReader implements FormatReader {
  private littleEndian = true;
  private sectionSeen = false;
  /** Interfaces of the whole file: a packet's id is local to its section, record.interfaceId global. */
  private readonly interfaces: Interface[] = [];
  private sectionBase = 0;
  /** Skipping the body of a large skippable block, then checking its trailing length. */
  private skipRemaining = 0;
  private trailerExpected = 0;
  private skippedBlockOffset = 0;
  /** Type of the block being read, for the truncation message (-1 before its header arrived). */
  private blockType = -1;

  constructor(private readonly ctx: ReaderContext) {}

  get midUnit(): boolean {
    return this.skipRemaining > 0 || this.trailerExpected !== 0;
  }

  next(): boolean {
    const ctx = this.ctx;
    const window = ctx.window;
    for (;;) {
      if (ctx.info.error) return false;
      if (this.skipRemaining > 0) {
        this.skipRemaining -= window.skip(this.skipRemaining);
        if (this.skipRemaining > 0) return false;
      }
      if (this.trailerExpected !== 0) {
        if (!window.ensure(4)) return false;
        const trailing = this.read32(window.buf, window.start);
        if (trailing !== this.trailerExpected) {
          this.failTrailer(this.skippedBlockOffset, this.trailerExpected, trailing);
          return false;
        }
        window.consume(4);
        this.trailerExpected = 0;
        continue;
      }

      this.blockType = -1;
      // 12 bytes: the smallest block, and enough to see an SHB's byte-order magic.
      if (!window.ensure(12)) return false;
      let buf = window.buf;
      let at = window.start;
      const offset = window.offset;
      const type = this.read32(buf, at); // an SHB's type reads the same in either byte order
      if (type === BLOCK_SHB) {
        if (!this.readByteOrder(buf, at, offset)) return false;
      } else if (!this.sectionSeen) {
        ctx.fail('bad-block', offset, `pcapng block at byte offset ${offset} comes before any section header block`);
        return false;
      }
      this.blockType = type;
      const length = this.read32(buf, at + 4);
      if (!this.checkLength(type, length, offset)) return false;

      if ((type === BLOCK_EPB || type === BLOCK_PB) && !window.has(length)) {
        // The block straddles chunks: check the claimed captured length before assembling anything.
        if (!window.ensure(28)) return false;
        const capturedLength = this.read32(window.buf, window.start + 20);
        if (capturedLength > ctx.maxRecordBytes) return this.failTooLarge(offset, capturedLength);
      }
      const skippable =
        type !== BLOCK_SHB && type !== BLOCK_IDB && type !== BLOCK_EPB && type !== BLOCK_PB && type !== BLOCK_SPB;
      if (skippable && length > ASSEMBLE_SKIPPABLE_BELOW && !window.has(length)) {
        // Too big to be worth assembling: drop the body as it streams past, then check the trailing length.
        if (isWiresharkFrame(type)) ctx.frame += 1;
        window.consume(8);
        this.skipRemaining = length - 12;
        this.trailerExpected = length;
        this.skippedBlockOffset = offset;
        continue;
      }
      if (!window.ensure(length)) return false;
      buf = window.buf;
      at = window.start;
      const trailing = this.read32(buf, at + length - 4);
      if (trailing !== length) {
        this.failTrailer(offset, length, trailing);
        return false;
      }
      let isRecord = false;
      switch (type) {
        case BLOCK_SHB:
          if (!this.readSectionHeader(buf, at, offset)) return false;
          break;
        case BLOCK_IDB:
          if (this.interfaces.length >= MAX_INTERFACES) {
            ctx.fail('bad-block', offset, `interface description block at byte offset ${offset}: more than ${MAX_INTERFACES} interfaces in one file`);
            return false;
          }
          this.readInterface(buf, at, length, offset);
          break;
        case BLOCK_EPB:
        case BLOCK_PB:
          isRecord = this.readPacket(buf, at, length, offset, type);
          if (!isRecord) return false;
          break;
        case BLOCK_SPB:
          isRecord = this.readSimplePacket(buf, at, length, offset);
          if (!isRecord) return false;
          break;
        default:
          break;
      }
      window.consume(length);
      this.blockType = -1;
      if (skippable && isWiresharkFrame(type)) ctx.frame += 1;
      if (isRecord) {
        ctx.countRecord();
        return true;
      }
    }
  }

  endInsideUnit(): void {
    const ctx = this.ctx;
    const window = ctx.window;
    if (!this.sectionSeen) {
      ctx.fail(
        'truncated',
        0,
        `file ends inside the first pcapng section header block (${window.pending} bytes: ${hexBytes(window.peekPending(12))})`,
      );
      return;
    }
    const offset = this.midUnit ? this.skippedBlockOffset : window.offset;
    let type = this.blockType;
    if (type === -1 && !this.midUnit && window.pending >= 4) type = this.read32(window.peekPending(4), 0);
    const isPacket = type === BLOCK_EPB || type === BLOCK_PB || type === BLOCK_SPB;
    ctx.info.truncated = true;
    ctx.warn(
      'truncated-record',
      offset,
      `file ends inside the ${isPacket ? `packet block of frame ${ctx.frame + 1}` : 'block'} at byte offset ${offset}; the records before it were read`,
      isPacket ? ctx.frame + 1 : undefined,
    );
  }

  private read32(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private read16(buf: Buffer, at: number): number {
    return this.littleEndian ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }

  /** Each section states its own byte order; the SHB's length can only be read after that. */
  private readByteOrder(buf: Buffer, at: number, offset: number): boolean {
    const magicLE = buf.readUInt32LE(at + 8);
    if (magicLE === BYTE_ORDER_MAGIC) this.littleEndian = true;
    else if (buf.readUInt32BE(at + 8) === BYTE_ORDER_MAGIC) this.littleEndian = false;
    else {
      this.ctx.fail(
        'bad-block',
        offset + 8,
        `section header block at byte offset ${offset} has byte-order magic ${hexBytes(buf.subarray(at + 8, at + 12))}, not 1a 2b 3c 4d in either order`,
      );
      return false;
    }
    return true;
  }

  private checkLength(type: number, length: number, offset: number): boolean {
    const minimum =
      type === BLOCK_SHB ? 28 : type === BLOCK_IDB ? 20 : type === BLOCK_EPB || type === BLOCK_PB ? 32 : type === BLOCK_SPB ? 16 : 12;
    let problem: string | undefined;
    if (length < minimum) problem = `is shorter than the ${minimum} bytes this block type needs`;
    else if (length % 4 !== 0) problem = 'is not a multiple of 4';
    else if (length > MAX_BLOCK_BYTES) problem = `is above the sane limit of ${MAX_BLOCK_BYTES}`;
    if (problem === undefined) return true;
    this.ctx.fail(
      'bad-block',
      offset,
      `pcapng block at byte offset ${offset} (type 0x${type.toString(16).padStart(8, '0')}): total length ${length} ${problem}`,
    );
    return false;
  }

  private failTooLarge(offset: number, capturedLength: number): false {
    this.ctx.fail(
      'record-too-large',
      offset,
      `packet block at byte offset ${offset} (frame ${this.ctx.frame + 1}) claims ${capturedLength} captured bytes, above the limit of ${this.ctx.maxRecordBytes}`,
    );
    return false;
  }

  private failTrailer(offset: number, leading: number, trailing: number): void {
    this.ctx.fail(
      'bad-block',
      offset,
      `pcapng block at byte offset ${offset}: trailing length ${trailing} disagrees with leading length ${leading}`,
    );
  }

  private readSectionHeader(buf: Buffer, at: number, offset: number): boolean {
    const major = this.read16(buf, at + 12);
    const minor = this.read16(buf, at + 14);
    if (major !== 1) {
      // tshark stops the same way ("pcapng: unknown SHB version 2.0").
      this.ctx.fail('bad-block', offset, `section header block at byte offset ${offset} has unsupported pcapng version ${major}.${minor}`);
      return false;
    }
    this.sectionSeen = true;
    this.sectionBase = this.interfaces.length;
    return true;
  }

  private readInterface(buf: Buffer, at: number, length: number, offset: number): void {
    const iface: Interface = {
      linkType: this.read16(buf, at + 8),
      snaplen: this.read32(buf, at + 12),
      resolution: MICROSECONDS,
      offsetSeconds: 0,
      name: undefined,
    };
    this.forEachOption(buf, at + 16, at + length - 4, offset, (code, valueAt, valueLength) => {
      if (code === IF_TSRESOL && valueLength >= 1) iface.resolution = timeResolution(buf[valueAt]);
      else if (code === IF_NAME && valueLength > 0) iface.name = buf.toString('utf8', valueAt, valueAt + valueLength).replace(/\0+$/, '');
      else if (code === IF_TSOFFSET && valueLength >= 8) {
        const value = this.littleEndian ? buf.readBigInt64LE(valueAt) : buf.readBigInt64BE(valueAt);
        iface.offsetSeconds = Number(value);
      }
    });
    this.interfaces.push(iface);
    this.ctx.addLinkType(iface.linkType);
    if (this.interfaces.length === MANY_INTERFACES + 1) {
      this.ctx.warn(
        'many-interfaces',
        offset,
        `pcapng file describes more than ${MANY_INTERFACES} interfaces (interface ${MANY_INTERFACES}, counting from 0, at byte offset ${offset}); real captures have a few — reading on`,
      );
    }
  }

  /** EPB or obsolete PB → ctx.record. False on a fatal error. */
  private readPacket(buf: Buffer, at: number, length: number, offset: number, type: number): boolean {
    const ctx = this.ctx;
    const localId = type === BLOCK_EPB ? this.read32(buf, at + 8) : this.read16(buf, at + 8);
    const iface = this.interfaceOf(localId, offset);
    if (iface === undefined) return false;
    const capturedLength = this.read32(buf, at + 20);
    if (capturedLength > ctx.maxRecordBytes) return this.failTooLarge(offset, capturedLength);
    const dataEnd = 28 + capturedLength;
    if (dataEnd > length - 4) {
      ctx.fail(
        'bad-block',
        offset,
        `packet block at byte offset ${offset} (frame ${ctx.frame + 1}): captured length ${capturedLength} overruns the block length ${length}`,
      );
      return false;
    }
    const record = ctx.record;
    setPcapngTime(record, this.read32(buf, at + 12), this.read32(buf, at + 16), iface.resolution, iface.offsetSeconds);
    record.hasTimestamp = true;
    record.interfaceId = this.sectionBase + localId;
    record.capturedLength = capturedLength;
    record.originalLength = this.read32(buf, at + 24);
    record.linkType = iface.linkType;
    record.setData(buf, at + 28, capturedLength);
    record.comment = undefined;
    record.interfaceName = iface.name;
    const optionsAt = at + ((dataEnd + 3) & ~3);
    if (optionsAt < at + length - 4) {
      let comment: string | undefined;
      this.forEachOption(buf, optionsAt, at + length - 4, offset, (code, valueAt, valueLength) => {
        if (code !== OPT_COMMENT) return;
        const text = buf.toString('utf8', valueAt, valueAt + valueLength);
        comment = comment === undefined ? text : `${comment}\n${text}`;
      });
      record.comment = comment;
    }
    if (capturedLength > iface.snaplen && iface.snaplen !== 0) this.warnSnaplen(offset, capturedLength, iface.snaplen);
    return true;
  }

  private readSimplePacket(buf: Buffer, at: number, length: number, offset: number): boolean {
    const ctx = this.ctx;
    const iface = this.interfaceOf(0, offset);
    if (iface === undefined) return false;
    const originalLength = this.read32(buf, at + 8);
    let capturedLength = Math.min(originalLength, length - 16);
    if (iface.snaplen !== 0 && iface.snaplen < capturedLength) capturedLength = iface.snaplen;
    if (capturedLength > ctx.maxRecordBytes) {
      ctx.fail(
        'record-too-large',
        offset,
        `simple packet block at byte offset ${offset} (frame ${ctx.frame + 1}) holds ${capturedLength} captured bytes, above the limit of ${ctx.maxRecordBytes}`,
      );
      return false;
    }
    const record = ctx.record;
    record.seconds = 0;
    record.nanos = 0;
    record.hasTimestamp = false;
    record.interfaceId = this.sectionBase;
    record.capturedLength = capturedLength;
    record.originalLength = originalLength;
    record.linkType = iface.linkType;
    record.setData(buf, at + 12, capturedLength);
    record.comment = undefined;
    record.interfaceName = iface.name;
    return true;
  }

  private interfaceOf(localId: number, offset: number): Interface | undefined {
    const described = this.interfaces.length - this.sectionBase;
    if (localId < described) return this.interfaces[this.sectionBase + localId];
    this.ctx.fail(
      'bad-interface',
      offset,
      `packet block at byte offset ${offset} (frame ${this.ctx.frame + 1}) names interface ${localId}, but its section describes ${described === 0 ? 'none' : `only ${described}`}`,
    );
    return undefined;
  }

  private warnSnaplen(offset: number, capturedLength: number, snaplen: number): void {
    this.ctx.warn(
      'snaplen-exceeded',
      offset,
      `packet block at byte offset ${offset} captured ${capturedLength} bytes, more than its interface's snaplen of ${snaplen}`,
      this.ctx.frame + 1,
    );
  }

  /** Walks options (code u16, length u16, value padded to 32 bits); a malformed list ends the walk with a warning. */
  private forEachOption(
    buf: Buffer,
    from: number,
    end: number,
    blockOffset: number,
    visit: (code: number, valueAt: number, valueLength: number) => void,
  ): void {
    let at = from;
    while (at + 4 <= end) {
      const code = this.read16(buf, at);
      const valueLength = this.read16(buf, at + 2);
      if (code === OPT_ENDOFOPT) return;
      if (at + 4 + valueLength > end) {
        this.ctx.warn(
          'bad-option',
          blockOffset,
          `pcapng block at byte offset ${blockOffset}: option ${code} of ${valueLength} bytes overruns the block; rest of its options ignored`,
        );
        return;
      }
      visit(code, at + 4, valueLength);
      at += 4 + ((valueLength + 3) & ~3);
    }
  }
}
