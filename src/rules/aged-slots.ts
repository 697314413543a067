// An aged, capped table of number keys for tables probed on every fact (the inventory's hosts and addresses): an
// entry lives in its hash slot — key, tag and stamp side by side in 16 bytes, four slots to a cache line, so a probe
// run and the touch that follows read one line (AgedRowTable's slots, of the same layout, hold a row number in
// place of the stamp, and the row's stamp is in another line) — and the owner's numbers for it sit side by side in
// `fields` at the same slot number: one more line, read only on a hit — and a byte of its bits in `flags`, an array
// small enough to stay in cache. Slots move when the table rehashes, so an entry is named by its slot number only
// until the next insert.
//
// The slots, their order and the eviction are AgedRowTable's (and AgedNumberTable's) exactly: the same hash and
// linear probing, deleted slots reclaimed alike, the same rehash points and sizes, stamps from the same clock, and the same sweep of the least
// recently touched quarter in slot order. Which entries a cap pushes out decides the inventory's host counts, so
// moving a table between them changes no report.
import { cutoffOf, DELETED, EMPTY, findSlot, hashPair, stampWidth, sweepExcess, TAG } from './bounded.js';

/** A slot is 16 bytes (bounded.ts's layout): its key as a float (keys[2i]), then its tag (EMPTY, DELETED, else the
 *  part + 1) and its stamp as two int32 (meta[4i + TAG], meta[4i + SEEN]), one buffer seen through both views. */
const SEEN = 3;
/** Stamps are int32: at this clock they are shifted down (see `restamp`). */
const CLOCK_LIMIT = 2 ** 31 - 2;

export class AgedSlots<A = never> {
  /** Slot i: its key at keys[2 * i], its TAG and SEEN at meta[4 * i + …] (the same buffer). */
  private keys: Float64Array;
  private meta: Int32Array;
  /** The owner's numbers of slot i: fields[i * width …] (see `fieldsAt`). Read after `insert`. */
  fields: Float64Array;
  /** A byte of the owner's bits per slot, zero for a new entry: for a bit read on every hit. A byte a slot is 16 KB
   *  for 16k slots, which stay in cache where `fields` (the inventory's: 48 bytes a slot) do not, so a hit that
   *  reads only this skips a cache miss. Read after `insert`, like `fields`. */
  flags: Uint8Array;
  /** An object per slot for the few entries that need one (an address's text), or undefined. Made on the first
   *  `attach`: most tables attach nothing, and an array as long as the slots, copied at every rehash, was old-space
   *  garbage for them (2 MB per rehash of the inventory's 100k-entry EVPN MAC table). */
  private attached: (A | undefined)[] | null = null;
  /** The arrays of the last same-size rehash, reused by the next one. */
  private spare: { keys: Float64Array; meta: Int32Array; fields: Float64Array; flags: Uint8Array; attached: (A | undefined)[] | null } | null =
    null;
  private mask = 15;
  private count = 0;
  /** Slots in use, deleted ones included (they still lengthen probe runs until the next rehash, unless an empty
   *  slot follows them: see `reclaim`). */
  private used = 0;
  private clock = 0;
  /** Entries pushed out by the cap since creation. */
  evicted = 0;
  /** Rehashes so far, growth or clean-up (as AgedRowTable's). */
  rebuilds = 0;
  private readonly histogram = new Uint32Array(256);
  /** The sweep's list of live entries: their slots, in slot order, and their stamps. */
  private liveSlots = new Int32Array(0);
  private liveStamps = new Int32Array(0);

  constructor(
    readonly cap: number,
    /** Numbers the owner keeps per entry. */
    readonly width: number,
    /** Called for every entry the cap pushes out (its fields still readable at its slot). */
    private readonly onEvict?: (slot: number, part: number, key: number) => void,
  ) {
    this.keys = new Float64Array(2 * 16);
    this.meta = new Int32Array(this.keys.buffer);
    this.fields = new Float64Array(16 * width);
    this.flags = new Uint8Array(16);
  }

