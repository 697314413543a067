// The contract between decoding and the rules: small owned records, each with the frame it came from and its
// broadcast domain. A rule never sees a Buffer. Addresses stay numbers (MAC: 48-bit number, IPv4: unsigned 32-bit)
// until a finding formats them with src/util/net.ts.

/** Where a fact was seen: which input file, which Wireshark frame, when. */
export interface FrameRef {
  /** Index into the analysed inputs (0 for the first file on the command line). */
  input: number;
  /** Wireshark frame number in that input. */
  frame: number;
  seconds: number;
  nanos: number;
  /** seconds + nanos/1e9, for windows and timeouts. */
  time: number;
}

/**
 * A broadcast domain: the VLAN stack of the captured frame (outermost first) and, for a frame inside VXLAN,
 * the VNI (nested VXLAN: the innermost) and the VLAN tags of the inner frame.
 */
export interface Domain {
  vlans: number[];
  /**
   * TPIDs of `vlans` (0x8100 C-tag, 0x88a8 S-tag …) as in the first frame of the domain, for display filters
   * (`vlan.id` or `ieee8021ad.id`); not part of the domain's identity. Absent for domains made without them.
   */
  tpids?: number[];
  vni: number | null;
  innerVlans: number[];
}

/** Interned domain: facts carry `domainId`; `DomainTable.get(id)` gives the Domain. Ids are dense from 0. */
export interface DomainLookup {
  get(id: number): Domain;
  /** A short human label: "untagged", "vlan 100", "vlan 200.2001", "vni 5001 (vlan 40)". */
  label(id: number): string;
}

/**
 * What a neighbour-resolution message is, in one vocabulary for ARP and IPv6 ND: Wireshark's ARP classification
 * (packet-arp.c), with ND mapped onto it — NS is a request (from :: a DAD probe, RFC 4862 §5.4), a solicited NA a
 * reply, an unsolicited NA an announcement of the advertiser's own address (RFC 4861 §7.2.6).
 */
export type ArpClass =
  | 'request'
  | 'reply'
  | 'probe' // ARP request with sender IP 0.0.0.0; NS from :: (duplicate address detection)
  | 'announcement' // gratuitous request (sender IP = target IP) with zero target MAC
  | 'gratuitous-request' // sender IP = target IP, target MAC not zero
  | 'gratuitous-reply' // reply with sender IP = target IP; an unsolicited NA
  | 'other'; // opcode other than 1/2 (RARP, InARP …)

/** Bits of `NeighbourFact.ndFlags`: the NA's R, S and O flags (RFC 4861 §4.4). */
export const ND_ROUTER = 4;
export const ND_SOLICITED = 2;
export const ND_OVERRIDE = 1;

/**
 * One neighbour-resolution message: an ARP packet (family 4) or an IPv6 NS/NA (family 6), read as "sender says
 * senderIp is at senderMac, and asks for / answers targetIp". Addresses are numbers: IPv4 as itself, IPv6 as an
 * AddressBook key (facts/addresses.ts); 0 is "no address" (0.0.0.0, ::).
 *
 * ND mapping: an NS has sender = the IPv6 source and the source link-layer option (else the Ethernet source),
 * target = the target address; an NA has sender = the target address it advertises and the target link-layer
 * option (else the Ethernet source), target = the IPv6 destination when unicast (the requester), else 0.
 *
 * The extractor refills one NeighbourFact for every message (they are a third of a capture's packets): a sink reads
 * it during the call and keeps numbers, or the `ref` (a new FrameRef per frame), never the fact object.
 */
export interface NeighbourFact {
  kind: 'neighbour';
  ref: FrameRef;
  domainId: number;
  family: 4 | 6;
  /** ARP opcode (1 request, 2 reply, …); for ND the ICMPv6 type (135 NS, 136 NA). */
  opcode: number;
  arpClass: ArpClass;
  /** Ethernet source/destination of the frame that carried it (0 when the link has none, e.g. raw SLL). */
  ethSrc: number;
  ethDst: number;
  senderMac: number;
  senderIp: number;
  targetMac: number;
  targetIp: number;
  /** ND: ND_ROUTER | ND_SOLICITED | ND_OVERRIDE of an NA; 0 for ARP and NS. */
  ndFlags: number;
  /** ND: the MAC came from a link-layer address option (not the Ethernet source). ARP: true. */
  linkAddrOption: boolean;
  /** IPv6: the sender address is link-local (fe80::/10). */
  senderLinkLocal: boolean;
  /** A request sent to a unicast Ethernet destination (ARP refresh, ND unicast NUD probe, RFC 4861 §7.3.3). */
  unicast: boolean;
}

