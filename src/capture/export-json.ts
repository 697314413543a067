// tshark/Wireshark JSON exports with packet bytes, read incrementally: a hand-written tokenizer for the two shapes
// tshark writes, never JSON.parse of the file and never a string per file (a 2 GB export streams in bounded memory).
//
//   tshark -T json -x (and Wireshark's Export Packet Dissections → As JSON with bytes): one array of packets,
//     [ { "_index": …, "_source": { "layers": { "frame_raw": ["001c73…", 0, 96, 0, 1],
//                                               "frame": { "frame.number": "1", "frame.time_epoch": "1772442000.000000000",
//                                                          "frame.encap_type": "1", "frame.len": "96", … },
//                                               "pkt_comment": { "frame.comment": "blackhole?" }, "eth_raw": …, … } } }, … ]
//   tshark -T ek -x: one bulk header line, then one object per packet and line,
//     {"index":{"_index":"packets-2026-03-02","_type":"doc"}}
//     {"timestamp":"1772442000000","layers":{"frame_raw":"001c73…","frame":{"frame_frame_number":"1",
//                                            "frame_frame_time_epoch":"1772442000.000000000", …}, …}}
//
// tshark's default JSON repeats keys (two "vlan" objects in a QinQ frame): nothing here is a map, every key is
// looked at as it streams past, the first frame_raw and the first of each frame field win. Only keys of the
// packet's top levels and of its "frame" / "pkt_comment" subtrees are turned into strings; everything else is
// skipped byte by byte. The frame's hex goes straight into the packet buffer.
import type { ReaderContext } from './context.js';
import { ExportPacket, LINKTYPE_UNKNOWN_EXPORT, hexDigit, linkTypeOfProtocols, linkTypeOfWtap, parseExportTime, reexportHint } from './export-packet.js';

const MAX_DEPTH = 512;
/** Longer keys are never one we look for: not materialised. */
const MAX_KEY_BYTES = 64;
/** A field value we keep (a comment, a time) is cut here. */
const MAX_VALUE_BYTES = 4096;

// Tokenizer states.
const VALUE = 0; // a value is expected (or, at the top, the next one)
const AFTER_VALUE = 1; // ',' or the closing bracket
const KEY = 2; // a key string or '}'
const COLON = 3;
const STRING = 4;
const NUMBER = 5;
const LITERAL = 6;

const OBJECT = 1;
const ARRAY = 2;

// Where a string's bytes go.
const SKIP = 0;
const COLLECT_KEY = 1;
const COLLECT_VALUE = 2;
const HEX = 3;

const F_NUMBER = 1;
const F_EPOCH = 2;
const F_ENCAP = 3;
const F_LEN = 4;
const F_PROTOCOLS = 5;
const F_COMMENT = 6;
const F_IFNAME = 7;
const F_IFID = 8;
const F_EK_TIMESTAMP = 9;

const FIELDS = new Map<string, number>([
  ['frame.number', F_NUMBER],
  ['frame_frame_number', F_NUMBER],
  ['frame.time_epoch', F_EPOCH],
  ['frame_frame_time_epoch', F_EPOCH],
  ['frame.encap_type', F_ENCAP],
  ['frame_frame_encap_type', F_ENCAP],
  ['frame.len', F_LEN],
  ['frame_frame_len', F_LEN],
  ['frame.protocols', F_PROTOCOLS],
  ['frame_frame_protocols', F_PROTOCOLS],
  ['frame.comment', F_COMMENT],
  ['frame_frame_comment', F_COMMENT],
  ['pkt_comment_frame_comment', F_COMMENT],
  ['frame.interface_name', F_IFNAME],
  ['frame_frame_interface_name', F_IFNAME],
  ['frame.interface_id', F_IFID],
  ['frame_frame_interface_id', F_IFID],
]);

/** Subtrees of the layers object whose keys are looked at. */
const FIELD_SUBTREES = new Set(['frame', 'pkt_comment']);

export class JsonExportScanner {
  /** 'json': packets are the elements of the top-level array; 'ek': packets are top-level objects. */
  private readonly ek: boolean;
  private state = VALUE;
  private depth = 0;
  private readonly kinds = new Uint8Array(MAX_DEPTH);
  private readonly keys: (string | null)[] = new Array(MAX_DEPTH).fill(null);
  private readonly index = new Int32Array(MAX_DEPTH);
  private topValues = 0;

