// The capture reader as a pure, synchronous state machine: feed(chunk) bytes in, next() records out, end() when
// the input is exhausted. It knows nothing of streams, so tests can feed any chunking and expect the same output.
import { hexBytes, ReaderRecord, type FormatReader, type ReaderContext } from './context.js';
import { ExportReader, looksLikeText } from './export.js';
import { PcapReader, pcapVariant } from './pcap.js';
import { BLOCK_SHB, PcapngReader } from './pcapng.js';
import { CaptureError, type CaptureErrorCode, type CaptureInfo, type CaptureOptions, type CaptureRecord } from './types.js';
import { ByteWindow } from './window.js';

export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
/** Warnings kept per code; the rest are counted in one summary warning so a bad file cannot flood memory. */
const WARNINGS_PER_CODE = 10;

const KNOWN_MAGICS = [
  [0xd4, 0xc3, 0xb2, 0xa1],
  [0xa1, 0xb2, 0xc3, 0xd4],
  [0x4d, 0x3c, 0xb2, 0xa1],
  [0xa1, 0xb2, 0x3c, 0x4d],
  [0x34, 0xcd, 0xb2, 0xa1],
  [0xa1, 0xb2, 0xcd, 0x34],
  [0x0a, 0x0d, 0x0d, 0x0a],
];

export function newCaptureInfo(path: string): CaptureInfo {
  return {
    path,
    format: 'unknown',
    timestamps: 'absolute',
    compressed: false,
    linkTypes: [],
    packets: 0,
    bytes: 0,
    fileBytesRead: 0,
    fileSize: undefined,
    firstSeconds: undefined,
    firstNanos: undefined,
    lastSeconds: undefined,
    lastNanos: undefined,
    truncated: false,
    warnings: [],
    error: undefined,
    interrupted: false,
  };
}

export class CaptureParser {
  readonly info: CaptureInfo;
  private readonly window = new ByteWindow();
  private readonly record = new ReaderRecord();
  private readonly ctx: ReaderContext;
  private reader: FormatReader | undefined;
  private ended = false;
  /** A record completed by end() (a text export's last packet), handed out by the next next(). */
  private held = false;
  private readonly warningCounts = new Map<string, { count: number; lastOffset: number }>();

  constructor(path: string, options: CaptureOptions = {}, info: CaptureInfo = newCaptureInfo(path)) {
    this.info = info;
    const parser = this;
    const record = this.record;
    const linkTypesSeen = new Set<number>(info.linkTypes);
    this.ctx = {
      window: this.window,
      record,
      info,
      maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
      frame: 0,
      warn: (code, offset, message, frame) => parser.warn(code, offset, message, frame),
      fail: (code, offset, message) => parser.fail(code, offset, message),
      addLinkType(linkType) {
        // Once per interface description block, and a file may hold tens of thousands: no scan and no sort here
        // (includes + sort per IDB was quadratic: 32,768 distinct link types took 21 s). end() sorts the list.
        if (linkTypesSeen.has(linkType)) return;
        linkTypesSeen.add(linkType);
        info.linkTypes.push(linkType);
      },
      countRecord() {
        record.frame = ++this.frame;
        info.packets += 1;
        if (!record.hasTimestamp) return;
        const s = record.seconds;
        const ns = record.nanos;
        // Earliest and latest, as capinfos reports them: records need not be in time order.
        if (info.firstSeconds === undefined || s < info.firstSeconds || (s === info.firstSeconds && ns < info.firstNanos!)) {
          info.firstSeconds = s;
          info.firstNanos = ns;
        }
        if (info.lastSeconds === undefined || s > info.lastSeconds || (s === info.lastSeconds && ns > info.lastNanos!)) {
          info.lastSeconds = s;
          info.lastNanos = ns;
        }
      },
    };
  }

  /** Adds the next chunk of (decompressed) capture bytes. Call only after next() returned null. */
  feed(chunk: Buffer): void {
    if (this.ended || this.info.error) return;
    this.info.bytes += chunk.length;
    this.window.feed(chunk);
  }

