// ICMPv6 and neighbour discovery (RFC 4443, RFC 4861): real frames with tshark 4.0.17's reading, built frames for
// every message and option, VLAN stacks and VXLAN, a malformed table, and RFC 4861 validity (must-flag and
// must-not-flag). The truncation sweep of ND frames is in truncation.test.ts (frames.ts), the fuzz seeds likewise.
import { describe, expect, it } from 'vitest';
import {
  icmpv6,
  icmpv6Raw,
  ipv6MulticastMac,
  naFrame,
  ndFrame,
  ndNa,
  ndNs,
  ndOption,
  ndRa,
  ndRedirect,
  ndRs,
  nsFrame,
  raFrame,
  solicitedNodeIp,
  solicitedNodeMac,
  type NdFrameSpec,
} from '../../fixtures/builder/nd.js';
import { ethernet, ipv4, vxlanFrame } from '../../fixtures/builder/packet.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_ARP, INTEREST_ND, INTEREST_VXLAN, MAX_ND_PREFIXES, type DecodeResult } from '../../src/decode/types.js';
import { formatIpv6 } from '../../src/util/net.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const HOST = '52:54:00:12:34:56';
const GW = '00:00:5e:00:01:01';

// Real frames from ../shared/corpus (a few frames of hex, never whole captures), with what tshark 4.0.17 reads.
const REAL: Golden[] = [
  {
    // tcpdump__icmpv6-ns-nonce.pcap #1 — tshark: type 135, target fe80::546f:f7ff:fee1:f, from :: to
    // ff02::1:ffe1:f, Nonce option 6069604c0aaa, no source link-layer option (a DAD probe, RFC 7527).
    // 0000  33 33 ff e1 00 0f 56 6f f7 e1 00 0f 86 dd 60 00
    // 0010  00 00 00 20 3a ff 00 … 00 ff 02 00 … 01 ff e1 00 0f   hop limit 255, :: → ff02::1:ffe1:f
    // 0036  87 00 56 6e 00 00 00 00 fe 80 … 54 6f f7 ff fe e1 00 0f 0e 01 60 69 60 4c 0a aa
    name: 'real: DAD probe with a nonce (tcpdump icmpv6-ns-nonce #1)',
    hex: '3333ffe1000f566ff7e1000f86dd6000000000203aff00000000000000000000000000000000ff0200000000000000000001ffe1000f8700566e00000000fe80000000000000546ff7fffee1000f0e016069604c0aaa',
    want: {
      layers: [
        { proto: 'eth', dst: '33:33:ff:e1:00:0f' },
        { proto: 'ipv6', src: '::', dst: 'ff02::1:ffe1:f', protocol: 58, ttl: 255 },
        { proto: 'icmpv6', type: 135, code: 0, name: 'ns', target: 'fe80::546f:f7ff:fee1:f', sourceLinkAddr: null, nonce: '6069604c0aaa', valid: true },
      ],
    },
  },
  {
    // zeek__icmp6-nd-options.pcap #2 — tshark: type 136 to ff02::1, target fe80::c000:54ff:fef5:0, R 1 S 0 O 1,
    // target link-layer address c2:00:54:f5:00:00.
    // 0036  88 00 9a bb a0 00 00 00 fe 80 … c0 00 54 ff fe f5 00 00 02 01 c2 00 54 f5 00 00
    name: 'real: unsolicited NA with the R and O flags (zeek icmp6-nd-options #2)',
    hex: '333300000001c20054f5000086dd6e00000000203afffe80000000000000c00054fffef50000ff02000000000000000000000000000188009abba0000000fe80000000000000c00054fffef500000201c20054f50000',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv6', dst: 'ff02::1' },
        {
          proto: 'icmpv6',
          name: 'na',
          target: 'fe80::c000:54ff:fef5:0',
          flags: { router: true, solicited: false, override: true },
          targetLinkAddr: 'c2:00:54:f5:00:00',
          sourceLinkAddr: null,
          valid: true,
        },
      ],
    },
  },
  {
    // zeek__icmp6-nd-options.pcap #3 — tshark: type 134, router lifetime 1800, source link-layer c2:00:54:f5:00:00,
    // MTU 1500, prefix 2001:db8:0:1::/64 (L, A; valid 2592000, preferred 604800); cur hop limit 64.
    // 0036  86 00 c4 fe 40 00 07 08 00 00 00 00 00 00 00 00   hop limit 64, no M/O, lifetime 0x0708
    // 0046  01 01 c2 00 54 f5 00 00 05 01 00 00 00 00 05 dc   SLLA; MTU 1500
    // 0056  03 04 40 c0 00 27 8d 00 00 09 3a 80 00 00 00 00   prefix /64, L A, 2592000, 604800
    // 0066  20 01 0d b8 00 00 00 01 00 00 00 00 00 00 00 00
    name: 'real: RA with SLLA, MTU and a prefix (zeek icmp6-nd-options #3)',
    hex: '333300000001c20054f5000086dd6e00000000403afffe80000000000000c00054fffef50000ff0200000000000000000000000000018600c4fe4000070800000000000000000101c20054f5000005010000000005dc030440c000278d0000093a800000000020010db8000000010000000000000000',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv6', src: 'fe80::c000:54ff:fef5:0' },
        {
          proto: 'icmpv6',
          name: 'ra',
          curHopLimit: 64,
          routerLifetime: 1800,
          managed: false,
          other: false,
          sourceLinkAddr: 'c2:00:54:f5:00:00',
          mtu: 1500,
          prefixes: [{ prefix: '2001:db8:0:1::', length: 64, onLink: true, autonomous: true, valid: 2592000, preferred: 604800 }],
          valid: true,
        },
      ],
    },
  },
  {
    // rusticata__wireshark_samples-test.pcapng #80 — tshark: type 133 from fe80::102b:d3b5:9b19:219e to ff02::2,
    // source link-layer address 48:a1:95:d2:7e:03.
    name: 'real: RS with SLLA (wireshark sample #80)',
    hex: '33330000000248a195d27e0386dd600f381f00103afffe80000000000000102bd3b59b19219eff02000000000000000000000000000285007f1e00000000010148a195d27e03',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv6', dst: 'ff02::2' },
        { proto: 'icmpv6', type: 133, name: 'rs', sourceLinkAddr: '48:a1:95:d2:7e:03', valid: true },
      ],
    },
  },
  {
    // zeek__icmp6-redirect.pcap #1 — tshark: type 137 from fe80::dead; target fe80::cafe, destination fe80::babe.
    name: 'real: Redirect (zeek icmp6-redirect #1)',
    hex: 'ffffffffffff00000000000086dd6000000000283afffe80000000000000000000000000deadfe80000000000000000000000000beef8900593e00000000fe80000000000000000000000000cafefe80000000000000000000000000babe',
    want: {
      layers: [{ proto: 'eth' }, { proto: 'ipv6' }, { proto: 'icmpv6', type: 137, name: 'redirect', target: 'fe80::cafe', destination: 'fe80::babe', valid: true }],
    },
  },
  {
    // zeek__icmp6-neighbor-solicit.pcap #1 — tshark: type 135 to the unicast fe80::beef, target fe80::babe.
    name: 'real: unicast NS, no options (zeek icmp6-neighbor-solicit #1)',
    hex: 'ffffffffffff00000000000086dd6000000000183afffe80000000000000000000000000deadfe80000000000000000000000000beef870024ce00000000fe80000000000000000000000000babe',
    want: { layers: [{ proto: 'eth' }, { proto: 'ipv6' }, { proto: 'icmpv6', name: 'ns', target: 'fe80::babe', sourceLinkAddr: null, valid: true }] },
  },
  {
    // tcpdump__icmpv6.pcap #3 — tshark: type 130 (MLD query) after a hop-by-hop header: ICMPv6 but not ND.
    name: 'real: MLD query behind hop-by-hop is ICMPv6, not ND (tcpdump icmpv6 #3)',
    hex: '333300000001b0a86e0cd4e886dd6000000000240001fe80000000000000b2a86efffe0cd4e8ff0200000000000000000000000000013a000502000001008200623a2710000000000000000000000000000000000000023c0000',
    want: { layers: [{ proto: 'eth' }, { proto: 'ipv6', protocol: 58, ttl: 1 }, { proto: 'icmpv6', type: 130, code: 0, name: 'mld-query' }] },
  },
];

