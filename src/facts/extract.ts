// Decoded frame → facts for the rules. The one place where packet data becomes owned records: a fact is made
// only for the frames that carry something a rule can use, so filler traffic costs one bit test.
import type { CaptureRecord } from '../capture/types.js';
import {
  INTEREST_ARP,
  INTEREST_BGP,
  INTEREST_GLBP,
  INTEREST_HSRP,
  INTEREST_ND,
  INTEREST_VRRP,
  ND_NEIGHBOR_ADVERTISEMENT,
  ND_NEIGHBOR_SOLICITATION,
  ND_ROUTER_ADVERTISEMENT,
  MAX_GLBP_FORWARDERS,
  NOT_OPENED_NAMES,
  TUNNEL_ERSPAN,
  TUNNEL_GENEVE,
  TUNNEL_GRE,
  TUNNEL_MPLS,
  TUNNEL_PBB,
  TUNNEL_VXLAN,
  TUNNEL_VXLAN_GPE,
  type DecodeResult,
  type DecodedFrame,
} from '../decode/types.js';
import { glbpState } from '../decode/glbp.js';
import { formatIpv4, formatIpv6, readIpv4 } from '../util/net.js';
import { AddressBook } from './addresses.js';
import { toSeconds } from '../util/time.js';
import { BgpStreams, evpnFacts, type BgpMessageRecord } from './bgp.js';
import type { DomainTable } from './domains.js';
import {
  ND_OVERRIDE,
  ND_ROUTER,
  ND_SOLICITED,
  type AnomalyFact,
  type ArpClass,
  type EvpnRouteFact,
  type FhrpFact,
  type FrameRef,
  type NeighbourFact,
  type RaPrefix,
  type RouterAdvertFact,
  type VxlanFrameFact,
} from './types.js';
import { DOUBLE_ZERO } from '../util/double.js';

/** The frame of a scratch fact not yet filled. */
const NO_REF: FrameRef = { input: 0, frame: 0, seconds: 0, nanos: 0, time: DOUBLE_ZERO };

/** Where facts go: the rule engine, or a collector in tests and `gwcheck decode`. */
export interface FactSink {
  /** ARP and IPv6 NS/NA: one object, refilled per message — copy what you need (its `ref` may be kept), never the
   *  fact itself. */
  neighbour(fact: NeighbourFact): void;
  routerAdvert(fact: RouterAdvertFact): void;
  fhrp(fact: FhrpFact): void;
  evpn(fact: EvpnRouteFact): void;
  anomaly(fact: AnomalyFact): void;
  /** Every VXLAN frame over IPv4 with an inner Ethernet header (the data plane): one scratch object, refilled per
   *  frame — copy what you need, keep nothing. Optional: a sink without it costs nothing per frame. */
  vxlan?(fact: VxlanFrameFact): void;
}

export interface FactCounters {
  arp: number;
  /** ARP packets whose Ethernet source differs from their sender hardware address. */
  arpSourceMismatch: number;
  /** Valid IPv6 neighbour-discovery messages made into facts (NS, NA, RA). */
  nd: number;
  /** ND messages a node must ignore (RFC 4861 §6.1/§7.1: hop limit, code …): anomalies, not evidence. */
  ndInvalid: number;
  hsrp: number;
  vrrp: number;
  vxlan: number;
  bgpMessages: number;
  evpnRoutes: number;
  anomalies: number;
  notes: number;
  /** Anomalies by dotted code, for the report header. */
  anomalyCodes: Map<string, number>;
  /** Frames inside VXLAN that were copies of one just seen (head-end replication to several VTEPs): not used twice. */
  replicatedCopies: number;
  /** GLBP packets seen. */
  glbp: number;
  /** Frames whose payload was not opened, by DecodeResult.notOpened code (index 0, NOT_OPENED_NONE, unused). */
  notOpened: Uint32Array;
}

export interface ExtractOptions {
  bgpPorts: readonly number[];
  /** Interns IPv6 addresses into number keys; the rule engine formats them with the same book. */
  addresses?: AddressBook;
  maxStreamBytes?: number;
  maxStreams?: number;
  /**
   * Keep each frame's BGP messages as owned records in `lastBgpMessages` (default true: `gwcheck decode`, tests).
   * false: the messages are decoded into the BGP decoder's scratch and only their facts are made (the analysis).
   */
  bgpMessages?: boolean;
}

