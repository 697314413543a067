// The rule tables: a seeded random workload against a plain Map as the oracle (get/set/delete/removeIf across
// rehashes and deleted slots), and the cap: a sweep evicts the least recently touched, through onEvict.
import { describe, expect, it } from 'vitest';
import { AgedNumberTable, AgedRowTable, AgedTable, EvidenceLog, HeadTail, PagedArray, RowPool, TextInterner } from '../../src/rules/bounded.js';

interface Entry {
  seen: number;
  id: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

for (const [name, make] of [
  ['AgedNumberTable', (cap: number, onEvict?: (v: Entry, part: number, key: number) => void) => new AgedNumberTable<Entry>(cap, onEvict)],
  ['AgedTable', (cap: number, onEvict?: (v: Entry, part: number, key: number) => void) => new AgedTable<number, Entry>(cap, onEvict)],
] as const) {
  describe(name, () => {
    it('agrees with a Map on a random workload of 48-bit keys in several parts (no cap reached)', () => {
      const table = make(1_000_000);
      const oracle = new Map<string, Entry>();
      const random = rng(7);
      for (let i = 0; i < 20_000; i++) {
        const part = Math.floor(random() * 5);
        // Few distinct keys so that deletes and re-inserts hit the same slots; MAC-sized numbers.
        const key = 0x020000000000 + Math.floor(random() * 3000) * 0x10001;
        const id = `${part}/${key}`;
        const op = random();
        if (op < 0.5) {
          const entry = { seen: 0, id: i };
          table.set(part, key, entry);
          oracle.set(id, entry);
        } else if (op < 0.8) {
          expect(table.delete(part, key)).toBe(oracle.delete(id));
        } else {
          expect(table.get(part, key)).toBe(oracle.get(id));
        }
        if (i % 5_000 === 0) {
          table.removeIf((v) => v.id % 7 === 0);
          for (const [k, v] of oracle) if (v.id % 7 === 0) oracle.delete(k);
        }
      }
      expect(table.size).toBe(oracle.size);
      let visited = 0;
      table.forEach((value, part, key) => {
        visited++;
        expect(oracle.get(`${part}/${key}`)).toBe(value);
      });
      expect(visited).toBe(oracle.size);
    });

    it('stays correct and seldom rebuilds when every key is deleted soon after it is set', () => {
      const table = make(1_000_000);
      const live: number[] = [];
      for (let key = 1; key <= 30_000; key++) {
        live.push(key * 0x10001);
        table.set(0, key * 0x10001, { seen: 0, id: key });
        if (live.length > 3) expect(table.delete(0, live.shift() as number)).toBe(true);
      }
      expect(table.size).toBe(3);
      expect(live.map((key) => table.get(0, key)?.id)).toEqual([29_998, 29_999, 30_000]);
      // AgedTable (a Map per part) has no slots to rebuild.
      if ('rebuilds' in table) expect(table.rebuilds).toBeLessThan(200);
    });

    it('holds its cap by evicting the least recently touched, each through onEvict', () => {
      const evicted: number[] = [];
      const table = make(100, (v) => evicted.push(v.id));
      const kept: Entry[] = [];
      for (let i = 0; i < 100; i++) {
        const e = { seen: 0, id: i };
        table.set(0, i, e);
        kept.push(e);
      }
      // Touch the first 50 again: the other 50 are now the oldest.
      for (let i = 0; i < 50; i++) table.touch(kept[i]);
      table.set(0, 1000, { seen: 0, id: 1000 });
      expect(table.size).toBeLessThanOrEqual(100);
      expect(evicted.length).toBeGreaterThan(0);
      for (const id of evicted) expect(id).toBeGreaterThanOrEqual(50);
      for (let i = 0; i < 50; i++) expect(table.get(0, i)).toBe(kept[i]);
      for (let i = 0; i < 5000; i++) {
        table.set(1, i, { seen: 0, id: 2000 + i });
        expect(table.size).toBeLessThanOrEqual(100);
      }
    });

    it('drains every entry once and is empty after', () => {
      const table = make(1000);
      for (let i = 0; i < 300; i++) table.set(i % 3, i, { seen: 0, id: i });
      const seen: number[] = [];
      table.drain((v) => seen.push(v.id));
      expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
      expect(table.size).toBe(0);
      expect(table.get(0, 0)).toBeUndefined();
    });
  });
}

describe('AgedRowTable', () => {
  it('agrees with a Map on a random workload (rows keep their numbers across rehashes, removed rows are reused)', () => {
    const random = rng(7);
    const table = new AgedRowTable(1_000_000, { a: Float64Array, b: Float64Array, c: Uint32Array });
    const oracle = new Map<string, number>();
    for (let step = 0; step < 30_000; step++) {
      const part = Math.floor(random() * 3);
      const key = Math.floor(random() * 2000) * 2 ** 33 + Math.floor(random() * 3);
      const name = `${part}/${key}`;
      const row = table.find(part, key);
      expect(row >= 0).toBe(oracle.has(name));
      if (row >= 0) {
        expect(table.c.b[row]).toBe(oracle.get(name));
        expect([table.partOf(row), table.keyOf(row)]).toEqual([part, key]);
        if (random() < 0.4) {
          table.remove(row);
          oracle.delete(name);
        }
      } else {
        const fresh = table.insert(part, key);
        expect([table.c.a[fresh], table.c.b[fresh], table.c.c[fresh]]).toEqual([0, 0, 0]);
        table.c.a[fresh] = 1;
        table.c.b[fresh] = step;
        table.c.c[fresh] = 2;
        oracle.set(name, step);
      }
      expect(table.size).toBe(oracle.size);
    }
  });

  it('reclaims a deleted slot at once where no probe run passes it: a table that churns seldom rebuilds', () => {
    // Requests come and go (a pending-resolution table): each key is inserted, then removed. A deleted slot with
    // an empty one after it ends no probe run, so it is empty again at once; marked deleted instead, it would fill
    // the table and force a clean-up rehash every dozen removals (about 2,000 of them here).
    const table = new AgedRowTable(1_000_000, { v: Float64Array });
    const live: number[] = [];
    for (let key = 1; key <= 30_000; key++) {
      live.push(key * 0x10001);
      table.insert(0, key * 0x10001);
      if (live.length > 3) table.remove(table.find(0, live.shift() as number));
    }
    expect(table.size).toBe(3);
    expect(live.every((key) => table.find(0, key) >= 0)).toBe(true);
    expect(table.rebuilds).toBeLessThan(200);
  });

  it('holds its cap by evicting the least recently touched rows, each through onEvict before reuse', () => {
    const evicted: number[] = [];
    const table = new AgedRowTable(100, { key: Float64Array }, (row, part, key) => {
      expect(table.c.key[row]).toBe(key);
      expect(part).toBe(1);
      evicted.push(key);
    });
    const first = table.insert(1, 0);
    table.c.key[first] = 0;
    for (let key = 1; key < 1000; key++) {
      table.touch(table.find(1, 0));
      const row = table.insert(1, key);
      table.c.key[row] = key;
      expect(table.size).toBeLessThanOrEqual(100);
    }
    expect(table.find(1, 0)).toBeGreaterThanOrEqual(0);
    expect(table.find(1, 999)).toBeGreaterThanOrEqual(0);
    expect(evicted.length).toBe(1000 - table.size);
    expect(evicted).not.toContain(0);
    expect(table.columns.capacity).toBeLessThanOrEqual(101);
  });
});

describe('HeadTail', () => {
  it('keeps the first and the last items and counts them all', () => {
    const h = new HeadTail<number>(3, 2);
    for (let i = 1; i <= 10; i++) h.push(i);
    expect(h.all()).toEqual([1, 2, 3, 9, 10]);
    expect(h.total).toBe(10);
  });
});

describe('EvidenceLog', () => {
  const ref = (frame: number) => ({ input: frame % 3, frame, seconds: 1_700_000_000 + frame, nanos: frame * 1000, time: 1_700_000_000 + frame + frame * 1e-6 });

  for (const [head, tail, pushes] of [[10, 10, 0], [10, 10, 7], [10, 10, 20], [10, 10, 47], [3, 0, 9], [0, 4, 9], [2, 3, 4]] as const) {
    it(`agrees with HeadTail(${head}, ${tail}) after ${pushes} pushes`, () => {
      const log = new EvidenceLog(head, tail, new TextInterner(100));
      const oracle = new HeadTail<{ ref: ReturnType<typeof ref>; role: string }>(head, tail);
      for (let i = 1; i <= pushes; i++) {
        const item = { ref: ref(i), role: `role ${i % 4}` };
        log.push(item.ref, item.role);
        oracle.push(item);
      }
      expect(log.all()).toEqual(oracle.all());
      expect(log.total).toBe(oracle.total);
    });
  }

  it('finds an item among the first ones only', () => {
    const log = new EvidenceLog(2, 2, new TextInterner(100));
    for (let i = 1; i <= 5; i++) log.push(ref(i), 'r');
    expect(log.hasFirst(1 % 3, 1, 'r')).toBe(true);
    expect(log.hasFirst(1 % 3, 1, 'other')).toBe(false);
    expect(log.hasFirst(5 % 3, 5, 'r')).toBe(false);
  });
});

describe('TextInterner', () => {
  it('returns one copy per text and starts over past its cap', () => {
    const interner = new TextInterner(2);
    const a = interner.intern(['claim from ', '02:00:00:00:00:01'].join(''));
    expect(interner.intern(`claim from ${'02:00:00:00:00:01'}`)).toBe(a);
    interner.intern('b');
    interner.intern('c'); // past the cap: started over
    expect(interner.intern('claim from 02:00:00:00:00:01')).toBe('claim from 02:00:00:00:00:01');
  });
});

describe('RowPool', () => {
  it('hands out zeroed rows, reuses released ones and keeps data across growth', () => {
    const pool = new RowPool({ n: Float64Array }, 16, 3);
    const entries = (row: number) => [0, 1, 2].map((j) => pool.c.n[pool.columns.slot(row, j)]);
    const rows = Array.from({ length: 40 }, (_, i) => {
      const row = pool.alloc();
      for (let j = 0; j < 3; j++) pool.c.n[pool.columns.slot(row, j)] = i + 1;
      return row;
    });
    expect(new Set(rows).size).toBe(40);
    expect(pool.size).toBe(40);
    rows.forEach((row, i) => expect(entries(row)).toEqual([i + 1, i + 1, i + 1]));
    pool.release(rows[5]);
    expect(entries(rows[5])).toEqual([0, 0, 0]);
    expect(pool.size).toBe(39);
    const again = pool.alloc();
    expect(again).toBe(rows[5]);
    expect(pool.columns.capacity).toBeLessThanOrEqual(2 * 3 * 40);
  });
});

describe('PagedArray', () => {
  it('agrees with a plain array across pages, with unwritten indices undefined', () => {
    const random = rng(11);
    const paged = new PagedArray<string>();
    const oracle: (string | undefined)[] = [];
    for (let step = 0; step < 20_000; step++) {
      const i = Math.floor(random() * 50_000);
      if (random() < 0.3) {
        paged.set(i, undefined);
        oracle[i] = undefined;
      } else {
        paged.set(i, `v${step}`);
        oracle[i] = `v${step}`;
      }
      const probe = Math.floor(random() * 60_000);
      expect(paged.get(probe)).toBe(oracle[probe]);
    }
    for (let i = 0; i < 60_000; i += 7) expect(paged.get(i)).toBe(oracle[i]);
  });
});