const decoder = new FrameDecoder();
const decode = (bytes: Buffer): DecodeResult => decoder.decode(bytes, 1);
const innermost = (r: DecodeResult) => {
  let f = r.root;
  while (f.inner !== null) f = f.inner;
  return f;
};

function frame(spec: Partial<NdFrameSpec> & Pick<NdFrameSpec, 'message'>): Buffer {
  return ndFrame({ src: HOST, srcIp: 'fe80::2', dstIp: 'ff02::1', ...spec });
}

describe('ICMPv6 decoder: real frames', () => {
  for (const g of REAL) it(g.name, () => checkGolden(g));

  it('sets INTEREST_ND on ND messages only', () => {
    expect(decode(Buffer.from(REAL[0].hex, 'hex')).root.interest).toBe(INTEREST_ND);
    expect(decode(Buffer.from(REAL[6].hex, 'hex')).root.interest).toBe(0);
  });
});

describe('ICMPv6 decoder: built frames, every message and option', () => {
  it('NS for address resolution: target, SLLA, solicited-node group', () => {
    const r = decode(nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1:2:3' }));
    const nd = r.root.nd;
    expect(codes(r)).toEqual([]);
    expect(formatIpv6(r.root.bytes, nd.targetOffset)).toBe('2001:db8::1:2:3');
    expect(formatIpv6(r.root.bytes, r.root.ip.dst6Offset)).toBe('ff02::1:ff02:3');
    expect(r.root.dst).toBe(0x3333ff020003);
    expect(nd.sourceLinkAddr).toBe(0x525400123456);
    expect(nd.targetLinkAddr).toBe(-1);
    expect(nd.mtu).toBe(-1);
    expect(nd.valid && nd.isNd).toBe(true);
  });

  it('NA: flags, TLLA', () => {
    const r = decode(naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST, router: true }));
    const nd = r.root.nd;
    expect([nd.router, nd.solicited, nd.override]).toEqual([true, true, true]);
    expect(nd.targetLinkAddr).toBe(0x00005e000101);
    const r2 = decode(frame({ message: ndNa({ target: '2001:db8::1', override: false }) }));
    expect([r2.root.nd.router, r2.root.nd.solicited, r2.root.nd.override]).toEqual([false, false, false]);
    expect(r2.root.nd.targetLinkAddr).toBe(-1);
  });

  it('RA: every fixed field and option', () => {
    const r = decode(
      raFrame({
        srcMac: GW,
        srcIp: 'fe80::1',
        curHopLimit: 32,
        managed: true,
        other: false,
        routerLifetime: 9000,
        reachableTime: 30000,
        retransTimer: 1000,
        mtu: 9216,
        prefixes: [
          { prefix: '2001:db8:1::', length: 64, valid: 0xffffffff, preferred: 0xffffffff },
          { prefix: '2001:db8:2::', length: 48, onLink: false, autonomous: true, valid: 10, preferred: 5 },
        ],
      }),
    );
    const nd = r.root.nd;
    expect(codes(r)).toEqual([]);
    expect([nd.curHopLimit, nd.managed, nd.otherConfig, nd.routerLifetime, nd.reachableTime, nd.retransTimer]).toEqual([32, true, false, 9000, 30000, 1000]);
    expect(nd.mtu).toBe(9216);
    expect(nd.sourceLinkAddr).toBe(0x00005e000101);
    expect(nd.prefixCount).toBe(2);
    expect(formatIpv6(r.root.bytes, nd.prefixOffsets[1])).toBe('2001:db8:2::');
    expect([nd.prefixLengths[0], nd.prefixFlags[0], nd.prefixValidLifetimes[0], nd.prefixPreferredLifetimes[0]]).toEqual([64, 0xc0, 0xffffffff, 0xffffffff]);
    expect([nd.prefixLengths[1], nd.prefixFlags[1], nd.prefixValidLifetimes[1], nd.prefixPreferredLifetimes[1]]).toEqual([48, 0x40, 10, 5]);
  });

  it(`RA with more than ${MAX_ND_PREFIXES} prefixes: all counted, the first ${MAX_ND_PREFIXES} kept`, () => {
    const prefixes = Array.from({ length: MAX_ND_PREFIXES + 3 }, (_, i) => ({ prefix: `2001:db8:${i + 1}::`, length: 64 }));
    const r = decode(raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, prefixes }));
    expect(r.root.nd.prefixCount).toBe(MAX_ND_PREFIXES + 3);
    expect(formatIpv6(r.root.bytes, r.root.nd.prefixOffsets[MAX_ND_PREFIXES - 1])).toBe(`2001:db8:${MAX_ND_PREFIXES}::`);
    expect(codes(r)).toEqual([]);
  });

  it('RS and Redirect', () => {
    const rs = decode(frame({ dstIp: 'ff02::2', message: ndRs({ sourceLinkAddr: HOST }) }));
    expect([rs.root.nd.type, rs.root.nd.sourceLinkAddr, rs.root.nd.valid]).toEqual([133, 0x525400123456, true]);
    const rd = decode(
      frame({ srcIp: 'fe80::1', dstIp: '2001:db8::2', dst: HOST, message: ndRedirect({ target: 'fe80::3', destination: '2001:db8:5::5', targetLinkAddr: GW }) }),
    );
    const nd = rd.root.nd;
    expect(codes(rd)).toEqual([]);
    expect([formatIpv6(rd.root.bytes, nd.targetOffset), formatIpv6(rd.root.bytes, nd.destinationOffset)]).toEqual(['fe80::3', '2001:db8:5::5']);
    expect(nd.targetLinkAddr).toBe(0x00005e000101);
  });

  it('nonce (RFC 7527, 6 bytes; RFC 3971 allows longer) and unknown options skipped by length', () => {
    const rdnss = ndOption(25, Buffer.concat([Buffer.alloc(6), Buffer.alloc(16, 0x20)])); // RFC 8106, length 3
    const r = decode(
      frame({
        srcIp: '::',
        dstIp: solicitedNodeIp('2001:db8::7'),
        message: ndNs({ target: '2001:db8::7', nonce: Buffer.alloc(14, 0xab), options: [rdnss, ndOption(200, Buffer.alloc(6))] }),
      }),
    );
    expect(codes(r)).toEqual([]);
    expect(r.root.nd.nonceLength).toBe(14);
    expect(r.root.bytes[r.root.nd.nonceOffset]).toBe(0xab);
  });

  it('a later option overwrites nothing it should not: SLLA then TLLA in one message', () => {
    const r = decode(frame({ message: ndNa({ target: 'fe80::2', targetLinkAddr: GW, options: [ndOption(1, Buffer.from('525400123456', 'hex'))] }) }));
    expect([r.root.nd.sourceLinkAddr, r.root.nd.targetLinkAddr]).toEqual([0x525400123456, 0x00005e000101]);
  });

  it('non-ND ICMPv6 (echo): present, not ND, no interest, no anomaly, ND fields untouched by the previous frame', () => {
    decode(raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, mtu: 1500 }));
    const r = decode(frame({ hopLimit: 64, dstIp: '2001:db8::1', dst: GW, message: icmpv6Raw({ type: 128, body: Buffer.from('00010001abcd', 'hex') }) }));
    expect(r.root.nd.present).toBe(true);
    expect(r.root.nd.isNd).toBe(false);
    expect(r.root.nd.type).toBe(128);
    expect(r.root.interest).toBe(0);
    expect(codes(r)).toEqual([]);
  });

  it('a slot reused after an RA starts clean for an NS', () => {
    decode(raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, mtu: 1500, prefixes: [{ prefix: '2001:db8::', length: 64 }] }));
    const nd = decode(nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::9' })).root.nd;
    expect([nd.mtu, nd.sourceLinkAddr, nd.prefixCount, nd.routerLifetime, nd.nonceLength]).toEqual([-1, -1, 0, 0, 0]);
  });

  it('the address helpers', () => {
    expect(solicitedNodeIp('2001:db8::1:2:3')).toBe('ff02::1:ff02:3');
    expect(solicitedNodeMac('2001:db8::1:2:3')).toBe('33:33:ff:02:00:03');
    expect(ipv6MulticastMac('ff02::1')).toBe('33:33:00:00:00:01');
  });
});

