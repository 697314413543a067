// What a format reader (pcap, pcapng) shares with the parser that drives it: the byte window, the one reused
// record, the info being filled, and the ways to report. Kept apart so the readers do not import the parser.
import type { CaptureErrorCode, CaptureInfo, CaptureRecord } from './types.js';
import type { ByteWindow } from './window.js';

export interface ReaderContext {
  readonly window: ByteWindow;
  readonly record: CaptureRecord;
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
