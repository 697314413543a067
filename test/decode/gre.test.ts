// GRE (RFC 2784/2890) and ERSPAN types I, II, III: golden tables from real captures of ../shared/corpus (hex of
// whole frames, as captured), built frames for what the corpus lacks, malformed tables, the tunnel description.
import { describe, expect, it } from 'vitest';
import { arpFrame } from '../../fixtures/builder/packet.js';
import { erspanFrame, gre, greFrame } from '../../fixtures/builder/tunnels.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import {
  INTEREST_ARP,
  INTEREST_HSRP,
  NOT_OPENED_NONE,
  NOT_OPENED_TUNNEL,
  TUNNEL_ERSPAN,
  TUNNEL_GRE,
  TUNNEL_LAYER_ERSPAN,
  TUNNEL_LAYER_GRE,
} from '../../src/decode/types.js';
import { formatIpv4 } from '../../src/util/net.js';
import { checkGolden, codes, decodeHex, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // tcpdump__erspan-type-i-3.pcap #1: GRE 0x88be without sequence number = ERSPAN type I (no header), ARP in vlan 1.
    // 0022  00 00 88 be | ff ff ff ff ff ff 00 15 fa dc a1 f7 81 00 00 01 08 06 …
    name: 'ERSPAN type I (real): ARP request in vlan 1',
    hex: '8ca982720f12002389bb68df08004500005800000000fe2f8695c0a85a11c0a85a7f000088beffffffffffff0015fadca1f781000001080600010800060400010015fadca1f7c0a85a64000000000000c0a85afd000000000000000000000000000000000000',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '192.168.90.17', protocol: 47 },
        { proto: 'gre', flags: 0, protocol: 0x88be, key: null, sequence: null },
        { proto: 'erspan', type: 'I', from: '192.168.90.17' },
        { proto: 'eth', src: '00:15:fa:dc:a1:f7', dst: 'ff:ff:ff:ff:ff:ff' },
        { proto: 'vlan', id: 1 },
        { proto: 'arp', opcode: 1, senderIp: '192.168.90.100', targetIp: '192.168.90.253' },
      ],
    },
  },
  {
    // tcpdump__erspan-type-ii-2.pcap #1: GRE with the S bit and protocol 0x88be = ERSPAN type II.
    // 0022  10 00 88 be 00 10 95 28 | 10 65 c0 01 00 08 40 65 | 01 00 5e 00 00 02 …
    //       GRE S, seq 1086760      | ver 1 vlan 101, cos 6, session 1; index 0x84065 | the mirrored frame
    name: 'ERSPAN type II (real): HSRPv1 hello, session 1, vlan 101, index 540773',
    hex: '000c29f1581e005056c0000108004500006201284000fc2f74ebc0a8c343c0a8c3c4100088be001095281065c0010008406501005e00000200000c07acfe080045c0003000000000011169310ac86502e000000207c107c1001cd965000010010369fe00636973636f0000000ac86501',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '192.168.195.67' },
        { proto: 'gre', flags: 0x1000, protocol: 0x88be, sequence: 1086760 },
        { proto: 'erspan', type: 'II', session: 1, vlan: 101, cos: 6, truncated: false, index: 540773, from: '192.168.195.67' },
        { proto: 'eth', src: '00:00:0c:07:ac:fe', dst: '01:00:5e:00:00:02' },
        { proto: 'ipv4', src: '10.200.101.2', dst: '224.0.0.2' },
        { proto: 'udp', dstPort: 1985 },
        { proto: 'hsrp', version: 1, state: 'active', group: 254, virtualIp: '10.200.101.1' },
      ],
    },
  },
  {
    // tcpdump__erspan-type-iii-ft-0.pcap #1: GRE 0x22eb, ERSPAN III (ver 2, vlan 20), no platform sub-header.
    name: 'ERSPAN type III (real): ICMP in vlan 20, timestamp and granularity kept',
    hex: '005056acc80cf8c28890d27b08004500008a000000003f2f3d970a1d1e680a1d0b0d000022eb20140000a3595bff00000006005056ac18a0f8c28890d27b810000140800450000549d1240003f016b470a1d0b010a1d14150800269c3fcb00e22264905d0000000015220a0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '10.29.30.104', protocol: 47 },
        { proto: 'gre', protocol: 0x22eb },
        { proto: 'erspan', type: 'III', session: 0, vlan: 20, timestamp: 2740542463, granularity: 3, direction: 'ingress' },
        { proto: 'eth', src: 'f8:c2:88:90:d2:7b' },
        { proto: 'vlan', id: 20 },
        { proto: 'ipv4', src: '10.29.11.1', dst: '10.29.20.21', protocol: 1 },
      ],
    },
  },
  {
    // zeek__tunnels__gre-erspan3-dot1q.pcap #1: ERSPAN III with the O bit: 8-byte platform sub-header (platform id 3).
    name: 'ERSPAN type III (real) with platform sub-header: ICMP in vlan 10',
    hex: '0242ac1f018700aecd0007c708004500009200000000402f1f61ac1f0117ac1f0187000022eb200a000070507e55000000070c00000315f742e80050568b6dc700aecd000cf18100000a080045000054bae6400040011363ac1f0a1fac1f0a02080006ba002b000440b9575e00000000982c020000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '172.31.1.23' },
        { proto: 'gre', protocol: 0x22eb },
        { proto: 'erspan', type: 'III', vlan: 10, platformId: 3 },
        { proto: 'eth', src: '00:ae:cd:00:0c:f1' },
        { proto: 'vlan', id: 10 },
        { proto: 'ipv4', src: '172.31.10.31', protocol: 1 },
      ],
    },
  },
  {
    // zeek__erspan.pcap #5 (plain GRE despite its name): K bit, key 0, 0x6558 transparent Ethernet bridging, ARP.
    name: 'GRE transparent Ethernet bridging with a key (real): ARP request',
    hex: '000c2940d0ad00211c2e4146080045000058d14500003f2f93bf0ac800030ac800e020006558000000000050568208d1005056822b5208060001080006040001005056822b52c0a8450a0050568208d1c0a84502000000000000000000000000000000000000',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '10.200.0.3', dst: '10.200.0.224' },
        { proto: 'gre', flags: 0x2000, protocol: 0x6558, key: 0, sequence: null },
        { proto: 'eth', src: '00:50:56:82:2b:52' },
        { proto: 'arp', opcode: 1, senderIp: '192.168.69.10', targetIp: '192.168.69.2' },
      ],
    },
  },
  {
    // suricata-verify decode-arp-3 arp-encap.pcap #1: GRE protocol 0x0806, ARP directly in GRE (no Ethernet).
    name: 'ARP straight in GRE (real), via the EtherType table',
    hex: '0504030201000001020304058100000608004500003400010000402f74950101010102020202000008060001080006040001bc03585ad5cac0a8011c00000000000000000000',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'vlan', id: 6 },
        { proto: 'ipv4', src: '1.1.1.1', protocol: 47 },
        { proto: 'gre', protocol: 0x0806 },
        { proto: 'arp', opcode: 1, senderMac: 'bc:03:58:5a:d5:ca', senderIp: '192.168.1.28' },
      ],
    },
  },
];

