// BGP-4 messages as owned JS objects (RFC 4271 §4; RFC 4760 multiprotocol; RFC 6793 4-byte AS; RFC 7911
// ADD-PATH; RFC 8654 extended message; RFC 7432/9136 EVPN). The decoder turns the bytes of ONE message into
// these objects and keeps no history: what it cannot know from the message alone (AS number width, ADD-PATH)
// comes in a `BgpSessionView` decided by the caller from the session's OPEN messages.
import type { Anomaly } from '../types.js';

export const BGP_MARKER_LENGTH = 16;
export const BGP_HEADER_LENGTH = 19;
/** RFC 4271 §4.1 maximum message size. */
export const BGP_MAX_MESSAGE_LENGTH = 4096;
/** RFC 8654: with the extended message capability on both sides, up to 65535. */
export const BGP_MAX_EXTENDED_MESSAGE_LENGTH = 65535;

export const BGP_OPEN = 1;
export const BGP_UPDATE = 2;
export const BGP_NOTIFICATION = 3;
export const BGP_KEEPALIVE = 4;
export const BGP_ROUTE_REFRESH = 5;

export const AFI_IPV4 = 1;
export const AFI_IPV6 = 2;
export const AFI_L2VPN = 25;
export const SAFI_UNICAST = 1;
export const SAFI_EVPN = 70;

/**
 * What the session's OPENs decided, for one direction (sender → receiver). `null` = not known (the OPENs were
 * not captured): the decoder then infers by trying both encodings (see update.ts) and says so in `inferred`.
 */
export interface BgpSessionView {
  /** Both speakers advertised the 4-octet AS capability (RFC 6793): AS_PATH carries 4-byte ASNs. */
  as4: boolean | null;
  /** NLRI of this AFI/SAFI carry a 4-byte path identifier (RFC 7911: sender may send, receiver may receive). */
  addPath(afi: number, safi: number): boolean | null;
}

/** A session view with nothing known: every UPDATE is decoded by inference. */
export const UNKNOWN_SESSION: BgpSessionView = { as4: null, addPath: () => null };

export interface AfiSafi {
  afi: number;
  safi: number;
}

export interface AddPathCapability extends AfiSafi {
  /** RFC 7911 §4: 1 receive, 2 send, 3 both. */
  sendReceive: number;
}

export interface BgpCapabilities {
  /** Capability 1 (RFC 4760). */
  multiprotocol: AfiSafi[];
  /** Capability 65 (RFC 6793): the speaker's 4-byte AS, null when not advertised. */
  as4: number | null;
  /** Capability 69 (RFC 7911). */
  addPath: AddPathCapability[];
  /** Capability 6 (RFC 8654). */
  extendedMessage: boolean;
  /** Capability 2 (RFC 2918) or the pre-standard 128. */
  routeRefresh: boolean;
  /** Capability 70 (RFC 7313). */
  enhancedRouteRefresh: boolean;
  /** Capability 64 (RFC 4724): restart time in seconds and the AFI/SAFIs with their flags. */
  gracefulRestart: { flags: number; restartTime: number; families: (AfiSafi & { flags: number })[] } | null;
  /** Codes of every capability, in wire order (the known ones included). */
  codes: number[];
}

export interface BgpOpen {
  type: 'open';
  typeCode: 1;
  length: number;
  version: number;
  myAs: number;
  holdTime: number;
  bgpId: string;
  capabilities: BgpCapabilities;
  anomalies: Anomaly[];
}

/** An IPv4/IPv6 prefix with its ADD-PATH path identifier (null without ADD-PATH). */
export interface BgpPrefix {
  prefix: string;
  pathId: number | null;
}

export interface AsPathSegment {
  /** 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET. */
  type: number;
  asns: number[];
}

export type ExtCommunityKind =
  | 'route-target'
  | 'encapsulation'
  | 'mac-mobility'
  | 'esi-label'
  | 'es-import'
  | 'router-mac'
  | 'default-gateway'
  | 'arp-nd'
  | 'other';

/** One extended community (RFC 4360, RFC 7432 §7, RFC 9135, RFC 9012). */
export interface ExtCommunity {
  kind: ExtCommunityKind;
  /** High-order type octet and subtype octet. */
  type: number;
  subtype: number;
  /** The 8 bytes as 16 hex digits. */
  raw: string;
  /** Readable value: "65000:100" for a route target, "vxlan(8)", "seq 3 sticky", "02:00:00:00:00:01", raw hex. */
  value: string;
  /** route-target: "65000:100" / "10.0.0.1:5" / "4200000000:1". */
  routeTarget?: string;
  /** encapsulation: tunnel type (8 = VXLAN, 10 = MPLS, 11 = MPLS-in-GRE…). */
  tunnelType?: number;
  /** mac-mobility: sequence and sticky (flags bit 0). */
  sequence?: number;
  sticky?: boolean;
  /** router-mac / es-import: the MAC as a 48-bit number. */
  mac?: number;
  /** arp-nd (RFC 9047): the Router, Override and Immutable-binding flags of the advertised ARP/ND entry. */
  router?: boolean;
  override?: boolean;
  immutable?: boolean;
  /** esi-label: the 24-bit label field, flags. */
  label?: number;
  flags?: number;
}

