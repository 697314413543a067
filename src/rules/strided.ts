// TEMPORARY: the strided row tables, kept only until mac-mobility-regression moves to named columns
// (Columns / AgedRowTable / RowPool in bounded.ts); then this file is deleted.
const EMPTY = 0;
const DELETED = -1;

/**
 * AgedNumberTable whose entries are rows of numbers in one Float64Array (`data`, `stride` numbers a row) instead
 * of objects: an entry costs its row and two index slots, nothing the garbage collector has to trace, and an
 * evicted row is reused in place — a table that churns (EVPN routes on a long capture) leaves no old-space
 * garbage behind. Rows are numbered densely from 0 and stay put until removed. The row columns are reserved for
 * cap + 1 rows up front (see `reserveFloats`): only the rows handed out so far cost memory, and `data` is never
 * copied. Past RESERVE_LIMIT it grows instead, so read `data` after `insert`, not before. Same ageing and eviction
 * as AgedTable.
 */
export class StridedRowTable {
  /** [key, part + 1 (0 empty, -1 deleted), row] per slot. */
  private slots = new Float64Array(3 * 16);
  private mask = 15;
  private used = 0;
  private count = 0;
  private clock = 0;
  /** Row columns: its stamp, key and part (to find its slot again), then `stride` numbers of the caller's. */
  private seen: Float64Array;
  private keys: Float64Array;
  private parts: Float64Array;
  /** Scratch for rehash: the live rows in slot order. */
  private order = new Int32Array(0);
  data: Float64Array;
  /** Rows below `top` have been handed out; freed ones wait in `free`. */
  private top = 0;
  private free: number[] = [];
  evicted = 0;
  private readonly histogram = new Uint32Array(256);

  constructor(
    readonly cap: number,
    readonly stride: number,
    /** Called for every row the cap pushes out, before the row is reused. */
    private readonly onEvict?: (row: number, part: number, key: number) => void,
  ) {
    const rows = reservedRows(Math.max(1, cap) + 1, Math.max(1, stride), 8);
    this.seen = new Float64Array(rows);
    this.keys = new Float64Array(rows);
    this.parts = new Float64Array(rows);
    this.data = new Float64Array(rows * stride);
  }

  get size(): number {
    return this.count;
  }

