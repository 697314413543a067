// The inventory: the map before the findings. Per broadcast domain, the gateways (IP → MACs, and how each MAC was
// learned), the FHRP groups (virtual IP and MAC, each router's state, priority and timers) and how many hosts were
// seen; per EVPN instance, the PEs (routes, MACs, highest MAC Mobility sequence) and the default-gateway routes.
// It judges nothing: it says what the capture showed, so a reader can check the findings against the network.
//
// Fed by the engine once per fact (as the shared state is), whatever rules run. Bounded like every rule table:
// addresses, host MACs and the EVPN PEs' MACs in aged tables of maxMacs entries, groups, PEs and
// instances by fixed caps; what a cap left out is counted ("… N more"), and a count that lost entries to a table's
// cap says `approximate`. Hellos, RAs and EVPN routes are few (seconds apart per router): they may use texts. ARP and
// ND facts, the many, cost two lookups in number-keyed tables (AgedSlots) and allocate nothing: an address is numbers
// beside its slot, with an object only for the few that need one (gateways).
//
// What makes an IP a gateway here is evidence, never a guess: an FHRP virtual IP (a hello lists it), an IPv6 router
// (it sent an RA, or an NA with the R flag, RFC 4861 §4.4), an EVPN default-gateway route (RFC 7432 §10.1) or one
// whose RFC 9047 ARP/ND community has R set, or the config's intent.gateways. An IPv4 address everybody ARPs for is
// not listed as a gateway on that ground alone (duplicate-gateway-mac uses that guess for its words, not for a verdict).
import { isIpv6Key, type AddressFormatter } from '../facts/addresses.js';
import { ND_ROUTER, type DomainLookup, type EvpnRouteFact, type FhrpFact, type NeighbourFact, type RouterAdvertFact } from '../facts/types.js';
import type { FrameRef } from '../facts/types.js';
import { formatMac } from '../util/net.js';
import { AgedSlots } from './aged-slots.js';
import type { DeclaredGateway, DeclaredGateways } from './declared-gateways.js';
import { describeInstance, vxlanVni } from './evpn.js';
import type { EvpnIdentity } from './evpn-identity.js';

/** How a MAC was learned for an IP (bits of AddressEntry.how); names as the JSON gives them. */
const LEARNED = [
  'arp-reply',
  'gratuitous-arp',
  'na',
  'na-router',
  'ra',
  'fhrp-hello',
  'evpn-default-gateway',
  'evpn-arp-nd-router',
  'intent',
] as const;
export type LearnedHow = (typeof LEARNED)[number];
const L_ARP_REPLY = 1;
const L_GRATUITOUS_ARP = 2;
const L_NA = 4;
const L_NA_ROUTER = 8;
const L_RA = 16;
const L_FHRP = 32;
const L_EVPN_DG = 64;
const L_EVPN_ARP_ND_ROUTER = 128;
const L_INTENT = 256;

/** Why an IP is a gateway (bits of AddressEntry.basis). */
const BASIS = ['fhrp-virtual-ip', 'ra-source', 'na-router-flag', 'intent'] as const;
export type GatewayBasis = (typeof BASIS)[number];
const B_FHRP_VIP = 1;
const B_RA = 2;
const B_NA_ROUTER = 4;
const B_INTENT = 8;

/** MACs kept per address; more are counted. */
const MACS_PER_ADDRESS = 8;
/** Listed per domain (more are counted): gateways, FHRP groups; per group: routers, virtual IPs. */
export const INVENTORY_GATEWAYS = 16;
export const INVENTORY_GROUPS = 16;
const ROUTERS_PER_GROUP = 8;
const VIPS_PER_GROUP = 8;
/** Domains and EVPN instances listed; PEs and default-gateway routes per instance. */
export const INVENTORY_DOMAINS = 64;
export const INVENTORY_EVPN_INSTANCES = 64;
const PES_PER_INSTANCE = 32;
const EVPN_GATEWAYS_PER_INSTANCE = 16;
/** Kept at most (beyond: counted, not described): FHRP groups, EVPN instances, domains with counts. */
const MAX_GROUPS = 4096;
const MAX_INSTANCES = 4096;
const MAX_DOMAINS = 100_000;
/** Domain ids below this are looked up by index (DomainTable hands out ids from 0, at most 2^18 live). */
const DENSE_DOMAIN_IDS = 1 << 18;