  // The string or number being read.
  private sink = SKIP;
  private field = 0;
  private escape = 0; // 0 none, 1 after '\', 2..5 digits of \uXXXX
  private unicode = 0;
  private readonly text = Buffer.allocUnsafe(MAX_VALUE_BYTES + 8);
  private textLength = 0;
  private hexHigh = -1;
  private literalLeft = 0;

  // The packet being read.
  private inPacket = false;
  private isPacket = false;
  private layersDepth = 0;
  private rawSeen = false;
  private readonly got = new Uint8Array(16);
  private protocols: string | undefined;
  private ekTimestamp: string | undefined;

  /** A packet is complete in `packet`: emit it before scanning on. */
  ready = false;
  line = 1;
  /** Absolute byte offset of the byte being looked at, for error messages. */
  offset = 0;
  private failed = false;

  constructor(
    private readonly ctx: ReaderContext,
    private readonly packet: ExportPacket,
    firstByte: number,
  ) {
    this.ek = firstByte === 0x7b; // '{'
  }

  get format(): 'tshark-json' | 'tshark-ek' {
    return this.ek ? 'tshark-ek' : 'tshark-json';
  }

  /** True when the input stopped inside a value (not between packets). */
  get midValue(): boolean {
    return this.depth > 0 || this.state === STRING || this.state === NUMBER || this.state === LITERAL;
  }

