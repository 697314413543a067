// What a format reader (pcap, pcapng) shares with the parser that drives it: the byte window, the one reused
// record, the info being filled, and the ways to report. Kept apart so the readers do not import the parser.
import type { CaptureErrorCode, CaptureInfo, CaptureRecord } from './types.js';
import type { ByteWindow } from './window.js';

const EMPTY = Buffer.alloc(0);

/**
 * The one reused record of a parser. A reader hands its bytes over in place (`setData`: the buffer and where the
 * packet lies in it); the `bytes` view is made only when someone reads it, as most consumers (the decoder) read
 * `data` at `dataOffset` instead: a typed-array view per packet was the largest cost of the read path.
 */
export class ReaderRecord implements CaptureRecord {
  frame = 0;
  interfaceId = 0;
  seconds = 0;
  nanos = 0;
  hasTimestamp = false;
  capturedLength = 0;
  originalLength = 0;
  linkType = 0;
  comment: string | undefined = undefined;
  interfaceName: string | undefined = undefined;
  data: Buffer = EMPTY;
  dataOffset = 0;
  dataLength = 0;
  /** `bytes` once made (or assigned), else null. */
  private view: Buffer | null = EMPTY;

  /** The packet is `length` bytes of `data` from `offset`. */
  setData(data: Buffer, offset: number, length: number): void {
    // Records come one chunk after another from the same buffer: no store (and no write barrier) while it stays.
    if (data !== this.data) this.data = data;
    this.dataOffset = offset;
    this.dataLength = length;
    this.view = null;
  }

  get bytes(): Buffer {
    let view = this.view;
    if (view === null) {
      view = this.data.subarray(this.dataOffset, this.dataOffset + this.dataLength);
      this.view = view;
    }
    return view;
  }

  set bytes(bytes: Buffer) {
    this.data = bytes;
    this.dataOffset = 0;
    this.dataLength = bytes.length;
    this.view = bytes;
  }
}

export interface ReaderContext {
  readonly window: ByteWindow;
  readonly record: ReaderRecord;
  readonly info: CaptureInfo;
  /** Hard cap on a record's captured length, whatever the file claims. */
  readonly maxRecordBytes: number;
  /** The last frame number handed out (Wireshark's numbering: packets, plus pcapng blocks Wireshark shows). */
  frame: number;
  warn(code: string, offset: number, message: string, frame?: number): void;
  /** Records a fatal error: reading stops here. */
  fail(code: CaptureErrorCode, offset: number, message: string): void;
  addLinkType(linkType: number): void;
  /** Called once per packet after `record` is filled: frame number, counts, time span. */
  countRecord(): void;
}

/** One capture format's record reader. */
export interface FormatReader {
  /** Fills ctx.record and returns true, or false: more input needed, or a fatal error (ctx.info.error). */
  next(): boolean;
  /** True while the reader is in the middle of a unit even though the window holds no bytes (skipping). */
  readonly midUnit: boolean;
  /** The input ended inside a unit: either a fatal error (file header) or a truncation warning. */
  endInsideUnit(): void;
  /**
   * The input ended (before endInsideUnit): a reader whose last record is complete only now (a text export's) fills
   * ctx.record, counts it and returns true; the parser hands it out by one more next().
   */
  endInput?(): boolean;
}

/** "74 68 69 73": bytes shown in error messages. */
export function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
