// Geneve (RFC 8926) and VXLAN-GPE: golden tables from real captures of ../shared/corpus, options skipped by length,
// payloads by protocol type / next protocol, the VNI in the inner slot's tunnel description, malformed tables.
import { describe, expect, it } from 'vitest';
import { arpFrame, ipv4, udp } from '../../fixtures/builder/packet.js';
import { geneveFrame, vxlanGpeFrame } from '../../fixtures/builder/tunnels.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { domainText, summarizeFrame } from '../../src/decode/describe.js';
import { INTEREST_ARP, NOT_OPENED_TUNNEL, TUNNEL_GENEVE, TUNNEL_VXLAN_GPE } from '../../src/decode/types.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // suricata-verify geneve-decoder input.pcap #2: Geneve VNI 123, protocol 0x6558, an ARP reply inside.
    // 002a  00 00 65 58 00 00 7b 00 | ba 09 2b 6e f8 be …
    name: 'Geneve VNI 123 (real): Ethernet with an ARP reply',
    hex: '080027ae4d62080027f21d8c08004500004e6eb240004011da84c0a8380cc0a8380b49d017c1003a00000000655800007b00ba092b6ef8be4a7f013ba271080600010800060400024a7f013ba2710a000002ba092b6ef8be0a000001',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '192.168.56.12' },
        { proto: 'udp', dstPort: 6081 },
        { proto: 'geneve', vni: 123, protocol: 0x6558, optionsLength: 0 },
        { proto: 'eth', src: '4a:7f:01:3b:a2:71', dst: 'ba:09:2b:6e:f8:be' },
        { proto: 'arp', opcode: 2, senderIp: '10.0.0.2', targetIp: '10.0.0.1' },
      ],
    },
  },
  {
    // zeek tunnels/geneve-arp.pcap #1: Geneve protocol type 0x0806 — ARP straight in Geneve, no Ethernet header.
    name: 'Geneve VNI 1 (real): ARP without Ethernet',
    hex: '00112233445566778899aabb08004500004000010000401166aa0a0000010a000002303917c1002c11f100000806000001000001080006040001aabbccddeeff0a0000010000000000000a000002',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '10.0.0.1' },
        { proto: 'udp', dstPort: 6081 },
        { proto: 'geneve', vni: 1, protocol: 0x0806 },
        { proto: 'arp', opcode: 1, senderMac: 'aa:bb:cc:dd:ee:ff', senderIp: '10.0.0.1', targetIp: '10.0.0.2' },
      ],
    },
  },
  {
    // tcpdump nsh-over-vxlan-gpe.pcap #1: VXLAN-GPE, VNI 0xffffff, next protocol 4 (NSH): recognised, not opened.
    name: 'VXLAN-GPE (real) carrying NSH: header decoded, payload not opened',
    hex: '00000000000000000000000008004500005c402340004011fc6b7f0000017f00000112b612b6004849f70c000004ffffff0030060201ffffffff0001020112345678000203011234567845000020d4310000ff116647c0a80001c0a8000227104e20000c217874657374',
    want: {
      layers: [{ proto: 'eth' }, { proto: 'ipv4' }, { proto: 'udp', dstPort: 4790 }, { proto: 'vxlan-gpe', vni: 16777215, nextProtocol: 4 }],
    },
  },
];

const innerArp = arpFrame({ opcode: 1, senderMac: '52:54:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.254', vlans: [{ id: 10 }] });

describe('Geneve and VXLAN-GPE decoders', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('Geneve skips options by their length; the VNI is the inner depth\'s id, shown as the domain', () => {
    const options = Buffer.from('0103018011223344' + '0104028000000000aabbccdd', 'hex');
    const result = new FrameDecoder().decode(geneveFrame({ vni: 5001, options, inner: innerArp }), 1);
    const inner = result.root.inner!;
    expect(inner.tunnel.kind).toBe(TUNNEL_GENEVE);
    expect(inner.tunnel.id).toBe(5001);
    expect(inner.tunnel.optionsLength).toBe(20);
    expect(inner.arp.present).toBe(true);
    expect(result.root.interest & INTEREST_ARP).toBe(INTEREST_ARP);
    expect(domainText(result)).toBe('vni 5001 vlan 10');
    expect(summarizeFrame(result)).toBe('Geneve vni 5001: ARP who-has 10.0.0.254 tell 10.0.0.1');
  });

  it('VXLAN-GPE: Ethernet (3), IPv4 (1), P bit clear = Ethernet; the VNI kept', () => {
    const eth = new FrameDecoder().decode(vxlanGpeFrame({ vni: 42, inner: innerArp }), 1);
    expect([eth.root.inner!.tunnel.kind, eth.root.inner!.tunnel.id, eth.root.inner!.arp.present]).toEqual([TUNNEL_VXLAN_GPE, 42, true]);
    const ip = ipv4({ src: '10.2.0.1', dst: '10.2.0.2', protocol: 17, payload: udp({ srcPort: 1, dstPort: 2, payload: Buffer.alloc(2) }) });
    const v4 = new FrameDecoder().decode(vxlanGpeFrame({ vni: 43, nextProtocol: 1, inner: ip }), 1);
    expect([v4.root.inner!.hasEthernet, v4.root.inner!.ip.version]).toEqual([false, 4]);
    const noP = new FrameDecoder().decode(vxlanGpeFrame({ vni: 44, flags: 0x08, nextProtocol: 1, inner: innerArp }), 1);
    expect(noP.root.inner!.arp.present).toBe(true);
  });

  const NOT_OPENED: [string, Buffer, string[]][] = [
    ['Geneve version 1', geneveFrame({ vni: 1, version: 1, inner: innerArp }), ['geneve.bad-version']],
    ['Geneve protocol type 0x894f (NSH)', geneveFrame({ vni: 1, protocol: 0x894f, inner: innerArp }), []],
    ['VXLAN-GPE next protocol 9', vxlanGpeFrame({ vni: 1, nextProtocol: 9, inner: innerArp }), []],
  ];
  for (const [name, bytes, want] of NOT_OPENED) {
    it(`not opened: ${name}`, () => {
      const result = new FrameDecoder().decode(bytes, 1);
      expect(codes(result)).toEqual(want);
      expect(result.notOpened).toBe(NOT_OPENED_TUNNEL);
    });
  }

  const MALFORMED: [string, Buffer, string][] = [
    ['Geneve options longer than the datagram', geneveFrame({ vni: 1, optLenWords: 63, inner: Buffer.alloc(8) }), 'geneve.bad-options-length'],
    ['Geneve header cut by UDP length', geneveFrame({ vni: 1, inner: Buffer.alloc(0) }).subarray(0, 46), 'geneve.truncated'],
    ['VXLAN-GPE header cut', vxlanGpeFrame({ vni: 1, inner: Buffer.alloc(0) }).subarray(0, 46), 'vxlan-gpe.truncated'],
  ];
  for (const [name, bytes, code] of MALFORMED) {
    it(`malformed: ${name} → ${code}`, () => {
      expect(codes(new FrameDecoder().decode(bytes, 1))).toContain(code);
    });
  }
});