  get size(): number {
    return this.count;
  }

  /** The slot of (part, key), or -1. */
  find(part: number, key: number): number {
    return findSlot(this.keys, this.meta, this.mask, part, key);
  }

  /** Whether the last `use` made a new entry. */
  added = false;

  /**
   * The slot of (part, key) touched, as `find` then `touch` — or, when it is not in the table, a new entry's, as
   * `insert` (`added` says which). One probe for both: a miss's probe run has passed the slot `insert` would claim
   * (its first deleted slot, else the empty one that ends it), so only a rehash probes again.
   */
  use(part: number, key: number): number {
    const meta = this.meta;
    const keys = this.keys;
    const mask = this.mask;
    const tag = part + 1;
    let i = hashPair(part, key) & mask;
    let free = -1;
    for (;;) {
      const t = meta[4 * i + TAG];
      if (t === EMPTY) break;
      if (t === tag) {
        if (keys[2 * i] === key) {
          this.added = false;
          if (this.clock >= CLOCK_LIMIT) this.restamp();
          meta[4 * i + SEEN] = ++this.clock;
          return i;
        }
      } else if (t === DELETED && free < 0) free = i;
      i = (i + 1) & mask;
    }
    this.added = true;
    if ((this.used + 1) * 4 > (mask + 1) * 3) return this.insert(part, key);
    if (this.clock >= CLOCK_LIMIT) this.restamp();
    const slot = this.claim(free >= 0 ? free : i, part, key);
    meta[4 * slot + SEEN] = ++this.clock;
    this.count++;
    if (this.count > Math.max(1, this.cap)) this.sweep();
    return slot;
  }

  /** Marks an entry as just used. */
  touch(slot: number): void {
    if (this.clock >= CLOCK_LIMIT) this.restamp();
    this.meta[4 * slot + SEEN] = ++this.clock;
  }

  /** A new entry for (part, key), its fields zeroed, touched; (part, key) must not be in the table. May evict
   *  others (and, with a cap of a few, in principle this one: its slot then reads as deleted). */
  insert(part: number, key: number): number {
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.rehash();
    // Restamp before placing: a placed entry's stamp is 0 until it is set, and restamp would take it for the oldest
    // (and halve every stamp, making ties of neighbours, where shifting keeps them apart).
    if (this.clock >= CLOCK_LIMIT) this.restamp();
    const slot = this.place(part, key);
    this.meta[4 * slot + SEEN] = ++this.clock;
    this.count++;
    if (this.count > Math.max(1, this.cap)) this.sweep();
    return slot;
  }

  /** Where the owner's numbers of `slot` start in `fields`. */
  fieldsAt(slot: number): number {
    return slot * this.width;
  }

  attachment(slot: number): A | undefined {
    return this.attached === null ? undefined : this.attached[slot];
  }

  attach(slot: number, value: A | undefined): void {
    if (this.attached === null) {
      if (value === undefined) return;
      this.attached = new Array<A | undefined>(this.mask + 1).fill(undefined);
    }
    this.attached[slot] = value;
  }

  /** Visits every entry in slot order. The visitor must not insert. */
  forEach(visit: (slot: number, part: number, key: number) => void): void {
    const meta = this.meta;
    for (let i = 0; i <= this.mask; i++) if (meta[4 * i + TAG] > 0) visit(i, meta[4 * i + TAG] - 1, this.keys[2 * i]);
  }

  /** The first free slot of (part, key)'s probe run, deleted or empty, claimed with its fields zeroed. */
  private place(part: number, key: number): number {
    const meta = this.meta;
    let i = hashPair(part, key) & this.mask;
    while (meta[4 * i + TAG] > 0) i = (i + 1) & this.mask;
    return this.claim(i, part, key);
  }

