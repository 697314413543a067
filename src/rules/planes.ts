// The two planes of an EVPN/VXLAN fabric, as the capture shows them, kept once for the rules that compare them
// (evpn-mac-location-mismatch, evpn-vni-mismatch, evpn-flood-list, evpn-arp-suppression-off,
// evpn-router-mac-mismatch):
//
//   data plane     (VNI, inner source MAC) → the VTEP it arrives from (outer IPv4 source), since when, last seen,
//                  first and last frame; (VNI, VTEP) → frames and BUM frames it sent, frames sent to it. Fed once per
//                  VXLAN frame (VxlanFrameFact, a scratch object) into typed-array columns: no allocation per frame
//                  except a row's first index entry.
//   control plane  live EVPN routes (advertised and not withdrawn) with a VXLAN VNI: type-2 MAC/IP by (VNI, MAC)
//                  and by (VNI, IP), type-3 IMET by (VNI, originator), router MACs and L3 VNIs per VTEP (type-5 and
//                  two-label type-2 routes). Routes arrive at control-plane rate: small objects are fine there.
//
// VNIs are from the route's label when its encapsulation is VXLAN (RFC 8365 §5.1.3: type-2 label1 the L2 VNI,
// label2 the L3 VNI; type-3 the PMSI Tunnel attribute's label; type-5 its label). Only IPv4 VTEP addresses are
// compared (an IPv6 next hop or underlay is left out and counted). Every table is capped and aged.
import type { EvpnRouteFact, FrameRef, VxlanFrameFact } from '../facts/types.js';
import { ipv4Key, routeKey, TUNNEL_VXLAN } from './evpn.js';
import { FrameColumn } from './columns.js';
import type { RuleOption } from './types.js';

/** Data from a VTEP may precede its route (a MAC move) by this much before the planes are said to disagree. */
export const PLANES_GRACE: RuleOption = {
  name: 'planesGrace',
  description:
    'Control/data plane: how long VXLAN data may disagree with the live EVPN routes (a MAC move shows data from the new VTEP before its route) before it is a finding',
  default: 1,
  unit: 's',
};

/** A data-plane row unseen this long is forgotten (the usual MAC aging time of a switch, 300 s). */
export const DATA_PLANE_AGE = 300;

export function refOf(f: VxlanFrameFact): FrameRef {
  return { input: f.input, frame: f.frame, seconds: f.seconds, nanos: f.nanos, time: f.time };
}

/**
 * Rows of numbers keyed by (VNI, a second number — a MAC or an IPv4 VTEP): an open-addressing index (linear probing,
 * backward-shift deletion) over typed-array columns, FIFO reuse of rows past the cap (the oldest row made goes
 * first; a row unseen for `maxAge` is found as absent and reused in place). A Map keyed by 48-bit MACs hashes heap
 * numbers: this index costs two integer mixes and a probe or two per lookup, and allocates nothing.
 */
class VniKeyedRows {
  readonly vni: Uint32Array;
  readonly key: Float64Array;
  readonly last: Float64Array;
  /** Slot → row + 1 (0: empty); twice the cap or more, a power of two. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private next = 0;
  private used = 0;
  evicted = 0;

  constructor(
    readonly cap: number,
    private readonly maxAge: number,
  ) {
    this.vni = new Uint32Array(cap);
    this.key = new Float64Array(cap);
    this.last = new Float64Array(cap);
    let size = 16;
    while (size < cap * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.used;
  }

  private hash(vni: number, key: number): number {
    let h = Math.imul((key >>> 0) ^ Math.imul(vni, 0x9e3779b1), 0x85ebca6b);
    h ^= Math.imul(((key / 4294967296) | 0) + 0x27d4eb2f, 0xc2b2ae35);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The slot holding (vni, key), or -1. */
  private slotOf(vni: number, key: number): number {
    for (let i = this.hash(vni, key); ; i = (i + 1) & this.mask) {
      const r = this.slots[i];
      if (r === 0) return -1;
      if (this.key[r - 1] === key && this.vni[r - 1] === vni) return i;
    }
  }

