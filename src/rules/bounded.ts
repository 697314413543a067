// Bounded containers for rule state, so no rule can grow without limit on a long capture.
//
// AgedTable is the one table rule state lives in. It is keyed by (part, key): `part` is a small dense integer
// (a domain id, an EVPN instance id; 0 when there is none) that selects an inner Map, `key` a number (MAC, IPv4)
// or a string the fact already carries. So a (domain, MAC) key costs no allocation and one Map lookup — a
// domain * 2^48 + MAC number would lose precision past 32 domains.
//
// Ageing is by a generation stamp, not by re-inserting on every access (a delete + set per fact is what made the
// old LRU map slow): `get` of a live entry is one Map lookup, `touch` writes one number. When the table grows
// past its cap, one sweep evicts the least recently touched quarter (O(n) every cap/4 inserts: O(1) amortised)
// through `onEvict`, where rules decide what a leaving entry meant. The cap always holds after `set` returns.

import type { FrameRef } from '../facts/types.js';
import { Columns, FrameColumn, type ColumnsOf, type Schema } from './columns.js';
import type { Evidence } from './types.js';

/** What an entry of an AgedTable carries: the stamp of its last touch (0 before the first). */
export interface Aged {
  seen: number;
}

export class AgedTable<K, V extends Aged> {
  private readonly maps: (Map<K, V> | undefined)[] = [];
  private count = 0;
  private clock = 0;
  /** Entries pushed out by the cap since creation (not by `removeIf`). */
  evicted = 0;
  /** Scratch for the sweep's histogram of stamps. */
  private readonly histogram = new Uint32Array(256);

  constructor(
    readonly cap: number,
    /** Called for every entry the cap pushes out; rules report or count there. */
    private readonly onEvict?: (value: V, part: number, key: K) => void,
  ) {}

  get size(): number {
    return this.count;
  }

  get(part: number, key: K): V | undefined {
    return this.maps[part]?.get(key);
  }

  /** Marks an entry as just used. */
  touch(value: V): void {
    value.seen = ++this.clock;
  }

  /** Inserts a new entry (touched), evicting the least recently touched beyond the cap. */
  set(part: number, key: K, value: V): void {
    let map = this.maps[part];
    if (!map) {
      map = new Map<K, V>();
      this.maps[part] = map;
    }
    const before = map.size;
    map.set(key, value);
    value.seen = ++this.clock;
    if (map.size === before) return;
    this.count++;
    if (this.count > Math.max(1, this.cap)) this.sweep();
  }

  delete(part: number, key: K): boolean {
    const removed = this.maps[part]?.delete(key) ?? false;
    if (removed) this.count--;
    return removed;
  }

  /** Removes (without onEvict) every entry for which `test` is true — for time-based expiry. */
  removeIf(test: (value: V, part: number, key: K) => boolean): void {
    for (let part = 0; part < this.maps.length; part++) {
      const map = this.maps[part];
      if (!map) continue;
      // forEach, not for-of: no [key, value] pair allocated per entry. Deleting the visited entry is allowed.
      map.forEach((value, key) => {
        if (!test(value, part, key)) return;
        map.delete(key);
        this.count--;
      });
    }
  }

  forEach(visit: (value: V, part: number, key: K) => void): void {
    for (let part = 0; part < this.maps.length; part++) this.maps[part]?.forEach((value, key) => visit(value, part, key));
  }

  /** Empties the table, passing every entry to `visit`. */
  drain(visit: (value: V, part: number, key: K) => void): void {
    const maps = this.maps.slice();
    this.maps.length = 0;
    this.count = 0;
    for (let part = 0; part < maps.length; part++) maps[part]?.forEach((value, key) => visit(value, part, key));
  }