/** One prefix information option of a router advertisement (RFC 4861 §4.6.2). */
export interface RaPrefix {
  /** "2001:db8:1::/64". */
  prefix: string;
  onLink: boolean;
  autonomous: boolean;
  validLifetime: number;
  preferredLifetime: number;
}

/** One valid IPv6 router advertisement (RFC 4861 §4.2). RAs are few (seconds apart per router): texts are fine. */
export interface RouterAdvertFact {
  kind: 'router-advert';
  ref: FrameRef;
  domainId: number;
  /** The router's (link-local) source address, as an AddressBook key, and as text. */
  routerIp: number;
  routerIpText: string;
  /** Source link-layer address option, else the Ethernet source (0 when neither). */
  srcMac: number;
  ethSrc: number;
  /** Seconds; 0 = "not a default router" (RFC 4861 §6.3.4). */
  routerLifetime: number;
  managed: boolean;
  otherConfig: boolean;
  curHopLimit: number;
  reachableTime: number;
  retransTimer: number;
  /** MTU option, or -1. */
  mtu: number;
  prefixes: RaPrefix[];
  /** Prefix options beyond the ones kept. */
  morePrefixes: number;
}

export type FhrpProtocol = 'hsrp' | 'vrrp' | 'glbp';

/** One HSRP or VRRP hello/advertisement, or one GLBP hello (its AVG state; the forwarders in `forwarderMacs`). */
export interface FhrpFact {
  kind: 'fhrp';
  ref: FrameRef;
  domainId: number;
  protocol: FhrpProtocol;
  /** HSRP 1/2, VRRP 2/3, GLBP 1. */
  version: number;
  /** HSRP group, VRRP VRID or GLBP group. */
  group: number;
  /** HSRP state name; VRRP advertisements are sent only by the master: 'master'. */
  state: 'initial' | 'learn' | 'listen' | 'speak' | 'standby' | 'active' | 'master' | 'disabled' | 'unknown';
  /** HSRP opcode (0 hello, 1 coup, 2 resign, 3 advertise); 0 for VRRP. */
  opcode: number;
  priority: number;
  /** Virtual IPs as text (IPv4 or IPv6). */
  virtualIps: string[];
  /** IPv4 virtual IPs as numbers (for joining with ARP facts); empty for IPv6 groups. */
  virtualIps4: number[];
  /** Every virtual IP as an address key (IPv4 numbers, IPv6 AddressBook keys), for joining with neighbour facts. */
  virtualIpKeys: number[];
  ipVersion: number;
  /** The group's virtual MAC as derived from protocol, version, group and IP version (GLBP: the first forwarder's, 0 when none). */
  virtualMac: number;
  /**
   * GLBP only: the virtual MAC of every forwarder the hello lists (0007.b4xx.xxyy, one per forwarder by design: the
   * AVG answers ARP for the one virtual IP with each of them in turn), with each forwarder's number and state.
   */
  forwarderMacs?: number[];
  forwarders?: { number: number; state: string; mac: number }[];
  /** Ethernet source of the hello (the router's interface MAC, or the virtual MAC when configured so). */
  srcMac: number;
  /** IP source of the hello (text). */
  srcIp: string;
  /** HSRP v2 identifier (0 when absent). */
  identifier: number;
  helloMs: number;
  holdMs: number;
  /** Authentication as a comparable string: '' none, 'text:<string>', 'md5', 'vrrp-auth:<type>'. */
  auth: string;
}

export type EvpnAction = 'advertise' | 'withdraw';