  /** Free slot i (deleted or empty) taken for (part, key), its fields zeroed. */
  private claim(i: number, part: number, key: number): number {
    const meta = this.meta;
    if (meta[4 * i + TAG] === EMPTY) this.used++;
    else {
      meta[4 * i + SEEN] = 0;
      for (let k = i * this.width; k < (i + 1) * this.width; k++) this.fields[k] = 0;
      this.flags[i] = 0;
      if (this.attached !== null) this.attached[i] = undefined;
    }
    this.keys[2 * i] = key;
    meta[4 * i + TAG] = part + 1;
    return i;
  }

  /**
   * Shifts every stamp down so the clock stays an int32 (after 2^31 touches): by the oldest live stamp, which keeps
   * every difference and so every sweep's choice; when the live stamps themselves span the range (an entry untouched
   * for 2^31 touches in a table never full), halves them instead, which keeps their order.
   */
  private restamp(): void {
    const meta = this.meta;
    let oldest = this.clock;
    for (let i = 0; i <= this.mask; i++) if (meta[4 * i + TAG] > 0 && meta[4 * i + SEEN] < oldest) oldest = meta[4 * i + SEEN];
    const halve = oldest < 2 ** 30;
    for (let i = 0; i <= this.mask; i++) {
      if (meta[4 * i + TAG] > 0) meta[4 * i + SEEN] = halve ? meta[4 * i + SEEN] >>> 1 : meta[4 * i + SEEN] - oldest + 1;
    }
    this.clock = halve ? this.clock >>> 1 : this.clock - oldest + 1;
  }

  /**
   * Grows when live entries fill half the slots; else rebuilds at the same size to drop deleted slots — into the
   * arrays the previous same-size rebuild left, so a table that churns rebuilds without allocating. Entries are
   * placed again in the order of their old slots, as AgedRowTable does.
   */
  private rehash(): void {
    this.rebuilds++;
    const size = this.count * 2 >= this.mask + 1 ? (this.mask + 1) * 2 : this.mask + 1;
    const { keys: oldKeys, meta: oldMeta, fields: oldFields, flags: oldFlags, attached: oldAttached } = this;
    const spare = this.spare;
    if (spare && spare.keys.length === 2 * size) {
      spare.keys.fill(0);
      spare.fields.fill(0);
      spare.flags.fill(0);
      this.keys = spare.keys;
      this.meta = spare.meta;
      this.fields = spare.fields;
      this.flags = spare.flags;
      this.attached = oldAttached === null ? null : (spare.attached ?? new Array<A | undefined>(size).fill(undefined));
    } else {
      this.keys = new Float64Array(2 * size);
      this.meta = new Int32Array(this.keys.buffer);
      this.fields = new Float64Array(size * this.width);
      this.flags = new Uint8Array(size);
      this.attached = oldAttached === null ? null : new Array<A | undefined>(size).fill(undefined);
    }
    this.mask = size - 1;
    this.used = 0;
    this.moveAll(oldKeys, oldMeta, oldFields, oldFlags, oldAttached);
    if (oldKeys.length === this.keys.length) {
      oldAttached?.fill(undefined);
      this.spare = { keys: oldKeys, meta: oldMeta, fields: oldFields, flags: oldFlags, attached: oldAttached };
    } else this.spare = null;
  }

  /** Places every live entry of the old arrays again, in slot order. (Each loop of a rehash or a sweep is a method of
   *  its own: they run a few dozen times a capture, and a loop sharing a function with code that has not run yet is
   *  deoptimised when it gets there — back to the interpreter for the rest of a 16k-slot pass.) */
  private moveAll(
    oldKeys: Float64Array,
    oldMeta: Int32Array,
    oldFields: Float64Array,
    oldFlags: Uint8Array,
    oldAttached: (A | undefined)[] | null,
  ): void {
    const meta = this.meta;
    const fields = this.fields;
    const flags = this.flags;
    const width = this.width;
    const n = oldKeys.length / 2;
    for (let j = 0; j < n; j++) {
      if (oldMeta[4 * j + TAG] <= 0) continue;
      const i = this.place(oldMeta[4 * j + TAG] - 1, oldKeys[2 * j]);
      meta[4 * i + SEEN] = oldMeta[4 * j + SEEN];
      for (let k = 0; k < width; k++) fields[i * width + k] = oldFields[j * width + k];
      flags[i] = oldFlags[j];
      if (oldAttached !== null) (this.attached as (A | undefined)[])[i] = oldAttached[j];
    }
  }

