// MPLS label stacks (RFC 3032) and what follows the bottom of stack (RFC 4385/4448, Wireshark's first-nibble rule):
// a golden table from a real capture, built pseudowires with and without control word, stacks too deep, malformed.
import { describe, expect, it } from 'vitest';
import { arpFrame, ipv4, tcp } from '../../fixtures/builder/packet.js';
import { greFrame, mpls, mplsFrame } from '../../fixtures/builder/tunnels.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_ARP, INTEREST_BGP, MAX_MPLS_DEPTH, MAX_MPLS_LABELS, NOT_OPENED_TUNNEL, TUNNEL_LAYER_GRE, TUNNEL_LAYER_MPLS, TUNNEL_MPLS } from '../../src/decode/types.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // zeek__mixed-vlan-mpls.pcap #1: one label (29, bottom of stack), then IPv4 (first nibble 4) carrying TCP.
    // 000c  88 47 | 00 01 dd ff | 45 c0 00 2c …
    name: 'one label then IPv4 (real)',
    hex: '003096e6fc3900309605283888470001ddff45c0002c00000000ff06a4e70a0102010a2200012af9001798320ffb0000000060021020a240000002040218',
    want: {
      layers: [
        { proto: 'eth', etherType: 0x8847 },
        { proto: 'mpls', labels: [29], labelCount: 1 },
        { proto: 'ipv4', src: '10.1.2.1', dst: '10.34.0.1', protocol: 6 },
        { proto: 'tcp', srcPort: 11001, dstPort: 23 },
      ],
    },
  },
];

const arpReq = arpFrame({ opcode: 1, senderMac: '52:54:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.254' });
// A pseudowire frame whose destination MAC starts with nibble 0 (a Cisco MAC): without CW it must still be Ethernet.
const arpToCisco = arpFrame({ opcode: 2, senderMac: '52:54:00:00:00:01', senderIp: '10.0.0.1', targetMac: '00:00:0c:07:ac:0a', targetIp: '10.0.0.254' });

describe('MPLS decoder', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  const PAYLOADS: [string, Buffer, boolean, boolean][] = [
    // name, frame, arp reached, control word seen
    ['Ethernet pseudowire with control word', mplsFrame({ labels: [24, 1001], controlWord: true, payload: arpReq }), true, true],
    ['Ethernet pseudowire without control word (broadcast dst)', mplsFrame({ labels: [1001], payload: arpReq }), true, false],
    ['Ethernet pseudowire without control word, dst 00:00:0c…', mplsFrame({ labels: [1001], payload: arpToCisco }), true, false],
    ['Ethernet pseudowire with control word, dst 00:00:0c…', mplsFrame({ labels: [1001], controlWord: true, payload: arpToCisco }), true, true],
  ];
  for (const [name, bytes, arpSeen, cw] of PAYLOADS) {
    it(name, () => {
      const result = new FrameDecoder().decode(bytes, 1);
      const inner = result.root.inner!;
      expect(inner.tunnel.kind).toBe(TUNNEL_MPLS);
      expect(inner.arp.present).toBe(arpSeen);
      expect(inner.tunnel.controlWord).toBe(cw);
      expect(result.root.interest & INTEREST_ARP).toBe(INTEREST_ARP);
      expect(codes(result)).toEqual([]);
    });
  }

  it('BGP between PEs across the core: labels kept, the segment flagged for the BGP reassembler', () => {
    const seg = tcp({ srcPort: 179, dstPort: 50000, seq: 1, ack: 1, flags: 0x18, payload: Buffer.alloc(19, 0xff) });
    const result = new FrameDecoder().decode(mplsFrame({ labels: [16, 299, 24001], payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, payload: seg }) }), 1);
    const inner = result.root.inner!;
    expect(Array.from(inner.tunnel.labels.subarray(0, 3))).toEqual([16, 299, 24001]);
    expect(inner.tunnel.id).toBe(24001);
    expect(inner.tcp.present).toBe(true);
    expect(result.root.interest & INTEREST_BGP).toBe(INTEREST_BGP);
  });

  it('MPLS inside GRE keeps both headers in the description', () => {
    const result = new FrameDecoder().decode(greFrame({ protocol: 0x8847, payload: mpls({ labels: [100], payload: ipv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 17, payload: Buffer.alloc(8) }) }) }), 1);
    const t = result.root.inner!.tunnel;
    expect(t.kind).toBe(TUNNEL_MPLS);
    expect(t.layers).toBe(TUNNEL_LAYER_GRE | TUNNEL_LAYER_MPLS);
  });

  it(`counts every label but keeps ${MAX_MPLS_LABELS}; more than ${MAX_MPLS_DEPTH} without bottom is mpls.too-deep`, () => {
    const labels = Array.from({ length: 12 }, (_, i) => 100 + i);
    const deep = new FrameDecoder().decode(mplsFrame({ labels, payload: ipv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 17, payload: Buffer.alloc(8) }) }), 1);
    expect(deep.root.inner!.tunnel.labelCount).toBe(12);
    expect(Array.from(deep.root.inner!.tunnel.labels)).toEqual(labels.slice(0, MAX_MPLS_LABELS));
    const endless = Array.from({ length: MAX_MPLS_DEPTH + 2 }, () => 5);
    expect(codes(new FrameDecoder().decode(mplsFrame({ labels: endless, noBottom: true, payload: Buffer.alloc(8) }), 1))).toEqual(['mpls.too-deep']);
  });

  it('a pseudowire associated channel (first nibble 1) is a tunnel not opened', () => {
    const result = new FrameDecoder().decode(mplsFrame({ labels: [13], payload: Buffer.from('10000007deadbeef', 'hex') }), 1);
    expect(result.notOpened).toBe(NOT_OPENED_TUNNEL);
    expect(codes(result)).toEqual([]);
  });

  const MALFORMED: [string, Buffer, string][] = [
    ['stack runs past the captured frame', mplsFrame({ labels: [16], noBottom: true, payload: Buffer.alloc(2) }), 'mpls.truncated'],
    ['nothing after the bottom of stack', mplsFrame({ labels: [16], payload: Buffer.alloc(0) }), 'mpls.truncated'],
    ['control word cut', mplsFrame({ labels: [16], payload: Buffer.from('00', 'hex') }), 'mpls.truncated'],
  ];
  for (const [name, bytes, code] of MALFORMED) {
    it(`malformed: ${name} → ${code}`, () => {
      expect(codes(new FrameDecoder().decode(bytes, 1))).toContain(code);
    });
  }
});