  /**
   * Evicts the least recently touched quarter. The cutoff stamp comes from a histogram of the stamps (two passes,
   * nothing allocated): stamps are unique and increasing, so buckets over [oldest, newest] split them well.
   */
  private sweep(): void {
    const excess = sweepExcess(this.count, this.cap);
    if (excess <= 0) return;
    let oldest = Infinity;
    for (const map of this.maps) map?.forEach((value) => {
      if (value.seen < oldest) oldest = value.seen;
    });
    const buckets = this.histogram;
    buckets.fill(0);
    const width = stampWidth(this.clock, oldest, buckets);
    for (const map of this.maps) map?.forEach((value) => {
      buckets[Math.min(buckets.length - 1, Math.floor((value.seen - oldest) / width))]++;
    });
    // Everything in buckets before the cutoff's goes; from that bucket itself, as many as still needed (any of
    // them: they are all about equally old).
    const cutoff = cutoffOf(buckets, excess, oldest, width);
    let budget = excess;
    for (let part = 0; part < this.maps.length && budget > 0; part++) {
      const map = this.maps[part];
      if (!map) continue;
      map.forEach((value, key) => {
        if (budget === 0 || value.seen >= cutoff) return;
        map.delete(key);
        this.count--;
        this.evicted++;
        budget--;
        this.onEvict?.(value, part, key);
      });
    }
  }
}

/** Slot tags of the aged tables (AgedNumberTable, AgedRowTable, AgedSlots): a full slot holds part + 1. */
export const EMPTY = 0;
export const DELETED = -1;
/** The int32 fields of a 16-byte slot (AgedRowTable, AgedSlots), at meta[4i + …]; its key is the float at keys[2i]. */
export const TAG = 2;
const ROW = 3;

/**
 * AgedTable for number keys (MACs, IPv4 addresses — integers up to 2^53), as open addressing with linear probing
 * over one Float64Array of [key, tag] pairs. A JS Map boxes every key above 2^30 into a heap number on each call
 * and chases pointers on each probe; here a lookup hashes two integers and reads one cache line. Same ageing and
 * eviction as AgedTable.
 */
export class AgedNumberTable<V extends Aged> {
  private slots: Float64Array = new Float64Array(32);
  private values: (V | undefined)[] = new Array<V | undefined>(16);
  /** The arrays of the last same-size rehash, reused by the next one. */
  private spare: { slots: Float64Array; values: (V | undefined)[] } | null = null;
  private mask = 15;
  private count = 0;
  /** Slots in use, deleted ones included (they still lengthen probe runs until the next rehash, unless an empty
   *  slot follows them: see `remove`). */
  private used = 0;
  private clock = 0;
  evicted = 0;
  /** Rehashes so far, growth or clean-up (for tests: deleted slots reclaimed at once make clean-ups rare). */
  rebuilds = 0;
  private readonly histogram = new Uint32Array(256);
  /** Scratch for the sweep: each slot's stamp. */
  private stamps = new Float64Array(0);

  constructor(
    readonly cap: number,
    private readonly onEvict?: (value: V, part: number, key: number) => void,
  ) {}

  get size(): number {
    return this.count;
  }

  private find(part: number, key: number): number {
    const slots = this.slots;
    const tag = part + 1;
    let i = hashPair(part, key) & this.mask;
    for (;;) {
      const t = slots[2 * i + 1];
      if (t === EMPTY) return -1;
      if (t === tag && slots[2 * i] === key) return i;
      i = (i + 1) & this.mask;
    }
  }

  get(part: number, key: number): V | undefined {
    const i = this.find(part, key);
    return i < 0 ? undefined : this.values[i];
  }

  touch(value: V): void {
    value.seen = ++this.clock;
  }

  set(part: number, key: number, value: V): void {
    value.seen = ++this.clock;
    const at = this.find(part, key);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.rehash();
    this.place(part, key, value);
    this.count++;
    if (this.count > Math.max(1, this.cap)) this.sweep();
  }

  private place(part: number, key: number, value: V): void {
    const slots = this.slots;
    let i = hashPair(part, key) & this.mask;
    while (slots[2 * i + 1] > 0) i = (i + 1) & this.mask;
    if (slots[2 * i + 1] === EMPTY) this.used++;
    slots[2 * i] = key;
    slots[2 * i + 1] = part + 1;
    this.values[i] = value;
  }

  delete(part: number, key: number): boolean {
    const i = this.find(part, key);
    if (i < 0) return false;
    this.remove(i);
    return true;
  }