  /** The row of (vni, key), or -1 (also when it aged out at `now`). */
  find(vni: number, key: number, now: number): number {
    const slot = this.slotOf(vni, key);
    if (slot < 0) return -1;
    const row = this.slots[slot] - 1;
    return now - this.last[row] > this.maxAge ? -1 : row;
  }

  /** The row of (vni, key), made (or reused: `fresh` true) when absent or aged out. */
  row(vni: number, key: number, now: number): { row: number; fresh: boolean } {
    const slot = this.slotOf(vni, key);
    if (slot >= 0) {
      const known = this.slots[slot] - 1;
      RESULT.fresh = now - this.last[known] > this.maxAge;
      this.last[known] = now;
      RESULT.row = known;
      return RESULT;
    }
    let row: number;
    if (this.used < this.cap) row = this.used++;
    else {
      row = this.next;
      this.next = (this.next + 1) % this.cap;
      this.remove(this.slotOf(this.vni[row], this.key[row]));
      this.evicted++;
    }
    this.vni[row] = vni;
    this.key[row] = key;
    this.last[row] = now;
    let i = this.hash(vni, key);
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = row + 1;
    RESULT.row = row;
    RESULT.fresh = true;
    return RESULT;
  }

  /** Backward-shift deletion: later entries of the probe run move up so no lookup stops early. */
  private remove(slot: number): void {
    if (slot < 0) return;
    let hole = slot;
    for (let i = (slot + 1) & this.mask; this.slots[i] !== 0; i = (i + 1) & this.mask) {
      const r = this.slots[i] - 1;
      const home = this.hash(this.vni[r], this.key[r]);
      // Move the entry into the hole unless its home lies in (hole, i] (cyclically).
      const stays = hole <= i ? home > hole && home <= i : home > hole || home <= i;
      if (stays) continue;
      this.slots[hole] = this.slots[i];
      hole = i;
    }
    this.slots[hole] = 0;
  }

  /** Rows of one VNI (for end-of-capture decisions). */
  *rowsOf(vni: number): IterableIterator<number> {
    for (let row = 0; row < this.used; row++) if (this.vni[row] === vni) yield row;
  }
}

/** One reused result object: `row()` allocates nothing. */
const RESULT = { row: 0, fresh: false };

/** (VNI, inner source MAC) → where it is seen entering the overlay. */
export class MacLocations {
  readonly rows: VniKeyedRows;
  /** Ingress VTEP (outer IPv4 source) now, and the one before it (0: none). */
  readonly vtep: Uint32Array;
  readonly previousVtep: Uint32Array;
  /** Time the MAC was first seen from `vtep` (continuously since). */
  readonly since: Float64Array;
  /** First frame from `vtep` and the last frame. */
  readonly first: FrameColumn;
  readonly last: FrameColumn;
  /** Frames from `vtep` since `since`. */
  readonly frames: Uint32Array;

  constructor(cap: number) {
    this.rows = new VniKeyedRows(cap, DATA_PLANE_AGE);
    this.vtep = new Uint32Array(cap);
    this.previousVtep = new Uint32Array(cap);
    this.since = new Float64Array(cap);
    this.first = new FrameColumn(cap);
    this.last = new FrameColumn(cap);
    this.frames = new Uint32Array(cap);
  }

  /** Notes the frame; returns its row. */
  observe(f: VxlanFrameFact): number {
    const { row, fresh } = this.rows.row(f.vni, f.innerSrc, f.time);
    if (fresh || this.vtep[row] !== f.vtepSrc) {
      this.previousVtep[row] = fresh ? 0 : this.vtep[row];
      this.vtep[row] = f.vtepSrc;
      this.since[row] = f.time;
      this.first.set(row, f);
      this.frames[row] = 0;
    }
    this.frames[row]++;
    this.last.set(row, f);
    return row;
  }

  firstRef(row: number): FrameRef {
    return this.first.ref(row);
  }

  lastRef(row: number): FrameRef {
    return this.last.ref(row);
  }
}

