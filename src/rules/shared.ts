// The state several rules read, kept once by the engine — as a switch keeps one ARP/ND cache and one MAC table,
// or as Zeek's scripts share one connection record. The engine updates it once per fact, before any rule sees
// that fact; rules are policies over it and keep only what no other rule needs.
//
//   gateways     what is known of first-hop routers per domain: FHRP virtual IPs (→ group, virtual MAC), router
//                addresses (IPv6 RA sources, NAs with the R flag), router and FHRP-member MACs, and the gateways the
//                config's intent declares (LEARNED_INTENT, from the first packet)
//   resolutions  pending ARP requests / IPv6 solicitations and their fate (resolutions.ts), made when the first
//                rule asks for it, so a run without those rules pays nothing
//   neighbours   the ARP/ND cache: per (domain, IP) its requesters and the MACs that claim it (neighbours.ts),
//                made on first use as well
//   planes       an EVPN/VXLAN fabric's control plane (type-2/3 routes) beside its data plane (which VTEP sends
//                which inner MAC in which VNI) (planes.ts), made on first use
//   evpnIdentity what every consumer of an EVPN route asks first: its RD as a number, the PE that advertised it
//                (for a withdrawal, the RD's last next hop) and its EVPN instance (evpn-identity.ts)
//   addresses    formats the address keys facts carry (IPv4 numbers, IPv6 AddressBook keys)
//
// Every table is bounded (maxMacs / maxPendingArp) and aged in one place (AgedNumberTable).
import type { AddressFormatter } from '../facts/addresses.js';
import { IPV4_ONLY } from '../facts/addresses.js';
import { ND_ROUTER, type EvpnRouteFact, type FhrpFact, type NeighbourFact, type RouterAdvertFact, type VxlanFrameFact } from '../facts/types.js';
import { AgedNumberTable, AgedRowTable } from './bounded.js';
import { NeighbourTable } from './neighbours.js';
import { ARP_PENDING_GRACE, ARP_TIMEOUT, DUPLICATE_WINDOW, GATEWAY_REQUESTERS, MAX_EVPN_ROUTES, MAX_MACS, MAX_PENDING_ARP } from './options.js';
import { EvpnIdentity } from './evpn-identity.js';
import { Planes } from './planes.js';
import { ResolutionTracker, type UnansweredRequest } from './resolutions.js';
import type { RuleOption } from './types.js';
import type { DeclaredGateways } from './declared-gateways.js';
import { DOUBLE_ZERO } from '../util/double.js';

/** An FHRP group as its hellos describe it. */
export interface FhrpGroupInfo {
  seen: number;
  protocol: string;
  group: number;
  virtualMac: number;
}

/** How a router address or MAC was learned. */
export const LEARNED_RA = 1;
export const LEARNED_NA_ROUTER = 2;
export const LEARNED_FHRP = 4;
/** Declared in the config's intent.gateways: a gateway from the first packet (declared-gateways.ts). */
export const LEARNED_INTENT = 8;

interface RouterEntry {
  seen: number;
  /** LEARNED_* bits. */
  how: number;
  lastTime: number;
}

export class GatewayKnowledge {
  /** (domain, virtual IP key) → its FHRP group. */
  private readonly vips: AgedNumberTable<FhrpGroupInfo>;
  /** (domain, IP key) → a router address: an RA's source, an NA's target with R set. */
  private readonly routerIps: AgedNumberTable<RouterEntry>;
  /** (domain, MAC) → a router's MAC: RA sources, FHRP hello sources and virtual MACs. */
  private readonly routerMacs: AgedNumberTable<RouterEntry>;

  constructor(
    cap: number,
    /** The config's intent.gateways: their IPs and MACs are router ones (LEARNED_INTENT) before any packet says so. */
    readonly declared: DeclaredGateways | null = null,
  ) {
    this.vips = new AgedNumberTable<FhrpGroupInfo>(cap);
    this.routerIps = new AgedNumberTable<RouterEntry>(cap);
    this.routerMacs = new AgedNumberTable<RouterEntry>(cap);
  }

  get vipCount(): number {
    return this.vips.size;
  }

  /** The FHRP group whose virtual IP this is, if any. */
  fhrpGroup(domainId: number, ip: number): FhrpGroupInfo | undefined {
    return this.vips.size === 0 ? undefined : this.vips.get(domainId, ip);
  }