export class FactExtractor {
  readonly counters: FactCounters = {
    arp: 0,
    arpSourceMismatch: 0,
    nd: 0,
    ndInvalid: 0,
    hsrp: 0,
    vrrp: 0,
    vxlan: 0,
    bgpMessages: 0,
    evpnRoutes: 0,
    anomalies: 0,
    notes: 0,
    anomalyCodes: new Map(),
    replicatedCopies: 0,
    glbp: 0,
    notOpened: new Uint32Array(NOT_OPENED_NAMES.length),
  };
  private readonly replicas = new ReplicaWindow();
  /** The one VxlanFrameFact, refilled for every VXLAN frame (never kept by a sink). */
  private readonly vxlanScratch: VxlanFrameFact = {
    kind: 'vxlan',
    input: 0,
    frame: 0,
    seconds: 0,
    nanos: 0,
    time: DOUBLE_ZERO,
    vni: 0,
    vtepSrc: DOUBLE_ZERO,
    vtepDst: DOUBLE_ZERO,
    innerSrc: DOUBLE_ZERO,
    innerDst: DOUBLE_ZERO,
    innerEtherType: 0,
    bum: false,
  };
  /**
   * The one neighbour fact, filled anew for each ARP packet and NS/NA (a sink keeps what it needs of it, never the
   * object): 150 000 of them on the benchmark's capture were a third of what a run allocated, all garbage at once.
   * `arp` and `nd` each write every field (a field one of them skipped would keep the last message's value): a
   * field added to NeighbourFact is added to all three fills.
   */
  private readonly neighbourScratch: NeighbourFact = {
    kind: 'neighbour',
    ref: NO_REF,
    domainId: 0,
    family: 4,
    opcode: 0,
    arpClass: 'other',
    ethSrc: DOUBLE_ZERO,
    ethDst: DOUBLE_ZERO,
    senderMac: DOUBLE_ZERO,
    senderIp: DOUBLE_ZERO,
    targetMac: DOUBLE_ZERO,
    targetIp: DOUBLE_ZERO,
    ndFlags: 0,
    linkAddrOption: false,
    senderLinkLocal: false,
    unicast: false,
  };
  /** The VLAN an ERSPAN header names for a mirrored frame that arrived untagged. */
  private readonly erspanTag = new Uint16Array(1);
  private readonly bgp: BgpStreams;
  private readonly bgpPorts: readonly number[];
  /** BGP messages completed by the last frame (after finish(): those that completed only then), for `gwcheck decode`. */
  lastBgpMessages: readonly BgpMessageRecord[] = [];
  /** The EVPN facts of one message (the list is reused; the facts are the sink's). */
  private readonly evpnOut: EvpnRouteFact[] = [];
  readonly addresses: AddressBook;

  constructor(
    private readonly sink: FactSink,
    private readonly domains: DomainTable,
    options: ExtractOptions,
  ) {
    this.bgpPorts = options.bgpPorts;
    this.addresses = options.addresses ?? new AddressBook();
    this.bgp = new BgpStreams({
      maxStreamBytes: options.maxStreamBytes,
      maxStreams: options.maxStreams,
      ports: options.bgpPorts,
      onRecord: options.bgpMessages === false ? (rec) => this.message(rec) : undefined,
    });
  }