  private remove(i: number): void {
    this.slots[2 * i + 1] = DELETED;
    this.values[i] = undefined;
    this.count--;
    // As reclaimSlots, for this table's [key, tag] pairs.
    if (this.slots[2 * ((i + 1) & this.mask) + 1] !== EMPTY) return;
    for (let j = i; this.slots[2 * j + 1] === DELETED; j = (j - 1) & this.mask) {
      this.slots[2 * j + 1] = EMPTY;
      this.used--;
    }
  }

  /**
   * Grows when live entries fill half the slots; else rebuilds at the same size to drop deleted slots — into the
   * arrays the previous same-size rebuild left (`spare`), so a table that churns (pending ARP targets come and go)
   * rebuilds without allocating, instead of leaving two arrays of garbage each time.
   */
  private rehash(): void {
    this.rebuilds++;
    const size = this.count * 2 >= this.mask + 1 ? (this.mask + 1) * 2 : this.mask + 1;
    const { slots, values } = this;
    const spare = this.spare;
    if (spare && spare.slots.length === 2 * size) {
      spare.slots.fill(0);
      this.slots = spare.slots;
      this.values = spare.values;
    } else {
      this.slots = new Float64Array(2 * size);
      this.values = new Array<V | undefined>(size);
    }
    this.mask = size - 1;
    this.used = 0;
    for (let j = 0; j < values.length; j++) {
      if (slots[2 * j + 1] > 0) this.place(slots[2 * j + 1] - 1, slots[2 * j], values[j] as V);
    }
    // The old arrays become the spare when the size stayed (emptied, so they keep no value alive).
    if (slots.length === this.slots.length) {
      values.fill(undefined);
      this.spare = { slots, values };
    } else this.spare = null;
  }

  removeIf(test: (value: V, part: number, key: number) => boolean): void {
    for (let i = 0; i <= this.mask; i++) {
      const tag = this.slots[2 * i + 1];
      if (tag > 0 && test(this.values[i] as V, tag - 1, this.slots[2 * i])) this.remove(i);
    }
  }

  forEach(visit: (value: V, part: number, key: number) => void): void {
    for (let i = 0; i <= this.mask; i++) {
      const tag = this.slots[2 * i + 1];
      if (tag > 0) visit(this.values[i] as V, tag - 1, this.slots[2 * i]);
    }
  }

  drain(visit: (value: V, part: number, key: number) => void): void {
    const { slots, values } = this;
    this.slots = new Float64Array(32);
    this.values = new Array<V | undefined>(16);
    this.spare = null;
    this.mask = 15;
    this.count = 0;
    this.used = 0;
    for (let i = 0; i < values.length; i++) if (slots[2 * i + 1] > 0) visit(values[i] as V, slots[2 * i + 1] - 1, slots[2 * i]);
  }

  /**
   * As AgedTable's: evicts about the least recently touched quarter, cutoff from a histogram of stamps. The stamps
   * live on the values (rules touch a value, not a slot), so they are read once into `stamps`, by slot: the
   * histogram and the eviction pass then scan a typed array instead of chasing every value again (a table at its
   * cap sweeps every cap/4 inserts, and three pointer chases per slot were most of an insert's cost).
   */
  private sweep(): void {
    const excess = sweepExcess(this.count, this.cap);
    if (excess <= 0) return;
    const size = this.mask + 1;
    if (this.stamps.length < size) this.stamps = new Float64Array(size);
    const slots = this.slots;
    const oldest = this.readStamps();
    const width = stampWidth(this.clock, oldest, this.histogram);
    this.countStamps(oldest, width);
    this.evictBelow(slots, cutoffOf(this.histogram, excess, oldest, width), excess);
  }

  /** Copies every live value's stamp into `stamps` by slot; returns the oldest. */
  private readStamps(): number {
    const { slots, values, stamps } = this;
    let oldest = Infinity;
    for (let i = 0; i <= this.mask; i++) {
      if (slots[2 * i + 1] <= 0) continue;
      const seen = (values[i] as V).seen;
      stamps[i] = seen;
      if (seen < oldest) oldest = seen;
    }
    return oldest;
  }

  private countStamps(oldest: number, width: number): void {
    const { slots, stamps } = this;
    const buckets = this.histogram;
    buckets.fill(0);
    for (let i = 0; i <= this.mask; i++) {
      if (slots[2 * i + 1] <= 0) continue;
      buckets[Math.min(buckets.length - 1, Math.floor((stamps[i] - oldest) / width))]++;
    }
  }