  /** LEARNED_* bits for a router address (0: not known as a router). */
  routerIp(domainId: number, ip: number): number {
    const how = this.routerIps.size === 0 ? 0 : (this.routerIps.get(domainId, ip)?.how ?? 0);
    return this.declared?.find(domainId, ip) ? how | LEARNED_INTENT : how;
  }

  /** LEARNED_* bits for a router MAC (0: not known as a router or FHRP member). */
  routerMac(domainId: number, mac: number): number {
    const how = this.routerMacs.size === 0 ? 0 : (this.routerMacs.get(domainId, mac)?.how ?? 0);
    return this.declared?.declaresMac(domainId, mac) ? how | LEARNED_INTENT : how;
  }

  fhrp(f: FhrpFact): void {
    for (const ip of f.virtualIpKeys) {
      const known = this.vips.get(f.domainId, ip);
      if (known) {
        known.protocol = f.protocol;
        known.group = f.group;
        known.virtualMac = f.virtualMac;
        this.vips.touch(known);
      } else {
        this.vips.set(f.domainId, ip, { seen: 0, protocol: f.protocol, group: f.group, virtualMac: f.virtualMac });
      }
    }
    if (f.srcMac !== 0) this.learn(this.routerMacs, f.domainId, f.srcMac, LEARNED_FHRP, f.ref.time);
    if (f.virtualMac !== 0) this.learn(this.routerMacs, f.domainId, f.virtualMac, LEARNED_FHRP, f.ref.time);
  }

  routerAdvert(f: RouterAdvertFact): void {
    if (f.routerIp !== 0) this.learn(this.routerIps, f.domainId, f.routerIp, LEARNED_RA, f.ref.time);
    if (f.srcMac !== 0) this.learn(this.routerMacs, f.domainId, f.srcMac, LEARNED_RA, f.ref.time);
  }

  neighbour(f: NeighbourFact): void {
    if ((f.ndFlags & ND_ROUTER) === 0 || f.senderIp === 0) return;
    this.learn(this.routerIps, f.domainId, f.senderIp, LEARNED_NA_ROUTER, f.ref.time);
    if (f.senderMac !== 0) this.learn(this.routerMacs, f.domainId, f.senderMac, LEARNED_NA_ROUTER, f.ref.time);
  }

  private learn(table: AgedNumberTable<RouterEntry>, domainId: number, key: number, how: number, time: number): void {
    const known = table.get(domainId, key);
    if (known) {
      known.how |= how;
      known.lastTime = time;
      table.touch(known);
      return;
    }
    table.set(domainId, key, { seen: 0, how, lastTime: time });
  }

  sizes(): Record<string, number> {
    return { vips: this.vips.size, routerIps: this.routerIps.size, routerMacs: this.routerMacs.size };
  }
}

/**
 * What the capture point can see, per domain (as Zeek reports capture loss, for neighbour resolution). A reply is
 * unicast to its requester, so a missing reply is evidence only where the capture would have seen it. A capture on
 * one host's NIC (or a mirror of one access port) sees only the unicast replies that host sends or receives: every
 * unicast reply in it has that host at one end. So the view is inferred from the unicast replies seen:
 *   - fewer than HOST_SIDE_REPLIES: nothing says the view is partial (everything failing is an outage, and more
 *     likely than a capture that sees no unicast at all): every requester is judged;
 *   - all of them (at least HOST_SIDE_REPLIES) to or from one MAC (at most two candidates: the two ends of the
 *     first reply): a host-side view — only requests from or for that host are judged;
 *   - replies between unrelated pairs: the domain is seen in full (a SPAN of the VLAN, a trunk).
 */
interface DomainView {
  /** Unicast replies seen. */
  replies: number;
  /** MACs at one end of every unicast reply so far (0 = none left), and their IPs. */
  anchorA: number;
  anchorB: number;
  anchorAIp: number;
  anchorBIp: number;
  /** Distinct requester MACs (up to a bound) and requests not judged because of the view. */
  requesters: number;
  unjudged: number;
}

export class Vantage {
  /** (domain, requester MAC) seen asking: a key set, rows without columns (nothing per requester to trace). */
  private readonly requesters: AgedRowTable<Record<string, never>>;
  private readonly views = new Map<number, DomainView>();

  constructor(cap: number) {
    this.requesters = new AgedRowTable(cap, {});
  }

  private view(domainId: number): DomainView | undefined {
    let v = this.views.get(domainId);
    if (!v && this.views.size < MAX_VIEWS) {
      // The anchors are MACs and IPv4 addresses: doubles from the start (util/double.ts).
      const zero = DOUBLE_ZERO;
      v = { replies: 0, anchorA: zero, anchorB: zero, anchorAIp: zero, anchorBIp: zero, requesters: 0, unjudged: 0 };
      this.views.set(domainId, v);
    }
    return v;
  }