  /**
   * The next whole record from the bytes fed so far, or null (feed more, or a fatal error: see info.error).
   * The record object is reused and its `bytes` view is valid only until the next call.
   */
  next(): CaptureRecord | null {
    if (this.held) {
      this.held = false;
      return this.record;
    }
    if (this.info.error || this.ended) return null;
    if (this.reader === undefined && !this.detectFormat()) return null;
    return this.reader!.next() ? this.record : null;
  }

  /** True after end() when one more record waits to be handed out by next() (then call next() before closing). */
  get holdsRecord(): boolean {
    return this.held;
  }

  /** The input is exhausted: decides whether it stopped cleanly, inside a record (warning) or a header (fatal). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.info.error && this.reader?.endInput) this.held = this.reader.endInput() && !this.info.error;
    this.info.linkTypes.sort((a, b) => a - b);
    if (!this.info.error) {
      if (this.reader === undefined) this.endBeforeFormat();
      else if (this.window.pending > 0 || this.reader.midUnit) this.reader.endInsideUnit();
    }
    for (const [code, { count, lastOffset }] of this.warningCounts) {
      if (count > WARNINGS_PER_CODE) {
        this.info.warnings.push({
          code,
          offset: lastOffset,
          message: `${count - WARNINGS_PER_CODE} more '${code}' warnings not listed (${count} in all)`,
        });
      }
    }
  }

  private detectFormat(): boolean {
    const window = this.window;
    if (!window.ensure(4)) return false;
    const magic = window.buf.subarray(window.start, window.start + 4);
    const variant = pcapVariant(magic);
    if (variant !== undefined) {
      this.info.format = 'pcap';
      this.reader = new PcapReader(this.ctx, variant);
      return true;
    }
    if (magic.readUInt32BE(0) === BLOCK_SHB) {
      this.info.format = 'pcapng';
      this.reader = new PcapngReader(this.ctx);
      return true;
    }
    if (looksLikeText(magic)) {
      // A Wireshark/tshark export (JSON, EK, plain text, hex dump): the reader names the kind as it reads.
      this.info.format = 'text-export';
      this.reader = new ExportReader(this.ctx);
      return true;
    }
    this.failNotCapture(magic);
    return false;
  }

  private endBeforeFormat(): void {
    const pending = this.window.pending;
    if (pending === 0) {
      this.fail('empty', 0, 'the file is empty');
      return;
    }
    const seen = this.window.peekPending(4);
    const isPrefixOfMagic = KNOWN_MAGICS.some((m) => seen.every((byte, i) => m[i] === byte));
    if (!isPrefixOfMagic && looksLikeText(seen)) {
      this.fail('not-a-capture', 0, `neither a capture nor an export gwcheck reads (${pending} bytes of text)`);
    } else if (isPrefixOfMagic) {
      this.fail('truncated', 0, `file ends inside the capture file header after ${pending} bytes (${hexBytes(seen)})`);
    } else {
      this.failNotCapture(seen);
    }
  }

  private failNotCapture(seen: Uint8Array): void {
    const gzipHint = seen[0] === 0x1f && seen[1] === 0x8b ? ' (gzip inside gzip?)' : '';
    this.fail(
      'not-a-capture',
      0,
      `not a pcap or pcapng file (starts with ${hexBytes(seen)})${gzipHint}; gwcheck reads pcap, pcapng, their .gz and Wireshark/tshark exports with bytes (JSON, EK, text, hex dumps)`,
    );
  }

  private warn(code: string, offset: number, message: string, frame?: number): void {
    let counter = this.warningCounts.get(code);
    if (counter === undefined) {
      counter = { count: 0, lastOffset: offset };
      this.warningCounts.set(code, counter);
    }
    counter.count += 1;
    counter.lastOffset = offset;
    if (counter.count > WARNINGS_PER_CODE) return;
    this.info.warnings.push(frame === undefined ? { code, offset, message } : { code, offset, frame, message });
  }

  private fail(code: CaptureErrorCode, offset: number, message: string): void {
    if (!this.info.error) this.info.error = new CaptureError(code, offset, message);
  }
}