  /** Facts of one decoded frame. `input` is the index of the file the record came from. */
  frame(result: DecodeResult, record: CaptureRecord, input: number): void {
    this.lastBgpMessages = NO_MESSAGES;
    if (result.notOpened !== 0) this.counters.notOpened[result.notOpened]++;
    const root = result.root;
    if ((root.interest & FACT_INTEREST) === 0 && result.anomalies.length === 0) {
      // VXLAN carrying nothing a rule uses (most of it): count it, make nothing.
      for (let f: DecodedFrame | null = root; f !== null && f.vxlan.present; f = f.inner) {
        this.counters.vxlan++;
        this.dataPlane(f, record, input);
      }
      return;
    }
    const ref: FrameRef = {
      input,
      frame: record.frame,
      seconds: record.seconds,
      nanos: record.nanos,
      time: toSeconds(record.seconds, record.nanos),
    };
    for (const a of result.anomalies) this.anomaly({ kind: 'anomaly', ref, ...a });
    if (root.interest === 0) return;

    let vni: number | null = null;
    let outerDomain = 0;
    for (let f: DecodedFrame | null = root; f !== null; f = f.inner) {
      if ((f.interest & FACT_INTEREST) === 0 && !f.vxlan.present) break;
      // One VNI is one broadcast domain: a frame inside VXLAN is keyed by its VNI and its own tags, never by the
      // underlay's VLAN (head-end replication over two uplinks is one domain); the underlay is noted beside it.
      // A frame carried by a mirror or a bridge (ERSPAN, GRE, MPLS pseudowire, PBB) is in its own VLAN — ERSPAN
      // may carry that VLAN in its header — and where it came from is noted beside it; an IP packet inside a
      // tunnel (BGP over MPLS or GRE) stays in the domain of the frame that carried it.
      let domainId: number;
      if (f === root) domainId = this.domains.intern(f.vlanIds, f.vlanCount, null, f.vlanIds, 0, f.vlanTpids);
      else if (isOverlay(f.tunnel.kind)) {
        const segment = f.tunnel.kind === TUNNEL_VXLAN ? vni : f.tunnel.id;
        domainId = this.domains.intern(NO_TAGS, 0, segment, f.vlanIds, f.vlanCount);
        this.domains.noteUnderlay(domainId, root.vlanIds, root.vlanCount);
        // Head-end replication sends one frame to every VTEP of the VNI: the copies are one frame for the rules.
        if ((f.interest & FACT_INTEREST) !== 0 && this.replicas.seen(f.bytes, f.ethOffset, domainId, ref.time)) {
          this.counters.replicatedCopies++;
          break;
        }
      } else if (!f.hasEthernet) domainId = outerDomain;
      else {
        const t = f.tunnel;
        if (f.vlanCount === 0 && t.erspanVersion > 0 && t.erspanVlan > 0) {
          this.erspanTag[0] = t.erspanVlan;
          domainId = this.domains.intern(this.erspanTag, 1, null, this.erspanTag, 0, ERSPAN_TAG_TPIDS);
        } else domainId = this.domains.intern(f.vlanIds, f.vlanCount, null, f.vlanIds, 0, f.vlanTpids);
        const path = t.kind * 2 ** 44 + (t.id >= 0 ? t.id : 0xfffff) * 2 ** 20 + (t.outerSrc4 % 2 ** 20);
        if (!this.domains.hasVia(domainId, path)) this.domains.noteVia(domainId, path, () => tunnelLabel(f));
      }
      outerDomain = domainId;
      if (f.arp.present && f.arp.ethernetIpv4) this.arp(f, ref, domainId);
      if (f.nd.present && f.nd.isNd) this.nd(f, ref, domainId);
      // An HSRP advertise message (v1 opcode 3, v2 interface state TLV) names no group: nothing for the FHRP rules.
      if (f.hsrp.present && !f.hsrp.advertise && f.hsrp.opcode !== 3) this.hsrp(f, ref, domainId);
      if (f.vrrp.present) this.vrrp(f, ref, domainId);
      if (f.glbp.present) this.glbp(f, ref, domainId);
      if (f.tcp.present && (this.bgpPorts.includes(f.tcp.srcPort) || this.bgpPorts.includes(f.tcp.dstPort))) {
        this.tcp(f, ref, domainId);
      }
      if (f.vxlan.present) {
        this.counters.vxlan++;
        vni = f.vxlan.vni;
        this.dataPlane(f, record, input);
      }
    }
  }

  /** The data-plane view of one VXLAN depth `f` (the frame carrying the VXLAN header), for a sink that wants it. */
  private dataPlane(f: DecodedFrame, record: CaptureRecord, input: number): void {
    if (this.sink.vxlan === undefined) return;
    const inner = f.inner;
    // A VNI is valid only with the I flag (RFC 7348 §5); IPv6 underlays are not compared (yet).
    if (inner === null || !inner.hasEthernet || f.ip.version !== 4 || (f.vxlan.flags & 0x08) === 0) return;
    const s = this.vxlanScratch;
    s.input = input;
    s.frame = record.frame;
    s.seconds = record.seconds;
    s.nanos = record.nanos;
    s.time = toSeconds(record.seconds, record.nanos);
    s.vni = f.vxlan.vni;
    s.vtepSrc = f.ip.src4;
    s.vtepDst = f.ip.dst4;
    s.innerSrc = inner.src;
    s.innerDst = inner.dst;
    s.innerEtherType = inner.etherType;
    s.bum = (Math.floor(inner.dst / 0x10000000000) & 1) === 1;
    this.sink.vxlan(s);
  }

