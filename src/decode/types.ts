// The contract of the decode room: one captured frame → layers, as integers and offsets into the frame.
// Nothing here owns packet bytes: every offset points into `DecodedFrame.bytes`. A decoder fully resets the
// slot it fills; the FrameDecoder preallocates one DecodedFrame per encapsulation depth (outer Ethernet and
// the Ethernet inside VXLAN are different slots).

/** Bits of `DecodedFrame.interest`: which layers of interest this frame (or any frame inside it) carries. */
export const INTEREST_ARP = 1;
export const INTEREST_HSRP = 2;
export const INTEREST_VRRP = 4;
export const INTEREST_VXLAN = 8;
/** A TCP segment to or from one of the BGP ports (payload may be empty). */
export const INTEREST_BGP = 16;
/** An ICMPv6 neighbour-discovery message (RS, RA, NS, NA, Redirect), valid or not (see `NdLayer.valid`). */
export const INTEREST_ND = 32;
/** A GLBP packet (Cisco's Gateway Load Balancing Protocol, UDP 3222). */
export const INTEREST_GLBP = 64;

export type AnomalySeverity = 'error' | 'note';

/** A problem on one frame, recorded instead of thrown. `code` is dotted: 'arp.bad-hlen', 'ipv4.truncated'. */
export interface Anomaly {
  layer: string;
  code: string;
  /** Byte offset in the captured frame (outer frame, even for layers inside VXLAN). */
  offset: number;
  detail: string;
  /** 'error': malformed or truncated, decoding of the frame stopped there; 'note': odd but valid. */
  severity: AnomalySeverity;
}

/** Maximum VLAN tags kept per Ethernet header; deeper stacks are an anomaly ('vlan.too-deep'). */
export const MAX_VLAN_TAGS = 8;
/** Maximum VXLAN nesting followed; deeper is an anomaly ('vxlan.too-deep'). */
export const MAX_ENCAP_DEPTH = 4;

export interface ArpLayer {
  present: boolean;
  offset: number;
  htype: number;
  ptype: number;
  hlen: number;
  plen: number;
  opcode: number;
  /** True when htype=1 (Ethernet) or 6 (IEEE 802), ptype=0x0800, hlen=6, plen=4: only then are the four addresses below valid. */
  ethernetIpv4: boolean;
  senderMac: number;
  senderIp: number;
  targetMac: number;
  targetIp: number;
}

export interface IpLayer {
  /** 0 = absent, 4 or 6. */
  version: number;
  offset: number;
  /** IPv4 addresses as unsigned 32-bit numbers (version 4 only). */
  src4: number;
  dst4: number;
  /** Offsets of the 16-byte IPv6 addresses in `bytes` (version 6 only). */
  src6Offset: number;
  dst6Offset: number;
  /** Upper-layer protocol (after IPv6 extension headers). */
  protocol: number;
  ttl: number;
  /** IPv4: fragment offset in bytes and MF flag; only first fragments (offset 0) are decoded further. */
  fragmentOffset: number;
  moreFragments: boolean;
  payloadOffset: number;
  /** End of the payload the header claims, clipped to the captured bytes (see `truncated`). */
  payloadEnd: number;
  /** The header claims more bytes than were captured (snaplen). */
  truncated: boolean;
}

export interface UdpLayer {
  present: boolean;
  offset: number;
  srcPort: number;
  dstPort: number;
  length: number;
  payloadOffset: number;
  payloadEnd: number;
}

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface TcpLayer {
  present: boolean;
  offset: number;
  srcPort: number;
  dstPort: number;
  /** Unsigned 32-bit. */
  seq: number;
  ack: number;
  /** Low 8 flag bits (FIN … CWR). */
  flags: number;
  headerLength: number;
  window: number;
  payloadOffset: number;
  /** End of the payload: IP's claimed end, clipped to the captured bytes. */
  payloadEnd: number;
  /** The segment's payload was not fully captured (snaplen) — a reassembler must treat it as a gap. */
  payloadTruncated: boolean;
}

/** HSRP state names, one vocabulary for v1 (0/1/2/4/8/16) and v2 (1…6). */
export type HsrpState = 'initial' | 'learn' | 'listen' | 'speak' | 'standby' | 'active' | 'unknown';

