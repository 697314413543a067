// The decoder's preallocated slots must keep their hidden classes whatever values a capture brings: a layer field
// that starts as a small integer is widened by the first MAC, 32-bit address or sequence number above 2^30, which
// deprecates the class and throws away every function optimised for it (the per-packet fact extractor deoptimised
// so a third of the way into the benchmark capture, at its first ARP from 192.168/16). Only V8's natives syntax can
// see a hidden class, so this runs a child node with it.
import { describe, expect, it } from 'vitest';
import { runWithNatives } from '../natives.js';

describe('decoder slot hidden classes', () => {
  it('are the same after small and after large MACs, addresses and sequence numbers', () => {
    expect(runWithNatives(new URL('./slot-shape.mjs', import.meta.url))).toEqual({
      slot: true,
      inner: true,
      arp: true,
      ip: true,
      tcp: true,
      udp: true,
      nd: true,
      hsrp: true,
      tunnel: true,
      values: { src: 0x525400123456, senderIp: 0xc0a80101, outerSrc4: 0xc0a80101 },
    });
  }, 30_000);
});
