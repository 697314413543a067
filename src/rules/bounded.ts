// A Map with a size cap and oldest-first eviction: the one container rule state lives in, so no rule can grow
// without limit on a long capture. Insertion order is age order; `touch` moves a key to the young end (LRU).

export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  /** How many entries were pushed out by the cap (not by aging) since creation. */
  evicted = 0;

  constructor(
    readonly cap: number,
    /** Called for every entry that leaves by the cap or by `expireWhile` — rules decide there what it meant. */
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Inserts or replaces (keeping the entry's age position when it exists); evicts the oldest beyond the cap. */
  set(key: K, value: V): void {
    this.map.set(key, value);
    while (this.map.size > Math.max(1, this.cap)) {
      const oldest = this.map.keys().next().value as K;
      const old = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.evicted++;
      this.onEvict?.(oldest, old);
    }
  }

  /** Marks an entry as the youngest. */
  touch(key: K, value: V): void {
    this.map.delete(key);
    this.set(key, value);
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Removes entries from the old end while `isExpired` says so; each goes through onEvict. */
  expireWhile(isExpired: (key: K, value: V) => boolean): void {
    for (const [key, value] of this.map) {
      if (!isExpired(key, value)) return;
      this.map.delete(key);
      this.onEvict?.(key, value);
    }
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  /** Drains everything (oldest first) through onEvict — for end(). */
  flush(): void {
    for (const [key, value] of this.map) {
      this.map.delete(key);
      this.onEvict?.(key, value);
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