// ——— what the report says (schema/report.schema.json, `inventory`) ———

export interface InventoryMac {
  mac: string;
  learned: LearnedHow[];
  /** The first frame that showed this MAC for the address. */
  input: number;
  frame: number;
  /** The address is declared in intent.gateways and lists this MAC. */
  declared?: boolean;
}

export interface InventoryGateway {
  ip: string;
  family: 'ipv4' | 'ipv6';
  basis: GatewayBasis[];
  macs: InventoryMac[];
  macsMore: number;
  /** intent.gateways lists this IP (in this domain): the MACs it may resolve to. */
  declaredMacs?: string[];
  /** FHRP group of a virtual IP, "hsrp group 1". */
  fhrp?: string;
}

export interface InventoryRouter {
  ip: string;
  /** Ethernet source of its last hello (an HSRP Active router sends from the virtual MAC). */
  mac: string;
  /** Every source MAC its hellos came from, first seen first (its own MAC, then the virtual MAC once Active). */
  helloMacs: string[];
  state: string;
  priority: number;
  helloMs: number;
  holdMs: number;
  hellos: number;
  /** First and last hello. */
  input: number;
  firstFrame: number;
  lastFrame: number;
}

export interface InventoryFhrpGroup {
  protocol: string;
  version: number;
  group: number;
  virtualIps: string[];
  virtualMac: string | null;
  /** GLBP: the forwarders' virtual MACs. */
  forwarderMacs?: string[];
  routers: InventoryRouter[];
  routersMore: number;
  /** Most routers Active (or Master) at once, each within its hold time. */
  activeAtOnce: number;
}

export interface InventoryDomain {
  domain: string;
  gateways: InventoryGateway[];
  gatewaysMore: number;
  fhrpGroups: InventoryFhrpGroup[];
  fhrpGroupsMore: number;
  /** Distinct sender MACs and IPs of ARP and NS/NA messages (gateways included); approximate when a table cap
   *  evicted some (an address seen again after its eviction counts twice). */
  hosts: { macs: number; ips: number; approximate: boolean };
}

export interface InventoryPe {
  pe: string;
  advertisements: number;
  withdrawals: number;
  /** Distinct MACs in its type-2 advertisements. */
  macs: number;
  /** Highest MAC Mobility sequence number it advertised (null: never a MAC Mobility community). */
  highestSequence: number | null;
}

export interface InventoryEvpnGateway {
  ip: string | null;
  mac: string;
  pe: string;
  learned: LearnedHow[];
  input: number;
  frame: number;
}

export interface InventoryEvpnInstance {
  instance: string;
  vni: number | null;
  ethernetTag: number;
  routeTargets: string[];
  pes: InventoryPe[];
  pesMore: number;
  gateways: InventoryEvpnGateway[];
  gatewaysMore: number;
}

export interface InventoryReport {
  domains: InventoryDomain[];
  domainsMore: number;
  evpn: InventoryEvpnInstance[];
  evpnMore: number;
  /** PE MAC counts lost entries to the EVPN MAC table's cap. */
  evpnApproximate: boolean;
}

// ——— what is kept ———

/*
 * What is kept per address: numbers side by side in its fields of Inventory.addressTable (no object per address —
 * most are hosts the cap pushes out again, and as objects they were promoted garbage), hot ones first; and in its
 * flags byte, the bit every ARP or ND fact from it reads (a request reads nothing else: no miss on its fields).
 */
/** Flag: counted among the domain's host IPs (it sent ARP or NS/NA). */
const F_SENDER = 1;
/** The first MAC seen for the address (0: none yet) — most addresses never have a second — how it was learned
 *  (L_* bits) and its first frame; further MACs in its AddressExtra. */