export interface HsrpLayer {
  present: boolean;
  offset: number;
  version: number; // 1 or 2
  /** 0 hello, 1 coup, 2 resign, 3 advertise (v2 interface state TLV). */
  opcode: number;
  state: HsrpState;
  stateCode: number; // raw, as on the wire
  group: number;
  priority: number;
  /** Hello and hold time in milliseconds (v1 carries seconds: converted). */
  helloMs: number;
  holdMs: number;
  /** 4 or 6 (v2 group state TLV's IP version; v1 is always 4). */
  ipVersion: number;
  virtualIp4: number;
  /** Offset of the 16-byte IPv6 virtual address (ipVersion 6). */
  virtualIp6Offset: number;
  /** v2: the sender's 6-byte identifier (normally its interface MAC); 0 for v1. */
  identifier: number;
  /** The group's virtual MAC derived from version, group and IP version (v1 0000.0c07.acXX, v2 0000.0c9f.fXXX, IPv6 0005.73a0.0XXX). */
  virtualMac: number;
  /** Plain-text authentication: offset/length of the string in `bytes` (NULs trimmed); length 0 = none. */
  authTextOffset: number;
  authTextLength: number;
  /** v2 MD5 authentication TLV present. */
  md5Auth: boolean;
  /**
   * An advertise message: v1 opcode 3 (interface state), or v2 with an Interface State TLV (type 2) and no Group
   * State TLV. It names no group, state or virtual IP (those fields stay 0 / 'unknown'); it carries the counts below.
   */
  advertise: boolean;
  /** Advertise: how many groups are active / passive on the sender's interface (also set when a v2 hello carries the TLV). */
  activeGroups: number;
  passiveGroups: number;
  /** v1 advertise: the interface state, 1 dormant, 2 passive, 3 active; 0 for v2 (not carried). */
  advertiseState: number;
}

export interface VrrpLayer {
  present: boolean;
  offset: number;
  version: number; // 2 or 3
  type: number;
  vrid: number;
  priority: number;
  /** Address count as claimed, and how many could be read. */
  addressCount: number;
  addressesRead: number;
  /** 4 or 6 (from the carrying IP header). */
  ipVersion: number;
  /** Offset of the first address; addresses are 4 or 16 bytes apart. */
  addressesOffset: number;
  /** Advertisement interval in milliseconds (v2 seconds, v3 centiseconds: converted). */
  intervalMs: number;
  /** v2 auth type (0 none, 1 simple text, 2 IP AH); 0 for v3. */
  authType: number;
  /** The group's virtual MAC: 0000.5e00.01XX (IPv4) or 0000.5e00.02XX (IPv6). */
  virtualMac: number;
}

/** ICMPv6 neighbour-discovery types, RFC 4861 §4. */
export const ND_ROUTER_SOLICITATION = 133;
export const ND_ROUTER_ADVERTISEMENT = 134;
export const ND_NEIGHBOR_SOLICITATION = 135;
export const ND_NEIGHBOR_ADVERTISEMENT = 136;
export const ND_REDIRECT = 137;
/** Prefix information options kept per RA; more are counted in `prefixCount` but not kept. */
export const MAX_ND_PREFIXES = 8;

/**
 * ICMPv6 (RFC 4443) and its neighbour-discovery messages (RFC 4861 §4). `present` is set for any ICMPv6 message
 * whose 4-byte header was read; the ND fields below only for types 133–137. Addresses are offsets of 16 bytes in
 * `DecodedFrame.bytes`; MACs from link-layer options are 48-bit numbers, -1 when the option is absent.
 */
export interface NdLayer {
  present: boolean;
  offset: number;
  type: number;
  code: number;
  /** Type 133–137 and the fixed part was read. */
  isNd: boolean;
  /**
   * RFC 4861 §6.1/§7.1 validity: IP hop limit 255, code 0 (and, for NS/NA, a target that is not multicast).
   * A node must silently discard an invalid message, so rules take it as no evidence.
   */
  valid: boolean;
  /** NS, NA, Redirect: offset of the target address; 0 otherwise. */
  targetOffset: number;
  /** Redirect: offset of the destination address; 0 otherwise. */
  destinationOffset: number;
  /** NA flags (RFC 4861 §4.4). */
  router: boolean;
  solicited: boolean;
  override: boolean;
  /** RA (RFC 4861 §4.2): cur hop limit, M and O flags, router lifetime (s), reachable time and retrans timer (ms). */
  curHopLimit: number;
  managed: boolean;
  otherConfig: boolean;
  routerLifetime: number;
  reachableTime: number;
  retransTimer: number;
  /** Option 1 / option 2 (RFC 4861 §4.6.1): the link-layer address as a 48-bit number; -1 when absent. */
  sourceLinkAddr: number;
  targetLinkAddr: number;
  /** Option 5: the MTU; -1 when absent. */
  mtu: number;
  /** Option 14 (RFC 7527 / RFC 3971 nonce): offset and length of the nonce; length 0 when absent. */
  nonceOffset: number;
  nonceLength: number;
  /** Option 3 (RFC 4861 §4.6.2): how many prefix options the RA carried, and the first MAX_ND_PREFIXES of them. */
  prefixCount: number;
  /** Offset of each kept prefix's 16-byte address. */
  prefixOffsets: Uint32Array;
  prefixLengths: Uint8Array;
  /** The option's flags byte: L = 0x80, A = 0x40. */
  prefixFlags: Uint8Array;
  prefixValidLifetimes: Float64Array;
  prefixPreferredLifetimes: Float64Array;
}

