// The fixture builder produces exactly the bytes the golden tables were written from.
import { describe, expect, it } from 'vitest';
import { internetChecksum, ipv6Bytes } from '../../fixtures/builder/packet.js';
import { GOOD_FRAMES } from './frames.js';

const GOLDEN_HEX: Record<string, string> = {
  'arp request': 'ffffffffffff525400123456080600010800060400015254001234560a0000010000000000000a0000fe',
  'arp reply in 802.1ad + 802.1Q': '52540012345600000c07ac0a88a8a064810017d10806000108000604000200000c07ac0a0a0000fe5254001234560a000001',
  'hsrp v1 hello in vlan 10':
    '01005e00000200000c07ac0a8100000a080045000030000000000111cfb90a000002e000000207c107c1001c0000000010030a6e0a00636973636f0000000a0000fe',
  'vxlan arp reply in vlan 40':
    '0200000000020200000000018100002808004500004e000000004011f69bc0000201c0000202c00012b5003a0000080000000013890052540012345600000c07ac0a0806000108000604000200000c07ac0a0a0000fe5254001234560a000001',
  'vrrp v2': '01005e00001200005e00010708004500002c00000000ff70d14c0a010002e00000122107c802000100000a0100010a0100640000000000000000',
  'sll arp': '0000000100065254001234560000080600010800060400015254001234560a0000010000000000000a0000fe',
  'llc/snap arp': 'ffffffffffff5254001234560024aaaa03000000080600010800060400015254001234560a0000010000000000000a0000fe',
};

describe('fixture packet builder', () => {
  for (const [name, hex] of Object.entries(GOLDEN_HEX)) {
    it(`builds "${name}" byte for byte`, () => {
      const frame = GOOD_FRAMES.find((f) => f.name === name);
      expect(frame?.bytes.toString('hex')).toBe(hex);
    });
  }

  it('writes a valid IPv4 header checksum (sum over the header is 0)', () => {
    const frame = GOOD_FRAMES.find((f) => f.name === 'hsrp v1 hello in vlan 10')!;
    expect(internetChecksum(frame.bytes.subarray(18, 38))).toBe(0);
  });

  it('parses IPv6 text forms', () => {
    expect(ipv6Bytes('::').toString('hex')).toBe('0'.repeat(32));
    expect(ipv6Bytes('fe80::1').toString('hex')).toBe('fe800000000000000000000000000001');
    expect(ipv6Bytes('::ffff:10.0.0.1').toString('hex')).toBe('00000000000000000000ffff0a000001');
    expect(() => ipv6Bytes('1::2::3')).toThrow();
  });
});
