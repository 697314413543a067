// The double-arithmetic timestamp paths must equal exact BigInt arithmetic for every count and resolution.
import { describe, expect, it } from 'vitest';
import { setPcapngTime, setPcapTime, timeResolution } from '../../src/capture/timestamp.js';

function reference(high: number, low: number, tsresol: number): [number, number] {
  const count = (BigInt(high) << 32n) | BigInt(low);
  const exponent = BigInt(tsresol & 0x7f);
  const units = tsresol & 0x80 ? 1n << exponent : 10n ** exponent;
  const nanos = ((count % units) * 1_000_000_000n) / units; // rounds down
  return [Number(count / units), Number(nanos)];
}

/** Deterministic xorshift, so a failure reproduces. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const resolutions = [0, 1, 3, 6, 9, 10, 12, 0x80 | 1, 0x80 | 8, 0x80 | 10, 0x80 | 11, 0x80 | 20, 0x80 | 22, 0x80 | 23, 0x80 | 30, 0x80 | 63];
const edges = [0, 1, 0xffff, 0x10000, 0xfffff, 0x100000, 0x1fffff, 0x3b9ac9ff, 0x3b9aca00, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

describe('setPcapngTime equals exact arithmetic', () => {
  for (const tsresol of resolutions) {
    it(`if_tsresol 0x${tsresol.toString(16)}`, () => {
      const next = random(tsresol + 7);
      const pairs: Array<[number, number]> = [];
      for (const h of edges) for (const l of edges) pairs.push([h, l]);
      for (let i = 0; i < 3000; i++) pairs.push([next() >>> (next() % 32), next()]);
      const res = timeResolution(tsresol);
      const out = { seconds: 0, nanos: 0 };
      for (const [high, low] of pairs) {
        setPcapngTime(out, high, low, res, 0);
        const [seconds, nanos] = reference(high, low, tsresol);
        if (out.seconds !== seconds || out.nanos !== nanos) {
          expect({ high, low, seconds: out.seconds, nanos: out.nanos }).toEqual({ high, low, seconds, nanos });
        }
      }
    });
  }

  it('adds a negative if_tsoffset', () => {
    const out = { seconds: 0, nanos: 0 };
    setPcapngTime(out, 0, 1_500_000, timeResolution(6), -10);
    expect(out).toEqual({ seconds: -9, nanos: 500_000_000 });
  });
});

describe('setPcapTime', () => {
  it.each([
    // [seconds, fraction, ns per unit, want seconds, want nanos, invalid]
    [0, 1000, 1, 0, 1000, false],
    [5, 999_999, 1000, 5, 999_999_000, false],
    [5, 1_000_000, 1000, 6, 0, true],
    [5, 0xffffffff, 1000, 5 + 4294, 967_295_000, true],
    [0xffffffff, 999_999_999, 1, 0xffffffff, 999_999_999, false],
    [0xffffffff, 0xffffffff, 1, 0xffffffff + 4, 294_967_295, true],
  ])('(%i s, fraction %i, ×%i) → %i s %i ns', (seconds, fraction, scale, wantSeconds, wantNanos, invalid) => {
    const out = { seconds: 0, nanos: 0 };
    expect(setPcapTime(out, seconds, fraction, scale)).toBe(invalid);
    expect(out).toEqual({ seconds: wantSeconds, nanos: wantNanos });
    // Carrying keeps the value the file encodes.
    expect(BigInt(out.seconds) * 1_000_000_000n + BigInt(out.nanos)).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(fraction * scale));
  });
});
