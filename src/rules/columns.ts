// Named columns: rule state as one typed array per field, indexed by row — the layout of a column store, without
// hand-computed strides. A newcomer reads `claims.c.mac[i]` where the old code read
// `data[base + claimsAt + j * CLAIM_FIELDS + C_MAC]`. The price: a table probed at random touches one cache line
// per column it reads, so fields always read together belong in one column type (a frame reference's three numbers
// sit side by side in FrameColumn for that reason), and a row's slots are adjacent within each column.
//
//   const claims = new Columns({ mac: Float64Array, count: Uint32Array, first: FRAME }, rows);
//   claims.c.mac[i] = f.senderMac;
//   claims.c.first.set(i, f.ref);          // one packing of a frame reference, everywhere
//   const ref = claims.c.first.ref(i);     // a FrameRef again, only when a finding cites it
//
// Rows that hold a fixed number of slots (an IP's claimant MACs, a MAC's recent replies) use `slot(row, j)`,
// the one place the row * slots + j arithmetic lives.
//
// Columns are reserved for their expected size up front: a zeroed typed array that large is a fresh anonymous
// mapping whose pages the kernel commits when first written, so unused rows cost nothing and growth, when a
// table passes its reserve, doubles every column at once. Read `c` after `ensure` (growth replaces arrays).
import type { FrameRef } from '../facts/types.js';
import { toSeconds } from '../util/time.js';

/**
 * A frame reference kept as numbers: the input file, the Wireshark frame number, the time (seconds, nanoseconds,
 * and the two as one float for windows). The only packing of a frame reference in the rules: anything a rule keeps
 * about a frame it may cite goes through here. An entry is three numbers side by side (one cache line, where five
 * arrays were five lines per lookup in a table probed at random): the seconds, the frame number, and the
 * nanoseconds with the input index above them (nanos + input * 2^30, exact below 2^53). The float time is not
 * stored: it is `toSeconds(seconds, nanos)`, computed as the facts compute it, so it reads back identical — and a
 * reference costs 24 bytes, not 40, in the tables that keep one per route or claim up to their caps.
 */
export class FrameColumn {
  private data: Float64Array;

  constructor(rows: number) {
    this.data = new Float64Array(rows * FRAME_NUMBERS);
  }

  set(i: number, ref: FrameRef): void {
    const at = i * FRAME_NUMBERS;
    const d = this.data;
    d[at] = ref.seconds;
    d[at + 1] = ref.frame;
    d[at + 2] = ref.nanos + ref.input * INPUT_UNIT;
  }

  /** Copies entry `from` of `source` (this column or another) to entry `i`. */
  copy(i: number, source: FrameColumn, from: number): void {
    const to = i * FRAME_NUMBERS;
    const at = from * FRAME_NUMBERS;
    const d = this.data;
    const s = source.data;
    d[to] = s[at];
    d[to + 1] = s[at + 1];
    d[to + 2] = s[at + 2];
  }

  /** The reference as an object, for a finding's evidence (its integers as small integers: see `small`). */
  ref(i: number): FrameRef {
    const at = i * FRAME_NUMBERS;
    const d = this.data;
    const seconds = small(d[at]);
    const nanos = small(d[at + 2] % INPUT_UNIT);
    return { input: small((d[at + 2] - nanos) / INPUT_UNIT), frame: small(d[at + 1]), seconds, nanos, time: toSeconds(seconds, nanos) };
  }

  /** seconds + nanos / 1e9 of entry `i`, as FrameRef.time. */
  time(i: number): number {
    const at = i * FRAME_NUMBERS;
    return toSeconds(this.data[at], this.data[at + 2] % INPUT_UNIT);
  }

  frame(i: number): number {
    return this.data[i * FRAME_NUMBERS + 1];
  }

  input(i: number): number {
    const packed = this.data[i * FRAME_NUMBERS + 2];
    return (packed - (packed % INPUT_UNIT)) / INPUT_UNIT;
  }

  /** Whether entry `i` holds a frame (frame numbers start at 1). */
  has(i: number): boolean {
    return this.data[i * FRAME_NUMBERS + 1] !== 0;
  }

  clear(i: number): void {
    // Plain stores: a fill() call per entry cost more than the rest of a request's bookkeeping.
    const at = i * FRAME_NUMBERS;
    const d = this.data;
    d[at] = 0;
    d[at + 1] = 0;
    d[at + 2] = 0;
  }

  /** A column of `rows` entries holding this one's first entries. */
  grown(rows: number): FrameColumn {
    const next = new FrameColumn(rows);
    next.data.set(this.data);
    return next;
  }
}

/**
 * An integer as V8's small integer where it is one. A number read from a Float64Array by unoptimised code is a boxed
 * double even when it is integral, and one boxed double stored into a FrameRef's `frame`, `seconds` or `nanos` widens
 * that field for every FrameRef (all object literals of one shape share a hidden class): from then on each frame
 * reference the facts make costs three more boxes, objects made before migrate on their next use, and code that reads
 * `ref.time` deoptimises. The first evidence a finding cited did that a third of the way into the benchmark, and cost
 * 4% of the run's instructions (docs/performance.md). `x | 0` is a small integer whenever it equals x.
 */
function small(x: number): number {
  const i = x | 0;
  return i === x ? i : x;
}