  /** Evicts up to `budget` entries stamped before `cutoff`, in slot order (`slots`: the array the stamps were read from). */
  private evictBelow(slots: Float64Array, cutoff: number, budget: number): void {
    const stamps = this.stamps;
    for (let i = 0; i <= this.mask && budget > 0; i++) {
      // An onEvict that inserts may rehash the table: then the stamps by slot are stale, read the value's own.
      const tag = this.slots[2 * i + 1];
      if (tag <= 0) continue;
      const value = this.values[i] as V;
      if ((this.slots === slots ? stamps[i] : value.seen) >= cutoff) continue;
      const key = this.slots[2 * i];
      this.remove(i);
      this.evicted++;
      budget--;
      this.onEvict?.(value, tag - 1, key);
    }
  }
}

/** Keeps the first `head` and the last `tail` items pushed, and how many were pushed in all. */
export class HeadTail<T> {
  readonly first: T[] = [];
  private readonly ring: T[] = [];
  private next = 0;
  total = 0;

  constructor(
    readonly head: number,
    readonly tail: number,
  ) {}

  push(item: T): void {
    this.total++;
    if (this.first.length < this.head) {
      this.first.push(item);
      return;
    }
    if (this.tail <= 0) return;
    if (this.ring.length < this.tail) this.ring.push(item);
    else this.ring[this.next] = item;
    this.next = (this.next + 1) % this.tail;
  }

  /** The last items, oldest first. */
  last(): T[] {
    if (this.ring.length < this.tail) return this.ring.slice();
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  all(): T[] {
    return [...this.first, ...this.last()];
  }
}

/** Free row numbers, last in first out, in a typed array that doubles when full: a sweep frees a quarter of a
 *  table at once, and a plain array of that many numbers was reallocated again and again over a long capture. */
class IndexStack {
  private items = new Int32Array(64);
  size = 0;

  constructor() {
    // Stored a second time on purpose: V8 takes a field stored once for a constant of its hidden class, and the first
    // free list of any table to grow past 64 then threw away every optimised function that had inlined a stack
    // (mac-mobility's advertise, the tracker's request, reply, drop, …) at once. Stored twice, it is a plain field
    // from the start. Measured: 11.03 G -> 10.83 G instructions on the v2 400k benchmark, same reports.
    this.items = new Int32Array(64);
  }

  push(index: number): void {
    if (this.size === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.size++] = index;
  }

  pop(): number {
    return this.items[--this.size];
  }
}

/**
 * AgedNumberTable whose entries are rows of named typed-array columns (`c`, see columns.ts) instead
 * of objects: an entry costs its row and two index slots, nothing the garbage collector has to trace, and an
 * evicted row is reused in place — a table that churns (EVPN routes on a long capture) leaves no old-space
 * garbage behind. Rows are numbered densely from 0 and stay put until removed. The row columns are reserved for
 * cap + 1 rows up front (see `reserveFloats`): only the rows handed out so far cost memory, and `data` is never
 * copied. Past RESERVE_LIMIT it grows instead, so read `data` after `insert`, not before. Same ageing and eviction
 * as AgedTable.
 */
export class AgedRowTable<S extends Schema> {
  /** A slot is 16 bytes of one buffer: its key as a float (slotKeys[2i]), then its tag — part + 1, 0 empty, -1
   *  deleted — and its row as two int32 (slotMeta[4i + 2], slotMeta[4i + 3]). Four slots to a cache line (they
   *  were three floats, 24 bytes: a third more memory in the 100k-row EVPN tables, and in every rehash). */
  private slotKeys = new Float64Array(2 * 16);
  private slotMeta = new Int32Array(this.slotKeys.buffer);
  private mask = 15;
  private used = 0;
  private count = 0;
  private clock = 0;
  /** Per row: its stamp (FREE_ROW while the row is free), key and part (to find its slot again); the caller's
   *  columns are in `columns`. */
  private seen: Float64Array;
  private keys: Float64Array;
  /** Int32, as the slot tag (part + 1) they are stored in: a part read back is a small integer, as the facts'
   *  domain ids are — read from a Float64Array it was a boxed double, and the first one passed on (a finding's
   *  gateway lookup by the row's domain) deoptimised every caller of the table it was passed to ("not a Smi"). */
  private parts: Int32Array;
  /** Scratch for rehash: the live rows in slot order. */
  private order = new Int32Array(0);
  readonly columns: Columns<S>;
  /** Rows below `top` have been handed out; freed ones wait in `free`. */
  private top = 0;
  private readonly free = new IndexStack();
  evicted = 0;
  /** Rehashes so far, growth or clean-up (as AgedNumberTable's). */
  rebuilds = 0;
  private readonly histogram = new Uint32Array(256);

