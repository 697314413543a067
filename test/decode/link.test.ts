// Ethernet II, 802.3/LLC/SNAP, VLAN stacks and the Linux cooked link types.
import { describe, expect, it } from 'vitest';
import { ethernet, linuxSll } from '../../fixtures/builder/packet.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { MAX_VLAN_TAGS } from '../../src/decode/types.js';
import { checkGolden, codes, decodeHex, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // 0000  ff ff ff ff ff ff 52 54 00 12 34 56 00 24 aa aa   802.3 length 36, LLC DSAP/SSAP AA
    // 0010  03 00 00 00 08 06 00 01 08 00 06 04 00 01 52 54   UI, OUI 000000, SNAP type 0806
    // 0020  00 12 34 56 0a 00 00 01 00 00 00 00 00 00 0a 00
    // 0030  00 fe
    name: 'LLC/SNAP carrying ARP',
    hex: 'ffffffffffff5254001234560024aaaa03000000080600010800060400015254001234560a0000010000000000000a0000fe',
    want: {
      layers: [
        { proto: 'eth', etherType: 0x0806, llc: true },
        { proto: 'arp', opcode: 1, senderIp: '10.0.0.1', targetIp: '10.0.0.254' },
      ],
    },
  },
  {
    // STP BPDU: 802.3 length 38, LLC 42 42 03 — recognised, not followed.
    name: 'LLC without SNAP (STP) is recognised and skipped',
    hex: '0180c20000005254001234560026424203' + '0000000000'.repeat(7),
    want: { layers: [{ proto: 'eth', etherType: 0, llc: true }] },
  },
  {
    // 0000  00 00 00 01 00 06 52 54 00 12 34 56 00 00 08 06   SLL: outgoing? type 0, ARPHRD_ETHER, addr len 6
    // 0010  00 01 08 00 06 04 00 01 …
    name: 'Linux SLL: source MAC from the header, protocol as EtherType',
    linkType: 113,
    hex: '0000000100065254001234560000080600010800060400015254001234560a0000010000000000000a0000fe',
    want: {
      layers: [
        { proto: 'eth', src: '52:54:00:12:34:56', dst: '00:00:00:00:00:00', etherType: 0x0806 },
        { proto: 'arp', opcode: 1, targetIp: '10.0.0.254' },
      ],
    },
  },
  {
    // 0000  08 00 00 00 00 00 00 01 00 01 00 06 52 54 00 12   SLL2: protocol 0800, ifindex 1, ARPHRD_ETHER
    // 0010  34 56 00 00 45 00 00 1d …
    name: 'Linux SLL2 with IPv4/UDP',
    linkType: 276,
    hex: '08000000000000010001000652540012345600004500001d00000000401166ce0a0000010a00000203e800350009000071',
    want: {
      layers: [
        { proto: 'eth', src: '52:54:00:12:34:56', etherType: 0x0800 },
        { proto: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, ttl: 64 },
        { proto: 'udp', srcPort: 1000, dstPort: 53 },
      ],
    },
  },
  {
    name: 'raw IP link (101), version from the first nibble',
    linkType: 101,
    hex: '4500001d00000000401166ce0a0000010a00000203e800350009000071',
    want: { layers: [{ proto: 'ipv4', src: '10.0.0.1' }, { proto: 'udp', dstPort: 53 }] },
  },
  {
    name: 'LINKTYPE_IPV4 (228)',
    linkType: 228,
    hex: '4500001d00000000401166ce0a0000010a00000203e800350009000071',
    want: { layers: [{ proto: 'ipv4', dst: '10.0.0.2' }, { proto: 'udp', srcPort: 1000 }] },
  },
  {
    name: 'legacy QinQ TPIDs 0x9100 and 0x9200',
    hex: 'ffffffffffff525400123456' + '9100' + '0064' + '9200' + '00c8' + '8100' + '012c' + '88b5' + '00',
    want: {
      layers: [
        { proto: 'eth', etherType: 0x88b5 },
        { proto: 'vlan', id: 100, tpid: 0x9100 },
        { proto: 'vlan', id: 200, tpid: 0x9200 },
        { proto: 'vlan', id: 300, tpid: 0x8100 },
      ],
    },
  },
];

describe('link layers', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('accepts MAX_VLAN_TAGS tags and flags one more as vlan.too-deep', () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
    const ok = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', vlans: tags(MAX_VLAN_TAGS), etherType: 0x88b5, payload: Buffer.alloc(4) });
    const deep = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', vlans: tags(MAX_VLAN_TAGS + 1), etherType: 0x88b5, payload: Buffer.alloc(4) });
    const decoder = new FrameDecoder();
    const a = decoder.decode(ok, 1);
    expect(a.root.vlanCount).toBe(MAX_VLAN_TAGS);
    expect(a.anomalies).toEqual([]);
    const b = decoder.decode(deep, 1);
    expect(b.root.vlanCount).toBe(MAX_VLAN_TAGS);
    expect(codes(b)).toEqual(['vlan.too-deep']);
  });

  it('reports unsupported link types without decoding', () => {
    const result = decodeHex('00'.repeat(40), 147);
    expect(result.unsupportedLinkType).toBe(true);
    expect(result.root.hasEthernet).toBe(false);
    expect(result.anomalies).toEqual([]);
  });

  it('SLL with a non-Ethernet ARPHRD has no MAC', () => {
    const bytes = linuxSll({ src: '02:00:00:00:00:01', protocol: 0x0800, payload: Buffer.from('4500001d00000000401166ce0a0000010a00000203e800350009000071', 'hex') });
    bytes.writeUInt16BE(772, 2); // ARPHRD_LOOPBACK
    const result = new FrameDecoder().decode(bytes, 113);
    expect(result.root.hasEthernet).toBe(false);
    expect(result.root.ip.version).toBe(4);
  });

  it('reuses the result and fully resets it between frames', () => {
    const decoder = new FrameDecoder();
    const first = decoder.decode(Buffer.from(GOLDEN[0].hex, 'hex'), 1);
    expect(first.root.arp.present).toBe(true);
    const second = decoder.decode(Buffer.from('4500001d00000000401166ce0a0000010a00000203e800350009000071', 'hex'), 101);
    expect(second).toBe(first);
    expect(second.root.arp.present).toBe(false);
    expect(second.root.llc).toBe(false);
    expect(second.root.hasEthernet).toBe(false);
    expect(second.root.udp.present).toBe(true);
  });
});