  neighbour(f: NeighbourFact): void {
    if (f.arpClass === 'request' && f.senderMac !== 0 && this.requesters.find(f.domainId, f.senderMac) < 0) {
      this.requesters.insert(f.domainId, f.senderMac);
      const v = this.view(f.domainId);
      if (v) v.requesters++;
    }
    if (f.arpClass !== 'reply' && f.arpClass !== 'gratuitous-reply') return;
    const dst = f.ethDst;
    const src = f.ethSrc !== 0 ? f.ethSrc : f.senderMac;
    if (dst === 0 || src === 0 || Math.floor(dst / 0x10000000000) & 1) return;
    const v = this.view(f.domainId);
    if (!v) return;
    if (v.replies++ === 0) {
      v.anchorA = src;
      v.anchorAIp = f.senderIp;
      v.anchorB = dst;
      v.anchorBIp = f.targetIp;
      return;
    }
    if (v.anchorA !== src && v.anchorA !== dst) v.anchorA = 0;
    if (v.anchorB !== src && v.anchorB !== dst) v.anchorB = 0;
  }

  /** Enough replies, all with one MAC at an end, to call the view host-side (fewer say little either way). */
  private hostSide(v: DomainView): boolean {
    return v.replies >= HOST_SIDE_REPLIES && (v.anchorA !== 0 || v.anchorB !== 0);
  }

  /**
   * Would the capture have seen the reply to this request, for certain, whatever the rest of the capture shows?
   * Yes where the domain is seen in full; in a host-side view, for requests from or for the capturing host (the one
   * MAC at an end of every reply: its own replies and those to it are seen). While every reply was between the same
   * two MACs, either could be the capturing host: only requests between the two are judged.
   */
  certainlyObservable(domainId: number, requesterMac: number, targetIp: number): boolean {
    const v = this.views.get(domainId);
    if (!v || v.replies === 0) return false;
    if (v.anchorA === 0 && v.anchorB === 0) return true;
    if (!this.hostSide(v)) return false;
    if (v.anchorA !== 0 && v.anchorB !== 0) {
      // Between the two ends: whichever is the capturing host, a reply between them is seen.
      return (requesterMac === v.anchorA && targetIp === v.anchorBIp) || (requesterMac === v.anchorB && targetIp === v.anchorAIp);
    }
    const host = v.anchorA !== 0 ? v.anchorA : v.anchorB;
    const hostIp = v.anchorA !== 0 ? v.anchorAIp : v.anchorBIp;
    return requesterMac === host || targetIp === hostIp;
  }

  /** Would the capture have seen the reply, as far as the capture so far tells (no reply seen yet: yes)? */
  observable(domainId: number, requesterMac: number, targetIp: number): boolean {
    const v = this.views.get(domainId);
    if (!v || !this.hostSide(v)) return true;
    return this.certainlyObservable(domainId, requesterMac, targetIp);
  }

  /**
   * Looser than `observable`: also a requester at an end of every reply so far (replies to it are seen, at least
   * from the other end). For rules with other evidence that the requester is no capturing host (a MAC shared by
   * several devices).
   */
  mayObserve(domainId: number, requesterMac: number, targetIp: number): boolean {
    const v = this.views.get(domainId);
    if (v && this.hostSide(v) && (requesterMac === v.anchorA || requesterMac === v.anchorB)) return true;
    return this.observable(domainId, requesterMac, targetIp);
  }

  noteUnjudged(domainId: number): void {
    const v = this.view(domainId);
    if (v) v.unjudged++;
  }

  /** Domains seen from one host: the host (one or two candidate MACs), and what could not be judged there. */
  limited(): { domainId: number; unicastTo: number[]; replies: number; requesters: number; unjudged: number }[] {
    const out: { domainId: number; unicastTo: number[]; replies: number; requesters: number; unjudged: number }[] = [];
    for (const [domainId, v] of this.views) {
      if (!this.hostSide(v) || v.requesters <= 1) continue;
      const unicastTo = [v.anchorA, v.anchorB].filter((m) => m !== 0);
      out.push({ domainId, unicastTo, replies: v.replies, requesters: v.requesters, unjudged: v.unjudged });
    }
    return out.sort((a, b) => a.domainId - b.domainId);
  }
}

