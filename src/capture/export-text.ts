// Plain-text exports with packet bytes and bare hex dumps, read line by line in bounded memory.
//
//   tshark -P -x / -V -x / -P -V -x, Wireshark's Export Packet Dissections → As Plain Text with "Bytes" ticked:
//       3   1.000000 02:00:00:50:00:10 → Broadcast    ARP 96 Who has 10.50.0.99? …      summary: number, time
//   Packet comments                                                                      (-V) comments of the next frame
//       blackhole?
//   Frame 3: 96 bytes on wire (768 bits), 96 bytes captured (768 bits) on interface eth0, id 0
//       Encapsulation type: Ethernet (1)                                                 (-V) detail lines we read
//       Epoch Time: 1772442001.000000000 seconds
//       Frame Number: 3
//
//   0000  00 1c 73 00 00 02 00 1c 73 00 00 01 81 00 00 28   ..s.....s......(           the frame's bytes
//   0010  08 00 45 00 …
//
//   Reassembled TCP (1234 bytes):                                                        further data sources: skipped
//
//   Hex dumps as text2pcap reads them and Wireshark's Copy → as Hex Dump writes them: an offset of 3+ hex digits, then
//   bytes as pairs of hex digits; an offset of 0 starts the next packet, a smaller offset than the bytes so far
//   overwrites (text2pcap's rule), the ASCII column (after a gap of 3+ spaces or a '|') is ignored. A line holding only a
//   time (ISO 8601 or epoch seconds) before a dump is that packet's time. Without numbers, packets count from 1; without
//   times, the packets have none (info.timestamps = 'none').
import type { ReaderContext } from './context.js';
import { ExportPacket, hexDigit, linkTypeOfProtocols, linkTypeOfWtap, parseExportTime, reexportHint, type ExportTimes } from './export-packet.js';

const MAX_LINE_BYTES = 64 * 1024;
/** Text with no line we recognise in its first MiB is not an export: stop there instead of reading on. */
const GIVE_UP_AFTER = 1024 * 1024;

const SUMMARY = /^\s*(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?|\d\d:\d\d:\d\d(?:\.\d+)?|-?\d+\.\d+)(?:\s|$)/;
const FRAME_LINE = /^Frame (\d+): (\d+) bytes on wire(?: \(\d+ bits\))?, (\d+) bytes captured(?: \(\d+ bits\))?(?: on interface (.*), id (\d+))?/;
/** A frame that is no packet: pcapng custom blocks, systemd journal entries ("PCAPNG Custom Block 4: 60 bytes …"). */
const OTHER_FRAME_LINE = /^(?!Frame )[A-Z][\w -]* (\d+): \d+ bytes/;
const DATA_SOURCE = /^\S.*\((\d+) bytes\):\s*$/;
const TIME_ONLY = /^\s*(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?|\d{9,}\.\d+)\s*$/;
const ENCAPSULATION = /^\s+Encapsulation type: .*\((\d+)\)\s*$/;
const EPOCH = /^\s+Epoch (?:Arrival )?Time: (-?\d+(?:\.\d+)?) seconds/;
const FRAME_NUMBER = /^\s+Frame Number: (\d+)/;
const FRAME_LENGTH = /^\s+Frame Length: (\d+) bytes/;
const INTERFACE_NAME = /^\s+Interface name: (.*?)\s*$/;
const INTERFACE_ID = /^\s+Interface id: (\d+)/;
const PROTOCOLS = /^\s+\[Protocols in frame: ([^\]]+)\]/;

const NO_TIME = 0;
const RELATIVE = 1;
const ABSOLUTE = 2;

export class TextExportScanner {
  private readonly line = Buffer.allocUnsafe(MAX_LINE_BYTES);
  private lineLength = 0;
  private lineNumber = 0;
  /** Absolute offset of the current line's first byte. */
  private lineOffset = 0;
  private replay = false;

  // The packet being read.
  private open = false;
  private detail = false;
  private frameLineSeen = false;
  private inHex = false;
  private skipBlock = false;
  /** Inside a frame that is no packet (a pcapng custom block): everything up to the next frame is skipped. */
  private skipFrame = false;
  private comments = false;
  private timeKind = NO_TIME;
  private protocols: string | undefined;
  private pendingTime: { seconds: number; nanos: number } | undefined;
  private readonly hexBytes = new Uint8Array(256);