const A_MAC = 0;
const A_HOW = 1;
const A_INPUT = 2;
const A_FRAME = 3;
/** Why it is a gateway (B_* bits; 0: no evidence). */
const A_BASIS = 4;
/** MACs beyond MACS_PER_ADDRESS, counted. */
const A_MACS_MORE = 5;
const ADDRESS_FIELDS = 6;

/** What only a few addresses have (gateways, addresses with several MACs): made when first needed. */
class AddressExtra {
  /** The address as text: the fact's own, or formatted once. */
  text: string | null = null;
  /** MACs after the first. */
  more: { macs: number[]; how: number[]; inputs: number[]; frames: number[] } | null = null;
}

class DomainCounts {
  macs = 0;
  ips = 0;
  approximate = false;
}

interface RouterSeen {
  ip: string;
  mac: number;
  macs: number[];
  state: string;
  priority: number;
  helloMs: number;
  holdMs: number;
  hellos: number;
  input: number;
  firstFrame: number;
  lastFrame: number;
  /** Time of its last Active/Master hello (-Infinity: none). */
  lastActive: number;
}

interface GroupSeen {
  domainId: number;
  protocol: string;
  version: number;
  group: number;
  vips: string[];
  virtualMac: number;
  forwarders: number[];
  routers: Map<string, RouterSeen>;
  /** The same routers in a list, walked on every Active hello without an iterator object. */
  routerList: RouterSeen[];
  routersMore: number;
  holdS: number;
  activeAtOnce: number;
}

interface PeSeen {
  id: number;
  pe: string;
  advertisements: number;
  withdrawals: number;
  macs: number;
  highestSequence: number | null;
}

interface InstanceSeen {
  label: string;
  vni: number | null;
  ethernetTag: number;
  routeTargets: string[];
  pes: Map<string, PeSeen>;
  pesMore: number;
  gateways: Map<string, InventoryEvpnGateway & { how: number }>;
  gatewaysMore: number;
}

export class Inventory {
  /** (domain, address key) → what the address was seen as (A_* numbers). */
  private readonly addressTable: AgedSlots<AddressExtra>;
  /** (domain, MAC) of every ARP/ND sender, for the host count: the key is all there is. */
  private readonly hostMacs: AgedSlots;
  private readonly counts = new Map<number, DomainCounts>();
  /** The same by domain id, for the lookup every fact makes (ids are small and dense: DomainTable). */
  private readonly countsById: (DomainCounts | undefined)[] = [];
  private readonly groups = new Map<number, GroupSeen>();
  private groupsDropped = 0;
  private readonly instances = new Map<string, InstanceSeen>();
  private instancesDropped = 0;
  /** (PE id, MAC) seen in type-2 advertisements, for the PEs' MAC counts; any it evicted make them approximate.
   *  A table of MACs, so capped at maxMacs like the others: at maxEvpnRoutes (100,000) it was 9 MiB of slots at 4M
   *  packets for a count (docs/performance.md, tenth round). */
  private readonly evpnMacs: AgedSlots;
  /** RD (rdNumber) → by route type, the instance its advertisements named: a withdrawal carries no extended
   *  communities (MP_UNREACH_NLRI), and an RD is one PE's for one EVI (RFC 7432 §7.9). Capped at maxEvpnRoutes
   *  RDs. (The RD's PE is the shared state's: evpn-identity.ts.) */
  private readonly instancesByRd = new Map<number, (InstanceSeen | undefined)[]>();
  private nextPeId = 0;

  constructor(
    maxMacs: number,
    private readonly maxEvpnRoutes: number,
    private readonly addresses: AddressFormatter,
    /** Each EVPN route's RD number and PE, worked out once for every consumer (evpn-identity.ts). */
    private readonly identity: EvpnIdentity,
    private readonly declared: DeclaredGateways | null = null,
  ) {
    // One callback for both tables, and none for the EVPN MACs (their count says whether the cap took any): the
    // sweep's call to it sees one target, where three closures made its optimised code deoptimise at the first
    // sweep of another table.
    const lost = (_at: number, domainId: number) => this.lost(domainId);
    this.addressTable = new AgedSlots(maxMacs, ADDRESS_FIELDS, lost);
    this.hostMacs = new AgedSlots(maxMacs, 0, lost);
    this.evpnMacs = new AgedSlots(maxMacs, 0);
  }