/** Numbers per frame reference: seconds, frame, nanos + input * INPUT_UNIT. */
const FRAME_NUMBERS = 3;
/** Nanoseconds are below 10^9 < 2^30; the input index sits above them. */
const INPUT_UNIT = 2 ** 30;

/** The schema entry of a frame-reference column. */
export const FRAME = 'frame' as const;

type NumberArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
type NumberArrayConstructor =
  | Float64ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Uint16ArrayConstructor
  | Uint8ArrayConstructor;

export type ColumnKind = NumberArrayConstructor | typeof FRAME;
export type Schema = Record<string, ColumnKind>;

type ColumnOf<K> = K extends typeof FRAME ? FrameColumn : K extends { new (n: number): infer A } ? A : never;
export type ColumnsOf<S extends Schema> = { [N in keyof S]: ColumnOf<S[N]> };

/** Entries one column set may reserve up front; past it, growth doubles (see the header). */
const RESERVE_LIMIT = 2 ** 22;

/** Named typed-array columns over `rows * slots` entries. */
export class Columns<S extends Schema> {
  c: ColumnsOf<S>;
  private entries: number;
  /** The same columns as lists by element type, for the per-entry loops (each loop sees one array type: a
   *  store through a list of mixed typed arrays is megamorphic and costs ten times as much). */
  private f64: Float64Array[] = [];
  private i32: Int32Array[] = [];
  private u32: Uint32Array[] = [];
  private u16: Uint16Array[] = [];
  private u8: Uint8Array[] = [];
  private frames: FrameColumn[] = [];

  constructor(
    private readonly schema: S,
    /** Rows expected (the owner's cap + 1): reserved up front when not huge. */
    rows: number,
    /** Entries per row; `slot(row, j)` addresses them. */
    readonly slots = 1,
  ) {
    const wanted = Math.max(1, rows) * slots;
    this.entries = Number.isFinite(wanted) && wanted <= RESERVE_LIMIT ? wanted : 16 * slots;
    this.c = this.make(this.entries, null);
    this.list();
  }

  private list(): void {
    this.f64 = [];
    this.i32 = [];
    this.u32 = [];
    this.u16 = [];
    this.u8 = [];
    this.frames = [];
    for (const column of Object.values(this.c as Record<string, NumberArray | FrameColumn>)) {
      if (column instanceof FrameColumn) this.frames.push(column);
      else if (column instanceof Float64Array) this.f64.push(column);
      else if (column instanceof Int32Array) this.i32.push(column);
      else if (column instanceof Uint32Array) this.u32.push(column);
      else if (column instanceof Uint16Array) this.u16.push(column);
      else this.u8.push(column);
    }
  }

  private make(entries: number, old: ColumnsOf<S> | null): ColumnsOf<S> {
    const out: Record<string, NumberArray | FrameColumn> = {};
    for (const name of Object.keys(this.schema)) {
      const kind = this.schema[name];
      if (kind === FRAME) out[name] = old ? (old[name] as FrameColumn).grown(entries) : new FrameColumn(entries);
      else {
        const array = new kind(entries);
        if (old) array.set(old[name] as never);
        out[name] = array;
      }
    }
    return out as ColumnsOf<S>;
  }

  /** The entry of slot `j` of `row`. */
  slot(row: number, j: number): number {
    return row * this.slots + j;
  }

  /** Makes room for `row` (replacing the column arrays when it grows: read `c` afterwards). */
  ensure(row: number): void {
    const need = (row + 1) * this.slots;
    if (need <= this.entries) return;
    let entries = this.entries * 2;
    while (entries < need) entries *= 2;
    this.c = this.make(entries, this.c);
    this.entries = entries;
    this.list();
  }

  /** Zeroes every entry of `row`. */
  clearRow(row: number): void {
    this.clearEntries(row * this.slots, (row + 1) * this.slots);
  }

  clearEntry(e: number): void {
    this.clearEntries(e, e + 1);
  }

  /** Zeroes entries [from, to) of every column. */
  private clearEntries(from: number, to: number): void {
    for (let e = from; e < to; e++) {
      for (let k = 0; k < this.f64.length; k++) this.f64[k][e] = 0;
      for (let k = 0; k < this.i32.length; k++) this.i32[k][e] = 0;
      for (let k = 0; k < this.u32.length; k++) this.u32[k][e] = 0;
      for (let k = 0; k < this.u16.length; k++) this.u16[k][e] = 0;
      for (let k = 0; k < this.u8.length; k++) this.u8[k][e] = 0;
      for (let k = 0; k < this.frames.length; k++) this.frames[k].clear(e);
    }
  }

  /** Copies entry `from` to entry `to` in every column (to shift a row's slots). */
  copyEntry(to: number, from: number): void {
    for (let k = 0; k < this.f64.length; k++) this.f64[k][to] = this.f64[k][from];
    for (let k = 0; k < this.i32.length; k++) this.i32[k][to] = this.i32[k][from];
    for (let k = 0; k < this.u32.length; k++) this.u32[k][to] = this.u32[k][from];
    for (let k = 0; k < this.u16.length; k++) this.u16[k][to] = this.u16[k][from];
    for (let k = 0; k < this.u8.length; k++) this.u8[k][to] = this.u8[k][from];
    for (let k = 0; k < this.frames.length; k++) this.frames[k].copy(to, this.frames[k], from);
  }

  /** Entries reserved so far. */
  get capacity(): number {
    return this.entries;
  }
}
