// AgedSlots keeps its stamps as int32 beside the key: at 2^31 - 2 touches it restamps (shifts them down, or halves
// them when one is very old). Whichever way, the least recently touched entries must still be the ones a full table
// evicts. 2^31 touches are too many for a test: the clock is set near its limit instead.
import { describe, expect, it } from 'vitest';
import { AgedSlots } from '../../src/rules/aged-slots.js';
import { AgedRowTable } from '../../src/rules/bounded.js';

const LIMIT = 2 ** 31 - 2;

function setClock(table: AgedSlots, clock: number): void {
  (table as unknown as { clock: number }).clock = clock;
}

function present(table: AgedSlots, keys: number[]): number[] {
  return keys.filter((k) => table.find(0, k) >= 0);
}

describe('AgedSlots restamp', () => {
  it('shifts the stamps down when every entry is recent: the least recently touched still go first', () => {
    const table = new AgedSlots(4, 0);
    setClock(table, LIMIT - 8);
    for (const k of [1, 2, 3, 4]) table.insert(0, k);
    // Recency from old to new: 4, 2, 3, 1 — and the clock at its limit after the last touch.
    for (const k of [1, 2, 3, 1]) table.touch(table.find(0, k));
    table.insert(0, 5); // restamps, then is the fifth entry of a table capped at 4: two leave
    expect(table.evicted).toBe(2);
    expect(present(table, [1, 2, 3, 4, 5])).toEqual([1, 3, 5]);
  });

  it('halves the stamps when one is very old: the order survives', () => {
    const table = new AgedSlots(4, 0);
    for (const k of [1, 2, 3, 4]) table.insert(0, k); // stamps 1 … 4
    setClock(table, LIMIT - 1);
    table.touch(table.find(0, 2)); // stamp 2^31 - 2: the next touch restamps
    table.touch(table.find(0, 1)); // 1 is now the newest; 3 and 4 are the oldest
    table.insert(0, 5);
    expect(table.evicted).toBe(2);
    expect(present(table, [1, 2, 3, 4, 5])).toEqual([1, 2, 5]);
  });

  it('keeps counting after a restamp: a later touch still makes an entry the newest', () => {
    const table = new AgedSlots(4, 0);
    setClock(table, LIMIT - 4);
    for (const k of [1, 2, 3, 4]) table.insert(0, k); // the fourth insert reaches the limit
    table.touch(table.find(0, 1)); // restamps, then 1 is the newest
    table.insert(0, 5);
    expect(present(table, [1, 2, 3, 4, 5])).toEqual([1, 4, 5]);
  });
});

describe('AgedSlots eviction', () => {
  // A small deterministic generator (the tests' usual LCG), so a failure replays.
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  it('evicts exactly what AgedRowTable evicts, in the same order: `use` and find/touch/insert alike', () => {
    // The inventory's host counts depend on which entries a cap pushes out, and AgedSlots promises AgedRowTable's
    // choice. Keys above 2^32 and several parts, a cap small enough to sweep hundreds of times, and a key space
    // wide enough that many keys come back after being evicted (re-inserted into deleted slots).
    for (const cap of [1, 7, 100, 1000]) {
      const random = rng(cap);
      const fromSlots: string[] = [];
      const fromRows: string[] = [];
      const byUse = new AgedSlots(cap, 2, (slot, part, key) => fromSlots.push(`${part}/${key}`));
      const byFind = new AgedSlots(cap, 0);
      const rows = new AgedRowTable(cap, { v: Float64Array }, (_row, part, key) => fromRows.push(`${part}/${key}`));
      // Counted, not asserted per step: an expect() per step made the test take seconds.
      let wrong = 0;
      for (let step = 0; step < 20_000; step++) {
        const part = Math.floor(random() * 3);
        const key = Math.floor(random() * cap * 3) * 2 ** 33 + 5;
        const slot = byUse.use(part, key);
        const known = byFind.find(part, key);
        const row = rows.find(part, key);
        if (byUse.added !== row < 0 || known < 0 !== row < 0) wrong++;
        if (row >= 0) {
          rows.touch(row);
          byFind.touch(known);
          // The owner's numbers and flags follow the entry through rehashes.
          if (byUse.fields[byUse.fieldsAt(slot)] !== key % 1000 || byUse.flags[slot] !== (key % 255) + 1) wrong++;
        } else {
          rows.insert(part, key);
          byFind.insert(part, key);
          // A new entry's fields and flags are zero, even in a slot an evicted entry left (unless the cap took it at once).
          if (byUse.find(part, key) === slot) {
            if (byUse.fields[byUse.fieldsAt(slot)] !== 0 || byUse.flags[slot] !== 0) wrong++;
            byUse.fields[byUse.fieldsAt(slot)] = key % 1000;
            byUse.flags[slot] = (key % 255) + 1;
          }
        }
        if (byUse.size !== rows.size || byFind.size !== rows.size) wrong++;
      }
      expect(wrong).toBe(0);
      expect(fromSlots).toEqual(fromRows);
      expect(byUse.evicted).toBe(rows.evicted);
      expect(byFind.evicted).toBe(rows.evicted);
      expect(rows.evicted).toBeGreaterThan(cap);
    }
  });
});