describe('ICMPv6 decoder: inside VLAN stacks and VXLAN, like ARP', () => {
  const ns = (vlans?: { id: number; tpid?: number }[]) => nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1', vlans });
  const cases: [string, Buffer, number][] = [
    ['802.1Q', ns([{ id: 100 }]), 1],
    ['802.1ad + 802.1Q', ns([{ id: 100, tpid: 0x88a8 }, { id: 200 }]), 2],
    ['three tags (0x9100 outer)', ns([{ id: 7, tpid: 0x9100 }, { id: 100, tpid: 0x88a8 }, { id: 200 }]), 3],
  ];
  for (const [name, bytes, tags] of cases) {
    it(name, () => {
      const r = decode(bytes);
      expect(r.root.vlanCount).toBe(tags);
      expect(r.root.nd.isNd && r.root.nd.valid).toBe(true);
      expect(r.root.interest).toBe(INTEREST_ND);
      expect(codes(r)).toEqual([]);
    });
  }

  it('inside VXLAN (in a VLAN, the inner frame tagged too): the inner slot, interest propagated outward', () => {
    const r = decode(vxlanFrame({ vni: 10100, vlans: [{ id: 40 }], inner: ns([{ id: 100 }]) }));
    const inner = innermost(r);
    expect(inner.depth).toBe(1);
    expect(inner.vlanIds[0]).toBe(100);
    expect(inner.nd.isNd).toBe(true);
    expect(inner.interest).toBe(INTEREST_ND);
    expect(r.root.nd.present).toBe(false);
    expect(r.root.interest).toBe(INTEREST_VXLAN | INTEREST_ND);
    expect(r.root.interest & INTEREST_ARP).toBe(0);
  });

  it('VXLAN in VXLAN', () => {
    const r = decode(vxlanFrame({ vni: 1, inner: vxlanFrame({ vni: 2, inner: ns() }) }));
    expect(innermost(r).depth).toBe(2);
    expect(innermost(r).nd.type).toBe(135);
    expect(r.root.interest & INTEREST_ND).toBe(INTEREST_ND);
  });
});