const innerArp = arpFrame({ opcode: 1, senderMac: '52:54:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.254' });

describe('GRE and ERSPAN decoders', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('describes how the inner depth was reached: ERSPAN session 7 from 10.9.9.1, inside GRE', () => {
    const result = new FrameDecoder().decode(erspanFrame({ type: 2, session: 7, vlan: 30, from: '10.9.9.1', inner: innerArp }), 1);
    const inner = result.root.inner!;
    expect(inner.depth).toBe(1);
    expect(inner.tunnel.kind).toBe(TUNNEL_ERSPAN);
    expect(inner.tunnel.layers).toBe(TUNNEL_LAYER_GRE | TUNNEL_LAYER_ERSPAN);
    expect(inner.tunnel.id).toBe(7);
    expect(inner.tunnel.erspanVersion).toBe(2);
    expect(inner.tunnel.erspanVlan).toBe(30);
    expect(formatIpv4(inner.tunnel.outerSrc4)).toBe('10.9.9.1');
    expect(inner.arp.present).toBe(true);
    expect(result.root.interest & INTEREST_ARP).toBe(INTEREST_ARP);
    expect(result.notOpened).toBe(NOT_OPENED_NONE);
  });

  it('ERSPAN III: egress direction, platform id, session; plain GRE: the key is the id', () => {
    const r3 = new FrameDecoder().decode(erspanFrame({ type: 3, session: 1023, inner: innerArp, egress: true, platformId: 5 }), 1);
    const t = r3.root.inner!.tunnel;
    expect([t.erspanVersion, t.id, t.erspanDirection, t.erspanPlatformId]).toEqual([3, 1023, 1, 5]);
    const rg = new FrameDecoder().decode(greFrame({ protocol: 0x6558, key: 0xdeadbeef, sequence: 9, payload: innerArp }), 1);
    const g = rg.root.inner!.tunnel;
    expect([g.kind, g.id, g.greKey, g.greSequence]).toEqual([TUNNEL_GRE, 0xdeadbeef, 0xdeadbeef, 9]);
  });

  it('HSRP inside ERSPAN reaches the outer interest bits (real capture)', () => {
    const result = decodeHex(GOLDEN[1].hex);
    expect(result.root.interest & INTEREST_HSRP).toBe(INTEREST_HSRP);
  });

  const NOT_OPENED: [string, Buffer, string[]][] = [
    ['PPTP enhanced GRE (version 1)', greFrame({ protocol: 0x880b, version: 1, payload: Buffer.alloc(8) }), ['gre.version']],
    ['RFC 1701 routing bit', greFrame({ protocol: 0x0800, flags: 0x4000, payload: Buffer.alloc(8) }), ['gre.routing']],
    ['an unknown GRE protocol (WCCP 0x883e)', greFrame({ protocol: 0x883e, payload: Buffer.alloc(8) }), []],
    ['ERSPAN header version 7', greFrame({ protocol: 0x88be, sequence: 1, payload: Buffer.concat([Buffer.from('7000000100000000', 'hex'), innerArp]) }), ['erspan.bad-version']],
    ['ERSPAN III frame type 5', greFrame({ protocol: 0x22eb, payload: Buffer.concat([Buffer.from('200000010000000000001400', 'hex'), innerArp]) }), ['erspan.frame-type']],
  ];
  for (const [name, bytes, want] of NOT_OPENED) {
    it(`not opened: ${name}`, () => {
      const result = new FrameDecoder().decode(bytes, 1);
      expect(codes(result)).toEqual(want);
      expect(result.notOpened).toBe(NOT_OPENED_TUNNEL);
    });
  }

  const MALFORMED: [string, Buffer, string][] = [
    // The IP payload ends inside GRE's optional fields: the GRE header claims more than IP carries.
    ['key and sequence past the IP payload', greFrame({ protocol: 0x6558, payload: Buffer.alloc(0), flags: 0x3000 }), 'gre.overrun'],
    ['ERSPAN II header cut by IP total length', greFrame({ protocol: 0x88be, sequence: 1, payload: Buffer.alloc(5) }), 'erspan.overrun'],
    ['ERSPAN III header cut by IP total length', greFrame({ protocol: 0x22eb, payload: Buffer.from('2000000100', 'hex') }), 'erspan.overrun'],
    ['ERSPAN III platform sub-header cut', greFrame({ protocol: 0x22eb, payload: Buffer.from('20000001000000000000000101', 'hex') }), 'erspan.overrun'],
    ['GRE payload too short for Ethernet', greFrame({ protocol: 0x6558, payload: Buffer.alloc(6) }), 'eth.overrun'],
  ];
  for (const [name, bytes, code] of MALFORMED) {
    it(`malformed: ${name} → ${code}`, () => {
      expect(codes(new FrameDecoder().decode(bytes, 1))).toContain(code);
    });
  }

  it('a lone GRE header builder round-trips its optional fields', () => {
    expect(gre({ protocol: 0x0800, checksum: 0, key: 1, sequence: 2, payload: Buffer.alloc(0) }).length).toBe(16);
  });
});