/** (VNI, VTEP) → what it sent and received in the overlay. */
export class VtepActivity {
  readonly rows: VniKeyedRows;
  readonly sent: Uint32Array;
  readonly bumSent: Uint32Array;
  /** Frames addressed to the VTEP (outer destination): all, BUM, unicast inner destination. */
  readonly received: Uint32Array;
  readonly bumReceived: Uint32Array;
  readonly unicastReceived: Uint32Array;
  /** The VTEP that sent the last BUM frame to this one. */
  readonly lastBumSender: Uint32Array;
  readonly firstBumSent: FrameColumn;
  readonly lastBumSent: FrameColumn;
  readonly firstReceived: FrameColumn;
  readonly firstBumReceived: FrameColumn;
  readonly lastBumReceived: FrameColumn;

  constructor(cap: number) {
    this.rows = new VniKeyedRows(cap, DATA_PLANE_AGE);
    this.sent = new Uint32Array(cap);
    this.bumSent = new Uint32Array(cap);
    this.received = new Uint32Array(cap);
    this.bumReceived = new Uint32Array(cap);
    this.unicastReceived = new Uint32Array(cap);
    this.lastBumSender = new Uint32Array(cap);
    this.firstBumSent = new FrameColumn(cap);
    this.lastBumSent = new FrameColumn(cap);
    this.firstReceived = new FrameColumn(cap);
    this.firstBumReceived = new FrameColumn(cap);
    this.lastBumReceived = new FrameColumn(cap);
  }

  private reset(row: number): void {
    this.sent[row] = this.bumSent[row] = this.received[row] = this.bumReceived[row] = this.unicastReceived[row] = 0;
  }

  /** Notes the frame for its sender; returns the sender's row. */
  observeSender(f: VxlanFrameFact): number {
    const { row, fresh } = this.rows.row(f.vni, f.vtepSrc, f.time);
    if (fresh) this.reset(row);
    this.sent[row]++;
    if (f.bum) {
      if (this.bumSent[row] === 0) this.firstBumSent.set(row, f);
      this.lastBumSent.set(row, f);
      this.bumSent[row]++;
    }
    return row;
  }

  /** Notes the frame for its (unicast IPv4) destination VTEP; returns its row. */
  observeReceiver(f: VxlanFrameFact): number {
    const { row, fresh } = this.rows.row(f.vni, f.vtepDst, f.time);
    if (fresh) this.reset(row);
    if (this.received[row] === 0) this.firstReceived.set(row, f);
    this.received[row]++;
    if (f.bum) {
      if (this.bumReceived[row] === 0) this.firstBumReceived.set(row, f);
      this.lastBumReceived.set(row, f);
      this.lastBumSender[row] = f.vtepSrc;
      this.bumReceived[row]++;
    } else this.unicastReceived[row]++;
    return row;
  }
}

/**
 * Per row of a table with a cumulative counter, for a rule that reports a disagreement as long as it lasts: the
 * counter value already reported and when — so a mismatch under heavy traffic makes one report per `every` seconds
 * (its count the frames since the last), not one per frame.
 */
export class CountedReports {
  private readonly reported: Uint32Array;
  private readonly at: Float64Array;

  constructor(
    cap: number,
    private readonly every: number,
  ) {
    this.reported = new Uint32Array(cap);
    this.at = new Float64Array(cap).fill(-Infinity);
  }

  /** Frames to report now (the counter's growth since the last report), or 0 to wait; `force` ignores the time. */
  take(row: number, counter: number, time: number, force = false): number {
    if (counter <= this.reported[row]) return 0;
    if (!force && time - this.at[row] < this.every) return 0;
    const n = counter - this.reported[row];
    this.reported[row] = counter;
    this.at[row] = time;
    return n;
  }

  /** Whether anything was reported for the row. */
  any(row: number): boolean {
    return this.at[row] !== -Infinity;
  }
}