// Structural problems: errors, decoding of the message stopped there.
const MALFORMED: { name: string; bytes: Buffer; code: string; isNd: boolean; valid: boolean }[] = [
  {
    name: 'option of length 0',
    bytes: frame({ message: ndRs({ options: [ndOption(1, Buffer.from('525400123456', 'hex'), 0)] }) }),
    code: 'icmpv6.nd-option-zero-length',
    isNd: true,
    valid: false,
  },
  {
    name: 'option claiming 16 bytes where the message has 8 left',
    bytes: frame({ message: ndRs({ options: [ndOption(1, Buffer.from('525400123456', 'hex'), 2)] }) }),
    code: 'icmpv6.nd-option-overrun',
    isNd: true,
    valid: false,
  },
  {
    name: 'one byte of option after the fixed part',
    bytes: frame({ message: ndRs({ options: [Buffer.from([1])] }) }),
    code: 'icmpv6.nd-option-overrun',
    isNd: true,
    valid: false,
  },
  {
    name: 'NS shorter than its 24-byte fixed part (ICMP length 20)',
    bytes: frame({ message: { type: 135, code: 0, body: Buffer.alloc(16) } }),
    code: 'icmpv6.nd-too-short',
    isNd: false,
    valid: false,
  },
  {
    name: 'RA shorter than its 16-byte fixed part',
    bytes: frame({ message: { type: 134, code: 0, body: Buffer.alloc(8) } }),
    code: 'icmpv6.nd-too-short',
    isNd: false,
    valid: false,
  },
  {
    name: 'IPv6 payload length 2: no room for the ICMPv6 header',
    bytes: frame({ message: ndRs(), payloadLength: 2 }),
    code: 'icmpv6.overrun',
    isNd: false,
    valid: false,
  },
];

