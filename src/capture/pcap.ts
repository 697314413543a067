// Classic libpcap files (https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/), and the Kuznetzov
// "modified" variant (magic a1b2cd34) that tshark also reads.
//
// File header (24 bytes), in the writer's byte order, which the magic reveals:
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Magic: a1b2c3d4 (µs), a1b23c4d (ns), a1b2cd34 (modified, µs) |
//  |         Major Version         |         Minor Version         |
//  |                   Reserved1 (thiszone)                        |
//  |                   Reserved2 (sigfigs)                         |
//  |                            SnapLen                            |
//  | FCS |f|0 0 0 0 0 0 0 0 0 0 0|            LinkType             |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// Record header (16 bytes; 24 in the modified format, which appends ifindex u32, protocol u16, pkt_type u8, pad):
//  |  Timestamp (seconds)  |  Timestamp (µs or ns)  |  Captured Packet Length  |  Original Packet Length  |
import { hexBytes, type FormatReader, type ReaderContext } from './context.js';
import { setPcapTime } from './timestamp.js';

export const PCAP_FILE_HEADER_LENGTH = 24;

export interface PcapVariant {
  littleEndian: boolean;
  nanosecond: boolean;
  /** Kuznetzov's patched libpcap: 24-byte record headers. */
  modified: boolean;
}

/** The variant named by the first four bytes, or undefined when they are not a pcap magic. */
export function pcapVariant(magic: Uint8Array): PcapVariant | undefined {
  const le = (magic[0] | (magic[1] << 8) | (magic[2] << 16) | (magic[3] << 24)) >>> 0;
  const be = (((magic[0] << 24) | (magic[1] << 16) | (magic[2] << 8) | magic[3]) >>> 0);
  for (const [value, littleEndian] of [
    [le, true],
    [be, false],
  ] as const) {
    if (value === 0xa1b2c3d4) return { littleEndian, nanosecond: false, modified: false };
    if (value === 0xa1b23c4d) return { littleEndian, nanosecond: true, modified: false };
    if (value === 0xa1b2cd34) return { littleEndian, nanosecond: false, modified: true };
  }
  return undefined;
}

/** LT_LINKTYPE(): the upper bits of the field carry FCS information, not the link type. */
const LINKTYPE_MASK = 0x03ffffff;

export class PcapReader implements FormatReader {
  readonly midUnit = false;
  private headerRead = false;
  private readonly recordHeaderLength: number;
  private readonly nanosPerUnit: number;
  private snaplen = 0;
  private linkType = 0;
  /**
   * A DataView over the buffer the window last answered with (a chunk, or the stash), remade only when that buffer
   * changes: one checked 32-bit read per header word instead of four checked byte reads.
   */
  private headerView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private headerViewOf: Buffer | null = null;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly variant: PcapVariant,
  ) {
    this.recordHeaderLength = variant.modified ? 24 : 16;
    this.nanosPerUnit = variant.nanosecond ? 1 : 1000;
  }

  next(): boolean {
    const ctx = this.ctx;
    const window = ctx.window;
    if (!this.headerRead && !this.readFileHeader()) return false;

    const headerLength = this.recordHeaderLength;
    if (!window.ensure(headerLength)) return false;
    let buf = window.buf;
    let at = window.start;
    if (buf !== this.headerViewOf) {
      this.headerViewOf = buf;
      this.headerView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const view = this.headerView;
    const le = this.variant.littleEndian;
    const seconds = view.getUint32(at, le);
    const fraction = view.getUint32(at + 4, le);
    const capturedLength = view.getUint32(at + 8, le);
    const originalLength = view.getUint32(at + 12, le);

    if (capturedLength > ctx.maxRecordBytes) {
      ctx.fail(
        'record-too-large',
        window.offset,
        `record header at byte offset ${window.offset} (frame ${ctx.frame + 1}) claims ${capturedLength} captured bytes, above the limit of ${ctx.maxRecordBytes}`,
      );
      return false;
    }
    const total = headerLength + capturedLength;
    if (!window.ensure(total)) return false;
    buf = window.buf;
    at = window.start;

    const record = ctx.record;
    if (setPcapTime(record, seconds, fraction, this.nanosPerUnit)) {
      ctx.warn(
        'bad-timestamp',
        window.offset,
        `record at byte offset ${window.offset} has a fraction of ${fraction} ${this.variant.nanosecond ? 'ns' : 'µs'}, a second or more; carried into the seconds`,
        ctx.frame + 1,
      );
    }
    record.interfaceId = 0;
    record.hasTimestamp = true;
    record.capturedLength = capturedLength;
    record.originalLength = originalLength;
    record.linkType = this.linkType;
    record.setData(buf, at + headerLength, capturedLength);
    record.comment = undefined;
    record.interfaceName = undefined;
    if (capturedLength > this.snaplen && this.snaplen !== 0) {
      ctx.warn(
        'snaplen-exceeded',
        window.offset,
        `record at byte offset ${window.offset} captured ${capturedLength} bytes, more than the file's snaplen of ${this.snaplen}`,
        ctx.frame + 1,
      );
    }
    window.consume(total);
    ctx.countRecord();
    return true;
  }

  private readFileHeader(): boolean {
    const window = this.ctx.window;
    if (!window.ensure(PCAP_FILE_HEADER_LENGTH)) return false;
    const buf = window.buf;
    const at = window.start;
    const le = this.variant.littleEndian;
    this.snaplen = le ? buf.readUInt32LE(at + 16) : buf.readUInt32BE(at + 16);
    this.linkType = ((le ? buf.readUInt32LE(at + 20) : buf.readUInt32BE(at + 20)) & LINKTYPE_MASK) >>> 0;
    this.ctx.addLinkType(this.linkType);
    window.consume(PCAP_FILE_HEADER_LENGTH);
    this.headerRead = true;
    return true;
  }

  endInsideUnit(): void {
    const ctx = this.ctx;
    const window = ctx.window;
    if (!this.headerRead) {
      ctx.fail(
        'truncated',
        0,
        `file ends inside the pcap file header (${window.pending} of ${PCAP_FILE_HEADER_LENGTH} bytes: ${hexBytes(window.peekPending(PCAP_FILE_HEADER_LENGTH))})`,
      );
      return;
    }
    ctx.info.truncated = true;
    ctx.warn(
      'truncated-record',
      window.offset,
      `file ends inside the record at byte offset ${window.offset} (frame ${ctx.frame + 1}, ${window.pending} bytes present); the records before it were read`,
      ctx.frame + 1,
    );
  }
}