/** A live route as the comparison needs it. */
export interface LiveRoute {
  /** A type-3 route's key in its map ('' for type 2: found through its MAC's set, no string per route). */
  key: string;
  /** ADD-PATH path id (part of a type-2 route's identity). */
  pathId: number | null;
  /** Withdrawn, replaced or pushed out (it may still sit in the insertion order until that is compacted). */
  removed: boolean;
  routeType: number;
  vni: number;
  /** Type 2: label2 (the L3 VNI of symmetric IRB), else -1. */
  l3Vni: number;
  mac: number;
  ip: string | null;
  /** The VTEP: next hop (type 2/5) or originator / PMSI tunnel endpoint (type 3), as an IPv4 number. */
  vtep: number;
  vtepText: string;
  rd: string;
  ethernetTag: number;
  routeTargets: string[];
  esiZero: boolean;
  defaultGateway: boolean;
  routerMac: number | null;
  /** PMSI tunnel type of a type-3 route (6 ingress replication), -1 when absent. */
  tunnelType: number;
  ref: FrameRef;
}

/** The live type-2 routes of one (VNI, MAC) or (VNI, IP), and when that set last changed. */
export interface RouteSet {
  routes: LiveRoute[];
  changed: number;
}

/** A VTEP's router MAC as its routes advertise it. */
export interface RouterMacInfo {
  mac: number;
  ref: FrameRef;
  rd: string;
  routeTargets: string[];
}

function getSet<K>(outer: Map<number, Map<K, RouteSet>>, vni: number, key: K, make: boolean): RouteSet | undefined {
  let inner = outer.get(vni);
  if (!inner) {
    if (!make) return undefined;
    inner = new Map();
    outer.set(vni, inner);
  }
  let set = inner.get(key);
  if (!set && make) {
    set = { routes: [], changed: 0 };
    inner.set(key, set);
  }
  return set;
}

function dropRoute(set: RouteSet | undefined, route: LiveRoute, time: number): void {
  if (!set) return;
  const i = set.routes.indexOf(route);
  if (i >= 0) set.routes.splice(i, 1);
  set.changed = time;
}

function removeFrom<K>(outer: Map<number, Map<K, RouteSet>>, vni: number, key: K, route: LiveRoute, time: number): void {
  const inner = outer.get(vni);
  const set = inner?.get(key);
  if (!inner || !set) return;
  const i = set.routes.indexOf(route);
  if (i >= 0) set.routes.splice(i, 1);
  set.changed = time;
  // An emptied set is kept (its `changed` says since when nothing is live) until the table is trimmed.
}

/** The IP key of a type-2 route's IP: IPv4 as its number, IPv6 as its text. */
export function ipIndexKey(ip: string): number | string {
  const v4 = ipv4Key(ip);
  return Number.isNaN(v4) ? ip.toLowerCase() : v4;
}

/**
 * (VNI, number) → a route set, through the same open-addressing index as the data plane: the per-frame lookup of
 * a MAC's routes costs no Map of heap-number keys. Sets are never aged (routes leave by withdrawal); past the cap
 * the oldest set's slot is reused.
 */
class SetIndex {
  private readonly rows: VniKeyedRows;
  private readonly sets: (RouteSet | undefined)[] = [];
  size = 0;

  constructor(cap: number) {
    this.rows = new VniKeyedRows(cap, Infinity);
  }

  get(vni: number, key: number): RouteSet | undefined {
    if (this.size === 0) return undefined;
    const row = this.rows.find(vni, key, 0);
    return row < 0 ? undefined : this.sets[row];
  }

  make(vni: number, key: number): RouteSet {
    const { row, fresh } = this.rows.row(vni, key, 0);
    let set = this.sets[row];
    if (fresh || !set) {
      set = { routes: [], changed: 0 };
      this.sets[row] = set;
    }
    this.size = this.rows.size;
    return set;
  }
}

/** Routes in advertisement order, oldest first; removed ones are skipped and dropped when they pile up. */
class AdvertOrder {
  private routes: LiveRoute[] = [];
  private head = 0;
  live = 0;

  add(route: LiveRoute): void {
    this.live++;
    this.routes.push(route);
    // Removed routes, and those already taken from the front, leave when they outnumber the live ones
    // (amortised: no per-route cost).
    if (this.routes.length > 2 * this.live + 1024) {
      this.routes = this.routes.slice(this.head).filter((r) => !r.removed);
      this.head = 0;
    }
  }

  /** The oldest live route, taken out of the order (the caller removes it). */
  oldest(): LiveRoute | undefined {
    while (this.head < this.routes.length && this.routes[this.head].removed) this.head++;
    return this.head < this.routes.length ? this.routes[this.head++] : undefined;
  }
}