  ready = false;
  private failed = false;
  private recognised = false;
  private sawHeaders = false;
  private times = { absolute: 0, relative: 0, none: 0 };
  private heldAtEnd = false;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly packet: ExportPacket,
    /** "74 68 69 73": the first bytes, for the message when this is no export at all. */
    private readonly head: string,
  ) {}

  get format(): 'text-export' | 'hex-dump' {
    return this.sawHeaders ? 'text-export' : 'hex-dump';
  }

  get timestamps(): ExportTimes {
    if (this.times.relative > 0) return 'relative';
    if (this.times.absolute > 0) return 'absolute';
    return 'none';
  }

  /** Scans buf[pos…] until a packet completes (ready) or the bytes run out. */
  scan(buf: Buffer, pos: number, base: number): number {
    let i = pos;
    const end = buf.length;
    if (this.replay) {
      this.replay = false;
      this.lineLength = this.savedLength;
      this.processLine();
      this.lineLength = 0;
      if (this.ready || this.failed) {
        if (this.replay) this.lineLength = this.savedLength;
        return i;
      }
    }
    while (i < end) {
      const nl = buf.indexOf(0x0a, i);
      const stop = nl < 0 ? end : nl;
      if (this.lineLength === 0) this.lineOffset = base + i;
      const room = MAX_LINE_BYTES - this.lineLength;
      const take = Math.min(room, stop - i);
      if (take > 0) buf.copy(this.line, this.lineLength, i, i + take);
      this.lineLength += take;
      if (nl < 0) return end;
      i = nl + 1;
      this.lineNumber++;
      this.processLine();
      this.lineLength = 0;
      if (this.ready || this.failed) {
        if (this.replay) this.lineLength = this.savedLength;
        return i;
      }
      if (!this.recognised && base + i > GIVE_UP_AFTER) {
        this.fail('not-a-capture', 0, `${this.notAnExport()} in its first MiB)`);
        return end;
      }
    }
    return end;
  }

  private savedLength = 0;

  /** The input ended: the last packet is complete if it has bytes. True when it was emitted (a held record). */
  end(): boolean {
    if (this.failed) return false;
    if (this.replay) {
      this.replay = false;
      this.lineLength = this.savedLength;
      this.processLine();
      this.lineLength = 0;
    }
    if (this.lineLength > 0) {
      this.lineNumber++;
      this.processLine();
      this.lineLength = 0;
      if (this.ready) {
        // The last line completed a packet and replays into the next one: only a hex dump can start one, and at
        // the end of input that packet is complete too. Rare enough to drop with a warning rather than hold two.
        if (this.replay) {
          this.replay = false;
          this.ctx.warn('export-last-packet', this.lineOffset, `the last line of the export (line ${this.lineNumber}) starts a packet of its own and was not read`);
        }
        this.emitNow();
        return true;
      }
    }
    if (this.open && this.packet.length > 0) {
      this.finishPacket();
      this.emitNow();
      return true;
    }
    if (!this.recognised) {
      this.fail('not-a-capture', 0, `${this.notAnExport()})`);
      return false;
    }
    if (this.open && this.packet.length === 0 && this.ctx.info.packets === 0) this.failNoBytes();
    else if (this.ctx.info.packets === 0 && this.sawHeaders) this.failNoBytes();
    this.heldAtEnd = false;
    return false;
  }

  /** Emits the packet scanned last (after scan() set ready). */
  emit(): void {
    this.emitNow();
  }

  private emitNow(): void {
    this.ready = false;
    this.packet.emit(this.ctx);
    this.open = false;
    this.detail = false;
    this.frameLineSeen = false;
    this.inHex = false;
    this.comments = false;
    void this.heldAtEnd;
  }

  private processLine(): void {
    let length = this.lineLength;
    if (length > 0 && this.line[length - 1] === 0x0d) length--;
    const line = this.line;
    // Blank line: ends a hex block, a skipped data source, a detail tree.
    let blank = true;
    for (let k = 0; k < length; k++) {
      if (line[k] !== 0x20 && line[k] !== 0x09) {
        blank = false;
        break;
      }
    }
    if (blank) {
      if (this.inHex) this.finishPacket();
      this.skipBlock = false;
      this.detail = false;
      this.comments = false;
      return;
    }
    const offset = this.hexLine(length);
    if (offset >= 0) {
      this.recognised = true;
      this.hexLineFound(offset, length);
      return;
    }
    if (this.inHex) {
      // Any other line ends the frame's bytes; it is read again as the start of what follows.
      this.finishPacket();
      this.savedLength = this.lineLength;
      this.replay = true;
      return;
    }
    if (this.skipBlock) return;
    const text = line.toString('utf8', 0, length);
    this.textLine(text);
  }

  private hexLineFound(offset: number, length: number): void {
    if (this.skipBlock || this.skipFrame) return;
    const packet = this.packet;
    if (offset === 0) {
      if (this.inHex) {
        // text2pcap: offset 0 starts the next packet.
        this.finishPacket();
        this.savedLength = this.lineLength;
        this.replay = true;
        return;
      }
      if (!this.open || packet.length > 0) this.openPacket();
      this.inHex = true;
    } else if (!this.inHex) {
      return; // a stray dump line (the tail of a skipped source): not the frame's bytes
    }
    if (offset < packet.length) packet.length = offset;
    else if (offset > packet.length) {
      this.fail(
        'malformed-export',
        this.lineOffset,
        `malformed hex dump at line ${this.lineNumber}, byte offset ${this.lineOffset}: the line starts at offset ${offset.toString(16)} but the packet has only ${packet.length} bytes before it`,
      );
      return;
    }
    const count = this.lastCount;
    if (packet.length + count > packet.bytes.length) {
      this.fail(
        'record-too-large',
        this.lineOffset,
        `hex dump at line ${this.lineNumber}, byte offset ${this.lineOffset}: the packet grows past ${packet.bytes.length} bytes`,
      );
      return;
    }
    for (let k = 0; k < count; k++) packet.bytes[packet.length++] = this.hexBytes[k];
    void length;
  }

  private lastCount = 0;

  /**
   * The offset of a hex dump line (3+ hex digits, then bytes as hex pairs), with its bytes in hexBytes/lastCount;
   * -1 for any other line.
   */
  private hexLine(length: number): number {
    const line = this.line;
    let i = 0;
    let offset = 0;
    while (i < length && hexDigit(line[i]) >= 0 && i < 9) {
      offset = offset * 16 + hexDigit(line[i]);
      i++;
    }
    if (i < 3 || i > 8) return -1;
    if (i < length && line[i] === 0x3a) i++; // "0000:"
    if (i >= length || (line[i] !== 0x20 && line[i] !== 0x09)) return -1;
    let count = 0;
    let first = true;
    while (i < length) {
      let gap = 0;
      while (i < length && (line[i] === 0x20 || line[i] === 0x09)) {
        gap += line[i] === 0x09 ? 4 : 1;
        i++;
      }
      if (i >= length) break;
      if (!first && gap >= 3) break; // the ASCII column
      first = false;
      const hi = hexDigit(line[i]);
      const lo = i + 1 < length ? hexDigit(line[i + 1]) : -1;
      const after = i + 2 < length ? line[i + 2] : 0x20;
      if (hi < 0 || lo < 0 || (after !== 0x20 && after !== 0x09)) break;
      if (count >= this.hexBytes.length) break;
      this.hexBytes[count++] = (hi << 4) | lo;
      i += 2;
    }
    if (count === 0) return -1;
    this.lastCount = count;
    return offset;
  }

  private textLine(text: string): void {
    const packet = this.packet;
    if (this.comments) {
      if (/^ {4}\S/.test(text)) {
        packet.addComment(text.slice(4));
        return;
      }
      if (/^\s/.test(text)) return; // the comment's expert-info subtree
      this.comments = false;
    }
    if (text.startsWith('Packet comments')) {
      this.skipFrame = false;
      this.recognised = true;
      this.sawHeaders = true;
      if (this.open && this.frameLineSeen) return this.failNoBytes();
      if (!this.open) this.openPacket();
      this.comments = true;
      return;
    }
    let m = FRAME_LINE.exec(text);
    if (m) {
      this.skipFrame = false;
      this.recognised = true;
      this.sawHeaders = true;
      const number = Number(m[1]);
      if (this.open && (this.frameLineSeen || (packet.number !== 0 && packet.number !== number))) return this.failNoBytes();
      if (!this.open) this.openPacket();
      this.frameLineSeen = true;
      this.detail = true;
      packet.number = number;
      packet.originalLength = Number(m[2]);
      if (m[4] !== undefined) {
        packet.interfaceName = m[4];
        packet.interfaceId = Number(m[5]);
      }
      return;
    }
    if (OTHER_FRAME_LINE.test(text)) {
      // Wireshark numbers it like a packet; gwcheck's pcapng reader skips it the same way: its bytes are not read.
      this.recognised = true;
      this.sawHeaders = true;
      if (this.open && this.frameLineSeen) return this.failNoBytes();
      this.open = false; // with -P, its own summary line came first
      this.skipFrame = true;
      return;
    }
    if (this.skipFrame) {
      if (!SUMMARY.test(text)) return;
      this.skipFrame = false; // -P -V: the next packet's summary line
    }
    if (this.detail) {
      this.detailLine(text);
      return;
    }
    if (DATA_SOURCE.test(text)) {
      this.recognised = true;
      if (!text.startsWith('Frame (')) this.skipBlock = true;
      return;
    }
    m = SUMMARY.exec(text);
    if (m) {
      this.recognised = true;
      this.sawHeaders = true;
      if (this.open) return this.failNoBytes();
      this.openPacket();
      packet.number = Number(m[1]);
      this.summaryTime(m[2]);
      return;
    }
    m = TIME_ONLY.exec(text);
    if (m && !this.open) {
      const time = { seconds: 0, nanos: 0 };
      if (parseExportTime(m[1], time)) this.pendingTime = time;
    }
  }

  private detailLine(text: string): void {
    const packet = this.packet;
    let m = ENCAPSULATION.exec(text);
    if (m) {
      packet.linkType = linkTypeOfWtap(Number(m[1]));
      return;
    }
    m = EPOCH.exec(text);
    if (m) {
      // Epoch 0 is how Wireshark shows a packet without a timestamp (a pcapng Simple Packet Block).
      if (parseExportTime(m[1], packet) && (packet.seconds !== 0 || packet.nanos !== 0)) {
        packet.hasTime = true;
        this.timeKind = ABSOLUTE;
      } else {
        packet.hasTime = false;
        packet.seconds = 0;
        packet.nanos = 0;
      }
      return;
    }
    m = FRAME_NUMBER.exec(text);
    if (m) {
      packet.number = Number(m[1]);
      return;
    }
    m = FRAME_LENGTH.exec(text);
    if (m) {
      packet.originalLength = Number(m[1]);
      return;
    }
    m = INTERFACE_NAME.exec(text);
    if (m) {
      packet.interfaceName = m[1];
      return;
    }
    m = INTERFACE_ID.exec(text);
    if (m) {
      packet.interfaceId = Number(m[1]);
      return;
    }
    m = PROTOCOLS.exec(text);
    if (m) this.protocols = m[1];
  }

  /** A summary line's time: epoch seconds (-t e), seconds since the first packet (the default), or a date and time. */
  private summaryTime(text: string): void {
    const packet = this.packet;
    if (/^\d\d:\d\d:\d\d/.test(text)) {
      // Time of day only (-t a): seconds since midnight, as relative times.
      const [h, mi, rest] = text.split(':');
      const [s, frac = ''] = rest.split('.');
      packet.seconds = Number(h) * 3600 + Number(mi) * 60 + Number(s);
      packet.nanos = Number(frac.slice(0, 9).padEnd(9, '0'));
      packet.hasTime = true;
      this.timeKind = RELATIVE;
      return;
    }
    if (!parseExportTime(text, packet)) return;
    packet.hasTime = true;
    // Epoch seconds are past 1973; the default relative times of a capture are not.
    this.timeKind = text.includes('-') || packet.seconds >= 1e8 ? ABSOLUTE : RELATIVE;
  }

  private openPacket(): void {
    this.packet.reset();
    this.open = true;
    this.detail = false;
    this.frameLineSeen = false;
    this.inHex = false;
    this.comments = false;
    this.timeKind = NO_TIME;
    this.protocols = undefined;
    if (this.pendingTime) {
      this.packet.seconds = this.pendingTime.seconds;
      this.packet.nanos = this.pendingTime.nanos;
      this.packet.hasTime = true;
      this.timeKind = ABSOLUTE;
      this.pendingTime = undefined;
    }
  }

  /** The frame's bytes are complete: the packet is ready to emit. */
  private finishPacket(): void {
    this.inHex = false;
    const packet = this.packet;
    if (packet.linkType < 0 && this.protocols !== undefined) packet.linkType = linkTypeOfProtocols(this.protocols);
    if (this.timeKind === ABSOLUTE) this.times.absolute++;
    else if (this.timeKind === RELATIVE) this.times.relative++;
    else this.times.none++;
    this.ready = true;
  }

  private notAnExport(): string {
    return (
      `not a pcap or pcapng file (starts with ${this.head}); gwcheck reads pcap, pcapng, their .gz and Wireshark/tshark ` +
      'exports with bytes, and this text is none of them (no packet summary, packet detail or hex dump line'
    );
  }

  private failNoBytes(): void {
    this.fail(
      'no-bytes',
      this.lineOffset,
      `this is a plain-text export without packet bytes (line ${this.lineNumber}: a packet's summary or detail with no hex dump); ${reexportHint('text')}`,
    );
  }

  private fail(code: 'malformed-export' | 'no-bytes' | 'not-a-capture' | 'record-too-large', offset: number, message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.ctx.fail(code, offset, message);
  }
}
