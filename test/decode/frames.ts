// Good frames built with the fixture builder, shared by the golden tables, the truncation sweep and the fuzzer.
// Each lists its layer spans: the layer a cut at a given byte must blame ('<layer>.truncated').
import {
  arp,
  arpFrame,
  ethernet,
  ethernetSnap,
  hsrpFrame,
  hsrpV2Md5Tlv,
  ipv4,
  ipv6,
  linuxSll,
  linuxSll2,
  tcpFrame,
  udp,
  udpFrame,
  vrrpFrame,
  vxlanFrame,
} from '../../fixtures/builder/packet.js';
import { naFrame, nsFrame, raFrame } from '../../fixtures/builder/nd.js';
import {
  eTag,
  erspanFrame,
  geneveFrame,
  glbpFrame,
  glbpVirtualMac,
  greFrame,
  mplsFrame,
  pbbFrame,
  taggedFrame,
  vnTag,
  vxlanGpeFrame,
} from '../../fixtures/builder/tunnels.js';

export interface GoodFrame {
  name: string;
  linkType: number;
  bytes: Buffer;
  /** [start, layer]: from `start` up to the next span, a cut blames `layer`. Ends at `contentEnd`. */
  spans: [number, string][];
  /** Bytes after this are padding/trailer whose loss is not an error. */
  contentEnd: number;
}

const GW_MAC = '00:00:0c:07:ac:0a';
const HOST_MAC = '52:54:00:12:34:56';

