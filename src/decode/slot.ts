// One preallocated DecodedFrame per encapsulation depth, fully reset before each use so nothing from the previous
// frame (or a deeper VXLAN payload of it) can leak into the next one.
import {
  MAX_GLBP_FORWARDERS,
  MAX_MPLS_LABELS,
  MAX_ND_PREFIXES,
  MAX_VLAN_TAGS,
  TUNNEL_NONE,
  type ArpLayer,
  type DecodedFrame,
  type GlbpLayer,
  type HsrpLayer,
  type IpLayer,
  type NdLayer,
  type PortTagLayer,
  type TcpLayer,
  type TunnelLayer,
  type UdpLayer,
  type VrrpLayer,
  type VxlanLayer,
} from './types.js';
import { DOUBLE_ZERO } from '../util/double.js';

/** Where a slot's frame bytes come from: the decoder's cursor, which makes the frame's Buffer view only when asked. */
export interface FrameBytesSource {
  frameBytes(): Buffer;
}

/**
 * One slot. `bytes` is read through the slot's source, so a frame nobody looks at as a Buffer (most of them:
 * filler, ARP) costs no typed-array view and no write barrier for storing one. A class, so that every depth's slot
 * has one hidden class whose fields keep their representations (the MACs stay doubles). Fields that hold
 * MACs, IPv4 addresses and sequence numbers start as DOUBLE_ZERO (util/double.ts), here and in the layers: one
 * starting as 0 changed representation at the first value above 2^30 (an ARP from 192.168/16 a third of the way
 * into a capture) and threw away the optimised per-packet code (test/decode/slot-shape.test.ts).
 */
