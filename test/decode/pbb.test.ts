// 802.1ah PBB (I-tag 0x88e7 after a B-tag, the customer frame in the next depth) and the tags skipped to reach the
// EtherType in the same depth: Cisco VN-Tag (0x8926), 802.1BR E-Tag (0x893f), Arista's timestamp header (0xd28b).
// Golden tables from real captures of ../shared/corpus; E-Tag built (no capture in the corpus has one).
import { describe, expect, it } from 'vitest';
import { arp } from '../../fixtures/builder/packet.js';
import { eTag, taggedFrame, vnTag } from '../../fixtures/builder/tunnels.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { domainText } from '../../src/decode/describe.js';
import { INTEREST_ARP, INTEREST_VRRP, NOT_OPENED_ETHER_TYPE, TUNNEL_PBB } from '../../src/decode/types.js';
import { checkGolden, codes, decodeHex, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // zeek__pbb.pcap #2: B-tag vlan 4051 (TPID 0x8100 in this capture), I-tag I-SID 2014011, customer ARP request.
    // 000c  81 00 4f d3 | 88 e7 00 1e bb 3b | ff ff ff ff ff ff 00 1c eb af 52 05 08 06 …
    name: 'PBB I-SID 2014011 (real): customer ARP request',
    hex: 'c3003a1ebb3b02cccc003a0081004fd388e7001ebb3bffffffffffff001cebaf520508060001080006040001001cebaf52050ac7f5020000000000000ac7f564000000000000000000000000000000000000',
    want: {
      layers: [
        { proto: 'eth', etherType: 0x88e7 },
        { proto: 'vlan', id: 4051 },
        { proto: 'pbb', isid: 2014011 },
        { proto: 'eth', src: '00:1c:eb:af:52:05', dst: 'ff:ff:ff:ff:ff:ff' },
        { proto: 'arp', opcode: 1, senderIp: '10.199.245.2', targetIp: '10.199.245.100' },
      ],
    },
  },
  {
    // zeek__pbb.pcap #4: the same service instance carrying a VRRP advertisement (vrid 51).
    name: 'PBB (real): customer VRRP advertisement',
    hex: 'c3003a1ebb3b02cccc003a008100efd388e7001ebb3b01005e00001200005e000133080045c00028496e0000ff70915b0ac7f502e00000122133c801000a16f80ac7f5010000000000000000000000000000',
    want: {
      layers: [{ proto: 'eth' }, { proto: 'vlan', id: 4051 }, { proto: 'pbb', isid: 2014011 }, { proto: 'eth' }, { proto: 'ipv4', dst: '224.0.0.18' }, { proto: 'vrrp', vrid: 51 }],
    },
  },
  {
    // zeek__vntag_vlan_sandwich_clean.pcap #1: vlan 250, VN-Tag (svif 51), vlan 250 again, IPv4 (TCP cut by snaplen).
    name: 'VN-Tag between two VLAN tags (real)',
    hex: '000000000002000000000001810000fa892600000033810000fa08004500003c000040003a0682480a0a0a010a0a0a0201bbde8026dcf2817b67833fa012ffff6fb500000204',
    want: {
      // The skipped tag is listed after Ethernet: its place among the VLAN tags is not kept.
      layers: [{ proto: 'eth', etherType: 0x0800 }, { proto: 'vntag', svif: 51 }, { proto: 'vlan', id: 250 }, { proto: 'vlan', id: 250 }, { proto: 'ipv4', src: '10.10.10.1' }],
      anomalies: ['tcp.truncated'],
    },
  },
  {
    // tcpdump__arista_ether.pcap #9: Arista header, subtype 1, version 0x0020 (48-bit timestamp), then IPv4.
    name: 'Arista timestamp header, 48-bit (real)',
    hex: '000000000001001122334455d28b00010020ed951815247408004500005200000000403f4dac0a8801200a021718000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d',
    want: { layers: [{ proto: 'eth', etherType: 0x0800 }, { proto: 'arista', subtype: 1, version: 0x20 }, { proto: 'ipv4', src: '10.136.1.32' }] },
  },
  {
    // tcpdump__arista_ether.pcap #2: version 0x0011 — not a version tshark 4.0 or gwcheck knows: not opened.
    name: 'Arista header of an unknown version (real): not opened',
    hex: '000000000001001122334455d28b000100115ceeed5819c38c2c8100006408004500004e00000000403f4db00a8801200a021718000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233343536373839',
    want: { layers: [{ proto: 'eth', etherType: 0xd28b }], anomalies: ['arista.unknown-version'] },
  },
];

describe('PBB, VN-Tag, E-Tag and Arista', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('PBB: the I-SID is the inner depth\'s id and names its domain; interest reaches the backbone frame', () => {
    const a = decodeHex(GOLDEN[0].hex);
    expect(a.root.inner!.tunnel.kind).toBe(TUNNEL_PBB);
    expect(a.root.inner!.tunnel.id).toBe(2014011);
    expect(a.root.interest & INTEREST_ARP).toBe(INTEREST_ARP);
    expect(domainText(a)).toBe('vlan 4051 isid 2014011');
    expect(decodeHex(GOLDEN[1].hex).root.interest & INTEREST_VRRP).toBe(INTEREST_VRRP);
  });

  it('E-Tag (built): skipped to the ARP behind it, E-CID kept', () => {
    const bytes = taggedFrame({ dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:00:00:01', tags: [eTag({ ecid: 12, ingressEcid: 3 })], etherType: 0x0806, payload: arp({ opcode: 1, senderMac: '52:54:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.2' }) });
    const result = new FrameDecoder().decode(bytes, 1);
    expect(result.root.arp.present).toBe(true);
    expect(result.root.portTag.tpid).toBe(0x893f);
    expect(result.root.portTag.value & 0xfff).toBe(12);
  });

  it('the Arista header of an unknown version counts as an EtherType not opened', () => {
    expect(decodeHex(GOLDEN[4].hex).notOpened).toBe(NOT_OPENED_ETHER_TYPE);
  });

  const MALFORMED: [string, Buffer, string][] = [
    ['VN-Tag cut', taggedFrame({ dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:00:00:01', tags: [vnTag({})], etherType: 0x0806, payload: Buffer.alloc(0) }).subarray(0, 17), 'vntag.truncated'],
    ['E-Tag cut', taggedFrame({ dst: 'ff:ff:ff:ff:ff:ff', src: '52:54:00:00:00:01', tags: [eTag({})], etherType: 0x0806, payload: Buffer.alloc(0) }).subarray(0, 19), 'etag.truncated'],
    ['I-tag cut', Buffer.from('ffffffffffff52540000000188e7001e', 'hex'), 'pbb.truncated'],
  ];
  for (const [name, bytes, code] of MALFORMED) {
    it(`malformed: ${name} → ${code}`, () => {
      expect(codes(new FrameDecoder().decode(bytes, 1))).toContain(code);
    });
  }
});