  constructor(
    readonly cap: number,
    schema: S,
    /** Called for every row the cap pushes out, before the row is reused. */
    private readonly onEvict?: (row: number, part: number, key: number) => void,
    /** Entries per row in the caller's columns (`columns.slot(row, j)`). */
    slots = 1,
  ) {
    const rows = reservedRows(Math.max(1, cap) + 1, 1, 8);
    this.seen = new Float64Array(rows);
    this.keys = new Float64Array(rows);
    this.parts = new Int32Array(rows);
    this.columns = new Columns(schema, Math.max(1, cap) + 1, slots);
  }

  /** The caller's columns (read after `insert`: growth replaces the arrays). */
  get c(): ColumnsOf<S> {
    return this.columns.c;
  }

  get size(): number {
    return this.count;
  }

  private slotOf(part: number, key: number): number {
    return findSlot(this.slotKeys, this.slotMeta, this.mask, part, key);
  }

  /** The row of (part, key), or -1. */
  find(part: number, key: number): number {
    const i = this.slotOf(part, key);
    return i < 0 ? -1 : this.slotMeta[4 * i + ROW];
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
    if (this.free.size > 0) row = this.free.pop();
    else {
      row = this.top++;
      if (row >= this.seen.length) this.grow();
    }
    this.columns.ensure(row);
    this.columns.clearRow(row);
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
    const size = Math.max(rows, this.seen.length + 1);
    const seen = new Float64Array(size);
    const keys = new Float64Array(size);
    const parts = new Int32Array(size);
    seen.set(this.seen);
    keys.set(this.keys);
    parts.set(this.parts);
    this.seen = seen;
    this.keys = keys;
    this.parts = parts;
  }

  private place(part: number, key: number, row: number): void {
    const meta = this.slotMeta;
    let i = hashPair(part, key) & this.mask;
    while (meta[4 * i + TAG] > 0) i = (i + 1) & this.mask;
    if (meta[4 * i + TAG] === EMPTY) this.used++;
    this.slotKeys[2 * i] = key;
    meta[4 * i + TAG] = part + 1;
    meta[4 * i + ROW] = row;
  }

  /** Removes a row (without onEvict). */
  remove(row: number): void {
    const i = this.slotOf(this.parts[row], this.keys[row]);
    if (i < 0 || this.slotMeta[4 * i + ROW] !== row) return;
    this.slotMeta[4 * i + TAG] = DELETED;
    this.used -= reclaimSlots(this.slotMeta, this.mask, i);
    this.count--;
    this.release(row);
  }

  /** A removed row back to the free ones, its stamp FREE_ROW (so the sweep, which reads stamps by row, skips it). */
  private release(row: number): void {
    this.seen[row] = FREE_ROW;
    this.free.push(row);
  }

  /**
   * Grows when live rows fill half the slots; else rebuilds in place to drop deleted slots (a churning table does
   * this every few thousand inserts: a new array each time was megabytes of garbage). The rows are placed again in
   * the order their slots had, as a copy would, so iteration and eviction order do not depend on how it was done.
   */
  private rehash(): void {
    this.rebuilds++;
    const size = this.count * 2 >= this.mask + 1 ? (this.mask + 1) * 2 : this.mask + 1;
    const meta = this.slotMeta;
    if (this.order.length < this.count) this.order = new Int32Array(this.seen.length);
    const order = this.order;
    let n = 0;
    for (let j = 0; j <= this.mask; j++) if (meta[4 * j + TAG] > 0) order[n++] = meta[4 * j + ROW];
    if (size === this.mask + 1) this.slotKeys.fill(0);
    else {
      this.slotKeys = new Float64Array(2 * size);
      this.slotMeta = new Int32Array(this.slotKeys.buffer);
    }
    this.mask = size - 1;
    this.used = 0;
    for (let k = 0; k < n; k++) this.place(this.parts[order[k]], this.keys[order[k]], order[k]);
  }

