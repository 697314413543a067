// The reader for Wireshark/tshark exports, chosen by content when a file is neither pcap nor pcapng (as gzip is
// recognised by its magic, never by the name): JSON and EK with bytes (export-json.ts), plain text with bytes and
// hex dumps (export-text.ts). XML exports (PDML, PSML) are named and refused with the command that makes a
// readable export: PDML's field values do not reliably rebuild a frame (fields overlap, gaps carry no value).
import { hexBytes, type FormatReader, type ReaderContext } from './context.js';
import { JsonExportScanner } from './export-json.js';
import { ExportPacket, reexportHint } from './export-packet.js';
import { TextExportScanner } from './export-text.js';

/** True when the first bytes look like text (an export) rather than an unknown binary format. */
export function looksLikeText(head: Uint8Array): boolean {
  let i = 0;
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3; // UTF-8 byte order mark
  for (; i < head.length; i++) {
    const b = head[i];
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  return true;
}

export class ExportReader implements FormatReader {
  private piece: Buffer = Buffer.alloc(0);
  private pos = 0;
  private base = 0;
  private json: JsonExportScanner | undefined;
  private text: TextExportScanner | undefined;
  private readonly packet: ExportPacket;
  private bomChecked = false;

  constructor(private readonly ctx: ReaderContext) {
    this.packet = new ExportPacket(ctx.maxRecordBytes);
  }

  get midUnit(): boolean {
    return false;
  }

  next(): boolean {
    const ctx = this.ctx;
    for (;;) {
      if (ctx.info.error) return false;
      if (this.pos >= this.piece.length) {
        this.base = ctx.window.offset;
        this.piece = ctx.window.take();
        this.pos = 0;
        if (this.piece.length === 0) return false;
      }
      if (!this.bomChecked) {
        this.bomChecked = true;
        const p = this.piece;
        if (p.length >= 3 && p[0] === 0xef && p[1] === 0xbb && p[2] === 0xbf) this.pos = 3;
      }
      if (this.json === undefined && this.text === undefined && !this.choose()) continue;
      if (this.json) {
        this.pos = this.json.scan(this.piece, this.pos, this.base);
        if (this.json.ready) {
          this.json.emit();
          return true;
        }
      } else if (this.text) {
        this.pos = this.text.scan(this.piece, this.pos, this.base);
        if (this.text.ready) {
          this.text.emit();
          return true;
        }
      }
    }
  }

  /** The input ended. True when a last packet (a text export's, complete only now) was put in the record. */
  endInput(): boolean {
    const info = this.ctx.info;
    if (this.json) {
      this.json.end(this.base + this.piece.length);
      return false;
    }
    if (this.text) {
      const emitted = this.text.end();
      info.format = this.text.format;
      info.timestamps = this.text.timestamps;
      return emitted;
    }
    return false;
  }

  endInsideUnit(): void {}

  /** Picks the scanner by the first byte that is not white space. False: only white space so far. */
  private choose(): boolean {
    const p = this.piece;
    let i = this.pos;
    while (i < p.length && (p[i] === 0x20 || p[i] === 0x09 || p[i] === 0x0a || p[i] === 0x0d)) i++;
    if (i >= p.length) {
      // Leading white space may also be the start of a text line: let the text scanner see it if more follows.
      return false;
    }
    const first = p[i];
    const info = this.ctx.info;
    if (first === 0x5b || first === 0x7b) {
      this.json = new JsonExportScanner(this.ctx, this.packet, first);
      info.format = this.json.format;
      info.timestamps = 'absolute';
      this.pos = i;
      return true;
    }
    if (first === 0x3c) {
      const head = p.toString('latin1', i, Math.min(p.length, i + 512));
      const kind = /<pdml/i.test(head) ? 'pdml' : /<psml/i.test(head) ? 'psml' : 'xml';
      const what = kind === 'pdml' ? 'a PDML export (its field values do not reliably rebuild the frame bytes, so gwcheck does not read it)' : kind === 'psml' ? 'a PSML export (packet summaries only, no bytes)' : 'an XML file';
      this.ctx.fail(kind === 'psml' ? 'no-bytes' : 'unsupported-export', this.base + i, `this is ${what}; ${reexportHint(kind === 'xml' ? 'fields' : kind)}`);
      return true;
    }
    this.text = new TextExportScanner(this.ctx, this.packet, hexBytes(p.subarray(this.pos, this.pos + 4)));
    info.format = 'text-export';
    return true;
  }
}