  private slotOf(part: number, key: number): number {
    const slots = this.slots;
    const tag = part + 1;
    let i = hashPair(part, key) & this.mask;
    for (;;) {
      const t = slots[3 * i + 1];
      if (t === EMPTY) return -1;
      if (t === tag && slots[3 * i] === key) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** The row of (part, key), or -1. */
  find(part: number, key: number): number {
    const i = this.slotOf(part, key);
    return i < 0 ? -1 : this.slots[3 * i + 2];
  }

  touch(row: number): void {
    this.seen[row] = ++this.clock;
  }

  keyOf(row: number): number {
    return this.keys[row];
  }

  partOf(row: number): number {
    return this.parts[row];
  }

  /** A new row for (part, key), zeroed and touched; (part, key) must not be in the table. May evict others. */
  insert(part: number, key: number): number {
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.rehash();
    let row: number;
    if (this.free.length > 0) row = this.free.pop() as number;
    else {
      row = this.top++;
      if (row >= this.seen.length) this.grow();
    }
    this.data.fill(0, row * this.stride, (row + 1) * this.stride);
    this.seen[row] = ++this.clock;
    this.keys[row] = key;
    this.parts[row] = part;
    this.place(part, key, row);
    this.count++;
    if (this.count > Math.max(1, this.cap)) this.sweep();
    return row;
  }

  /** Only past RESERVE_LIMIT: the columns were reserved for cap + 1 rows otherwise. */
  private grow(): void {
    const rows = Math.min(this.seen.length * 2, Math.max(1, this.cap) + 1);
    const resize = (old: Float64Array, width: number) => {
      const next = new Float64Array(Math.max(rows, old.length / width + 1) * width);
      next.set(old);
      return next;
    };
    this.seen = resize(this.seen, 1);
    this.keys = resize(this.keys, 1);
    this.parts = resize(this.parts, 1);
    this.data = resize(this.data, this.stride);
  }

  private place(part: number, key: number, row: number): void {
    const slots = this.slots;
    let i = hashPair(part, key) & this.mask;
    while (slots[3 * i + 1] > 0) i = (i + 1) & this.mask;
    if (slots[3 * i + 1] === EMPTY) this.used++;
    slots[3 * i] = key;
    slots[3 * i + 1] = part + 1;
    slots[3 * i + 2] = row;
  }

  /** Removes a row (without onEvict). */
  remove(row: number): void {
    const i = this.slotOf(this.parts[row], this.keys[row]);
    if (i < 0 || this.slots[3 * i + 2] !== row) return;
    this.slots[3 * i + 1] = DELETED;
    this.count--;
    this.free.push(row);
  }

  /**
   * Grows when live rows fill half the slots; else rebuilds in place to drop deleted slots (a churning table does
   * this every few thousand inserts: a new array each time was megabytes of garbage). The rows are placed again in
   * the order their slots had, as a copy would, so iteration and eviction order do not depend on how it was done.
   */
  private rehash(): void {
    const size = this.count * 2 >= this.mask + 1 ? (this.mask + 1) * 2 : this.mask + 1;
    const slots = this.slots;
    if (this.order.length < this.count) this.order = new Int32Array(this.seen.length);
    const order = this.order;
    let n = 0;
    for (let j = 0; j < slots.length; j += 3) if (slots[j + 1] > 0) order[n++] = slots[j + 2];
    if (size === this.mask + 1) slots.fill(0);
    else this.slots = new Float64Array(3 * size);
    this.mask = size - 1;
    this.used = 0;
    for (let k = 0; k < n; k++) this.place(this.parts[order[k]], this.keys[order[k]], order[k]);
  }

  /** Visits every row (rows may be removed while visiting). */
  forEach(visit: (row: number, part: number, key: number) => void): void {
    for (let i = 0; i <= this.mask; i++) {
      const tag = this.slots[3 * i + 1];
      if (tag > 0) visit(this.slots[3 * i + 2], tag - 1, this.slots[3 * i]);
    }
  }

  /** Removes (without onEvict) every row for which `test` is true. */
  removeIf(test: (row: number, part: number, key: number) => boolean): void {
    this.forEach((row, part, key) => {
      if (test(row, part, key)) this.remove(row);
    });
  }

  /** As AgedTable's: evicts about the least recently touched quarter, cutoff from a histogram of stamps. */
  private sweep(): void {
    const cap = Math.max(1, this.cap);
    const excess = this.count - (cap - Math.floor(cap / 4));
    if (excess <= 0) return;
    const { slots, seen } = this;
    let oldest = Infinity;
    for (let i = 0; i <= this.mask; i++) if (slots[3 * i + 1] > 0 && seen[slots[3 * i + 2]] < oldest) oldest = seen[slots[3 * i + 2]];
    const buckets = this.histogram;
    buckets.fill(0);
    const width = Math.max(1, (this.clock + 1 - oldest) / buckets.length);
    for (let i = 0; i <= this.mask; i++) {
      if (slots[3 * i + 1] <= 0) continue;
      buckets[Math.min(buckets.length - 1, Math.floor((seen[slots[3 * i + 2]] - oldest) / width))]++;
    }
    let bucket = 0;
    let below = 0;
    while (bucket < buckets.length - 1 && below + buckets[bucket] < excess) below += buckets[bucket++];
    const cutoff = oldest + (bucket + 1) * width;
    let budget = excess;
    for (let i = 0; i <= this.mask && budget > 0; i++) {
      const tag = slots[3 * i + 1];
      if (tag <= 0) continue;
      const row = slots[3 * i + 2];
      if (seen[row] >= cutoff) continue;
      slots[3 * i + 1] = DELETED;
      this.count--;
      this.evicted++;
      budget--;
      this.onEvict?.(row, tag - 1, slots[3 * i]);
      this.free.push(row);
    }
  }
}

/**
 * Floats one typed array may reserve up front (128 MiB). A zeroed array this large is a fresh anonymous mapping
 * (calloc → mmap): the kernel commits a page when it is first written, so a table reserved for its cap costs the
 * memory of the rows it has used, and never a copy on growth (each doubling used to leave the old array as garbage
 * until the next full GC, and both copies at once).
 */
const RESERVE_LIMIT = 2 ** 24;

/** `wanted` rows of `stride` floats, or `fallback` rows when that would pass RESERVE_LIMIT (then the owner grows). */
function reservedRows(wanted: number, stride: number, fallback: number): number {
  return Number.isFinite(wanted) && wanted * stride <= RESERVE_LIMIT ? wanted : fallback;
}

function hashPair(part: number, key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(part + 1, 0x165667b1), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * Rows of `stride` numbers in one Float64Array, handed out and taken back by index — for state that hangs off a
 * table row in variable amounts (a MAC's PEs, a PE's routes) without an object each. Freed rows are reused;
 * `data` doubles when full, so read `data` after `alloc`, not before. The owner bounds how many rows it holds.
 * `reserve` rows are reserved up front as AgedRowTable's are (paid for as they are first used, never copied):
 * give the owner's usual need, so a pool grows (and copies) only past it.
 */
export class StridedRowPool {
  data: Float64Array;
  private top = 0;
  private readonly free: number[] = [];

  constructor(
    readonly stride: number,
    reserve = 16,
  ) {
    this.data = new Float64Array(reservedRows(Math.max(16, reserve), stride, 16) * stride);
  }

  /** Rows in use. */
  get size(): number {
    return this.top - this.free.length;
  }

  /** A zeroed row. */
  alloc(): number {
    let row: number;
    if (this.free.length > 0) row = this.free.pop() as number;
    else {
      row = this.top++;
      if ((row + 1) * this.stride > this.data.length) {
        const next = new Float64Array(this.data.length * 2);
        next.set(this.data);
        this.data = next;
      }
    }
    this.data.fill(0, row * this.stride, (row + 1) * this.stride);
    return row;
  }

  /** Gives a row back, zeroed (so a stale index reads as empty until the row is handed out again). */
  release(row: number): void {
    this.data.fill(0, row * this.stride, (row + 1) * this.stride);
    this.free.push(row);
  }
}

