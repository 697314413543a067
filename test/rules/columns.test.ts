import { describe, expect, it } from 'vitest';
import { Columns, FRAME, FrameColumn } from '../../src/rules/columns.js';

const ref = (frame: number) => ({ input: frame % 3, frame, seconds: 1_700_000_000 + frame, nanos: (frame * 7919) % 1e9, time: 1_700_000_000 + frame + ((frame * 7919) % 1e9) / 1e9 });

describe('FrameColumn', () => {
  it('gives back exactly the reference it was given, and nothing for an empty entry', () => {
    const column = new FrameColumn(4);
    expect(column.has(2)).toBe(false);
    column.set(2, ref(123_456_789));
    expect(column.ref(2)).toEqual(ref(123_456_789));
    expect(column.has(2)).toBe(true);
    column.copy(0, column, 2);
    expect(column.ref(0)).toEqual(ref(123_456_789));
    column.clear(2);
    expect(column.has(2)).toBe(false);
    expect(column.ref(2)).toEqual({ input: 0, frame: 0, seconds: 0, nanos: 0, time: 0 });
  });
});

describe('Columns', () => {
  it('keeps every column and frame reference across growth, addressed by row and slot', () => {
    const cols = new Columns({ mac: Float64Array, count: Uint32Array, first: FRAME }, 2, 3);
    for (let row = 0; row < 50; row++) {
      cols.ensure(row);
      for (let j = 0; j < 3; j++) {
        const e = cols.slot(row, j);
        cols.c.mac[e] = 0x020000000000 + row * 3 + j;
        cols.c.count[e] = row + j;
        cols.c.first.set(e, ref(row * 3 + j + 1));
      }
    }
    for (let row = 0; row < 50; row++) {
      for (let j = 0; j < 3; j++) {
        const e = cols.slot(row, j);
        expect([cols.c.mac[e], cols.c.count[e]]).toEqual([0x020000000000 + row * 3 + j, row + j]);
        expect(cols.c.first.ref(e)).toEqual(ref(row * 3 + j + 1));
      }
    }
    expect(cols.capacity).toBeGreaterThanOrEqual(150);
  });

  it('clears a row and shifts entries in every column at once', () => {
    const cols = new Columns({ a: Float64Array, b: Uint8Array, at: FRAME }, 4, 2);
    cols.c.a[cols.slot(1, 1)] = 5;
    cols.c.b[cols.slot(1, 1)] = 6;
    cols.c.at.set(cols.slot(1, 1), ref(9));
    cols.copyEntry(cols.slot(1, 0), cols.slot(1, 1));
    expect([cols.c.a[2], cols.c.b[2], cols.c.at.frame(2)]).toEqual([5, 6, 9]);
    cols.clearRow(1);
    expect([cols.c.a[2], cols.c.a[3], cols.c.b[3], cols.c.at.has(2), cols.c.at.has(3)]).toEqual([0, 0, 0, false, false]);
  });

  it('clears and copies columns of every array type (each type has its own loop)', () => {
    const schema = { f: Float64Array, i: Int32Array, u: Uint32Array, h: Uint16Array, b: Uint8Array, at: FRAME };
    const cols = new Columns(schema, 4);
    const values = { f: 1.5, i: -7, u: 4_000_000_000, h: 65_000, b: 200 };
    const names = Object.keys(values) as (keyof typeof values)[];
    for (const name of names) cols.c[name][2] = values[name];
    cols.c.at.set(2, ref(11));
    cols.copyEntry(3, 2);
    expect(names.map((name) => cols.c[name][3])).toEqual(names.map((name) => values[name]));
    expect(cols.c.at.ref(3)).toEqual(ref(11));
    cols.clearRow(2);
    expect(names.map((name) => cols.c[name][2])).toEqual(names.map(() => 0));
    expect(cols.c.at.has(2)).toBe(false);
    expect(names.map((name) => cols.c[name][3])).toEqual(names.map((name) => values[name]));
  });
});