export class ControlPlane {
  /** Type-3 routes by their BGP key. Type-2 routes are found through their MAC's set (no key string each). */
  private readonly imetByKey = new Map<string, LiveRoute>();
  /** Live routes of each type (2, 3) in the order they were advertised (removed ones skipped), for the cap's
   *  oldest-first eviction: each type has its own cap, so a burst of MAC routes never pushes out the flood lists. */
  private readonly orders = { 2: new AdvertOrder(), 3: new AdvertOrder() };
  private live = 0;
  /** Type 2 by (VNI, MAC) and by (VNI, IP); by MAC across VNIs (for the VNI comparison). */
  private readonly macs: SetIndex;
  private readonly ips = new Map<number, Map<number | string, RouteSet>>();
  /** Keyed (0, MAC): the MAC's live type-2 routes in every VNI. */
  private readonly macAnyVni: SetIndex;
  /** Type 3 by (VNI, VTEP). */
  private readonly imets = new Map<number, Map<number, RouteSet>>();
  /** Live type-3 routes per VNI, and when the VNI's IMET set last changed. */
  private readonly imetCount = new Map<number, number>();
  private readonly imetChanged = new Map<number, number>();
  /** Router MAC per VTEP (IPv4 number); L3 VNIs (type-5 labels, type-2 label2). Kept on withdrawal: a property of the VTEP. */
  private readonly routerMacs = new Map<number, RouterMacInfo>();
  private readonly l3Vnis = new Map<number, FrameRef>();
  /** Counters for the coverage statement. */
  vxlanRoutes = 0;
  imetRoutes = 0;
  /** Type-3 advertisements seen at all (compared or not). */
  imetSeen = 0;
  notCompared = 0;
  dropped = 0;

  constructor(private readonly cap: number) {
    this.macs = new SetIndex(cap);
    this.macAnyVni = new SetIndex(cap);
  }

  get size(): number {
    return this.live;
  }

  /** The live type-2 route with f's identity (RD, Ethernet tag, MAC, IP, path id), if any. */
  private findType2(f: EvpnRouteFact): LiveRoute | undefined {
    const routes = this.macAnyVni.get(0, f.mac as number)?.routes;
    if (!routes) return undefined;
    for (const r of routes) if (r.rd === f.rd && r.ethernetTag === f.ethernetTag && r.ip === f.ip && r.pathId === f.pathId) return r;
    return undefined;
  }

  macRoutes(vni: number, mac: number): RouteSet | undefined {
    return this.macs.get(vni, mac);
  }

  ipRoutes(vni: number, ip: number | string): RouteSet | undefined {
    return this.ips.size === 0 ? undefined : this.ips.get(vni)?.get(ip);
  }

  /** Live type-2 routes for the MAC in any VNI. */
  macEverywhere(mac: number): readonly LiveRoute[] | undefined {
    return this.macAnyVni.get(0, mac)?.routes;
  }

  imet(vni: number, vtep: number): RouteSet | undefined {
    return this.imets.get(vni)?.get(vtep);
  }

  /** Live type-3 routes for the VNI (0: the VNI's flood list is not visible). */
  imetsFor(vni: number): number {
    return this.imetCount.get(vni) ?? 0;
  }

  imetVteps(vni: number): LiveRoute[] {
    const out: LiveRoute[] = [];
    for (const set of this.imets.get(vni)?.values() ?? []) out.push(...set.routes);
    return out;
  }

  imetVnis(): IterableIterator<number> {
    return this.imets.keys();
  }

  imetChangedAt(vni: number): number {
    return this.imetChanged.get(vni) ?? 0;
  }

  routerMacOf(vtep: number): RouterMacInfo | undefined {
    return this.routerMacs.get(vtep);
  }

  get anyL3Vni(): boolean {
    return this.l3Vnis.size !== 0;
  }

  isL3Vni(vni: number): boolean {
    return this.l3Vnis.size !== 0 && this.l3Vnis.has(vni);
  }

