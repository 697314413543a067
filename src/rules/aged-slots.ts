// An aged, capped table of number keys for tables probed on every fact (the inventory's hosts and addresses): an
// entry lives in its hash slot — key, tag and stamp side by side, so a probe run and the touch that follows read one
// or two cache lines (AgedRowTable reads the slots, then the row's stamp in another line) — and the owner's numbers
// for it sit side by side in `fields` at the same slot number: one more line, read only on a hit. Slots move when
// the table rehashes, so an entry is named by its slot number only until the next insert.
//
// The slots, their order and the eviction are AgedRowTable's (and AgedNumberTable's) exactly: the same hash and
// linear probing, the same rehash points and sizes, stamps from the same clock, and the same sweep of the least
// recently touched quarter in slot order. Which entries a cap pushes out decides the inventory's host counts, so
// moving a table between them changes no report.

/** Tags of a slot: EMPTY, DELETED, else the part + 1. */
const EMPTY = 0;
const DELETED = -1;
/** Numbers per slot: the key, the tag, the stamp of the last touch. */
const SLOT = 3;
const KEY = 0;
const TAG = 1;
const SEEN = 2;

export class AgedSlots<A = never> {
  /** Slot i is slots[i * SLOT …]: KEY, TAG, SEEN. */
  private slots: Float64Array;
  /** The owner's numbers of slot i: fields[i * width …] (see `fieldsAt`). Read after `insert`. */
  fields: Float64Array;
  /** An object per slot for the few entries that need one (an address's text), or undefined. */
  private attached: (A | undefined)[];
  /** The arrays of the last same-size rehash, reused by the next one. */
  private spare: { slots: Float64Array; fields: Float64Array; attached: (A | undefined)[] } | null = null;
  private mask = 15;
  private count = 0;
  /** Slots in use, deleted ones included (they still lengthen probe runs until the next rehash). */
  private used = 0;
  private clock = 0;
  /** Entries pushed out by the cap since creation. */
  evicted = 0;
  private readonly histogram = new Uint32Array(256);