  private lost(domainId: number): void {
    const c = domainId < DENSE_DOMAIN_IDS ? this.countsById[domainId] : this.counts.get(domainId);
    if (c) c.approximate = true;
  }

  private countsOf(domainId: number): DomainCounts | undefined {
    let c = domainId < DENSE_DOMAIN_IDS ? this.countsById[domainId] : this.counts.get(domainId);
    if (!c && this.counts.size < MAX_DOMAINS) {
      c = new DomainCounts();
      this.counts.set(domainId, c);
      if (domainId < DENSE_DOMAIN_IDS) this.countsById[domainId] = c;
    }
    return c;
  }

  /** The slot of (domain, address key), touched; a new one (zeroed) when first seen. Valid until the next. */
  private address(domainId: number, key: number): number {
    return this.addressTable.use(domainId, key);
  }

  private extra(slot: number): AddressExtra {
    let extra = this.addressTable.attachment(slot);
    if (extra === undefined) {
      extra = new AddressExtra();
      this.addressTable.attach(slot, extra);
    }
    return extra;
  }

  /** The text of an address, set once (gateways only: most addresses never need one). */
  private name(slot: number, text: string): void {
    const extra = this.extra(slot);
    extra.text ??= text;
  }

  private learn(slot: number, mac: number, how: number, ref: FrameRef): void {
    if (mac === 0) return;
    const a = this.addressTable.fields;
    const at = this.addressTable.fieldsAt(slot);
    if (a[at + A_MAC] === mac) {
      a[at + A_HOW] |= how;
      return;
    }
    if (a[at + A_MAC] === 0) {
      a[at + A_MAC] = mac;
      a[at + A_HOW] = how;
      a[at + A_INPUT] = ref.input;
      a[at + A_FRAME] = ref.frame;
      return;
    }
    const more = (this.extra(slot).more ??= { macs: [], how: [], inputs: [], frames: [] });
    const i = more.macs.indexOf(mac);
    if (i >= 0) {
      more.how[i] |= how;
      return;
    }
    if (more.macs.length + 1 >= MACS_PER_ADDRESS) {
      a[at + A_MACS_MORE]++;
      return;
    }
    more.macs.push(mac);
    more.how.push(how);
    more.inputs.push(ref.input);
    more.frames.push(ref.frame);
  }

  neighbour(f: NeighbourFact): void {
    const domainId = f.domainId;
    const c = this.countsOf(domainId);
    const senderMac = f.senderMac;
    if (senderMac !== 0) {
      // Touched when seen again: the cap pushes out the MACs silent longest, not the first ones seen.
      this.hostMacs.use(domainId, senderMac);
      if (this.hostMacs.added && c) c.macs++;
    }
    if (f.senderIp === 0) return;
    const slot = this.address(domainId, f.senderIp);
    const flags = this.addressTable.flags;
    if ((flags[slot] & F_SENDER) === 0) {
      flags[slot] |= F_SENDER;
      if (c) c.ips++;
    }
    let how = 0;
    switch (f.arpClass) {
      case 'reply':
      case 'gratuitous-reply':
        how = f.family === 6 ? ((f.ndFlags & ND_ROUTER) !== 0 ? L_NA_ROUTER : L_NA) : f.arpClass === 'reply' ? L_ARP_REPLY : L_GRATUITOUS_ARP;
        break;
      case 'announcement':
      case 'gratuitous-request':
        how = L_GRATUITOUS_ARP;
        break;
      default:
        return;
    }
    if (how === L_NA_ROUTER) {
      const a = this.addressTable.fields;
      const at = this.addressTable.fieldsAt(slot);
      if ((a[at + A_BASIS] & B_NA_ROUTER) === 0) {
        a[at + A_BASIS] |= B_NA_ROUTER;
        this.extra(slot).text ??= this.addresses.format(f.senderIp, f.family);
      }
    }
    this.learn(slot, senderMac, how, f.ref);
  }

