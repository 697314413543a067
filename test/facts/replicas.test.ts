// Head-end replication (issue 11 §2): copies of one inner frame in one VNI, microseconds apart, are one frame for
// the rules; a host repeating its request a second later, or the same bytes in another VNI, are not copies.
import { describe, expect, it } from 'vitest';
import { ReplicaWindow } from '../../src/facts/extract.js';

const frame = (fill: number) => Buffer.concat([Buffer.alloc(14, 0xee), Buffer.alloc(28, fill)]);

describe('ReplicaWindow', () => {
  const cases: { name: string; second: { bytes: Buffer; domain: number; dt: number }; copy: boolean }[] = [
    { name: 'the same inner bytes in the same VNI 20 µs later: a replicated copy', second: { bytes: frame(1), domain: 3, dt: 0.00002 }, copy: true },
    { name: 'the same bytes a second later: the host asked again', second: { bytes: frame(1), domain: 3, dt: 1 }, copy: false },
    { name: 'the same bytes in another VNI: another broadcast domain', second: { bytes: frame(1), domain: 4, dt: 0.00002 }, copy: false },
    { name: 'different bytes at once: another frame', second: { bytes: frame(2), domain: 3, dt: 0.00002 }, copy: false },
    { name: 'a frame one byte longer: another frame', second: { bytes: Buffer.concat([frame(1), Buffer.alloc(1)]), domain: 3, dt: 0.00002 }, copy: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = new ReplicaWindow();
      expect(w.seen(frame(1), 14, 3, 100)).toBe(false);
      expect(w.seen(c.second.bytes, 14, c.second.domain, 100 + c.second.dt)).toBe(c.copy);
    });
  }

  it('only the inner frame counts: copies behind different outer headers are still copies', () => {
    const w = new ReplicaWindow();
    const inner = frame(7);
    const viaA = Buffer.concat([Buffer.alloc(54, 0xa1), inner]);
    const viaB = Buffer.concat([Buffer.alloc(54, 0xb2), inner]);
    expect(w.seen(viaA, 54, 3, 5)).toBe(false);
    expect(w.seen(viaB, 54, 3, 5.00001)).toBe(true);
  });
});
