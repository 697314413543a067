// The one bounds-checked way to read a captured frame. Every layer decoder asks `need()` before reading, and the
// readers below are the only code that indexes the frame's Buffer. A read has two ends to respect:
//
//   claimed end  — where the enclosing header says this layer ends (IPv4 total length, UDP length, TLV length);
//                  reading past it means the packet contradicts itself: *malformed*, with the caller's code.
//   captured end — where the capture stopped (snaplen); reading past it is *truncated*: '<layer>.truncated'.
//
// Wireshark keeps the same two bounds (reported vs captured length). Plain integers in, booleans out: the hot
// path allocates nothing; an Anomaly object is created only when something is wrong.
import type { Anomaly, AnomalySeverity, DecodedFrame } from './types.js';

/** A layer decoder: fills `frame` from the bytes at `offset`, never reading past `end` (the claimed end). */
export type LayerDecoder = (cur: Cursor, frame: DecodedFrame, offset: number, end: number) => void;

const NO_ANOMALIES: Anomaly[] = Object.freeze([]) as unknown as Anomaly[];
const EMPTY = Buffer.alloc(0);

/** Claimed end for a layer whose enclosing header claims no length (the captured frame itself). */
export const UNBOUNDED = 0x7fffffff;

/** EtherTypes are 16-bit fields: the size of the EtherType table. */
export const ETHERTYPE_COUNT = 0x10000;

export class Cursor {
  /**
   * The buffer holding the frame, and where the frame starts in it. Offsets everywhere in the decode room are into
   * the frame (0 is its first byte); only the readers below add `base`. Decoding from the reader's chunk at `base`
   * needs no view per frame: `frameBytes()` builds one only for a consumer that asks for the frame as a Buffer.
   */
  buf: Buffer = EMPTY;
  base = 0;
  /** End of the captured bytes (the frame's length). */
  captured = 0;
  /** The frame as its own Buffer, once `frameBytes()` has been asked for it (null until then). */
  private view: Buffer | null = EMPTY;
  /** Anomalies of the current frame; the shared frozen empty array until the first one is recorded. */
  anomalies: Anomaly[] = NO_ANOMALIES;
  /** Why a payload of the current frame was not opened (NOT_OPENED_* of types.ts; the innermost reason wins). */
  notOpened = 0;

  constructor(
    /** Next-layer tables, built by the FrameDecoder from its options (dispatch is data, not code). */
    /** Indexed by EtherType (ETHERTYPE_COUNT entries; callers index it with a 16-bit field they read). */
    readonly etherTypes: readonly (LayerDecoder | undefined)[],
    readonly ipProtocols: readonly (LayerDecoder | undefined)[],
    readonly udpPorts: ReadonlyMap<number, LayerDecoder>,
    /** 1 at the index of every TCP port that carries BGP. */
    readonly bgpPorts: Uint8Array,
    /** Decodes an Ethernet frame (VXLAN's payload) into the slot of the next depth; null when too deep. */
    readonly innerSlot: (depth: number) => DecodedFrame | null,
    readonly decodeEthernet: LayerDecoder,
  ) {}

  /** The next frame: `length` bytes of `buf` from `base`. */
  reset(buf: Buffer, base: number, length: number): void {
    // Most frames come from the chunk the previous one came from: storing a pointer into this long-lived object
    // costs a write barrier (a slow one while the chunk is young), comparing costs nothing.
    if (buf !== this.buf) this.buf = buf;
    this.base = base;
    this.captured = length;
    // A frame that is the whole buffer is its own view; any other is built on first use.
    this.view = base === 0 && length === buf.length ? buf : null;
    this.anomalies = NO_ANOMALIES;
    this.notOpened = 0;
  }

  /** The current frame as a Buffer (a view into `buf`, made at most once per frame; valid as long as `buf` is). */
  frameBytes(): Buffer {
    let view = this.view;
    if (view === null) {
      view = this.buf.subarray(this.base, this.base + this.captured);
      this.view = view;
    }
    return view;
  }

  /**
   * True when `length` bytes at `offset` lie before both the claimed `end` and the captured end. Otherwise
   * records `malformedCode` (past the claimed end) or '<layer>.truncated' (past the captured end) and returns false.
   */
  need(offset: number, length: number, end: number, layer: string, malformedCode: string): boolean {
    const stop = offset + length;
    if (stop <= end && stop <= this.captured) return true;
    return this.short(offset, length, end, layer, malformedCode);
  }

  /** need()'s rare half, kept out of it so that need() is small enough to be inlined in every decoder. */
  private short(offset: number, length: number, end: number, layer: string, malformedCode: string): false {
    const stop = offset + length;
    if (stop > end) {
      this.error(layer, malformedCode, offset, `needs ${length} bytes at ${offset}, header claims the layer ends at ${end}`);
    } else {
      this.error(layer, `${layer}.truncated`, offset, `needs ${length} bytes at ${offset}, captured ${this.captured}`);
    }
    return false;
  }

  /** The smaller of a claimed end and the captured end: where the bytes really stop. */
  clip(end: number): number {
    return end < this.captured ? end : this.captured;
  }

  /**
   * Where decoding stops inside a layer (nothing decodes its payload): when the bytes the layer claims were not
   * all captured, the truncation is recorded here, at the innermost layer that knows its length.
   */
  endOfLayer(layer: string, offset: number, claimedEnd: number): void {
    if (claimedEnd > this.captured && claimedEnd !== UNBOUNDED) {
      this.error(layer, `${layer}.truncated`, offset, `claims bytes up to ${claimedEnd}, captured ${this.captured}`);
    }
  }

  error(layer: string, code: string, offset: number, detail: string): void {
    this.record(layer, code, offset, detail, 'error');
  }

  note(layer: string, code: string, offset: number, detail: string): void {
    this.record(layer, code, offset, detail, 'note');
  }

  private record(layer: string, code: string, offset: number, detail: string, severity: AnomalySeverity): void {
    if (this.anomalies === NO_ANOMALIES) this.anomalies = [];
    // Offsets always point inside the frame, even when the read that failed started past its end.
    const at = offset < 0 ? 0 : offset > this.captured ? this.captured : offset;
    this.anomalies.push({ layer, code, offset: at, detail, severity });
  }

  // Readers: valid only after `need()` said yes for the bytes they touch.
  u8(offset: number): number {
    return this.buf[this.base + offset];
  }

  u16(offset: number): number {
    const b = this.buf;
    const at = this.base + offset;
    return (b[at] << 8) | b[at + 1];
  }

  u24(offset: number): number {
    const b = this.buf;
    const at = this.base + offset;
    return (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  }

  u32(offset: number): number {
    const b = this.buf;
    const at = this.base + offset;
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }

  /** 6 bytes as a 48-bit MAC number. */
  mac(offset: number): number {
    const b = this.buf;
    const at = this.base + offset;
    return (b[at] * 0x10000 + b[at + 1] * 0x100 + b[at + 2]) * 0x1000000 + (b[at + 3] * 0x10000 + b[at + 4] * 0x100 + b[at + 5]);
  }

  /** True when `length` bytes at `offset` are all zero (offset range already checked). */
  allZero(offset: number, length: number): boolean {
    const b = this.buf;
    const end = this.base + offset + length;
    for (let i = this.base + offset; i < end; i++) if (b[i] !== 0) return false;
    return true;
  }
}
