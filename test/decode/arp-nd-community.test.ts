// RFC 9047 §3.1: the EVPN ARP/ND extended community (type 0x06, sub-type 0x08), flags |0 0 0 0 I 0 O R|.
import { describe, expect, it } from 'vitest';
import { decodeExtCommunity } from '../../src/decode/bgp/ext-community.js';

const community = (flags: number) => Buffer.from([0x06, 0x08, flags, 0, 0, 0, 0, 0]);

describe('ARP/ND extended community (RFC 9047)', () => {
  it.each([
    [0x00, { router: false, override: false, immutable: false }, 'arp-nd'],
    [0x01, { router: true, override: false, immutable: false }, 'arp-nd R'],
    [0x02, { router: false, override: true, immutable: false }, 'arp-nd O'],
    [0x0b, { router: true, override: true, immutable: true }, 'arp-nd R O I'],
  ])('flags 0x%s', (flags, want, text) => {
    const c = decodeExtCommunity(community(flags), 0);
    expect(c.kind).toBe('arp-nd');
    expect({ router: c.router, override: c.override, immutable: c.immutable }).toEqual(want);
    expect(c.value).toBe(text);
  });

  it('is not confused with the MAC Mobility community (sub-type 0x00) of the same type', () => {
    expect(decodeExtCommunity(Buffer.from([0x06, 0x00, 0x01, 0, 0, 0, 0, 7]), 0).kind).toBe('mac-mobility');
  });
});