export interface VxlanLayer {
  present: boolean;
  offset: number;
  flags: number;
  /** 24-bit VNI (valid when the I flag is set). */
  vni: number;
  udpPort: number;
}

/** Forwarder (request/response) TLVs kept per GLBP packet; a group has at most 4 virtual forwarders. */
export const MAX_GLBP_FORWARDERS = 8;

/** GLBP AVG (virtual gateway) state names by wire value, as Wireshark's packet-glbp.c names them. */
export type GlbpState = 'disabled' | 'initial' | 'listen' | 'speak' | 'standby' | 'active' | 'unknown';

/**
 * Cisco GLBP (UDP 3222 to 224.0.0.102): the 12-byte header, the Hello TLV (the AVG's state, priority, timers and
 * the group's virtual IP) and the request/response TLVs (one per virtual forwarder: number, state, virtual MAC).
 * `hasHello` false: the packet carried no hello TLV (the hello fields are 0).
 */
export interface GlbpLayer {
  present: boolean;
  offset: number;
  version: number;
  group: number;
  /** The sender's owner id (its interface MAC), 48-bit. */
  ownerId: number;
  hasHello: boolean;
  /** AVG state, raw (4 listen, 8 speak, 0x10 standby, 0x20 active) and named. */
  vgStateCode: number;
  vgState: GlbpState;
  priority: number;
  helloMs: number;
  holdMs: number;
  /** Redirect and forwarder timeout, seconds. */
  redirectS: number;
  timeoutS: number;
  /** 4 or 6 (address type 1 / 2); 0 when the hello carried another type. */
  ipVersion: number;
  virtualIp4: number;
  virtualIp6Offset: number;
  /** Request/response TLVs seen, and the first MAX_GLBP_FORWARDERS of them. */
  forwarderCount: number;
  forwarderNumbers: Uint8Array;
  /** VF state, raw (4 listen, 0x20 active). */
  forwarderStates: Uint8Array;
  forwarderPriorities: Uint8Array;
  forwarderWeights: Uint8Array;
  /** Virtual MACs (0007.b4xx.xxyy), 48-bit numbers. */
  forwarderMacs: Float64Array;
  /** Auth TLV type (0 none, 1 plain text, 2 MD5 string, 3 MD5 chain); -1 when no auth TLV. */
  authType: number;
}

/** How a depth was reached (`TunnelLayer.kind`): 0 for the captured frame itself. */
export const TUNNEL_NONE = 0;
export const TUNNEL_VXLAN = 1;
export const TUNNEL_GENEVE = 2;
export const TUNNEL_VXLAN_GPE = 3;
/** GRE carrying Ethernet (0x6558), IPv4 or IPv6 directly (no ERSPAN header). */
export const TUNNEL_GRE = 4;
/** ERSPAN type I, II or III (`erspanVersion`), inside GRE. */
export const TUNNEL_ERSPAN = 5;
/** An MPLS label stack (`labelCount`, `labels`), then IPv4/IPv6 or an Ethernet pseudowire. */
export const TUNNEL_MPLS = 6;
/** IEEE 802.1ah provider backbone bridging: I-tag (`id` = I-SID), then the customer frame. */
export const TUNNEL_PBB = 7;
/** Bits of `TunnelLayer.layers`. */
export const TUNNEL_LAYER_VXLAN = 1;
export const TUNNEL_LAYER_GENEVE = 2;
export const TUNNEL_LAYER_VXLAN_GPE = 4;
export const TUNNEL_LAYER_GRE = 8;
export const TUNNEL_LAYER_ERSPAN = 16;
export const TUNNEL_LAYER_MPLS = 32;
export const TUNNEL_LAYER_PBB = 64;
/** Names of the TUNNEL_* kinds, by value, for `gwcheck decode` and the report. */
export const TUNNEL_KIND_NAMES: readonly string[] = ['none', 'vxlan', 'geneve', 'vxlan-gpe', 'gre', 'erspan', 'mpls', 'pbb'];
/** MPLS labels kept per stack (deeper stacks are followed up to MAX_MPLS_DEPTH and counted). */
export const MAX_MPLS_LABELS = 8;
/** MPLS labels followed before giving up ('mpls.too-deep'). */
export const MAX_MPLS_DEPTH = 16;