  routerAdvert(f: RouterAdvertFact): void {
    this.countsOf(f.domainId);
    if (f.routerIp === 0) return;
    const slot = this.address(f.domainId, f.routerIp);
    this.addressTable.fields[this.addressTable.fieldsAt(slot) + A_BASIS] |= B_RA;
    this.name(slot, f.routerIpText);
    this.learn(slot, f.srcMac, L_RA, f.ref);
  }

  fhrp(f: FhrpFact): void {
    this.countsOf(f.domainId);
    const forwarderMacs = f.forwarderMacs;
    for (let i = 0; i < f.virtualIpKeys.length; i++) {
      const key = f.virtualIpKeys[i];
      if (key === 0) continue;
      const slot = this.address(f.domainId, key);
      this.addressTable.fields[this.addressTable.fieldsAt(slot) + A_BASIS] |= B_FHRP_VIP;
      this.name(slot, f.virtualIps[i]);
      this.learn(slot, f.virtualMac, L_FHRP, f.ref);
      if (forwarderMacs) for (let j = 0; j < forwarderMacs.length; j++) this.learn(slot, forwarderMacs[j], L_FHRP, f.ref);
    }
    // One number per (domain, protocol, group): no string per hello (groups are below 2^16 in every protocol).
    const key = (f.domainId * 4 + (f.protocol === 'hsrp' ? 1 : f.protocol === 'vrrp' ? 2 : 3)) * 65536 + (f.group & 0xffff);
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_GROUPS) {
        this.groupsDropped++;
        return;
      }
      g = {
        domainId: f.domainId,
        protocol: f.protocol,
        version: f.version,
        group: f.group,
        vips: [],
        virtualMac: f.virtualMac,
        forwarders: [],
        routers: new Map(),
        routerList: [],
        routersMore: 0,
        holdS: 0,
        activeAtOnce: 0,
      };
      this.groups.set(key, g);
    }
    g.version = f.version;
    if (f.virtualMac !== 0) g.virtualMac = f.virtualMac;
    for (const ip of f.virtualIps) if (ip !== '0.0.0.0' && ip !== '::' && !g.vips.includes(ip) && g.vips.length < VIPS_PER_GROUP) g.vips.push(ip);
    if (forwarderMacs) for (const m of forwarderMacs) if (m !== 0 && !g.forwarders.includes(m) && g.forwarders.length < 16) g.forwarders.push(m);
    // A hold time of 0 (not carried) counts an Active router as live for an hour, as gwcheck init always did.
    g.holdS = Math.max(g.holdS, (f.holdMs || 3_600_000) / 1000);
    let r = g.routers.get(f.srcIp);
    if (!r) {
      if (g.routers.size >= ROUTERS_PER_GROUP) {
        g.routersMore++;
        return;
      }
      r = {
        ip: f.srcIp,
        mac: f.srcMac,
        macs: [],
        state: f.state,
        priority: f.priority,
        helloMs: f.helloMs,
        holdMs: f.holdMs,
        hellos: 0,
        input: f.ref.input,
        firstFrame: f.ref.frame,
        lastFrame: f.ref.frame,
        lastActive: -Infinity,
      };
      g.routers.set(f.srcIp, r);
      g.routerList.push(r);
    }
    r.hellos++;
    r.mac = f.srcMac;
    if (f.srcMac !== 0 && r.macs.length < 4 && !r.macs.includes(f.srcMac)) r.macs.push(f.srcMac);
    r.state = f.state;
    r.priority = f.priority;
    r.helloMs = f.helloMs;
    r.holdMs = f.holdMs;
    if (r.input === f.ref.input) r.lastFrame = f.ref.frame;
    if (f.state === 'active' || f.state === 'master') {
      r.lastActive = f.ref.time;
      let live = 0;
      for (let i = 0; i < g.routerList.length; i++) if (f.ref.time - g.routerList[i].lastActive <= g.holdS) live++;
      if (live > g.activeAtOnce) g.activeAtOnce = live;
    }
  }

  evpn(f: EvpnRouteFact): void {
    const rd = this.identity.rd;
    // By route type and RD: a PE's inclusive-multicast (type 3) routes share the RD of its MAC/IP routes but carry no
    // VNI label (it is in the PMSI attribute), so they key another instance and must not decide where a MAC/IP
    // withdrawal goes.
    let byType = this.instancesByRd.get(rd);
    const named = byType?.[f.routeType];
    const inst = f.action === 'withdraw' ? (named ?? this.instance(f)) : this.instance(f);
    if (!inst) return;
    if (f.action === 'advertise' && named !== inst) {
      if (byType === undefined && this.instancesByRd.size < this.maxEvpnRoutes) {
        byType = [];
        this.instancesByRd.set(rd, byType);
      }
      if (byType !== undefined) byType[f.routeType] = inst;
    }
    // A withdrawal's PE is the one its RD was last advertised from (the shared state's guess).
    this.route(inst, f, this.identity.pe);
  }

  /** The instance of the last VXLAN route and of the last route without a VNI: the routes of an UPDATE, and most
   *  UPDATEs of a session, name the same one, found again without building its key. */
  private lastVxlan: InstanceSeen | null = null;
  private lastByRouteTargets: InstanceSeen | null = null;

  private instance(f: EvpnRouteFact): InstanceSeen | undefined {
    const vni = vxlanVni(f);
    const last = vni !== null ? this.lastVxlan : this.lastByRouteTargets;
    // Same key as describeInstance would build: the VNI and tag, or (no VNI) the tag and the sorted route targets
    // (a fact's are sorted, and the instance kept its sorted copy).
    if (last !== null && last.vni === vni && last.ethernetTag === f.ethernetTag && (vni !== null || sameTexts(last.routeTargets, f.routeTargets))) {
      return last;
    }
    const described = describeInstance(vni, f.ethernetTag, f.routeTargets);
    let inst = this.instances.get(described.key);
    if (!inst) {
      if (this.instances.size >= MAX_INSTANCES) {
        this.instancesDropped++;
        return undefined;
      }
      inst = {
        label:
          vni !== null
            ? `evi vni ${vni}${f.ethernetTag ? ` etag ${f.ethernetTag}` : ''}`
            : `evi rt ${described.routeTargets.join(',') || '-'} etag ${f.ethernetTag}`,
        vni,
        ethernetTag: f.ethernetTag,
        routeTargets: described.routeTargets,
        pes: new Map(),
        pesMore: 0,
        gateways: new Map(),
        gatewaysMore: 0,
      };
      this.instances.set(described.key, inst);
    }
    if (vni !== null) this.lastVxlan = inst;
    else this.lastByRouteTargets = inst;
    return inst;
  }

  private route(inst: InstanceSeen, f: EvpnRouteFact, peName: string): void {
    let pe = inst.pes.get(peName);
    if (!pe) {
      if (inst.pes.size >= PES_PER_INSTANCE) {
        inst.pesMore++;
        return;
      }
      pe = { id: this.nextPeId++, pe: peName, advertisements: 0, withdrawals: 0, macs: 0, highestSequence: null };
      inst.pes.set(peName, pe);
    }
    if (f.action === 'withdraw') {
      pe.withdrawals++;
      return;
    }
    pe.advertisements++;
    if (f.macMobility && (pe.highestSequence === null || f.macMobility.sequence > pe.highestSequence)) pe.highestSequence = f.macMobility.sequence;
    if (f.routeType !== 2 || f.mac === null) return;
    this.evpnMacs.use(pe.id, f.mac);
    if (this.evpnMacs.added) pe.macs++;
    const how = (f.defaultGateway ? L_EVPN_DG : 0) | (f.arpNd?.router ? L_EVPN_ARP_ND_ROUTER : 0);
    if (how === 0) return;
    const key = `${f.ip ?? ''}|${f.mac}|${peName}`;
    const known = inst.gateways.get(key);
    if (known) {
      known.how |= how;
      return;
    }
    if (inst.gateways.size >= EVPN_GATEWAYS_PER_INSTANCE) {
      inst.gatewaysMore++;
      return;
    }
    inst.gateways.set(key, { ip: f.ip, mac: formatMac(f.mac), pe: peName, learned: [], input: f.ref.input, frame: f.ref.frame, how });
  }

  /** Sizes of the tables, for tests that check the inventory stays bounded. */
  sizes(): Record<string, number> {
    let routers = 0;
    for (const g of this.groups.values()) routers += g.routers.size;
    return {
      addresses: this.addressTable.size,
      hostMacs: this.hostMacs.size,
      evpnMacs: this.evpnMacs.size,
      domains: this.counts.size,
      groups: this.groups.size,
      routers,
      instances: this.instances.size,
      rds: this.instancesByRd.size,
    };
  }

  report(domains: DomainLookup): InventoryReport {
    const gatewaysByDomain = new Map<number, InventoryGateway[]>();
    const a = this.addressTable.fields;
    this.addressTable.forEach((slot, domainId, key) => {
      const declared = this.declared?.find(domainId, key);
      if (a[this.addressTable.fieldsAt(slot) + A_BASIS] === 0 && !declared) return;
      let list = gatewaysByDomain.get(domainId);
      if (!list) gatewaysByDomain.set(domainId, (list = []));
      list.push(this.gateway(domainId, key, slot, declared));
    });
    const groupsByDomain = new Map<number, GroupSeen[]>();
    for (const g of this.groups.values()) {
      let list = groupsByDomain.get(g.domainId);
      if (!list) groupsByDomain.set(g.domainId, (list = []));
      list.push(g);
    }
    const all: InventoryDomain[] = [];
    for (const [domainId, c] of this.counts) {
      const gateways = gatewaysByDomain.get(domainId) ?? [];
      // Declared gateways scoped to this domain are listed even when the capture never showed them.
      for (const d of this.declared?.inDomain(domainId) ?? []) {
        if (d.vlan === undefined && d.vni === undefined) continue;
        if (gateways.some((g) => g.ip === d.ip)) continue;
        gateways.push({ ip: d.ip, family: d.family === 6 ? 'ipv6' : 'ipv4', basis: ['intent'], macs: [], macsMore: 0, declaredMacs: d.macTexts });
      }
      gateways.sort(compareGateways);
      const groups = (groupsByDomain.get(domainId) ?? []).sort((a, b) => compareText(a.protocol, b.protocol) || a.group - b.group);
      all.push({
        domain: domains.label(domainId),
        gateways: gateways.slice(0, INVENTORY_GATEWAYS),
        gatewaysMore: Math.max(0, gateways.length - INVENTORY_GATEWAYS),
        fhrpGroups: groups.slice(0, INVENTORY_GROUPS).map(groupReport),
        fhrpGroupsMore: Math.max(0, groups.length - INVENTORY_GROUPS),
        hosts: { macs: c.macs, ips: c.ips, approximate: c.approximate },
      });
    }
    all.sort((a, b) => compareText(a.domain, b.domain));
    const instances = [...this.instances.values()].sort((a, b) => compareText(a.label, b.label));
    return {
      domains: all.slice(0, INVENTORY_DOMAINS),
      domainsMore: Math.max(0, all.length - INVENTORY_DOMAINS) + (this.counts.size >= MAX_DOMAINS ? 1 : 0),
      evpn: instances.slice(0, INVENTORY_EVPN_INSTANCES).map(instanceReport),
      evpnMore: Math.max(0, instances.length - INVENTORY_EVPN_INSTANCES) + this.instancesDropped,
      evpnApproximate: this.evpnMacs.evicted > 0,
    };
  }

  private gateway(domainId: number, key: number, slot: number, declared: DeclaredGateway | undefined): InventoryGateway {
    const a = this.addressTable.fields;
    const at = this.addressTable.fieldsAt(slot);
    const family = isIpv6Key(key) ? 'ipv6' : 'ipv4';
    const basis = a[at + A_BASIS] | (declared ? B_INTENT : 0);
    const seen = a[at + A_MAC] === 0 ? [] : [{ mac: a[at + A_MAC], how: a[at + A_HOW], input: a[at + A_INPUT], frame: a[at + A_FRAME] }];
    const extra = this.addressTable.attachment(slot);
    const more = extra?.more;
    if (more) for (let i = 0; i < more.macs.length; i++) seen.push({ mac: more.macs[i], how: more.how[i], input: more.inputs[i], frame: more.frames[i] });
    const macs: InventoryMac[] = seen.map(({ mac: m, how, input, frame }) => ({
      mac: formatMac(m),
      learned: learnedNames(how | (declared?.macs.has(m) ? L_INTENT : 0)),
      input,
      frame,
      ...(declared ? { declared: declared.macs.has(m) } : {}),
    }));
    const text = extra?.text ?? null;
    const group = (a[at + A_BASIS] & B_FHRP_VIP) !== 0 ? this.groupOf(domainId, text) : undefined;
    return {
      ip: text ?? declared?.ip ?? this.addresses.format(key, family === 'ipv6' ? 6 : 4),
      family,
      basis: BASIS.filter((_, i) => (basis & (1 << i)) !== 0),
      macs,
      macsMore: a[at + A_MACS_MORE],
      ...(declared ? { declaredMacs: declared.macTexts } : {}),
      ...(group ? { fhrp: `${group.protocol} group ${group.group}` } : {}),
    };
  }

  private groupOf(domainId: number, vip: string | null): GroupSeen | undefined {
    if (vip === null) return undefined;
    for (const g of this.groups.values()) if (g.domainId === domainId && g.vips.includes(vip)) return g;
    return undefined;
  }
}