  /** End of all inputs: gaps still open in BGP streams become anomalies; messages waiting behind them are used. */
  finish(): void {
    for (const a of this.bgp.finish()) this.anomaly(a);
    this.lastBgpMessages = this.bgp.flushed;
    this.messages(this.bgp.flushed);
  }

  get bgpStats(): BgpStreams['stats'] {
    return this.bgp.stats;
  }

  private anomaly(fact: AnomalyFact): void {
    if (fact.severity === 'error') this.counters.anomalies++;
    else this.counters.notes++;
    const codes = this.counters.anomalyCodes;
    codes.set(fact.code, (codes.get(fact.code) ?? 0) + 1);
    this.sink.anomaly(fact);
  }

  private arp(f: DecodedFrame, ref: FrameRef, domainId: number): void {
    const a = f.arp;
    this.counters.arp++;
    // Proxy ARP, spoofing or a bridging artefact: counted, and shown in the evidence that cites such a frame.
    if (f.hasEthernet && f.src !== a.senderMac) this.counters.arpSourceMismatch++;
    const ethDst = f.hasEthernet ? f.dst : 0;
    const n = this.neighbourScratch;
    n.ref = ref;
    n.domainId = domainId;
    n.family = 4;
    n.opcode = a.opcode;
    n.arpClass = classifyArp(a.opcode, a.senderIp, a.targetIp, a.targetMac);
    n.ethSrc = f.hasEthernet ? f.src : 0;
    n.ethDst = ethDst;
    n.senderMac = a.senderMac;
    n.senderIp = a.senderIp;
    n.targetMac = a.targetMac;
    n.targetIp = a.targetIp;
    n.ndFlags = 0;
    n.linkAddrOption = true;
    n.senderLinkLocal = false;
    n.unicast = a.opcode === 1 && isUnicastMac(ethDst);
    this.sink.neighbour(n);
  }

  /** NS/NA as neighbour facts (see NeighbourFact for the mapping), RA as router-advert facts; invalid ND none. */
  private nd(f: DecodedFrame, ref: FrameRef, domainId: number): void {
    const nd = f.nd;
    if (!nd.valid || f.ip.version !== 6) {
      this.counters.ndInvalid++;
      return;
    }
    const bytes = f.bytes;
    const ip = f.ip;
    const ethSrc = f.hasEthernet ? f.src : 0;
    const ethDst = f.hasEthernet ? f.dst : 0;
    const book = this.addresses;
    if (nd.type === ND_NEIGHBOR_SOLICITATION) {
      this.counters.nd++;
      const source = book.ipv6(bytes, ip.src6Offset);
      const unicast = isUnicastMac(ethDst);
      const n = this.neighbourScratch;
      n.ref = ref;
      n.domainId = domainId;
      n.family = 6;
      n.opcode = ND_NEIGHBOR_SOLICITATION;
      n.arpClass = source === 0 ? 'probe' : 'request';
      n.ethSrc = ethSrc;
      n.ethDst = ethDst;
      n.senderMac = nd.sourceLinkAddr >= 0 ? nd.sourceLinkAddr : ethSrc;
      n.senderIp = source;
      n.targetMac = unicast ? ethDst : DOUBLE_ZERO;
      n.targetIp = book.ipv6(bytes, nd.targetOffset);
      n.ndFlags = 0;
      n.linkAddrOption = nd.sourceLinkAddr >= 0;
      n.senderLinkLocal = isLinkLocal(bytes, ip.src6Offset);
      n.unicast = unicast;
      this.sink.neighbour(n);
    } else if (nd.type === ND_NEIGHBOR_ADVERTISEMENT) {
      this.counters.nd++;
      const toMulticast = bytes[ip.dst6Offset] === 0xff;
      const flags = (nd.router ? ND_ROUTER : 0) | (nd.solicited ? ND_SOLICITED : 0) | (nd.override ? ND_OVERRIDE : 0);
      const n = this.neighbourScratch;
      n.ref = ref;
      n.domainId = domainId;
      n.family = 6;
      n.opcode = ND_NEIGHBOR_ADVERTISEMENT;
      n.arpClass = nd.solicited ? 'reply' : 'gratuitous-reply';
      n.ethSrc = ethSrc;
      n.ethDst = ethDst;
      n.senderMac = nd.targetLinkAddr >= 0 ? nd.targetLinkAddr : ethSrc;
      n.senderIp = book.ipv6(bytes, nd.targetOffset);
      n.targetMac = ethDst;
      n.targetIp = toMulticast ? 0 : book.ipv6(bytes, ip.dst6Offset);
      n.ndFlags = flags;
      n.linkAddrOption = nd.targetLinkAddr >= 0;
      n.senderLinkLocal = isLinkLocal(bytes, nd.targetOffset);
      n.unicast = false;
      this.sink.neighbour(n);
    } else if (nd.type === ND_ROUTER_ADVERTISEMENT) {
      this.counters.nd++;
      const prefixes: RaPrefix[] = [];
      const kept = Math.min(nd.prefixCount, nd.prefixOffsets.length);
      for (let i = 0; i < kept; i++) {
        prefixes.push({
          prefix: `${formatIpv6(bytes, nd.prefixOffsets[i])}/${nd.prefixLengths[i]}`,
          onLink: (nd.prefixFlags[i] & 0x80) !== 0,
          autonomous: (nd.prefixFlags[i] & 0x40) !== 0,
          validLifetime: nd.prefixValidLifetimes[i],
          preferredLifetime: nd.prefixPreferredLifetimes[i],
        });
      }
      this.sink.routerAdvert({
        kind: 'router-advert',
        ref,
        domainId,
        routerIp: book.ipv6(bytes, ip.src6Offset),
        routerIpText: formatIpv6(bytes, ip.src6Offset),
        srcMac: nd.sourceLinkAddr >= 0 ? nd.sourceLinkAddr : ethSrc,
        ethSrc,
        routerLifetime: nd.routerLifetime,
        managed: nd.managed,
        otherConfig: nd.otherConfig,
        curHopLimit: nd.curHopLimit,
        reachableTime: nd.reachableTime,
        retransTimer: nd.retransTimer,
        mtu: nd.mtu,
        prefixes,
        morePrefixes: nd.prefixCount - kept,
      });
    }
  }