/** One EVPN route in one UPDATE (MP_REACH or MP_UNREACH), with the attributes of that UPDATE. */
export interface EvpnRouteFact {
  kind: 'evpn';
  ref: FrameRef;
  /** Frames the BGP message was reassembled from (the last is `ref.frame`). */
  frames: number[];
  /** The BGP session, as the TCP endpoints that carried the message (speaker → receiver). */
  speaker: string;
  receiver: string;
  action: EvpnAction;
  routeType: number;
  /** Route distinguisher as Wireshark prints it ("172.21.64.17:2", "65000:100"). */
  rd: string;
  /** ESI as 10 colon-separated hex bytes; all zero = single-homed. */
  esi: string;
  esiZero: boolean;
  ethernetTag: number;
  /** Type 2: MAC (null otherwise). */
  mac: number | null;
  /** Type 2/5: IP as text (null when absent). */
  ip: string | null;
  /** `ip` as an unsigned 32-bit number when it is IPv4 (the decoder reads it from the route's bytes), else NaN: for
   *  every rule that keys routes by IPv4 address, so none parses `ip`. */
  ipV4: number;
  /** Raw 24-bit label fields (with VXLAN encapsulation: the VNIs). */
  labels: number[];
  /** ADD-PATH path identifier, null without ADD-PATH. */
  pathId: number | null;
  /** BGP next hop of the UPDATE (MP_REACH next hop) — the advertising PE/VTEP; null for withdrawals. */
  nextHop: string | null;
  /** `nextHop` as ipv4Key reads it (NaN: absent or not IPv4), read once per UPDATE. */
  nextHopV4: number;
  /** MAC Mobility community (RFC 7432 §7.7): null when absent. */
  macMobility: { sequence: number; sticky: boolean } | null;
  /** How many MAC Mobility communities the UPDATE carried (more than one is an error). */
  macMobilityCount: number;
  /** Route targets as text ("65000:100", "10.0.0.1:5", "4200000000:1"), sorted. */
  routeTargets: string[];
  /** The UPDATE carried the EVPN default-gateway community (0x03/0x0d). */
  defaultGateway: boolean;
  /** EVPN Router's MAC extended community, if any. */
  routerMac: number | null;
  /** RFC 9047 ARP/ND extended community: the advertised binding's R (a router), O (override) and I (immutable)
   *  flags; null when absent. */
  arpNd: { router: boolean; override: boolean; immutable: boolean } | null;
  /** Encapsulation extended community tunnel type (8 = VXLAN), null when absent. */
  encapsulation: number | null;
  /** Type 3/4: the originating router's IP as text (absent or null otherwise). */
  originatorIp?: string | null;
  /** Type 5: the IP prefix as text ("10.1.0.0/24"; absent or null otherwise). */
  prefix?: string | null;
  /** The UPDATE's PMSI Tunnel attribute (RFC 6514 §5; type 3 routes): tunnel type (6 = ingress replication), the
   *  raw label field (with VXLAN: the VNI, RFC 8365 §5.1.3) and the tunnel identifier as text; absent or null
   *  when the UPDATE had none. */
  pmsiTunnel?: { tunnelType: number; label: number; tunnelId: string } | null;
}

/**
 * One VXLAN frame as the control/data-plane comparison needs it: the VNI, the outer (underlay) IPv4 VTEP
 * addresses and the inner Ethernet addresses. Made for every VXLAN frame with an inner Ethernet header over IPv4,
 * so it is ONE scratch object the extractor refills: a sink must copy the numbers out and never keep it (or its
 * frame fields) past the call. The frame is given as numbers, not a FrameRef, for the same reason.
 */
export interface VxlanFrameFact {
  kind: 'vxlan';
  input: number;
  frame: number;
  seconds: number;
  nanos: number;
  time: number;
  vni: number;
  /** Outer IPv4 source and destination (the ingress VTEP and the VTEP or group it is sent to), as numbers. */
  vtepSrc: number;
  vtepDst: number;
  innerSrc: number;
  innerDst: number;
  /** Inner EtherType after inner VLAN tags (0x0806 ARP, 0x0800 IPv4, 0x86dd IPv6 …). */
  innerEtherType: number;
  /** The inner destination is broadcast or multicast (BUM; unknown unicast cannot be told from one frame). */
  bum: boolean;
}

/** A decode or reassembly anomaly, counted in the report and shown in `decode`. */
export interface AnomalyFact {
  kind: 'anomaly';
  ref: FrameRef;
  layer: string;
  code: string;
  detail: string;
  severity: 'error' | 'note';
}

export type Fact = NeighbourFact | RouterAdvertFact | FhrpFact | EvpnRouteFact | AnomalyFact;