  constructor(
    readonly cap: number,
    /** Numbers the owner keeps per entry. */
    readonly width: number,
    /** Called for every entry the cap pushes out (its fields still readable at its slot). */
    private readonly onEvict?: (slot: number, part: number, key: number) => void,
  ) {
    this.slots = new Float64Array(16 * SLOT);
    this.fields = new Float64Array(16 * width);
    this.attached = new Array<A | undefined>(16).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  /** The slot of (part, key), or -1. */
  find(part: number, key: number): number {
    const slots = this.slots;
    const tag = part + 1;
    let i = hashPair(part, key) & this.mask;
    for (;;) {
      const t = slots[i * SLOT + TAG];
      if (t === EMPTY) return -1;
      if (t === tag && slots[i * SLOT + KEY] === key) return i;
      i = (i + 1) & this.mask;
    }
  }

  /** Marks an entry as just used. */
  touch(slot: number): void {
    this.slots[slot * SLOT + SEEN] = ++this.clock;
  }

  /** A new entry for (part, key), its fields zeroed, touched; (part, key) must not be in the table. May evict
   *  others (and, with a cap of a few, in principle this one: its slot then reads as deleted). */
  insert(part: number, key: number): number {
    if ((this.used + 1) * 4 > (this.mask + 1) * 3) this.rehash();
    const slot = this.place(part, key);
    this.slots[slot * SLOT + SEEN] = ++this.clock;
    this.count++;
    if (this.count > Math.max(1, this.cap)) this.sweep();
    return slot;
  }

  /** Where the owner's numbers of `slot` start in `fields`. */
  fieldsAt(slot: number): number {
    return slot * this.width;
  }

  attachment(slot: number): A | undefined {
    return this.attached[slot];
  }

  attach(slot: number, value: A | undefined): void {
    this.attached[slot] = value;
  }

  /** Visits every entry in slot order. The visitor must not insert. */
  forEach(visit: (slot: number, part: number, key: number) => void): void {
    const slots = this.slots;
    for (let i = 0; i <= this.mask; i++) if (slots[i * SLOT + TAG] > 0) visit(i, slots[i * SLOT + TAG] - 1, slots[i * SLOT + KEY]);
  }

  /** The first free slot of (part, key)'s probe run, deleted or empty, claimed with its fields zeroed. */
  private place(part: number, key: number): number {
    const slots = this.slots;
    let i = hashPair(part, key) & this.mask;
    while (slots[i * SLOT + TAG] > 0) i = (i + 1) & this.mask;
    if (slots[i * SLOT + TAG] === EMPTY) this.used++;
    else {
      slots[i * SLOT + SEEN] = 0;
      this.fields.fill(0, i * this.width, (i + 1) * this.width);
      this.attached[i] = undefined;
    }
    slots[i * SLOT + KEY] = key;
    slots[i * SLOT + TAG] = part + 1;
    return i;
  }

  /**
   * Grows when live entries fill half the slots; else rebuilds at the same size to drop deleted slots — into the
   * arrays the previous same-size rebuild left, so a table that churns rebuilds without allocating. Entries are
   * placed again in the order of their old slots, as AgedRowTable does.
   */
  private rehash(): void {
    const size = this.count * 2 >= this.mask + 1 ? (this.mask + 1) * 2 : this.mask + 1;
    const { slots: oldSlots, fields: oldFields, attached: oldAttached } = this;
    const spare = this.spare;
    if (spare && spare.slots.length === size * SLOT) {
      spare.slots.fill(0);
      spare.fields.fill(0);
      this.slots = spare.slots;
      this.fields = spare.fields;
      this.attached = spare.attached;
    } else {
      this.slots = new Float64Array(size * SLOT);
      this.fields = new Float64Array(size * this.width);
      this.attached = new Array<A | undefined>(size).fill(undefined);
    }
    this.mask = size - 1;
    this.used = 0;
    this.moveAll(oldSlots, oldFields, oldAttached);
    if (oldSlots.length === this.slots.length) {
      oldAttached.fill(undefined);
      this.spare = { slots: oldSlots, fields: oldFields, attached: oldAttached };
    } else this.spare = null;
  }

  /** Places every live entry of the old arrays again, in slot order. (Each loop of a rehash or a sweep is a method of
   *  its own: they run a few dozen times a capture, and a loop sharing a function with code that has not run yet is
   *  deoptimised when it gets there — back to the interpreter for the rest of a 16k-slot pass.) */
  private moveAll(oldSlots: Float64Array, oldFields: Float64Array, oldAttached: (A | undefined)[]): void {
    const slots = this.slots;
    const fields = this.fields;
    const width = this.width;
    const n = oldSlots.length / SLOT;
    for (let j = 0; j < n; j++) {
      if (oldSlots[j * SLOT + TAG] <= 0) continue;
      const i = this.place(oldSlots[j * SLOT + TAG] - 1, oldSlots[j * SLOT + KEY]);
      slots[i * SLOT + SEEN] = oldSlots[j * SLOT + SEEN];
      for (let k = 0; k < width; k++) fields[i * width + k] = oldFields[j * width + k];
      this.attached[i] = oldAttached[j];
    }
  }

  /** As AgedRowTable's: evicts about the least recently touched quarter, cutoff from a histogram of stamps. */
  private sweep(): void {
    const cap = Math.max(1, this.cap);
    const excess = this.count - (cap - Math.floor(cap / 4));
    if (excess <= 0) return;
    const oldest = this.oldestStamp();
    const buckets = this.histogram;
    const width = Math.max(1, (this.clock + 1 - oldest) / buckets.length);
    this.countStamps(oldest, width);
    let bucket = 0;
    let below = 0;
    while (bucket < buckets.length - 1 && below + buckets[bucket] < excess) below += buckets[bucket++];
    // Everything in buckets before `bucket` goes; from `bucket` itself, as many as still needed, in slot order.
    this.evictBefore(oldest + (bucket + 1) * width, excess);
  }

  private oldestStamp(): number {
    const slots = this.slots;
    let oldest = Infinity;
    for (let at = 0; at < slots.length; at += SLOT) if (slots[at + TAG] > 0 && slots[at + SEEN] < oldest) oldest = slots[at + SEEN];
    return oldest;
  }

  /** The histogram of live stamps, buckets of `width` from `oldest`. */
  private countStamps(oldest: number, width: number): void {
    const slots = this.slots;
    const buckets = this.histogram;
    const last = buckets.length - 1;
    buckets.fill(0);
    for (let at = 0; at < slots.length; at += SLOT) {
      if (slots[at + TAG] <= 0) continue;
      buckets[Math.min(last, Math.floor((slots[at + SEEN] - oldest) / width))]++;
    }
  }

  /** Evicts up to `budget` entries stamped before `cutoff`, in slot order. */
  private evictBefore(cutoff: number, budget: number): void {
    const slots = this.slots;
    for (let i = 0; i <= this.mask && budget > 0; i++) {
      const tag = slots[i * SLOT + TAG];
      if (tag <= 0 || slots[i * SLOT + SEEN] >= cutoff) continue;
      slots[i * SLOT + TAG] = DELETED;
      this.count--;
      this.evicted++;
      budget--;
      this.onEvict?.(i, tag - 1, slots[i * SLOT + KEY]);
      this.attached[i] = undefined;
    }
  }
}

/** AgedRowTable's hash of (part, key), so both tables lay their slots out alike. */
function hashPair(part: number, key: number): number {
  const lo = key >>> 0;
  const hi = (key / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(part + 1, 0x165667b1), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