  private hsrp(f: DecodedFrame, ref: FrameRef, domainId: number): void {
    const h = f.hsrp;
    this.counters.hsrp++;
    const bytes = f.bytes;
    const v6 = h.ipVersion === 6;
    let auth = '';
    if (h.md5Auth) auth = 'md5';
    else if (h.authTextLength > 0) auth = 'text:' + bytes.toString('latin1', h.authTextOffset, h.authTextOffset + h.authTextLength);
    this.sink.fhrp({
      kind: 'fhrp',
      ref,
      domainId,
      protocol: 'hsrp',
      version: h.version,
      group: h.group,
      state: h.state,
      opcode: h.opcode,
      priority: h.priority,
      virtualIps: [v6 ? formatIpv6(bytes, h.virtualIp6Offset) : formatIpv4(h.virtualIp4)],
      virtualIps4: v6 ? [] : [h.virtualIp4],
      virtualIpKeys: [v6 ? this.addresses.ipv6(bytes, h.virtualIp6Offset) : h.virtualIp4],
      ipVersion: h.ipVersion,
      virtualMac: h.virtualMac,
      srcMac: f.hasEthernet ? f.src : 0,
      srcIp: ipSource(f),
      identifier: h.identifier,
      helloMs: h.helloMs,
      holdMs: h.holdMs,
      auth,
    });
  }

  private vrrp(f: DecodedFrame, ref: FrameRef, domainId: number): void {
    const v = f.vrrp;
    this.counters.vrrp++;
    const bytes = f.bytes;
    const size = v.ipVersion === 6 ? 16 : 4;
    const virtualIps: string[] = [];
    const virtualIps4: number[] = [];
    const virtualIpKeys: number[] = [];
    // addressesRead counts the addresses the decoder bounds-checked (the claimed count may overrun the packet).
    for (let i = 0, o = v.addressesOffset; i < v.addressesRead; i++, o += size) {
      if (size === 4) {
        const ip = readIpv4(bytes, o);
        virtualIps4.push(ip);
        virtualIpKeys.push(ip);
        virtualIps.push(formatIpv4(ip));
      } else {
        virtualIps.push(formatIpv6(bytes, o));
        virtualIpKeys.push(this.addresses.ipv6(bytes, o));
      }
    }
    this.sink.fhrp({
      kind: 'fhrp',
      ref,
      domainId,
      protocol: 'vrrp',
      version: v.version,
      group: v.vrid,
      state: 'master',
      opcode: 0,
      priority: v.priority,
      virtualIps,
      virtualIps4,
      virtualIpKeys,
      ipVersion: v.ipVersion,
      virtualMac: v.virtualMac,
      srcMac: f.hasEthernet ? f.src : 0,
      srcIp: ipSource(f),
      identifier: 0,
      helloMs: v.intervalMs,
      holdMs: v.intervalMs * 3,
      auth: v.authType ? `vrrp-auth:${v.authType}` : '',
    });
  }