  /** Visits every row (rows may be removed while visiting). */
  forEach(visit: (row: number, part: number, key: number) => void): void {
    for (let i = 0; i <= this.mask; i++) {
      const tag = this.slotMeta[4 * i + TAG];
      if (tag > 0) visit(this.slotMeta[4 * i + ROW], tag - 1, this.slotKeys[2 * i]);
    }
  }

  /** Removes (without onEvict) every row for which `test` is true. */
  removeIf(test: (row: number, part: number, key: number) => boolean): void {
    this.forEach((row, part, key) => {
      if (test(row, part, key)) this.remove(row);
    });
  }

  /**
   * As AgedTable's: evicts about the least recently touched quarter, cutoff from a histogram of stamps. Each pass
   * is a method of its own: a sweep runs rarely, and a loop that deoptimised halfway used to finish its 16k slots
   * in the interpreter; a small method is optimised (and re-optimised) on its own. The oldest stamp and the
   * histogram need only the set of live stamps, not their order, so they read `seen` by row — the rows handed out,
   * about a third as many as the slots, and one array instead of a slot and then its row's stamp; only the
   * eviction, whose order decides which rows of the cutoff's bucket go, walks the slots.
   */
  private sweep(): void {
    const excess = sweepExcess(this.count, this.cap);
    if (excess <= 0) return;
    const oldest = this.oldestStamp();
    const width = stampWidth(this.clock, oldest, this.histogram);
    this.countStamps(oldest, width);
    this.evictBelow(cutoffOf(this.histogram, excess, oldest, width), excess);
  }

  /** The oldest stamp of a live row (free rows are FREE_ROW, above any stamp). */
  private oldestStamp(): number {
    const seen = this.seen;
    let oldest = Infinity;
    for (let row = 0; row < this.top; row++) if (seen[row] < oldest) oldest = seen[row];
    return oldest;
  }

  private countStamps(oldest: number, width: number): void {
    const seen = this.seen;
    const buckets = this.histogram;
    const last = buckets.length - 1;
    buckets.fill(0);
    for (let row = 0; row < this.top; row++) {
      if (seen[row] !== FREE_ROW) buckets[Math.min(last, Math.floor((seen[row] - oldest) / width))]++;
    }
  }