// Well-formed but a node must discard it (RFC 4861 §6.1, §7.1, §8.1): notes, valid = false, fields still decoded.
const INVALID: { name: string; bytes: Buffer; code: string }[] = [
  { name: 'NS with hop limit 64', bytes: nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1', hopLimit: 64 }), code: 'icmpv6.nd-bad-hop-limit' },
  { name: 'RA with hop limit 254', bytes: raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, hopLimit: 254 }), code: 'icmpv6.nd-bad-hop-limit' },
  { name: 'NA with code 1', bytes: frame({ message: ndNa({ target: 'fe80::2', code: 1 }) }), code: 'icmpv6.nd-bad-code' },
  { name: 'RS with code 3', bytes: frame({ dstIp: 'ff02::2', message: ndRs({ code: 3 }) }), code: 'icmpv6.nd-bad-code' },
  { name: 'NS for a multicast target', bytes: frame({ message: ndNs({ target: 'ff02::1' }) }), code: 'icmpv6.nd-multicast-target' },
  { name: 'NA for a multicast target', bytes: frame({ message: ndNa({ target: 'ff05::2' }) }), code: 'icmpv6.nd-multicast-target' },
  {
    name: 'DAD probe carrying a source link-layer option (§7.1.1)',
    bytes: frame({ srcIp: '::', dstIp: solicitedNodeIp('2001:db8::1'), message: ndNs({ target: '2001:db8::1', sourceLinkAddr: HOST }) }),
    code: 'icmpv6.nd-dad-with-source-lla',
  },
  {
    name: 'DAD probe to all nodes, not the solicited-node group (§7.1.1)',
    bytes: frame({ srcIp: '::', dstIp: 'ff02::1', message: ndNs({ target: '2001:db8::1' }) }),
    code: 'icmpv6.nd-dad-not-solicited-node',
  },
  {
    name: 'RS from :: carrying a source link-layer option (§6.1.1)',
    bytes: frame({ srcIp: '::', dstIp: 'ff02::2', message: ndRs({ sourceLinkAddr: HOST }) }),
    code: 'icmpv6.nd-rs-unspecified-with-source-lla',
  },
  {
    name: 'NA to all nodes with S set (§7.1.2)',
    bytes: naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: 'ff02::1', solicited: true }),
    code: 'icmpv6.nd-na-multicast-solicited',
  },
  { name: 'RA from a global address (§6.1.2)', bytes: raFrame({ srcMac: GW, srcIp: '2001:db8::1', routerLifetime: 1800 }), code: 'icmpv6.nd-source-not-link-local' },
  {
    name: 'Redirect from a global address (§8.1)',
    bytes: frame({ srcIp: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST, message: ndRedirect({ target: 'fe80::3', destination: '2001:db8:5::5' }) }),
    code: 'icmpv6.nd-source-not-link-local',
  },
  {
    name: 'Redirect for a multicast destination (§8.1)',
    bytes: frame({ srcIp: 'fe80::1', dstIp: '2001:db8::2', dst: HOST, message: ndRedirect({ target: 'fe80::3', destination: 'ff0e::1' }) }),
    code: 'icmpv6.nd-redirect-multicast-destination',
  },
  {
    name: 'Redirect to a global target that is not the destination (§8.1)',
    bytes: frame({ srcIp: 'fe80::1', dstIp: '2001:db8::2', dst: HOST, message: ndRedirect({ target: '2001:db8::3', destination: '2001:db8:5::5' }) }),
    code: 'icmpv6.nd-redirect-bad-target',
  },
  {
    name: 'ND carried over IPv4',
    bytes: ethernet({
      dst: '01:00:5e:00:00:01',
      src: HOST,
      etherType: 0x0800,
      payload: ipv4({ src: '10.0.0.1', dst: '224.0.0.1', protocol: 58, ttl: 255, payload: icmpv6({ srcIp: '::', dstIp: '::', message: ndRs() }) }),
    }),
    code: 'icmpv6.not-over-ipv6',
  },
];