  private glbp(f: DecodedFrame, ref: FrameRef, domainId: number): void {
    const g = f.glbp;
    this.counters.glbp++;
    // Only a hello names the group's virtual IP and the AVG state; request/response-only packets are counted.
    if (!g.hasHello) return;
    const bytes = f.bytes;
    const n = g.forwarderCount < MAX_GLBP_FORWARDERS ? g.forwarderCount : MAX_GLBP_FORWARDERS;
    const forwarders: { number: number; state: string; mac: number }[] = [];
    for (let i = 0; i < n; i++) {
      forwarders.push({ number: g.forwarderNumbers[i], state: glbpState(g.forwarderStates[i]), mac: g.forwarderMacs[i] });
    }
    const v6 = g.ipVersion === 6;
    this.sink.fhrp({
      kind: 'fhrp',
      ref,
      domainId,
      protocol: 'glbp',
      version: g.version,
      group: g.group,
      state: g.vgState,
      opcode: 0,
      priority: g.priority,
      virtualIps: g.ipVersion === 0 ? [] : [v6 ? formatIpv6(bytes, g.virtualIp6Offset) : formatIpv4(g.virtualIp4)],
      virtualIps4: g.ipVersion === 4 ? [g.virtualIp4] : [],
      virtualIpKeys: g.ipVersion === 0 ? [] : [v6 ? this.addresses.ipv6(bytes, g.virtualIp6Offset) : g.virtualIp4],
      ipVersion: g.ipVersion,
      virtualMac: n > 0 ? g.forwarderMacs[0] : 0,
      forwarderMacs: forwarders.map((x) => x.mac),
      forwarders,
      srcMac: f.hasEthernet ? f.src : 0,
      srcIp: ipSource(f),
      identifier: g.ownerId,
      helloMs: g.helloMs,
      holdMs: g.holdMs,
      auth: g.authType > 0 ? `glbp-auth:${g.authType}` : '',
    });
  }

  private tcp(f: DecodedFrame, ref: FrameRef, domainId: number): void {
    const t = f.tcp;
    const ip = f.ip;
    const messages = this.bgp.segment({
      domainId,
      srcIp: ip.version === 4 ? ip.src4 : formatIpv6(f.bytes, ip.src6Offset),
      dstIp: ip.version === 4 ? ip.dst4 : formatIpv6(f.bytes, ip.dst6Offset),
      srcPort: t.srcPort,
      dstPort: t.dstPort,
      seq: t.seq,
      ack: t.ack,
      flags: t.flags,
      payload: f.bytes.subarray(t.payloadOffset, t.payloadEnd),
      payloadTruncated: t.payloadTruncated,
      ref,
    });
    if (messages.length === 0) return;
    this.lastBgpMessages = messages;
    this.messages(messages);
  }

  private messages(records: readonly BgpMessageRecord[]): void {
    for (const rec of records) this.message(rec);
  }

  /** One BGP message's anomalies and EVPN facts (`rec` may be BgpStreams' scratch record: nothing of it is kept). */
  private message(rec: BgpMessageRecord): void {
    this.counters.bgpMessages++;
    for (let i = 0; i < rec.anomalies.length; i++) this.anomaly(rec.anomalies[i]);
    const facts = evpnFacts(rec, this.evpnOut);
    for (let i = 0; i < facts.length; i++) {
      this.counters.evpnRoutes++;
      this.sink.evpn(facts[i]);
    }
  }
}

/**
 * Recently seen inner frames (by a hash of their bytes and their domain), to recognise the copies head-end
 * replication makes of one frame: identical inner bytes in one VNI within REPLICA_WINDOW seconds. A small ring of
 * numbers: no allocation per frame. (A host repeating a request waits a second or more; copies are microseconds
 * apart.)
 */
const REPLICA_WINDOW = 0.05;
const REPLICA_SLOTS = 32;