class Slot implements DecodedFrame {
  readonly source: FrameBytesSource;
  readonly depth: number;
  interest = 0;
  hasEthernet = false;
  ethOffset = 0;
  dst = DOUBLE_ZERO;
  src = DOUBLE_ZERO;
  etherType = 0;
  llc = false;
  vlanCount = 0;
  vlanIds = new Uint16Array(MAX_VLAN_TAGS);
  vlanTpids = new Uint16Array(MAX_VLAN_TAGS);
  vlanPcp = new Uint8Array(MAX_VLAN_TAGS);
  vlanDei = new Uint8Array(MAX_VLAN_TAGS);
  networkOffset = 0;
  arp: ArpLayer = {
    present: false,
    offset: 0,
    htype: 0,
    ptype: 0,
    hlen: 0,
    plen: 0,
    opcode: 0,
    ethernetIpv4: false,
    senderMac: DOUBLE_ZERO,
    senderIp: DOUBLE_ZERO,
    targetMac: DOUBLE_ZERO,
    targetIp: DOUBLE_ZERO,
  };
  ip: IpLayer = {
    version: 0,
    offset: 0,
    src4: DOUBLE_ZERO,
    dst4: DOUBLE_ZERO,
    src6Offset: 0,
    dst6Offset: 0,
    protocol: 0,
    ttl: 0,
    fragmentOffset: 0,
    moreFragments: false,
    payloadOffset: 0,
    payloadEnd: 0,
    truncated: false,
  };
  udp: UdpLayer = { present: false, offset: 0, srcPort: 0, dstPort: 0, length: 0, payloadOffset: 0, payloadEnd: 0 };
  tcp: TcpLayer = {
    present: false,
    offset: 0,
    srcPort: 0,
    dstPort: 0,
    seq: DOUBLE_ZERO,
    ack: DOUBLE_ZERO,
    flags: 0,
    headerLength: 0,
    window: 0,
    payloadOffset: 0,
    payloadEnd: 0,
    payloadTruncated: false,
  };
  hsrp: HsrpLayer = {
    present: false,
    offset: 0,
    version: 0,
    opcode: 0,
    state: 'unknown',
    stateCode: 0,
    group: 0,
    priority: 0,
    helloMs: 0,
    holdMs: 0,
    ipVersion: 0,
    virtualIp4: DOUBLE_ZERO,
    virtualIp6Offset: 0,
    identifier: DOUBLE_ZERO,
    virtualMac: DOUBLE_ZERO,
    authTextOffset: 0,
    authTextLength: 0,
    md5Auth: false,
    advertise: false,
    activeGroups: 0,
    passiveGroups: 0,
    advertiseState: 0,
  };
  vrrp: VrrpLayer = {
    present: false,
    offset: 0,
    version: 0,
    type: 0,
    vrid: 0,
    priority: 0,
    addressCount: 0,
    addressesRead: 0,
    ipVersion: 0,
    addressesOffset: 0,
    intervalMs: 0,
    authType: 0,
    virtualMac: DOUBLE_ZERO,
  };
  nd: NdLayer = {
    present: false,
    offset: 0,
    type: 0,
    code: 0,
    isNd: false,
    valid: false,
    targetOffset: 0,
    destinationOffset: 0,
    router: false,
    solicited: false,
    override: false,
    curHopLimit: 0,
    managed: false,
    otherConfig: false,
    routerLifetime: 0,
    reachableTime: 0,
    retransTimer: 0,
    // -1 (none) or a MAC: see icmpv6.ts, which sets them before any read.
    sourceLinkAddr: DOUBLE_ZERO,
    targetLinkAddr: DOUBLE_ZERO,
    mtu: -1,
    nonceOffset: 0,
    nonceLength: 0,
    prefixCount: 0,
    prefixOffsets: new Uint32Array(MAX_ND_PREFIXES),
    prefixLengths: new Uint8Array(MAX_ND_PREFIXES),
    prefixFlags: new Uint8Array(MAX_ND_PREFIXES),
    prefixValidLifetimes: new Float64Array(MAX_ND_PREFIXES),
    prefixPreferredLifetimes: new Float64Array(MAX_ND_PREFIXES),
  };
  vxlan: VxlanLayer = { present: false, offset: 0, flags: 0, vni: 0, udpPort: 0 };
  inner: DecodedFrame | null = null;
  tunnel: TunnelLayer = {
    kind: TUNNEL_NONE,
    layers: 0,
    offset: 0,
    id: -1,
    protocol: 0,
    outerIpVersion: 0,
    outerSrc4: DOUBLE_ZERO,
    outerDst4: DOUBLE_ZERO,
    outerSrc6Offset: 0,
    outerDst6Offset: 0,
    greFlags: 0,
    greKey: -1,
    greSequence: -1,
    erspanVersion: 0,
    erspanVlan: 0,
    erspanCos: 0,
    erspanDirection: 0,
    erspanTruncated: false,
    erspanIndex: -1,
    erspanTimestamp: 0,
    erspanGranularity: 0,
    erspanSgt: 0,
    erspanPlatformId: -1,
    labelCount: 0,
    labels: new Uint32Array(MAX_MPLS_LABELS),
    controlWord: false,
    optionsLength: 0,
    oam: false,
  };
  portTag: PortTagLayer = { tpid: 0, offset: 0, value: 0 };
  glbp: GlbpLayer = {
    present: false,
    offset: 0,
    version: 0,
    group: 0,
    ownerId: 0,
    hasHello: false,
    vgStateCode: 0,
    vgState: 'unknown',
    priority: 0,
    helloMs: 0,
    holdMs: 0,
    redirectS: 0,
    timeoutS: 0,
    ipVersion: 0,
    virtualIp4: DOUBLE_ZERO,
    virtualIp6Offset: 0,
    forwarderCount: 0,
    forwarderNumbers: new Uint8Array(MAX_GLBP_FORWARDERS),
    forwarderStates: new Uint8Array(MAX_GLBP_FORWARDERS),
    forwarderPriorities: new Uint8Array(MAX_GLBP_FORWARDERS),
    forwarderWeights: new Uint8Array(MAX_GLBP_FORWARDERS),
    forwarderMacs: new Float64Array(MAX_GLBP_FORWARDERS),
    authType: -1,
  };

  constructor(depth: number, source: FrameBytesSource) {
    this.source = source;
    this.depth = depth;
  }

  get bytes(): Buffer {
    return this.source.frameBytes();
  }
}

export function newSlot(depth: number, source: FrameBytesSource): DecodedFrame {
  return new Slot(depth, source);
}

/**
 * Clears what a previous frame left. Layers are reset field by field only where a decoder fills them; the
 * `present`/`version` flags are what consumers test, the other fields are overwritten when a layer is decoded.
 */
export function resetSlot(frame: DecodedFrame): void {
  frame.interest = 0;
  frame.hasEthernet = false;
  frame.ethOffset = 0;
  frame.dst = 0;
  frame.src = 0;
  frame.etherType = 0;
  frame.llc = false;
  frame.vlanCount = 0;
  frame.networkOffset = 0;
  frame.arp.present = false;
  frame.ip.version = 0;
  frame.ip.truncated = false;
  frame.udp.present = false;
  frame.tcp.present = false;
  frame.hsrp.present = false;
  frame.vrrp.present = false;
  frame.nd.present = false;
  frame.vxlan.present = false;
  frame.inner = null;
  // The tunnel description is filled by enterTunnel (tunnel.ts) for inner slots; the root is reached by no tunnel.
  frame.tunnel.kind = TUNNEL_NONE;
  frame.tunnel.layers = 0;
  frame.portTag.tpid = 0;
  frame.glbp.present = false;
}