/**
 * How this depth was reached: the tunnel header the frame was found in, as integers (formatted only by
 * `gwcheck decode` and findings). Filled on the *inner* slot (depth ≥ 1); `kind` is TUNNEL_NONE at depth 0.
 * The outer IP header's addresses are copied here (numbers / offsets), so "ERSPAN session 7 from 10.9.9.1" needs
 * no walk back to the parent slot. Fields that a kind does not have are -1 (ids) or 0.
 */
export interface TunnelLayer {
  /** The innermost tunnel header that led here (TUNNEL_*): GRE+ERSPAN is ERSPAN, GRE+MPLS is MPLS. */
  kind: number;
  /** TUNNEL_LAYER_* bits: every tunnel header between the depth above and this one (GRE and ERSPAN, …). */
  layers: number;
  /** Offset of the tunnel header (VXLAN/Geneve/GPE header, GRE header, first MPLS label, PBB I-tag). */
  offset: number;
  /** The carried network's identifier: VXLAN/Geneve/GPE VNI, ERSPAN session id, PBB I-SID, GRE key (plain GRE), MPLS bottom label; -1 when none. */
  id: number;
  /** What the tunnel says it carries: GRE protocol type, Geneve protocol type, GPE next protocol; MPLS/PBB 0. */
  protocol: number;
  /** The outer IP header (of the depth above): version 0/4/6, IPv4 addresses, IPv6 address offsets. */
  outerIpVersion: number;
  outerSrc4: number;
  outerDst4: number;
  outerSrc6Offset: number;
  outerDst6Offset: number;
  /** GRE (RFC 2784/2890): the first 16 bits (C, K, S bits and version), key and sequence number (-1 when absent). */
  greFlags: number;
  greKey: number;
  greSequence: number;
  /** ERSPAN: 0 none, 1 type I, 2 type II, 3 type III; the mirrored frame's VLAN and COS, direction (III: 1 egress), truncated bit. */
  erspanVersion: number;
  erspanVlan: number;
  erspanCos: number;
  erspanDirection: number;
  erspanTruncated: boolean;
  /** ERSPAN II: the 20-bit port index; III: the 6-bit hardware id. -1 when absent. */
  erspanIndex: number;
  /** ERSPAN III: the 32-bit timestamp (granularity `erspanGranularity`), security group tag, platform sub-header id (-1 without O bit). */
  erspanTimestamp: number;
  erspanGranularity: number;
  erspanSgt: number;
  erspanPlatformId: number;
  /** MPLS: labels in the stack (all of them, also beyond MAX_MPLS_LABELS), the first MAX_MPLS_LABELS labels, TC and TTL of the bottom one. */
  labelCount: number;
  labels: Uint32Array;
  /** MPLS: a pseudowire control word (RFC 4385) preceded the Ethernet frame. */
  controlWord: boolean;
  /** Geneve: option bytes skipped; Geneve O (control) bit / GPE O bit. */
  optionsLength: number;
  oam: boolean;
}

/**
 * An 802.1Qbh VN-Tag (0x8926) or 802.1BR E-Tag (0x893f) met in the EtherType chain and skipped: tpid 0 when none.
 * `value`: VN-Tag's 32 bits (D, P, dvif, L, R, svif), E-Tag's first 32 bits after the TPID (PCP, DEI, ingress
 * E-CID base, reserved, GRP, E-CID base).
 */
export interface PortTagLayer {
  tpid: number;
  offset: number;
  value: number;
}

/** One encapsulation depth: link layer, VLAN stack, network and transport layers, protocols of interest. */
export interface DecodedFrame {
  /**
   * The whole captured frame (the outer one, also for inner slots: offsets are into it). Made on first read (a
   * view into the capture's chunk), valid as long as the record it was decoded from.
   */
  readonly bytes: Buffer;
  /** 0 for the captured frame, 1 inside the first VXLAN header, … */
  depth: number;
  /** INTEREST_* bits for this depth and every depth inside it. */
  interest: number;