export class ReplicaWindow {
  private readonly hashes = new Int32Array(REPLICA_SLOTS);
  private readonly lengths = new Int32Array(REPLICA_SLOTS);
  private readonly domains = new Float64Array(REPLICA_SLOTS).fill(-1);
  private readonly times = new Float64Array(REPLICA_SLOTS);
  private next = 0;

  /** True when the frame from `offset` to the end of `bytes` was seen in `domainId` within the window; else notes it. */
  seen(bytes: Buffer, offset: number, domainId: number, time: number): boolean {
    let h = 0x811c9dc5 | 0;
    const end = bytes.length;
    for (let i = offset; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const length = end - offset;
    for (let i = 0; i < REPLICA_SLOTS; i++) {
      if (this.hashes[i] === h && this.lengths[i] === length && this.domains[i] === domainId) {
        const dt = time - this.times[i];
        if (dt >= 0 && dt <= REPLICA_WINDOW) return true;
      }
    }
    const slot = this.next;
    this.hashes[slot] = h;
    this.lengths[slot] = length;
    this.domains[slot] = domainId;
    this.times[slot] = time;
    this.next = (slot + 1) % REPLICA_SLOTS;
    return false;
  }
}

const NO_MESSAGES: readonly BgpMessageRecord[] = [];
const NO_TAGS = new Uint16Array(0);
/** The TPID that marks a domain's VLAN as taken from an ERSPAN header (rules/wireshark.ts filters it as erspan.vlan). */
const ERSPAN_TAG_TPIDS = [0x88be];
/** Layers that become facts (VXLAN alone is only counted). */
const FACT_INTEREST = INTEREST_ARP | INTEREST_ND | INTEREST_HSRP | INTEREST_VRRP | INTEREST_BGP | INTEREST_GLBP;

/** Wireshark's ARP classification (packet-arp.c), as the rules and the report name it. */
export function classifyArp(opcode: number, senderIp: number, targetIp: number, targetMac: number): ArpClass {
  if (opcode === 1) {
    if (senderIp === 0) return 'probe';
    if (senderIp === targetIp) return targetMac === 0 ? 'announcement' : 'gratuitous-request';
    return 'request';
  }
  if (opcode === 2) return senderIp === targetIp ? 'gratuitous-reply' : 'reply';
  return 'other';
}

/** Not the broadcast address and not a group address (I/G bit of the first octet); 0 (no Ethernet) is neither. */
export function isUnicastMac(m: number): boolean {
  return m !== 0 && (Math.floor(m / 0x10000000000) & 1) === 0;
}

/** Overlay segments: their VNI is the broadcast domain (RFC 7348, RFC 8926, VXLAN-GPE). */
function isOverlay(kind: number): boolean {
  return kind === TUNNEL_VXLAN || kind === TUNNEL_GENEVE || kind === TUNNEL_VXLAN_GPE;
}

/** "ERSPAN II session 7 from 10.9.9.1", "GRE key 5 from 192.0.2.1", "MPLS label 16", "PBB I-SID 100". Rare path. */
function tunnelLabel(f: DecodedFrame): string {
  const t = f.tunnel;
  const from =
    t.outerIpVersion === 4 ? ` from ${formatIpv4(t.outerSrc4)}` : t.outerIpVersion === 6 ? ` from ${formatIpv6(f.bytes, t.outerSrc6Offset)}` : '';
  switch (t.kind) {
    case TUNNEL_ERSPAN:
      return `ERSPAN ${['', 'I', 'II', 'III'][t.erspanVersion] ?? ''} session ${t.id}${from}`.replace('  ', ' ');
    case TUNNEL_GRE:
      return `GRE${t.greKey >= 0 ? ` key ${t.greKey}` : ''}${from}`;
    case TUNNEL_MPLS:
      return `MPLS label ${t.id}${from}`;
    case TUNNEL_PBB:
      return `PBB I-SID ${t.id}`;
    default:
      return `tunnel${from}`;
  }
}

/** fe80::/10 at `offset`. */
function isLinkLocal(bytes: Buffer, offset: number): boolean {
  return bytes[offset] === 0xfe && (bytes[offset + 1] & 0xc0) === 0x80;
}

function ipSource(f: DecodedFrame): string {
  if (f.ip.version === 4) return formatIpv4(f.ip.src4);
  if (f.ip.version === 6) return formatIpv6(f.bytes, f.ip.src6Offset);
  return '';
}