const arpRequest = arpFrame({ opcode: 1, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.254' });
const arpReplyQinQ = arpFrame({
  opcode: 2,
  senderMac: GW_MAC,
  senderIp: '10.0.0.254',
  targetMac: HOST_MAC,
  targetIp: '10.0.0.1',
  vlans: [{ id: 100, tpid: 0x88a8, pcp: 5 }, { id: 2001, dei: 1 }],
});
const hsrpV1Hello = hsrpFrame({
  version: 1,
  src: GW_MAC,
  srcIp: '10.0.0.2',
  state: 'active',
  group: 10,
  priority: 110,
  virtualIp: '10.0.0.254',
  vlans: [{ id: 10 }],
});
const hsrpV2Hello = hsrpFrame({
  version: 2,
  src: '00:00:0c:9f:f0:64',
  srcIp: '10.0.0.3',
  state: 'active',
  group: 100,
  identifier: '00:11:22:33:44:55',
  priority: 110,
  virtualIp: '10.0.0.254',
  auth: 'cisco',
  extraTlvs: [hsrpV2Md5Tlv('10.0.0.3')],
});
const hsrpV2Ipv6 = hsrpFrame({
  version: 2,
  srcIp: 'fe80::1',
  state: 'standby',
  group: 16,
  identifier: '00:11:22:33:44:66',
  virtualIp: 'fe80::5:73ff:fea0:10',
});
const vrrpV2 = vrrpFrame({ vrid: 7, srcIp: '10.1.0.2', priority: 200, addresses: ['10.1.0.1', '10.1.0.100'] });
const vrrpV3Ipv6 = vrrpFrame({ version: 3, vrid: 36, srcIp: 'fe80::2', interval: 100, addresses: ['fe80::1', '2001:db8::1'] });
const vxlanArp = vxlanFrame({
  vni: 5001,
  vlans: [{ id: 40 }],
  inner: arpFrame({ opcode: 2, senderMac: GW_MAC, senderIp: '10.0.0.254', targetMac: HOST_MAC, targetIp: '10.0.0.1' }),
});
const bgpSegment = tcpFrame({
  srcIp: '192.0.2.1',
  dstIp: '192.0.2.2',
  srcPort: 51000,
  dstPort: 179,
  seq: 1000,
  ack: 2000,
  flags: 0x18,
  payload: Buffer.concat([Buffer.alloc(16, 0xff), Buffer.from([0, 19, 4])]),
});
const ipv6Udp = ethernet({
  dst: '33:33:00:00:00:01',
  src: HOST_MAC,
  etherType: 0x86dd,
  payload: ipv6({
    src: '2001:db8::1',
    dst: 'ff02::1',
    protocol: 17,
    extensions: [{ type: 0 }, { type: 60, body: Buffer.alloc(14) }],
    payload: udp({ srcPort: 546, dstPort: 547, payload: Buffer.from('hello') }),
  }),
});
const snapArp = ethernetSnap({
  dst: 'ff:ff:ff:ff:ff:ff',
  src: HOST_MAC,
  etherType: 0x0806,
  payload: arp({ opcode: 1, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.254' }),
});
const sllArp = linuxSll({
  src: HOST_MAC,
  protocol: 0x0806,
  payload: arp({ opcode: 1, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.254' }),
});
const sll2Udp = linuxSll2({
  src: HOST_MAC,
  protocol: 0x0800,
  payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp({ srcPort: 1000, dstPort: 53, payload: Buffer.from('q') }) }),
});
// Neighbour discovery: an NS with SLLA and nonce in 802.1ad + 802.1Q, an RA with every option, an NA inside VXLAN.
const ndNsQinQ = nsFrame({
  srcMac: HOST_MAC,
  srcIp: '2001:db8::2',
  target: '2001:db8::1',
  nonce: '0102030405ff',
  vlans: [{ id: 100, tpid: 0x88a8 }, { id: 200 }],
});
const ndRaFull = raFrame({
  srcMac: '00:00:5e:00:02:01',
  srcIp: 'fe80::1',
  routerLifetime: 1800,
  managed: true,
  other: true,
  mtu: 9000,
  prefixes: [
    { prefix: '2001:db8:1::', length: 64 },
    { prefix: '2001:db8:2::', length: 64, autonomous: false },
  ],
});
const vxlanNa = vxlanFrame({
  vni: 6001,
  inner: naFrame({ srcMac: GW_MAC, target: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST_MAC, router: true }),
});
const udpFiller = udpFrame({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1234, dstPort: 53, payload: Buffer.alloc(20, 1), vlans: [{ id: 30 }] });

export const GOOD_FRAMES: GoodFrame[] = [
  { name: 'arp request', linkType: 1, bytes: arpRequest, spans: [[0, 'eth'], [14, 'arp']], contentEnd: 42 },
  {
    name: 'arp reply in 802.1ad + 802.1Q',
    linkType: 1,
    bytes: arpReplyQinQ,
    spans: [[0, 'eth'], [14, 'vlan'], [22, 'arp']],
    contentEnd: 50,
  },
  {
    name: 'hsrp v1 hello in vlan 10',
    linkType: 1,
    bytes: hsrpV1Hello,
    spans: [[0, 'eth'], [14, 'vlan'], [18, 'ipv4'], [38, 'udp'], [46, 'hsrp']],
    contentEnd: 66,
  },
  {
    name: 'hsrp v2 hello with text and md5 auth',
    linkType: 1,
    bytes: hsrpV2Hello,
    spans: [[0, 'eth'], [14, 'ipv4'], [34, 'udp'], [42, 'hsrp']],
    contentEnd: hsrpV2Hello.length,
  },
  {
    name: 'hsrp v2 ipv6',
    linkType: 1,
    bytes: hsrpV2Ipv6,
    spans: [[0, 'eth'], [14, 'ipv6'], [54, 'udp'], [62, 'hsrp']],
    contentEnd: hsrpV2Ipv6.length,
  },
  {
    name: 'vrrp v2',
    linkType: 1,
    bytes: vrrpV2,
    spans: [[0, 'eth'], [14, 'ipv4'], [34, 'vrrp']],
    contentEnd: 34 + 8 + 8, // the auth data after the addresses is not read
  },
  {
    name: 'vrrp v3 ipv6',
    linkType: 1,
    bytes: vrrpV3Ipv6,
    spans: [[0, 'eth'], [14, 'ipv6'], [54, 'vrrp']],
    contentEnd: vrrpV3Ipv6.length,
  },
  {
    name: 'vxlan arp reply in vlan 40',
    linkType: 1,
    bytes: vxlanArp,
    spans: [[0, 'eth'], [14, 'vlan'], [18, 'ipv4'], [38, 'udp'], [46, 'vxlan'], [54, 'eth'], [68, 'arp']],
    contentEnd: 96,
  },
  {
    name: 'bgp tcp segment',
    linkType: 1,
    bytes: bgpSegment,
    spans: [[0, 'eth'], [14, 'ipv4'], [34, 'tcp']],
    contentEnd: bgpSegment.length,
  },
  {
    name: 'ipv6 udp with hop-by-hop and destination options',
    linkType: 1,
    bytes: ipv6Udp,
    spans: [[0, 'eth'], [14, 'ipv6'], [78, 'udp']],
    contentEnd: ipv6Udp.length,
  },
  { name: 'llc/snap arp', linkType: 1, bytes: snapArp, spans: [[0, 'eth'], [14, 'llc'], [22, 'arp']], contentEnd: 50 },
  { name: 'sll arp', linkType: 113, bytes: sllArp, spans: [[0, 'sll'], [16, 'arp']], contentEnd: 44 },
  {
    name: 'sll2 udp',
    linkType: 276,
    bytes: sll2Udp,
    spans: [[0, 'sll2'], [20, 'ipv4'], [40, 'udp']],
    contentEnd: sll2Udp.length,
  },
  {
    name: 'udp filler in vlan 30',
    linkType: 1,
    bytes: udpFiller,
    spans: [[0, 'eth'], [14, 'vlan'], [18, 'ipv4'], [38, 'udp']],
    contentEnd: udpFiller.length,
  },
  {
    name: 'nd neighbor solicitation in 802.1ad + 802.1Q',
    linkType: 1,
    bytes: ndNsQinQ,
    spans: [[0, 'eth'], [14, 'vlan'], [22, 'ipv6'], [62, 'icmpv6']],
    contentEnd: ndNsQinQ.length,
  },
  {
    name: 'nd router advertisement with slla, mtu and two prefixes',
    linkType: 1,
    bytes: ndRaFull,
    spans: [[0, 'eth'], [14, 'ipv6'], [54, 'icmpv6']],
    contentEnd: ndRaFull.length,
  },
  {
    name: 'vxlan nd neighbor advertisement',
    linkType: 1,
    bytes: vxlanNa,
    spans: [[0, 'eth'], [14, 'ipv4'], [34, 'udp'], [42, 'vxlan'], [50, 'eth'], [64, 'ipv6'], [104, 'icmpv6']],
    contentEnd: vxlanNa.length,
  },
];

// Tunnels (issue 11): the inner frame is an ARP request unless said otherwise; offsets below are of these builders.
const innerArp = arpFrame({ opcode: 1, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.254', vlans: [{ id: 10 }] });
const greTeb = greFrame({ protocol: 0x6558, key: 42, payload: innerArp });
const erspan2 = erspanFrame({ type: 2, session: 7, vlan: 10, inner: innerArp });
const erspan3 = erspanFrame({ type: 3, session: 9, vlan: 10, inner: innerArp, platformId: 3, egress: true });
const mplsIp = mplsFrame({ labels: [16, 299], payload: ipv4({ src: '10.1.0.1', dst: '10.1.0.2', protocol: 17, payload: udp({ srcPort: 5000, dstPort: 5001, payload: Buffer.alloc(4) }) }) });
const mplsPw = mplsFrame({ labels: [24, 1001], controlWord: true, payload: innerArp });
const geneveArp = geneveFrame({ vni: 5001, options: Buffer.from('0103018001020304', 'hex'), inner: innerArp });
const gpeIp = vxlanGpeFrame({ vni: 77, nextProtocol: 1, inner: ipv4({ src: '10.2.0.1', dst: '10.2.0.2', protocol: 17, payload: udp({ srcPort: 1, dstPort: 2, payload: Buffer.alloc(2) }) }) });
const pbbArp = pbbFrame({ bvlan: 4051, isid: 2014011, inner: innerArp });
const vnTagArp = taggedFrame({ dst: 'ff:ff:ff:ff:ff:ff', src: HOST_MAC, tags: [vnTag({ dvif: 3, svif: 1 }), { id: 11 }], etherType: 0x0806, payload: arp({ opcode: 1, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.254' }) });
const eTagArp = taggedFrame({ dst: 'ff:ff:ff:ff:ff:ff', src: HOST_MAC, tags: [eTag({ ecid: 12 })], etherType: 0x0806, payload: arp({ opcode: 1, senderMac: HOST_MAC, senderIp: '10.0.0.1', targetIp: '10.0.0.254' }) });
const glbpHello = glbpFrame({
  group: 10,
  src: '00:11:22:33:44:01',
  srcIp: '10.0.0.2',
  hello: { state: 'active', priority: 110, virtualIp: '10.0.0.1' },
  forwarders: [
    { number: 1, state: 'active', mac: glbpVirtualMac(10, 1) },
    { number: 2, state: 'listen', mac: glbpVirtualMac(10, 2) },
  ],
});

/** ARP request in a VLAN-10 Ethernet frame starting at `at`: eth, vlan, arp spans. */
function innerArpSpans(at: number): [number, string][] {
  return [[at, 'eth'], [at + 14, 'vlan'], [at + 18, 'arp']];
}

export const TUNNEL_FRAMES: GoodFrame[] = [
  { name: 'gre teb with key, arp inside', linkType: 1, bytes: greTeb, spans: [[0, 'eth'], [14, 'ipv4'], [34, 'gre'], ...innerArpSpans(42)], contentEnd: greTeb.length },
  { name: 'erspan ii session 7, arp inside', linkType: 1, bytes: erspan2, spans: [[0, 'eth'], [14, 'ipv4'], [34, 'gre'], [42, 'erspan'], ...innerArpSpans(50)], contentEnd: erspan2.length },
  { name: 'erspan iii with platform sub-header, arp inside', linkType: 1, bytes: erspan3, spans: [[0, 'eth'], [14, 'ipv4'], [34, 'gre'], [42, 'erspan'], ...innerArpSpans(62)], contentEnd: erspan3.length },
  { name: 'mpls two labels, ipv4 udp', linkType: 1, bytes: mplsIp, spans: [[0, 'eth'], [14, 'mpls'], [23, 'ipv4'], [42, 'udp']] /* MPLS needs the first payload byte to know it is IP */, contentEnd: mplsIp.length },
  { name: 'mpls ethernet pseudowire with control word, arp', linkType: 1, bytes: mplsPw, spans: [[0, 'eth'], [14, 'mpls'], ...innerArpSpans(26)], contentEnd: mplsPw.length },
  { name: 'geneve with an option, arp inside', linkType: 1, bytes: geneveArp, spans: [[0, 'eth'], [14, 'ipv4'], [34, 'udp'], [42, 'geneve'], ...innerArpSpans(58)], contentEnd: geneveArp.length },
  { name: 'vxlan-gpe ipv4 inside', linkType: 1, bytes: gpeIp, spans: [[0, 'eth'], [14, 'ipv4'], [34, 'udp'], [42, 'vxlan-gpe'], [50, 'ipv4'], [70, 'udp']], contentEnd: gpeIp.length },
  { name: 'pbb i-sid 2014011, arp inside', linkType: 1, bytes: pbbArp, spans: [[0, 'eth'], [14, 'vlan'], [18, 'pbb'], ...innerArpSpans(22)], contentEnd: pbbArp.length },
  { name: 'vn-tag then vlan 11, arp', linkType: 1, bytes: vnTagArp, spans: [[0, 'eth'], [14, 'vntag'], [20, 'vlan'], [24, 'arp']], contentEnd: vnTagArp.length },
  { name: 'e-tag, arp', linkType: 1, bytes: eTagArp, spans: [[0, 'eth'], [14, 'etag'], [22, 'arp']], contentEnd: eTagArp.length },
  { name: 'glbp hello with two forwarders', linkType: 1, bytes: glbpHello, spans: [[0, 'eth'], [14, 'ipv4'], [34, 'udp'], [42, 'glbp']], contentEnd: glbpHello.length },
];
GOOD_FRAMES.push(...TUNNEL_FRAMES);

/** The layer a cut after `length` bytes must blame. */
export function layerAt(frame: GoodFrame, length: number): string {
  let layer = frame.spans[0][1];
  for (const [start, name] of frame.spans) if (length >= start) layer = name;
  return layer;
}