  /**
   * Scans buf[pos…] until a packet completes (ready) or the bytes run out; returns the position reached.
   * `base` is the absolute offset of buf[0].
   */
  scan(buf: Buffer, pos: number, base: number): number {
    const end = buf.length;
    let i = pos;
    while (i < end && !this.ready && !this.failed) {
      const b = buf[i];
      switch (this.state) {
        case STRING: {
          if (this.sink === HEX && this.escape === 0) {
            // The frame's bytes: the hot loop of the reader.
            const packet = this.packet;
            const limit = packet.bytes.length;
            while (i < end) {
              const c = buf[i];
              const d = hexDigit(c);
              if (d < 0) break;
              if (this.hexHigh < 0) this.hexHigh = d;
              else {
                if (packet.length >= limit) return this.tooLarge(base + i);
                packet.bytes[packet.length++] = (this.hexHigh << 4) | d;
                this.hexHigh = -1;
              }
              i++;
            }
            if (i >= end) break;
            if (buf[i] !== 0x22) return this.fail(base + i, `frame_raw holds a character that is not hex (${describeByte(buf[i])})`);
            if (this.hexHigh >= 0) return this.fail(base + i, 'frame_raw has an odd number of hex digits');
            this.rawSeen = true;
            i++;
            this.endValue();
            break;
          }
          i = this.stringByte(buf, i, base);
          break;
        }
        case NUMBER:
          if ((b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x2d || b === 0x2b || b === 0x65 || b === 0x45) {
            this.collect(b);
            i++;
          } else {
            this.endPrimitive();
          }
          break;
        case LITERAL:
          if (b >= 0x61 && b <= 0x7a && this.literalLeft > 0) {
            this.literalLeft--;
            i++;
          } else if (this.literalLeft === 0) {
            this.endValue();
          } else {
            return this.fail(base + i, 'true, false or null is cut short');
          }
          break;
        default:
          if (b === 0x20 || b === 0x09 || b === 0x0d) {
            i++;
            break;
          }
          if (b === 0x0a) {
            this.line++;
            i++;
            break;
          }
          if (!this.structural(b, base + i)) return i;
          i++;
      }
    }
    this.offset = base + i;
    return i;
  }

  /** The input ended: the top-level value must be complete. */
  end(endOffset: number): void {
    if (this.failed) return;
    if (this.state === NUMBER || this.state === LITERAL) this.endValue();
    if (this.depth > 0 || this.state === STRING) {
      this.fail(endOffset, this.inPacket ? 'the export ends inside a packet (cut short?)' : 'the export ends inside a JSON value (cut short?)');
    }
  }

  /** A byte outside strings, numbers and literals. False on a fatal error. */
  private structural(b: number, at: number): boolean {
    const state = this.state;
    if (state === KEY) {
      if (b === 0x22) {
        this.startString(true);
        return true;
      }
      if (b === 0x7d && this.index[this.depth - 1] === 0) return this.close(OBJECT, at);
      return this.failUnexpected(b, at, 'a key');
    }
    if (state === COLON) {
      if (b === 0x3a) {
        this.state = VALUE;
        return true;
      }
      return this.failUnexpected(b, at, "':'");
    }
    if (state === AFTER_VALUE) {
      if (this.depth === 0) {
        // EK: the next packet line. JSON: only whitespace may follow the array.
        if (this.ek && b === 0x7b) {
          this.state = VALUE;
          return this.structural(b, at);
        }
        return this.failUnexpected(b, at, 'the end of the export');
      }
      const kind = this.kinds[this.depth - 1];
      if (b === 0x2c) {
        this.index[this.depth - 1]++;
        this.state = kind === OBJECT ? KEY : VALUE;
        return true;
      }
      if (b === 0x7d && kind === OBJECT) return this.close(OBJECT, at);
      if (b === 0x5d && kind === ARRAY) return this.close(ARRAY, at);
      return this.failUnexpected(b, at, kind === OBJECT ? "',' or '}'" : "',' or ']'");
    }
    // VALUE
    if (b === 0x7b || b === 0x5b) return this.open(b === 0x7b ? OBJECT : ARRAY, at);
    if (b === 0x5d && this.depth > 0 && this.kinds[this.depth - 1] === ARRAY && this.index[this.depth - 1] === 0) {
      return this.close(ARRAY, at); // an empty array
    }
    if (this.depth === 0 && (this.topValues > 0 && !this.ek)) return this.failUnexpected(b, at, 'the end of the export');
    if (b === 0x22) {
      this.startString(false);
      return true;
    }
    if ((b >= 0x30 && b <= 0x39) || b === 0x2d) {
      this.startPrimitive();
      this.state = NUMBER;
      this.collect(b);
      return true;
    }
    if (b === 0x74 || b === 0x66 || b === 0x6e) {
      this.startPrimitive();
      this.state = LITERAL;
      this.literalLeft = b === 0x66 ? 4 : 3;
      return true;
    }
    return this.failUnexpected(b, at, 'a value');
  }

  private open(kind: number, at: number): boolean {
    if (this.depth >= MAX_DEPTH) {
      this.fail(at, `JSON nested deeper than ${MAX_DEPTH} levels`);
      return false;
    }
    const parentKey = this.depth > 0 && this.kinds[this.depth - 1] === OBJECT ? this.keys[this.depth - 1] : null;
    const d = this.depth;
    this.kinds[d] = kind;
    this.keys[d] = null;
    this.index[d] = 0;
    this.depth = d + 1;
    this.state = kind === OBJECT ? KEY : VALUE;
    if (kind !== OBJECT) return true;
    const packetDepth = this.ek ? 1 : 2;
    if (this.depth === packetDepth && (this.ek || this.kinds[0] === ARRAY)) this.startPacket();
    else if (this.inPacket && this.layersDepth === 0 && parentKey === 'layers') {
      // JSON: packet → _source → layers; EK: packet → layers.
      if (this.ek ? d === 1 : d === 3 && this.keys[1] === '_source') {
        this.layersDepth = this.depth;
        this.isPacket = true;
      }
    }
    return true;
  }

  private close(kind: number, at: number): boolean {
    void kind;
    void at;
    this.depth--;
    this.state = AFTER_VALUE;
    const packetDepth = this.ek ? 1 : 2;
    if (this.inPacket && this.depth === packetDepth - 1) this.endPacket(at);
    if (this.layersDepth > this.depth) this.layersDepth = 0;
    if (this.depth === 0) this.topValues++;
    return !this.failed;
  }

  private startPacket(): void {
    this.inPacket = true;
    this.isPacket = false;
    this.layersDepth = 0;
    this.rawSeen = false;
    this.got.fill(0);
    this.protocols = undefined;
    this.ekTimestamp = undefined;
    this.packet.reset();
  }

  private endPacket(at: number): void {
    this.inPacket = false;
    this.layersDepth = 0;
    if (!this.isPacket) return; // EK's bulk header line, or an object that is not a packet
    if (!this.rawSeen) {
      this.failed = true;
      this.ctx.fail(
        'no-bytes',
        at,
        `packet ${this.packet.number || '?'} (line ${this.line}) has no frame_raw: this is a ${this.ek ? 'tshark -T ek' : 'tshark JSON'} export without packet bytes; ${reexportHint(this.ek ? 'ek' : 'json')}`,
      );
      return;
    }
    const packet = this.packet;
    if (packet.linkType < 0 && this.protocols !== undefined) {
      packet.linkType = linkTypeOfProtocols(this.protocols);
      // No encapsulation and no link-layer protocol: a pcapng custom or systemd journal block Wireshark shows as a
      // frame ("data"). gwcheck's pcapng reader gives it a number and no record: so here.
      if (packet.linkType === LINKTYPE_UNKNOWN_EXPORT) return;
    }
    if (!packet.hasTime && this.ekTimestamp !== undefined) {
      // EK's "timestamp" is milliseconds since the epoch.
      const ms = Number(this.ekTimestamp);
      if (Number.isFinite(ms) && ms !== 0 && !this.got[F_EPOCH]) {
        packet.seconds = Math.floor(ms / 1000);
        packet.nanos = (ms - packet.seconds * 1000) * 1e6;
        packet.hasTime = true;
      }
    }
    this.ready = true;
  }

  /** Emits the packet scanned last (after scan() set ready). */
  emit(): void {
    this.ready = false;
    this.packet.emit(this.ctx);
  }

  private startString(isKey: boolean): void {
    this.state = STRING;
    this.escape = 0;
    this.textLength = 0;
    this.hexHigh = -1;
    if (isKey) {
      this.sink = this.wantKey() ? COLLECT_KEY : SKIP;
      if (this.sink === SKIP) this.keys[this.depth - 1] = null;
      this.keyString = true;
      return;
    }
    this.keyString = false;
    this.startPrimitive();
    if (this.sink === SKIP && this.isFrameRaw()) this.sink = HEX;
  }

  private keyString = false;

  /** Decides where a value's bytes go: a frame field we keep, or nowhere. */
  private startPrimitive(): void {
    this.sink = SKIP;
    this.field = 0;
    this.textLength = 0;
    if (!this.inPacket) return;
    const d = this.depth;
    const inArray = this.kinds[d - 1] === ARRAY;
    const key = inArray ? (d >= 2 && this.kinds[d - 2] === OBJECT ? this.keys[d - 2] : null) : this.keys[d - 1];
    if (key === null) return;
    if (this.layersDepth === 0) {
      if (this.ek && d === 1 && key === 'timestamp') {
        this.field = F_EK_TIMESTAMP;
        this.sink = COLLECT_VALUE;
      }
      return;
    }
    if (d < this.layersDepth) return;
    const field = FIELDS.get(key);
    if (field === undefined) return;
    this.field = field;
    this.sink = COLLECT_VALUE;
  }

  private isFrameRaw(): boolean {
    if (!this.inPacket || this.layersDepth === 0 || this.rawSeen) return false;
    const d = this.depth;
    if (d === this.layersDepth) return this.keys[d - 1] === 'frame_raw';
    // JSON: "frame_raw": ["hex", offset, length, bitmask, type] — the hex is the first element.
    return d === this.layersDepth + 1 && this.kinds[d - 1] === ARRAY && this.index[d - 1] === 0 && this.keys[d - 2] === 'frame_raw';
  }

  /** Keys are materialised only where one we look for can be. */
  private wantKey(): boolean {
    const d = this.depth;
    if (this.layersDepth === 0) return d <= 4;
    if (d < this.layersDepth) return false;
    if (d === this.layersDepth) return true;
    const subtree = this.keys[this.layersDepth - 1];
    return subtree !== null && FIELD_SUBTREES.has(subtree);
  }

  private stringByte(buf: Buffer, i: number, base: number): number {
    const end = buf.length;
    const collecting = this.sink !== SKIP;
    while (i < end) {
      const c = buf[i];
      if (this.escape === 0) {
        if (c === 0x22) {
          i++;
          this.endString();
          return i;
        }
        if (c === 0x5c) {
          this.escape = 1;
          i++;
          continue;
        }
        if (c === 0x0a) return this.fail(base + i, 'a line break inside a JSON string');
        if (collecting) this.collect(c);
        i++;
        continue;
      }
      if (this.escape === 1) {
        i++;
        if (c === 0x75) {
          this.escape = 2;
          this.unicode = 0;
          continue;
        }
        this.escape = 0;
        const mapped = c === 0x6e ? 0x0a : c === 0x74 ? 0x09 : c === 0x72 ? 0x0d : c === 0x62 ? 0x08 : c === 0x66 ? 0x0c : c;
        if (mapped === c && c !== 0x22 && c !== 0x5c && c !== 0x2f) return this.fail(base + i - 1, `unknown escape \\${String.fromCharCode(c)}`);
        if (collecting) this.collect(mapped);
        continue;
      }
      const d = hexDigit(c);
      if (d < 0) return this.fail(base + i, 'a \\u escape needs four hex digits');
      this.unicode = (this.unicode << 4) | d;
      i++;
      if (++this.escape === 6) {
        this.escape = 0;
        if (collecting) {
          const s = Buffer.from(String.fromCharCode(this.unicode), 'utf8');
          for (const byte of s) this.collect(byte);
        }
      }
    }
    return i;
  }

  private collect(byte: number): void {
    if (this.sink === SKIP) return;
    const limit = this.sink === COLLECT_KEY ? MAX_KEY_BYTES : MAX_VALUE_BYTES;
    if (this.textLength < limit) this.text[this.textLength++] = byte;
    else if (this.sink === COLLECT_KEY) this.sink = SKIP;
  }

  private endString(): void {
    if (this.keyString) {
      const d = this.depth - 1;
      this.keys[d] = this.sink === COLLECT_KEY ? this.text.toString('latin1', 0, this.textLength) : null;
      this.state = COLON;
      return;
    }
    this.endPrimitive();
  }

  private endPrimitive(): void {
    if (this.sink === COLLECT_VALUE && this.field !== 0) this.setField(this.field, this.text.toString('utf8', 0, this.textLength));
    this.endValue();
  }

  private endValue(): void {
    this.sink = SKIP;
    this.state = AFTER_VALUE;
    if (this.depth === 0) this.topValues++;
  }

  private setField(field: number, value: string): void {
    const packet = this.packet;
    if (field === F_COMMENT) {
      packet.addComment(value);
      return;
    }
    if (this.got[field]) return; // duplicate keys: the first wins
    this.got[field] = 1;
    switch (field) {
      case F_NUMBER: {
        const n = Number(value);
        if (Number.isInteger(n) && n > 0) packet.number = n;
        break;
      }
      case F_EPOCH:
        // Epoch 0 is how Wireshark shows a packet without a timestamp (a pcapng Simple Packet Block).
        packet.hasTime = parseExportTime(value, packet) && (packet.seconds !== 0 || packet.nanos !== 0);
        break;
      case F_ENCAP: {
        const n = Number(value);
        if (Number.isInteger(n)) packet.linkType = linkTypeOfWtap(n);
        break;
      }
      case F_LEN: {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 0) packet.originalLength = n;
        break;
      }
      case F_PROTOCOLS:
        this.protocols = value;
        break;
      case F_IFNAME:
        packet.interfaceName = value;
        break;
      case F_IFID: {
        const n = Number(value);
        if (Number.isInteger(n) && n >= 0) packet.interfaceId = n;
        break;
      }
      case F_EK_TIMESTAMP:
        this.ekTimestamp = value;
        break;
    }
  }

  private failUnexpected(b: number, at: number, expected: string): boolean {
    this.fail(at, `expected ${expected}, found ${describeByte(b)}`);
    return false;
  }

  private tooLarge(at: number): number {
    this.failed = true;
    this.ctx.fail(
      'record-too-large',
      at,
      `frame_raw of the packet after frame ${this.ctx.frame} holds more than ${this.packet.bytes.length} bytes (line ${this.line}, byte offset ${at})`,
    );
    return Number.MAX_SAFE_INTEGER;
  }

  private fail(at: number, message: string): number {
    if (!this.failed) {
      this.failed = true;
      this.ctx.fail('malformed-export', at, `malformed ${this.ek ? 'tshark EK' : 'tshark JSON'} export at line ${this.line}, byte offset ${at}: ${message}`);
    }
    return Number.MAX_SAFE_INTEGER;
  }
}

function describeByte(b: number): string {
  return b >= 0x21 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).padStart(2, '0')}`;
}
