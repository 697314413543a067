// Named columns: rule state as one typed array per field, indexed by row — the layout of a column store (and
// of Zeek's and Suricata's flow tables in C), without hand-computed strides. A newcomer reads `claims.c.mac[i]`
// where the old code read `data[base + claimsAt + j * CLAIM_FIELDS + C_MAC]`.
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

/**
 * A frame reference kept as numbers, in five columns: the input file, the Wireshark frame number, the time
 * (seconds, nanoseconds and the two as one float for windows). The only packing of a frame reference in the
 * rules: anything a rule keeps about a frame it may cite goes through here.
 */
export class FrameColumn {
  input: Uint32Array;
  frame: Float64Array;
  seconds: Float64Array;
  nanos: Uint32Array;
  time: Float64Array;

  constructor(rows: number) {
    this.input = new Uint32Array(rows);
    this.frame = new Float64Array(rows);
    this.seconds = new Float64Array(rows);
    this.nanos = new Uint32Array(rows);
    this.time = new Float64Array(rows);
  }

  set(i: number, ref: FrameRef): void {
    this.input[i] = ref.input;
    this.frame[i] = ref.frame;
    this.seconds[i] = ref.seconds;
    this.nanos[i] = ref.nanos;
    this.time[i] = ref.time;
  }

  /** Copies entry `from` of `source` (this column or another) to entry `i`. */
  copy(i: number, source: FrameColumn, from: number): void {
    this.input[i] = source.input[from];
    this.frame[i] = source.frame[from];
    this.seconds[i] = source.seconds[from];
    this.nanos[i] = source.nanos[from];
    this.time[i] = source.time[from];
  }

  /** The reference as an object, for a finding's evidence. */
  ref(i: number): FrameRef {
    return { input: this.input[i], frame: this.frame[i], seconds: this.seconds[i], nanos: this.nanos[i], time: this.time[i] };
  }

  /** Whether entry `i` holds a frame (frame numbers start at 1). */
  has(i: number): boolean {
    return this.frame[i] !== 0;
  }

  clear(i: number): void {
    this.input[i] = 0;
    this.frame[i] = 0;
    this.seconds[i] = 0;
    this.nanos[i] = 0;
    this.time[i] = 0;
  }

  /** A column of `rows` entries holding this one's first entries. */
  grown(rows: number): FrameColumn {
    const next = new FrameColumn(rows);
    next.input.set(this.input);
    next.frame.set(this.frame);
    next.seconds.set(this.seconds);
    next.nanos.set(this.nanos);
    next.time.set(this.time);
    return next;
  }

  get length(): number {
    return this.frame.length;
  }
}

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
  /**
   * The same columns as lists, one list per array type, for the per-entry loops (clearRow runs on every insert,
   * alloc and release): a store through one list that mixed the five types was a megamorphic keyed store, a
   * quarter of mac-mobility-regression's time; per type each loop's store sees one type.
   */
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
    const from = row * this.slots;
    for (let e = from; e < from + this.slots; e++) this.clearEntry(e);
  }

  clearEntry(e: number): void {
    for (const column of this.f64) column[e] = 0;
    for (const column of this.i32) column[e] = 0;
    for (const column of this.u32) column[e] = 0;
    for (const column of this.u16) column[e] = 0;
    for (const column of this.u8) column[e] = 0;
    for (const column of this.frames) column.clear(e);
  }

  /** Copies entry `from` to entry `to` in every column (to shift a row's slots). */
  copyEntry(to: number, from: number): void {
    for (const column of this.f64) column[to] = column[from];
    for (const column of this.i32) column[to] = column[from];
    for (const column of this.u32) column[to] = column[from];
    for (const column of this.u16) column[to] = column[from];
    for (const column of this.u8) column[to] = column[from];
    for (const column of this.frames) column.copy(to, column, from);
  }

  /** Entries reserved so far. */
  get capacity(): number {
    return this.entries;
  }
}