export interface PmsiTunnel {
  flags: number;
  tunnelType: number;
  /** Raw 24-bit MPLS label field (with VXLAN: the VNI). */
  label: number;
  /** Tunnel identifier: an IP address when 4 or 16 bytes, hex otherwise. */
  tunnelId: string;
}

/** One EVPN route (RFC 7432 §7, RFC 9136 §3) as it appears in MP_REACH or MP_UNREACH. */
export interface EvpnRoute {
  action: 'advertise' | 'withdraw';
  routeType: number;
  pathId: number | null;
  /** Route distinguisher as Wireshark prints it. */
  rd: string;
  /** 10 colon-separated hex bytes; "" for route type 3 (which has none). */
  esi: string;
  esiZero: boolean;
  ethernetTag: number;
  /** Type 2: the MAC as a 48-bit number; null otherwise. */
  mac: number | null;
  /** Type 2: IP (null when the IP length is 0). */
  ip: string | null;
  /** Type 2: the IP as a 32-bit number when it is IPv4, else NaN (the facts carry it: no consumer parses `ip`). */
  ipV4: number;
  /** Raw 24-bit label fields: type 1 one, type 2 one or two, type 5 one. */
  labels: number[];
  /** Types 3 and 4: originating router's IP. */
  originatorIp: string | null;
  /** Type 5: "10.0.0.0/24". */
  prefix: string | null;
  /** Type 5: gateway IP. */
  gatewayIp: string | null;
  /** Copied from the UPDATE so a route describes itself: MP_REACH next hop (null for withdrawals)… */
  nextHop: string | null;
  /** …and the UPDATE's (first) MAC Mobility extended community. */
  macMobility: { sequence: number; sticky: boolean } | null;
  /** …and its encapsulation extended community's tunnel type (8 = VXLAN: the labels are VNIs). */
  encapsulation: number | null;
}

export interface MpReach {
  afi: number;
  safi: number;
  /** Next hops as text: one, or two for IPv6 global + link-local (RFC 2545). */
  nextHops: string[];
  /** Unicast prefixes (AFI 1/2, SAFI 1). */
  nlri: BgpPrefix[];
  /** Bytes of NLRI of an AFI/SAFI this decoder does not parse (VPN, flowspec …). */
  otherNlriBytes: number;
}

export interface MpUnreach {
  afi: number;
  safi: number;
  withdrawn: BgpPrefix[];
  otherNlriBytes: number;
}

export interface OtherAttribute {
  flags: number;
  type: number;
  length: number;
}

export interface BgpAttributes {
  /** 0 IGP, 1 EGP, 2 INCOMPLETE; null when absent. */
  origin: number | null;
  asPath: AsPathSegment[] | null;
  /** AS4_PATH (RFC 6793), carried by 2-byte sessions. */
  as4Path: AsPathSegment[] | null;
  nextHop: string | null;
  med: number | null;
  localPref: number | null;
  /** "65000:100" or the well-known names no-export, no-advertise, no-export-subconfed, no-peer. */
  communities: string[];
  originatorId: string | null;
  clusterList: string[];
  extendedCommunities: ExtCommunity[];
  /** "global:local1:local2". */
  largeCommunities: string[];
  pmsiTunnel: PmsiTunnel | null;
  mpReach: MpReach | null;
  mpUnreach: MpUnreach | null;
  /** Every other attribute, kept as type + length. */
  other: OtherAttribute[];
}

/** What the decoder had to guess because the session's OPENs were not seen. */
export type BgpInference = 'as4' | 'as2' | 'addpath' | 'no-addpath';

export interface BgpUpdate {
  type: 'update';
  typeCode: 2;
  length: number;
  withdrawn: BgpPrefix[];
  attributes: BgpAttributes;
  nlri: BgpPrefix[];
  /** EVPN routes of MP_REACH (advertise) and MP_UNREACH (withdraw), in wire order. */
  evpn: EvpnRoute[];
  /** Decisions taken by heuristic, each once, e.g. ['as4', 'no-addpath']. Empty when the session told us. */
  inferred: BgpInference[];
  anomalies: Anomaly[];
}

export interface BgpNotification {
  type: 'notification';
  typeCode: 3;
  length: number;
  code: number;
  subcode: number;
  dataLength: number;
  anomalies: Anomaly[];
}

export interface BgpKeepalive {
  type: 'keepalive';
  typeCode: 4;
  length: number;
  anomalies: Anomaly[];
}

export interface BgpRouteRefresh {
  type: 'route-refresh';
  typeCode: 5;
  length: number;
  afi: number;
  /** RFC 7313 message subtype (0 normal, 1 BoRR, 2 EoRR). */
  subtype: number;
  safi: number;
  anomalies: Anomaly[];
}

export interface BgpUnknownMessage {
  type: 'unknown';
  typeCode: number;
  length: number;
  anomalies: Anomaly[];
}

export type BgpMessage = BgpOpen | BgpUpdate | BgpNotification | BgpKeepalive | BgpRouteRefresh | BgpUnknownMessage;