  /** An Ethernet header was decoded (false for raw IP and for SLL without a MAC-48 address). */
  hasEthernet: boolean;
  ethOffset: number;
  dst: number;
  src: number;
  /** The EtherType after all VLAN tags (for 802.3/LLC frames, the SNAP type if any, else 0). */
  etherType: number;
  /** 802.3 length-field frame (LLC), SNAP-encapsulated ones included. */
  llc: boolean;
  vlanCount: number;
  /** VLAN stack, outermost first: ids, TPIDs, PCP and DEI per tag. */
  vlanIds: Uint16Array;
  vlanTpids: Uint16Array;
  vlanPcp: Uint8Array;
  vlanDei: Uint8Array;
  /** Start of the layer after Ethernet and its tags. */
  networkOffset: number;

  arp: ArpLayer;
  ip: IpLayer;
  udp: UdpLayer;
  tcp: TcpLayer;
  hsrp: HsrpLayer;
  vrrp: VrrpLayer;
  /** ICMPv6, neighbour discovery in particular. */
  nd: NdLayer;
  vxlan: VxlanLayer;
  /** The frame inside VXLAN (`vxlan.present`) or any other tunnel (see the inner slot's `tunnel`), else null. */
  inner: DecodedFrame | null;
  /** How this depth was reached (kind TUNNEL_NONE for the captured frame). */
  tunnel: TunnelLayer;
  /** A VN-Tag / E-Tag skipped in this depth's EtherType chain (tpid 0 when none). */
  portTag: PortTagLayer;
  /** GLBP (Cisco, UDP 3222). */
  glbp: GlbpLayer;
}

/** The result of decoding one captured frame. Reused: valid until the next `decode` call. */
export interface DecodeResult {
  root: DecodedFrame;
  /**
   * Why the payload of this frame was never opened (a NOT_OPENED_* code; NOT_OPENED_NONE when everything that
   * carried something was decoded, or when what remained is plain traffic gwcheck has no use for, like TCP data).
   * The innermost reason wins.
   */
  notOpened: number;
  /** Anomalies of every depth, in the order found. Empty array (same instance) when there are none. */
  anomalies: Anomaly[];
  /** The link type was not one the decoder knows; nothing was decoded. */
  unsupportedLinkType: boolean;
}

/** `DecodeResult.notOpened`: nothing left unopened. */
export const NOT_OPENED_NONE = 0;
/** An EtherType gwcheck has no decoder for (LLDP, PPPoE, vendor headers …). */
export const NOT_OPENED_ETHER_TYPE = 1;
/** The link type is not one gwcheck decodes (802.11, ARCNET, IPoIB, Frame Relay …). */
export const NOT_OPENED_LINK_TYPE = 2;
/** A tunnel whose payload gwcheck does not open: GRE with another protocol, MPLS PW ACH, NSH in VXLAN-GPE, an unknown ERSPAN version … */
export const NOT_OPENED_TUNNEL = 3;
/** An IP protocol that carries frames or packets gwcheck does not open (IP-in-IP, ESP, L2TP over IP, SCTP …). */
export const NOT_OPENED_IP_PROTOCOL = 4;
/** An IPv4 / IPv6 fragment after the first: its payload has no transport header. */
export const NOT_OPENED_FRAGMENT = 5;
/** MACsec (802.1AE, 0x88e5): the payload is encrypted or at least integrity-protected in a way not opened. */
export const NOT_OPENED_MACSEC = 6;
/** Encapsulations nested deeper than MAX_ENCAP_DEPTH. */
export const NOT_OPENED_TOO_DEEP = 7;
/** Names of the NOT_OPENED_* codes, by value, for the report's stats. */
export const NOT_OPENED_NAMES: readonly string[] = [
  'none',
  'unknown-ether-type',
  'unsupported-link-type',
  'undecoded-tunnel',
  'undecoded-ip-protocol',
  'fragment',
  'macsec',
  'too-deep',
];
/** What each NOT_OPENED_* code means, as the report's header words it ("287 packets in an encapsulation …"). */
export const NOT_OPENED_DESCRIPTIONS: readonly string[] = [
  'opened',
  'with an EtherType gwcheck does not decode',
  'on a link type gwcheck does not decode',
  'in an encapsulation gwcheck does not open',
  'in an IP protocol that carries packets gwcheck does not open',
  'IP fragments after the first',
  'MACsec-protected',
  `nested deeper than ${MAX_ENCAP_DEPTH} encapsulations`,
];

export interface DecodeOptions {
  /** UDP ports decoded as VXLAN (default 4789 and 8472). */
  vxlanPorts?: readonly number[];
  /** TCP ports whose segments are flagged INTEREST_BGP (default 179). */
  bgpPorts?: readonly number[];
}

export const DEFAULT_VXLAN_PORTS: readonly number[] = [4789, 8472];
export const DEFAULT_BGP_PORTS: readonly number[] = [179];