// Must not flag: the valid cases next to each invalid one.
const VALID: { name: string; bytes: Buffer }[] = [
  { name: 'DAD probe without SLLA to the solicited-node group', bytes: nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::1' }) },
  { name: 'DAD probe with a nonce', bytes: nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::1', nonce: '0a0b0c0d0e0f' }) },
  { name: 'unicast NS (NUD) with SLLA', bytes: nsFrame({ srcMac: HOST, srcIp: 'fe80::2', target: 'fe80::1', dstIp: 'fe80::1', dst: GW }) },
  { name: 'unsolicited NA to all nodes, S clear', bytes: naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: 'ff02::1' }) },
  { name: 'solicited NA to a unicast address', bytes: naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST }) },
  { name: 'anycast NA with O clear (§7.2.7)', bytes: naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST, override: false }) },
  { name: 'RS from :: without SLLA', bytes: frame({ srcIp: '::', dstIp: 'ff02::2', message: ndRs() }) },
  { name: 'RA with lifetime 0 (not a default router)', bytes: raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 0 }) },
  {
    name: 'Redirect to the destination itself (on-link)',
    bytes: frame({ srcIp: 'fe80::1', dstIp: '2001:db8::2', dst: HOST, message: ndRedirect({ target: '2001:db8:5::5', destination: '2001:db8:5::5' }) }),
  },
  { name: 'an unknown option type, skipped', bytes: frame({ message: ndNa({ target: 'fe80::2', options: [ndOption(99, Buffer.alloc(14))] }) }) },
  { name: 'echo request with hop limit 64 is not ND', bytes: frame({ hopLimit: 64, message: icmpv6Raw({ type: 128, body: Buffer.alloc(4) }) }) },
];