/** Unicast replies, all to or from one MAC, from which a capture is taken to be host-side. */
export const HOST_SIDE_REPLIES = 4;
/** Domains whose view is tracked; beyond that, domains are judged as before (no view known). */
const MAX_VIEWS = 100_000;

export class SharedState {
  readonly gateways: GatewayKnowledge;
  readonly vantage: Vantage;
  readonly evpnIdentity: EvpnIdentity;
  private tracker: ResolutionTracker | null = null;
  private table: NeighbourTable | null = null;
  private planesState: Planes | null = null;
  /** Listeners of the tracker (one per rule that asked for it): the engine names their ids when the cap drops requests. */
  resolutionListeners = 0;

  constructor(
    private readonly settings: Readonly<Record<string, number>>,
    readonly addresses: AddressFormatter = IPV4_ONLY,
    declared: DeclaredGateways | null = null,
  ) {
    this.gateways = new GatewayKnowledge(this.number(MAX_MACS), declared);
    this.vantage = new Vantage(this.number(MAX_MACS));
    this.evpnIdentity = new EvpnIdentity(this.number(MAX_EVPN_ROUTES));
  }

  private number(option: RuleOption): number {
    const value = this.settings[option.name];
    return typeof value === 'number' && Number.isFinite(value) ? value : option.default;
  }

  /**
   * The pending-resolution tracker, made on first use; `onUnanswered` hears of every request decided
   * unanswered. Requests are matched once however many rules listen.
   */
  resolutions(onUnanswered: (request: UnansweredRequest) => void): ResolutionTracker {
    if (!this.tracker) this.tracker = new ResolutionTracker(this.number(ARP_TIMEOUT), this.number(MAX_PENDING_ARP));
    this.tracker.listen(onUnanswered);
    this.resolutionListeners++;
    return this.tracker;
  }

  /** The neighbour table (who claims which IP), made on first use. */
  neighbours(): NeighbourTable {
    this.table ??= new NeighbourTable({
      maxIps: this.number(MAX_MACS),
      duplicateWindow: this.number(DUPLICATE_WINDOW),
      replyWindow: this.number(ARP_TIMEOUT),
      requesters: this.number(GATEWAY_REQUESTERS),
    });
    return this.table;
  }

  /**
   * The control and data plane of an EVPN/VXLAN fabric (planes.ts), made on first use: a run without the rules
   * that compare them keeps no per-frame VXLAN state.
   */
  planes(): Planes {
    // Both planes are keyed by MAC: their live routes are capped as the MAC tables are (a live route is a record of
    // numbers now, but --max-evpn-routes of them, with their indexes, would still outgrow the rest of the analysis).
    this.planesState ??= new Planes(this.number(MAX_MACS), this.number(MAX_MACS));
    return this.planesState;
  }

  /** The planes if a rule made them (the engine feeds them; the report's coverage reads them). */
  get planesIfMade(): Planes | null {
    return this.planesState;
  }

  evpn(f: EvpnRouteFact): void {
    this.evpnIdentity.observe(f);
    this.planesState?.evpn(f);
  }

  /** Notes a VXLAN frame in the planes; false when there is nothing to compare it with yet (see Planes.vxlan). */
  vxlan(f: VxlanFrameFact): boolean {
    return this.planesState?.vxlan(f) ?? false;
  }

  /** The tracker if a rule made it (for sizes and tests). */
  get pending(): ResolutionTracker | null {
    return this.tracker;
  }

  neighbour(f: NeighbourFact): void {
    this.gateways.neighbour(f);
    this.vantage.neighbour(f);
    this.tracker?.observe(f);
    this.table?.observe(f);
  }

  routerAdvert(f: RouterAdvertFact): void {
    this.gateways.routerAdvert(f);
  }

  fhrp(f: FhrpFact): void {
    this.gateways.fhrp(f);
  }

  /** Capture time moved on without a neighbour fact (live input, quiet link): requests past their time are decided. */
  tick(now: number): void {
    this.tracker?.advance(now);
  }

  /** End of the capture: pending requests are decided (those too close to the end stay pending). */
  end(lastTime: number): void {
    this.tracker?.end(lastTime, this.number(ARP_PENDING_GRACE));
  }

  sizes(): Record<string, number> {
    return {
      ...this.gateways.sizes(),
      pending: this.tracker?.size ?? 0,
      neighbours: this.table?.size ?? 0,
      evpnRds: this.evpnIdentity.rdCount,
      evpnInstances: this.evpnIdentity.instances.size,
      ...(this.planesState?.sizes() ?? {}),
    };
  }
}