  evpn(f: EvpnRouteFact): void {
    // The route as BGP identifies it: type 2 by RD, tag, MAC, IP and path id; type 3 by its key with the
    // originator (two IMET routes may share an RD).
    let key = '';
    let known: LiveRoute | undefined;
    if (f.routeType === 2 && f.mac !== null) known = this.findType2(f);
    else if (f.routeType === 3) {
      key = `${routeKey(f)}|${f.originatorIp ?? ''}`;
      known = this.imetByKey.get(key);
    }
    if (known) this.remove(known, f.ref.time);
    if (f.action === 'withdraw') return;
    if (f.routeType === 3) this.imetSeen++;
    if (f.encapsulation !== TUNNEL_VXLAN) {
      this.notCompared++;
      return;
    }
    let vni = -1;
    let vtepText: string | null = f.nextHop;
    if (f.routeType === 2 || f.routeType === 5) vni = f.labels.length > 0 ? f.labels[0] : -1;
    else if (f.routeType === 3) {
      // RFC 8365 §5.1.3: the VNI of a type-3 route is in the PMSI Tunnel attribute's label; its endpoint is the
      // tunnel identifier (ingress replication), else the originator.
      const pmsi = f.pmsiTunnel ?? null;
      vni = pmsi ? pmsi.label : -1;
      vtepText = pmsi && pmsi.tunnelType === 6 && !Number.isNaN(ipv4Key(pmsi.tunnelId)) ? pmsi.tunnelId : (f.originatorIp ?? f.nextHop);
    } else return;
    const vtep = vtepText === null ? NaN : ipv4Key(vtepText);
    if (vni < 0 || Number.isNaN(vtep) || vtepText === null) {
      this.notCompared++;
      return;
    }
    this.vxlanRoutes++;
    const l3Vni = f.routeType === 2 && f.labels.length > 1 ? f.labels[1] : f.routeType === 5 ? vni : -1;
    if (f.routerMac !== null && (f.routeType === 5 || l3Vni >= 0)) {
      this.routerMacs.set(vtep, { mac: f.routerMac, ref: f.ref, rd: f.rd, routeTargets: f.routeTargets });
      if (this.routerMacs.size > this.cap) this.routerMacs.delete(this.routerMacs.keys().next().value as number);
    }
    if (l3Vni >= 0 && !this.l3Vnis.has(l3Vni)) {
      this.l3Vnis.set(l3Vni, f.ref);
      if (this.l3Vnis.size > this.cap) this.l3Vnis.delete(this.l3Vnis.keys().next().value as number);
    }
    if (f.routeType === 5) return;
    if (f.routeType !== 2 && f.routeType !== 3) return;
    const order = this.orders[f.routeType];
    if (order.live >= this.cap) {
      const oldest = order.oldest();
      if (oldest) {
        this.remove(oldest, f.ref.time);
        this.dropped++;
      }
    }
    const route: LiveRoute = {
      key,
      pathId: f.pathId,
      removed: false,
      routeType: f.routeType,
      vni,
      l3Vni: f.routeType === 2 ? l3Vni : -1,
      mac: f.mac ?? 0,
      ip: f.ip,
      vtep,
      vtepText,
      rd: f.rd,
      ethernetTag: f.ethernetTag,
      routeTargets: f.routeTargets,
      esiZero: f.esiZero,
      defaultGateway: f.defaultGateway,
      routerMac: f.routerMac,
      tunnelType: f.pmsiTunnel?.tunnelType ?? -1,
      ref: f.ref,
    };
    if (f.routeType === 3) this.imetByKey.set(key, route);
    this.live++;
    order.add(route);
    const t = f.ref.time;
    if (f.routeType === 3) {
      this.imetRoutes++;
      const set = getSet(this.imets, vni, vtep, true) as RouteSet;
      set.routes.push(route);
      set.changed = t;
      this.imetCount.set(vni, (this.imetCount.get(vni) ?? 0) + 1);
      this.imetChanged.set(vni, t);
      return;
    }
    const set = this.macs.make(vni, route.mac);
    set.routes.push(route);
    set.changed = t;
    this.macAnyVni.make(0, route.mac).routes.push(route);
    if (route.ip !== null) {
      const ipSet = getSet(this.ips, vni, ipIndexKey(route.ip), true) as RouteSet;
      ipSet.routes.push(route);
      ipSet.changed = t;
    }
  }