describe('ICMPv6 decoder: malformed (errors)', () => {
  for (const m of MALFORMED) {
    it(`${m.name} → ${m.code}`, () => {
      const r = decode(m.bytes);
      expect(codes(r)).toEqual([m.code]);
      expect(r.anomalies[0].severity).toBe('error');
      expect(r.anomalies[0].layer).toBe('icmpv6');
      expect(r.root.nd.isNd).toBe(m.isNd);
      expect(r.root.nd.valid).toBe(m.valid);
      expect(r.root.interest).toBe(m.isNd ? INTEREST_ND : 0);
    });
  }

  it('an option cut by the capture is truncated, not malformed, and the message stays valid', () => {
    const whole = raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, mtu: 1500 });
    const r = decode(Buffer.from(whole.subarray(0, whole.length - 3)));
    expect(codes(r)).toEqual(['icmpv6.truncated']);
    expect(r.root.nd.valid).toBe(true);
    expect(r.root.nd.sourceLinkAddr).toBe(0x00005e000101);
    expect(r.root.nd.mtu).toBe(-1);
  });

  it('an option whose length does not fit its type is a note and is ignored; the message stays valid', () => {
    const r = decode(frame({ message: ndNa({ target: 'fe80::2', options: [ndOption(2, Buffer.alloc(14, 0x11)), ndOption(3, Buffer.alloc(22))] }) }));
    expect(codes(r)).toEqual(['icmpv6.nd-bad-option-length', 'icmpv6.nd-bad-option-length']);
    expect(r.anomalies.every((a) => a.severity === 'note')).toBe(true);
    expect([r.root.nd.targetLinkAddr, r.root.nd.prefixCount, r.root.nd.valid]).toEqual([-1, 0, true]);
  });
});

describe('ICMPv6 decoder: RFC 4861 validity', () => {
  for (const m of INVALID) {
    it(`flags ${m.name} → ${m.code}, valid = false, still decoded`, () => {
      const r = decode(m.bytes);
      expect(codes(r)).toEqual([m.code]);
      expect(r.anomalies[0].severity).toBe('note');
      expect(r.root.nd.isNd).toBe(true);
      expect(r.root.nd.valid).toBe(false);
      expect(r.root.interest).toBe(INTEREST_ND);
    });
  }
  for (const v of VALID) {
    it(`does not flag ${v.name}`, () => {
      const r = decode(v.bytes);
      expect(codes(r)).toEqual([]);
      expect(r.root.nd.present).toBe(true);
      if (r.root.nd.isNd) expect(r.root.nd.valid).toBe(true);
    });
  }

  it('several failures at once are each recorded', () => {
    const r = decode(nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: 'ff02::1', hopLimit: 1 }));
    expect(codes(r)).toEqual(['icmpv6.nd-bad-hop-limit', 'icmpv6.nd-multicast-target']);
  });
});
