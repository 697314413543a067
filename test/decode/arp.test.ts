import { describe, expect, it } from 'vitest';
import { checkGolden, codes, decodeHex, type Golden } from './helpers.js';

// Golden frames: hex from the fixture builder (test/decode/frames.ts reproduces them; builder.test.ts checks that).
const GOLDEN: Golden[] = [
  {
    // 0000  ff ff ff ff ff ff 52 54 00 12 34 56 08 06 00 01
    // 0010  08 00 06 04 00 01 52 54 00 12 34 56 0a 00 00 01
    // 0020  00 00 00 00 00 00 0a 00 00 fe
    name: 'request, untagged',
    hex: 'ffffffffffff525400123456080600010800060400015254001234560a0000010000000000000a0000fe',
    want: {
      layers: [
        { proto: 'eth', dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:12:34:56', etherType: 0x0806 },
        {
          proto: 'arp',
          htype: 1,
          ptype: 0x0800,
          opcode: 1,
          senderMac: '52:54:00:12:34:56',
          senderIp: '10.0.0.1',
          targetMac: '00:00:00:00:00:00',
          targetIp: '10.0.0.254',
        },
      ],
    },
  },
  {
    // 0000  52 54 00 12 34 56 00 00 0c 07 ac 0a 88 a8 a0 64   S-tag 0x88a8 pcp 5 vid 100
    // 0010  81 00 17 d1 08 06 00 01 08 00 06 04 00 02 00 00   C-tag 0x8100 dei 1 vid 2001
    // 0020  0c 07 ac 0a 0a 00 00 fe 52 54 00 12 34 56 0a 00
    // 0030  00 01
    name: 'reply in 802.1ad + 802.1Q',
    hex: '52540012345600000c07ac0a88a8a064810017d10806000108000604000200000c07ac0a0a0000fe5254001234560a000001',
    want: {
      layers: [
        { proto: 'eth', etherType: 0x0806 },
        { proto: 'vlan', id: 100, tpid: 0x88a8, pcp: 5, dei: 0 },
        { proto: 'vlan', id: 2001, tpid: 0x8100, pcp: 0, dei: 1 },
        { proto: 'arp', opcode: 2, senderMac: '00:00:0c:07:ac:0a', senderIp: '10.0.0.254', targetIp: '10.0.0.1' },
      ],
    },
  },
  {
    // Ethernet padding after the 28-byte ARP body is not part of ARP: no anomaly.
    name: 'request padded to 60 bytes',
    hex: 'ffffffffffff525400123456080600010800060400015254001234560a0000010000000000000a0000fe' + '00'.repeat(18),
    want: { layers: [{ proto: 'eth' }, { proto: 'arp', opcode: 1, targetIp: '10.0.0.254' }] },
  },
  {
    // hrd 6 (IEEE 802), pro 0x0800, hln 6, pln 4: MAC-48 addresses as on Ethernet (zeek's snap-arp capture).
    name: 'IEEE 802 hardware type carries MAC-48 addresses',
    hex: 'ffffffffffff525400123456080600060800060400015254001234560a0000010000000000000a0000fe',
    want: { layers: [{ proto: 'eth' }, { proto: 'arp', htype: 6, opcode: 1, senderMac: '52:54:00:12:34:56', targetIp: '10.0.0.254' }] },
  },
  {
    // hrd 0x0f (Frame Relay DLCI) with hln 2: bounds-checked, addresses not interpreted.
    name: 'other hardware type is a note, addresses not decoded',
    hex: 'ffffffffffff5254001234560806000f08000204000100010a00000100000a0000fe',
    want: {
      layers: [{ proto: 'eth' }, { proto: 'arp', htype: 15, opcode: 1, senderMac: null, targetIp: null }],
      anomalies: ['arp.non-ethernet'],
    },
  },
  {
    // RARP (EtherType 0x8035, RFC 903) has ARP's layout: opcode 3 request reverse.
    name: 'RARP request',
    hex: 'ffffffffffff525400123456803500010800060400035254001234560000000052540012345600000000',
    want: { layers: [{ proto: 'eth', etherType: 0x8035 }, { proto: 'arp', opcode: 3, senderMac: '52:54:00:12:34:56', targetIp: '0.0.0.0' }] },
  },
  {
    // RFC 826 allows other protocol types; 0x86dd with plen 16 is bounds-checked and skipped.
    name: 'protocol type IPv6 with plen 16 stays within the frame',
    hex: 'ffffffffffff5254001234560806000186dd061000015254001234560a000001' + '00'.repeat(12) + '52540012345600000000' + '00'.repeat(28),
    want: { layers: [{ proto: 'eth' }, { proto: 'arp', htype: 1, ptype: 0x86dd, opcode: 1, senderIp: null }], anomalies: ['arp.non-ethernet'] },
  },
];

const MALFORMED: { name: string; hex: string; code: string }[] = [
  {
    name: 'Ethernet/IPv4 with hlen 8',
    hex: 'ffffffffffff525400123456080600010800080400015254001234560a0000010000000000000a0000fe',
    code: 'arp.bad-hlen',
  },
  {
    name: 'Ethernet/IPv4 with plen 16',
    hex: 'ffffffffffff525400123456080600010800061000015254001234560a0000010000000000000a0000fe',
    code: 'arp.bad-hlen',
  },
  {
    name: 'hlen 255 on an unknown hardware type runs past the frame',
    hex: 'ffffffffffff52540012345608060099080 0ff0400015254001234560a000001'.replace(' ', ''),
    code: 'arp.truncated',
  },
];

describe('ARP decoder', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  for (const m of MALFORMED) {
    it(`malformed: ${m.name} → ${m.code}`, () => {
      const result = decodeHex(m.hex);
      expect(codes(result)).toContain(m.code);
      expect(result.root.arp.ethernetIpv4).toBe(false);
    });
  }

  it('keeps addresses as numbers on the slot', () => {
    const arp = decodeHex(GOLDEN[0].hex).root.arp;
    expect(arp.senderMac).toBe(0x525400123456);
    expect(arp.senderIp).toBe(0x0a000001);
    expect(arp.targetIp).toBe(0x0a0000fe);
    expect(arp.ethernetIpv4).toBe(true);
  });

  it('is not ARP when the EtherType is IPv4 (true negative)', () => {
    const result = decodeHex(GOLDEN[0].hex.replace('08060001', '08000001'));
    expect(result.root.arp.present).toBe(false);
  });
});