  private remove(route: LiveRoute, time: number): void {
    if (route.removed) return;
    route.removed = true;
    this.live--;
    this.orders[route.routeType as 2 | 3].live--;
    if (route.routeType === 3) this.imetByKey.delete(route.key);
    if (route.routeType === 3) {
      removeFrom(this.imets, route.vni, route.vtep, route, time);
      const n = (this.imetCount.get(route.vni) ?? 1) - 1;
      if (n > 0) this.imetCount.set(route.vni, n);
      else this.imetCount.delete(route.vni);
      this.imetChanged.set(route.vni, time);
      return;
    }
    dropRoute(this.macs.get(route.vni, route.mac), route, time);
    dropRoute(this.macAnyVni.get(0, route.mac), route, time);
    if (route.ip !== null) removeFrom(this.ips, route.vni, ipIndexKey(route.ip), route, time);
    this.trim(route.vni);
  }

  /** Empty sets are dropped once the index holds more of them than the cap allows. */
  private trim(vni: number): void {
    const ipInner = this.ips.get(vni);
    if (ipInner && ipInner.size > this.cap) {
      for (const [k, set] of ipInner) {
        if (set.routes.length === 0) ipInner.delete(k);
        if (ipInner.size <= this.cap / 2) break;
      }
    }
  }
}

/** Both planes. Made by the first rule that asks (SharedState.planes()); fed by the engine. */
export class Planes {
  readonly macs: MacLocations;
  readonly vteps: VtepActivity;
  readonly control: ControlPlane;
  /** The last VXLAN frame (for a neighbour fact of the same frame: which VTEP flooded it). */
  lastInput = -1;
  lastFrame = -1;
  lastVtepSrc = 0;
  lastVtepDst = 0;
  /** Rows the last frame was noted in (its inner source; its sender). */
  lastMacRow = -1;
  lastSenderRow = -1;
  /** The destination VTEP's row (-1: a multicast underlay group, no one VTEP). */
  lastReceiverRow = -1;
  /** Counters for the coverage statement. */
  dataFrames = 0;
  bumFrames = 0;

  constructor(maxMacs: number, maxRoutes: number) {
    this.macs = new MacLocations(Math.max(1, maxMacs));
    this.vteps = new VtepActivity(Math.max(1, Math.min(maxMacs, 4096)));
    this.control = new ControlPlane(Math.max(1, maxRoutes));
  }

  /**
   * Notes one data frame; false while no EVPN route with a VXLAN VNI was seen (then it is only counted and the rules
   * need not look: every comparison is timed from the later of the data and a route, so nothing is lost). Frames
   * to a VTEP are noted once some type-3 route or L3 VNI exists (only the flood-list and router-MAC checks read them).
   */
  vxlan(f: VxlanFrameFact): boolean {
    this.dataFrames++;
    if (f.bum) this.bumFrames++;
    this.lastInput = f.input;
    this.lastFrame = f.frame;
    this.lastVtepSrc = f.vtepSrc;
    this.lastVtepDst = f.vtepDst;
    const c = this.control;
    if (c.vxlanRoutes === 0) {
      this.lastMacRow = this.lastSenderRow = this.lastReceiverRow = -1;
      return false;
    }
    // A group source MAC is no host's location (and is invalid as a source).
    this.lastMacRow = (Math.floor(f.innerSrc / 0x10000000000) & 1) === 0 ? this.macs.observe(f) : -1;
    this.lastSenderRow = this.vteps.observeSender(f);
    this.lastReceiverRow = isMulticastIpv4(f.vtepDst) || (c.imetRoutes === 0 && !c.anyL3Vni) ? -1 : this.vteps.observeReceiver(f);
    return true;
  }

  evpn(f: EvpnRouteFact): void {
    this.control.evpn(f);
  }