  /** Evicts up to `budget` rows stamped before `cutoff`, in slot order. */
  private evictBelow(cutoff: number, budget: number): void {
    const { slotKeys: keys, slotMeta: meta, seen } = this;
    for (let i = 0; i <= this.mask && budget > 0; i++) {
      const tag = meta[4 * i + TAG];
      if (tag <= 0) continue;
      const row = meta[4 * i + ROW];
      if (seen[row] >= cutoff) continue;
      meta[4 * i + TAG] = DELETED;
      this.count--;
      this.evicted++;
      budget--;
      this.onEvict?.(row, tag - 1, keys[2 * i]);
      this.release(row);
      // An onEvict that inserts may have rehashed: then the slot is another's, and the new slots have no deleted ones.
      if (this.slotMeta === meta) this.used -= reclaimSlots(meta, this.mask, i);
    }
  }
}

/** The stamp of a free AgedRowTable row: above every real stamp, so a scan for the oldest passes it over. */
const FREE_ROW = Infinity;

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

/** Entries a sweep of a table of `count` entries evicts: down to three quarters of its cap (≤ 0: none). */
export function sweepExcess(count: number, cap: number): number {
  const c = Math.max(1, cap);
  return count - (c - Math.floor(c / 4));
}

/** The width of a sweep's histogram buckets, for stamps from `oldest` to `clock`. */
export function stampWidth(clock: number, oldest: number, buckets: Uint32Array): number {
  return Math.max(1, (clock + 1 - oldest) / buckets.length);
}

/** The stamp below which about `excess` entries lie, from a histogram of stamps over [oldest, oldest + width * buckets). */
export function cutoffOf(buckets: Uint32Array, excess: number, oldest: number, width: number): number {
  let bucket = 0;
  let below = 0;
  while (bucket < buckets.length - 1 && below + buckets[bucket] < excess) below += buckets[bucket++];
  return oldest + (bucket + 1) * width;
}

/**
 * After slot i of a table of 16-byte slots was marked DELETED: when the slot after it is EMPTY, no probe run passes
 * through it (a run ends at its first empty slot), so it and the deleted slots just before it are EMPTY again.
 * Returns how many slots that freed. Nothing live moves, so a later insert lands where it would have; what changes
 * is only that the table fills up with deleted slots more slowly, and rebuilds less often.
 */
export function reclaimSlots(meta: Int32Array, mask: number, i: number): number {
  if (meta[4 * ((i + 1) & mask) + TAG] !== EMPTY) return 0;
  let n = 0;
  for (let j = i; meta[4 * j + TAG] === DELETED; j = (j - 1) & mask) {
    meta[4 * j + TAG] = EMPTY;
    n++;
  }
  return n;
}

/**
 * The slot of (part, key) in a table of 16-byte slots — key as a float at keys[2i], tag (part + 1; 0 empty, -1
 * deleted) as an int32 at meta[4i + 2] of the same buffer — or -1. AgedRowTable's and AgedSlots' layout.
 */
export function findSlot(keys: Float64Array, meta: Int32Array, mask: number, part: number, key: number): number {
  const tag = part + 1;
  let i = hashPair(part, key) & mask;
  for (;;) {
    const t = meta[4 * i + TAG];
    if (t === EMPTY) return -1;
    if (t === tag && keys[2 * i] === key) return i;
    i = (i + 1) & mask;
  }
}

/** The hash of a (part, key) pair every aged table lays its slots out by (aged-slots.ts too, so a table moved
 *  from one kind to the other keeps its slots and its eviction order). */
export function hashPair(part: number, key: number): number {
  const lo = key >>> 0; // key mod 2^32, exact for integer keys below 2^53
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(part + 1, 0x165667b1), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/**
 * Rows of named columns (see columns.ts) handed out and taken back by index — for state that hangs off a table
 * row in variable amounts (a MAC's PEs, a PE's routes) without an object each. Freed rows are reused; columns
 * double when full, so read `c` after `alloc`, not before. The owner bounds how many rows it holds. `reserve`
 * rows are reserved up front (paid for as they are first used, never copied): give the owner's usual need, so a
 * pool grows (and copies) only past it.
 */
export class RowPool<S extends Schema> {
  readonly columns: Columns<S>;
  private top = 0;
  private readonly free = new IndexStack();

  constructor(schema: S, reserve = 16, slots = 1) {
    this.columns = new Columns(schema, Math.max(16, reserve), slots);
  }

  get c(): ColumnsOf<S> {
    return this.columns.c;
  }

  /** Rows in use. */
  get size(): number {
    return this.top - this.free.size;
  }

  /** A zeroed row: a fresh one is zero as made, and `release` zeroes a row before it is handed out again (so it
   *  is not cleared twice: a request's row is allocated and released once per ARP request). */
  alloc(): number {
    if (this.free.size > 0) return this.free.pop();
    const row = this.top++;
    this.columns.ensure(row);
    return row;
  }

  /** Gives a row back, zeroed (so a stale index reads as empty until the row is handed out again). */
  release(row: number): void {
    this.columns.clearRow(row);
    this.free.push(row);
  }
}

/** Items per page of a PagedArray: 32 KiB of references, an ordinary heap object (large ones get pages apart). */
const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;

/** A page of PAGE `undefined`s, made by pushing: `new Array(PAGE).fill()` changed the new array's hidden class in
 *  `fill`, and optimised code that had seen the class one way deoptimised at the next page ("wrong map"). */
function newPage<T>(): (T | undefined)[] {
  const page: (T | undefined)[] = [];
  for (let j = 0; j < PAGE; j++) page.push(undefined);
  return page;
}

/**
 * References by dense index (texts beside the rows of a table, row * k + j) in pages of PAGE items made as the
 * indices are first written: growing never copies, where an array grown by push to a table's size left each
 * smaller copy behind as large-object garbage until the next full GC. Unwritten indices read undefined.
 */
export class PagedArray<T> {
  /** Starts holding `undefined` (no page 0 yet) rather than empty: `[]` is an array of small integers, which the
   *  first page stored turned into an array of objects, a new hidden class — each PagedArray did that at its first
   *  page, and the first to do so after `set` was optimised (duplicate-gateway-mac's EVPN route PEs, at the first
   *  route) threw `set` and its inlining callers away ("wrong map"). */
  private readonly pages: ((T | undefined)[] | undefined)[] = [undefined];

  get(i: number): T | undefined {
    const page = this.pages[i >>> PAGE_BITS];
    return page === undefined ? undefined : page[i & (PAGE - 1)];
  }

  set(i: number, value: T | undefined): void {
    let page = this.pages[i >>> PAGE_BITS];
    if (page === undefined) {
      if (value === undefined) return;
      // Pushed, not assigned past the end: the page list stays a packed array.
      while (this.pages.length < i >>> PAGE_BITS) this.pages.push(undefined);
      page = newPage<T>();
      this.pages[i >>> PAGE_BITS] = page;
    }
    page[i & (PAGE - 1)] = value;
  }
}

/**
 * Canonical copies of texts that recur (evidence roles: "claim from 02:00:…" cited by many reports of one
 * finding): one string kept per distinct text. Looking a text up also flattens it, so what is kept is one flat
 * string, not the tree of concatenations a template literal builds. Started over past `cap` texts.
 */
export class TextInterner {
  private readonly texts = new Map<string, string>();

  constructor(readonly cap: number) {}

  intern(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    if (this.texts.size >= this.cap) this.texts.clear();
    this.texts.set(text, text);
    return text;
  }
}

/**
 * HeadTail for evidence: the first `head` and last `tail` items and the total pushed, each item's frame in a
 * FrameColumn and an interned role instead of an Evidence and a FrameRef object (findings and conflict states hold
 * thousands of these; as objects they were most of the memory a long capture's findings took). `all()` rebuilds
 * objects.
 */
export class EvidenceLog {
  private readonly frames: FrameColumn;
  private readonly roles: string[] = [];
  private firstCount = 0;
  private ringCount = 0;
  private next = 0;
  total = 0;

  constructor(
    readonly head: number,
    readonly tail: number,
    private readonly interner: TextInterner,
  ) {
    this.frames = new FrameColumn(Math.max(1, head + tail));
  }

  private nextSlot(): number {
    this.total++;
    if (this.firstCount < this.head) return this.firstCount++;
    if (this.tail <= 0) return -1;
    const slot = this.head + (this.ringCount < this.tail ? this.ringCount++ : this.next);
    this.next = (this.next + 1) % this.tail;
    return slot;
  }

  push(ref: FrameRef, role: string): void {
    const slot = this.nextSlot();
    if (slot < 0) return;
    this.frames.set(slot, ref);
    this.roles[slot] = this.interner.intern(role);
  }

  /** push, for a frame a caller keeps in a FrameColumn (entry `i` of `frames`). */
  pushFrom(frames: FrameColumn, i: number, role: string): void {
    const slot = this.nextSlot();
    if (slot < 0) return;
    this.frames.copy(slot, frames, i);
    this.roles[slot] = this.interner.intern(role);
  }

  /** Whether one of the first `head` items cites this frame for this role. */
  hasFirst(input: number, frame: number, role: string): boolean {
    const f = this.frames;
    for (let slot = 0; slot < this.firstCount; slot++) {
      if (f.input(slot) === input && f.frame(slot) === frame && this.roles[slot] === role) return true;
    }
    return false;
  }

  private item(slot: number): Evidence {
    return { ref: this.frames.ref(slot), role: this.roles[slot] };
  }

  /** The first items, then the last ones oldest first (as HeadTail.all). */
  all(): Evidence[] {
    const out: Evidence[] = [];
    for (let slot = 0; slot < this.firstCount; slot++) out.push(this.item(slot));
    if (this.ringCount < this.tail) {
      for (let k = 0; k < this.ringCount; k++) out.push(this.item(this.head + k));
    } else {
      for (let k = 0; k < this.tail; k++) out.push(this.item(this.head + ((this.next + k) % this.tail)));
    }
    return out;
  }
}