  /** As AgedRowTable's: evicts about the least recently touched quarter, cutoff from a histogram of stamps. The
   *  slots are read once, their live entries listed in slot order with their stamps; the histogram and the eviction
   *  walk that list (a third of the slots' bytes, and no empty ones) — the same choice as walking the slots. */
  private sweep(): void {
    const excess = sweepExcess(this.count, this.cap);
    if (excess <= 0) return;
    const oldest = this.listLive();
    const buckets = this.histogram;
    const width = stampWidth(this.clock, oldest, buckets);
    this.countStamps(oldest, width);
    // Everything in buckets before the cutoff's goes; from that bucket itself, as many as still needed, in slot order.
    this.evictBefore(cutoffOf(buckets, excess, oldest, width), excess);
  }

  /** Fills liveSlots and liveStamps with the live entries (`count` of them), in slot order; their oldest stamp. */
  private listLive(): number {
    if (this.liveSlots.length < this.count) {
      this.liveSlots = new Int32Array(this.count);
      this.liveStamps = new Int32Array(this.count);
    }
    const meta = this.meta;
    const slots = this.liveSlots;
    const stamps = this.liveStamps;
    let n = 0;
    let oldest = Infinity;
    for (let i = 0; i <= this.mask; i++) {
      if (meta[4 * i + TAG] <= 0) continue;
      const seen = meta[4 * i + SEEN];
      slots[n] = i;
      stamps[n++] = seen;
      if (seen < oldest) oldest = seen;
    }
    return oldest;
  }

  /** The histogram of live stamps, buckets of `width` from `oldest`. */
  private countStamps(oldest: number, width: number): void {
    const stamps = this.liveStamps;
    const buckets = this.histogram;
    const last = buckets.length - 1;
    buckets.fill(0);
    for (let k = 0; k < this.count; k++) buckets[Math.min(last, Math.floor((stamps[k] - oldest) / width))]++;
  }

  /** Evicts up to `budget` entries stamped before `cutoff`, in slot order. */
  private evictBefore(cutoff: number, budget: number): void {
    const meta = this.meta;
    const slots = this.liveSlots;
    const stamps = this.liveStamps;
    const n = this.count;
    for (let k = 0; k < n && budget > 0; k++) {
      if (stamps[k] >= cutoff) continue;
      const i = slots[k];
      const tag = meta[4 * i + TAG];
      meta[4 * i + TAG] = DELETED;
      this.count--;
      this.evicted++;
      budget--;
      this.onEvict?.(i, tag - 1, this.keys[2 * i]);
      if (this.attached !== null) this.attached[i] = undefined;
      // An onEvict that inserts may have rehashed: then the slot is another's, and the new slots have no deleted ones.
      if (this.meta === meta) this.reclaim(i);
    }
  }

  /** As bounded.ts's reclaimSlots, and the freed slots' numbers zeroed: `claim` takes an empty slot's as zero. */
  private reclaim(i: number): void {
    const meta = this.meta;
    const mask = this.mask;
    if (meta[4 * ((i + 1) & mask) + TAG] !== EMPTY) return;
    for (let j = i; meta[4 * j + TAG] === DELETED; j = (j - 1) & mask) {
      meta[4 * j + TAG] = EMPTY;
      meta[4 * j + SEEN] = 0;
      this.fields.fill(0, j * this.width, (j + 1) * this.width);
      this.flags[j] = 0;
      this.used--;
    }
  }
}
