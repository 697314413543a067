// AgedSlots keeps its stamps as int32 beside the key: at 2^31 - 2 touches it restamps (shifts them down, or halves
// them when one is very old). Whichever way, the least recently touched entries must still be the ones a full table
// evicts. 2^31 touches are too many for a test: the clock is set near its limit instead.
import { describe, expect, it } from 'vitest';
import { AgedSlots } from '../../src/rules/aged-slots.js';

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