  /** What the capture let the comparison see, for the report's coverage. */
  statements(): string[] {
    const out: string[] = [];
    const c = this.control;
    if (c.vxlanRoutes > 0 && this.dataFrames === 0) out.push('EVPN routes with VXLAN VNIs seen but no VXLAN data plane: control and data plane not compared');
    else if (this.dataFrames > 0 && c.vxlanRoutes === 0) out.push('VXLAN data plane seen but no EVPN routes with VXLAN VNIs: control and data plane not compared');
    else if (this.dataFrames > 0 && c.imetRoutes === 0 && this.bumFrames > 0) {
      out.push(
        c.imetSeen > 0
          ? `${c.imetSeen} EVPN type-3 (IMET) advertisement(s) seen, none with a VXLAN encapsulation, a PMSI label and an IPv4 VTEP: VXLAN flood lists (BUM senders and receivers) not compared with the control plane`
          : 'no EVPN type-3 (IMET) routes seen: VXLAN flood lists (BUM senders and receivers) not compared with the control plane',
      );
    }
    if (c.notCompared > 0 && this.dataFrames > 0) out.push(`${c.notCompared} EVPN route(s) without a VXLAN encapsulation or an IPv4 VTEP were not compared with the data plane`);
    return out;
  }

  /** Whether a table cap pushed out state a comparison could have used (the report names it in findingsCapped). */
  get capped(): boolean {
    return this.macs.rows.evicted > 0 || this.vteps.rows.evicted > 0 || this.control.dropped > 0;
  }

  sizes(): Record<string, number> {
    return { macLocations: this.macs.rows.size, vtepActivity: this.vteps.rows.size, liveRoutes: this.control.size };
  }
}

/** 224.0.0.0/4. */
export function isMulticastIpv4(ip: number): boolean {
  return ip >= 0xe0000000 && ip <= 0xefffffff;
}

/** "VNI 10100 (RD 10.0.0.2:100, RT 65000:10100)": the EVPN instance as a finding names it. */
export function instanceText(r: LiveRoute): string {
  return `VNI ${r.vni} (RD ${r.rd}, RT ${r.routeTargets.join(', ') || 'none'})`;
}

/** The finding's EVPN domain for a route. */
export function evpnDomainOf(r: LiveRoute): { vni: number; ethernetTag: number; routeTargets: string[] } {
  return { vni: r.vni, ethernetTag: r.ethernetTag, routeTargets: r.routeTargets };
}

/** The most recently advertised of a set's routes (the one a finding cites first). */
export function latest(routes: readonly LiveRoute[]): LiveRoute {
  let best = routes[0];
  for (const r of routes) if (r.ref.time > best.ref.time) best = r;
  return best;
}

/** Distinct VTEP texts of routes, sorted. */
export function vtepTexts(routes: readonly LiveRoute[]): string[] {
  return [...new Set(routes.map((r) => r.vtepText))].sort();
}

/**
 * Per data-plane row, for a rule that reports a disagreement as long as it lasts: the episode already reported
 * (the row's `since`), when, and the frames counted since — so a mismatch under heavy traffic makes one report per
 * `every` seconds, not one per frame.
 */
export class EpisodeThrottle {
  private readonly reportedSince: Float64Array;
  private readonly reportedAt: Float64Array;
  readonly unreported: Uint32Array;

  constructor(
    cap: number,
    private readonly every: number,
  ) {
    this.reportedSince = new Float64Array(cap).fill(-1);
    this.reportedAt = new Float64Array(cap);
    this.unreported = new Uint32Array(cap);
  }

  /** How many frames the report made now stands for, or 0 when this frame is only counted. */
  take(row: number, episode: number, time: number): number {
    if (this.reportedSince[row] === episode && time - this.reportedAt[row] < this.every) {
      this.unreported[row]++;
      return 0;
    }
    const count = this.unreported[row] + 1;
    this.reportedSince[row] = episode;
    this.reportedAt[row] = time;
    this.unreported[row] = 0;
    return count;
  }

  /** Whether this episode of the row was reported. */
  reported(row: number, episode: number): boolean {
    return this.reportedSince[row] === episode;
  }

  /** Frames counted since the last report of this episode (and forgets them), 0 when none. */
  flush(row: number, episode: number): number {
    if (this.reportedSince[row] !== episode) return 0;
    const n = this.unreported[row];
    this.unreported[row] = 0;
    return n;
  }
}