function learnedNames(bits: number): LearnedHow[] {
  return LEARNED.filter((_, i) => (bits & (1 << i)) !== 0);
}

function groupReport(g: GroupSeen): InventoryFhrpGroup {
  const routers = [...g.routers.values()].sort((a, b) => compareText(a.ip, b.ip));
  return {
    protocol: g.protocol,
    version: g.version,
    group: g.group,
    virtualIps: [...g.vips].sort(),
    virtualMac: g.virtualMac !== 0 ? formatMac(g.virtualMac) : null,
    ...(g.forwarders.length ? { forwarderMacs: [...g.forwarders].sort((a, b) => a - b).map(formatMac) } : {}),
    routers: routers.map((r) => ({
      ip: r.ip,
      mac: formatMac(r.mac),
      helloMacs: r.macs.map(formatMac),
      state: r.state,
      priority: r.priority,
      helloMs: r.helloMs,
      holdMs: r.holdMs,
      hellos: r.hellos,
      input: r.input,
      firstFrame: r.firstFrame,
      lastFrame: r.lastFrame,
    })),
    routersMore: g.routersMore,
    activeAtOnce: g.activeAtOnce,
  };
}

function instanceReport(inst: InstanceSeen): InventoryEvpnInstance {
  const pes = [...inst.pes.values()].sort((a, b) => compareText(a.pe, b.pe));
  const gateways = [...inst.gateways.values()].sort((a, b) => compareText(a.ip ?? '', b.ip ?? '') || compareText(a.mac, b.mac) || compareText(a.pe, b.pe));
  return {
    instance: inst.label,
    vni: inst.vni,
    ethernetTag: inst.ethernetTag,
    routeTargets: inst.routeTargets,
    pes: pes.map((p) => ({ pe: p.pe, advertisements: p.advertisements, withdrawals: p.withdrawals, macs: p.macs, highestSequence: p.highestSequence })),
    pesMore: inst.pesMore,
    gateways: gateways.map(({ how, ...g }) => ({ ...g, learned: learnedNames(how) })),
    gatewaysMore: inst.gatewaysMore,
  };
}

function compareGateways(a: InventoryGateway, b: InventoryGateway): number {
  if (a.family !== b.family) return a.family === 'ipv4' ? -1 : 1;
  if (a.family === 'ipv4') return ipv4Number(a.ip) - ipv4Number(b.ip);
  return compareText(a.ip, b.ip);
}

function ipv4Number(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0] * 256 + p[1]) * 256 + p[2]) * 256 + p[3];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameTexts(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
