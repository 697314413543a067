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
//                  two-label type-2 routes). A route is a record of numbers linked into lists over the same index as
//                  the data plane (RouteRecords, RouteLists): an advertising fabric replaces routes all the time, and
//                  an object per route (with its fact's strings) was promoted garbage that grew old space.
//
// VNIs are from the route's label when its encapsulation is VXLAN (RFC 8365 §5.1.3: type-2 label1 the L2 VNI,
// label2 the L3 VNI; type-3 the PMSI Tunnel attribute's label; type-5 its label). Only IPv4 VTEP addresses are
// compared (an IPv6 next hop or underlay is left out and counted). Every table is capped and aged.
import type { EvpnRouteFact, FrameRef, VxlanFrameFact } from '../facts/types.js';
import { routeKey, TUNNEL_VXLAN } from './evpn.js';
import { FrameColumn } from './columns.js';
import { formatIpv4, ipv4Key, ipv4TextLength } from '../util/net.js';
import type { RuleOption } from './types.js';
import { DOUBLE_ZERO } from '../util/double.js';

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

/** 2^-32: a key's high word is key * HIGH_WORD (exact, as the division it replaces, and a multiply, not a divide). */
const HIGH_WORD = 2 ** -32;
/** The VNI of a row never used: above every 24-bit VNI (so no key has it), and a small integer as every VNI is. */
const NO_VNI = 2 ** 24;

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
  /** The row taken when none is free: the next fresh one while the table fills, then the oldest made (FIFO). */
  private next = 0;
  private used = 0;
  /** Rows given back by `delete`, reused before any other (only the control plane's exact indexes delete). */
  private readonly free: number[] = [];
  evicted = 0;

  constructor(
    readonly cap: number,
    private readonly maxAge: number,
  ) {
    // A row never used has no VNI (NO_VNI, in no slot): see `row`.
    this.vni = new Uint32Array(cap).fill(NO_VNI);
    this.key = new Float64Array(cap);
    this.last = new Float64Array(cap);
    let size = 16;
    while (size < cap * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.used - this.free.length;
  }

  private hash(vni: number, key: number): number {
    let h = Math.imul((key >>> 0) ^ Math.imul(vni, 0x9e3779b1), 0x85ebca6b);
    h ^= Math.imul(((key * HIGH_WORD) | 0) + 0x27d4eb2f, 0xc2b2ae35);
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
    // One way to a row whether the table fills, is full or has rows freed, every step taken each time (pop() of no
    // free row is undefined; a fresh row is in no slot): a table fills, and frees its first row, late in a capture,
    // and a step first taken then had no feedback in the optimised code of every caller, which was thrown away.
    const freed = this.free.pop();
    let row: number;
    if (freed !== undefined) row = freed;
    else {
      row = this.next;
      this.next = row + 1 === this.cap ? 0 : row + 1;
      const slot = this.slotOf(this.vni[row], this.key[row]);
      this.remove(slot);
      this.evicted += slot >= 0 ? 1 : 0;
      this.used += slot >= 0 ? 0 : 1;
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
      // Move the entry into the hole unless its home lies in (hole, i] (cyclically: its distance past the hole is at
      // most i's). One comparison whether or not the run wraps past the end of the slots: the first run that did,
      // late in a capture, took a branch the optimised code had never seen, and it was thrown away.
      const stays = ((home - hole - 1) & this.mask) < ((i - hole) & this.mask);
      if (stays) continue;
      this.slots[hole] = this.slots[i];
      hole = i;
    }
    this.slots[hole] = 0;
  }

  /** Takes a row out of the index (its row is reused first). */
  delete(row: number): void {
    this.remove(this.slotOf(this.vni[row], this.key[row]));
    this.free.push(row);
  }

  /** Rows of one VNI (for end-of-capture decisions; in a table that never deletes). */
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

/** A live route as a finding cites it: made from its row when a rule reports (rows are what the rules compare). */
export interface LiveRoute {
  /** ADD-PATH path id (part of a type-2 route's identity). */
  pathId: number | null;
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

/** The live type-2 routes of one (VNI, MAC), and when that set last changed (for tests and findings). */
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

/** No value in a number column of a route (no IP, no path id, no router MAC; a VTEP whose text is its number's). */
const NONE = -1;
/** A text in a number column of a route, by its id: TEXT + id (above every IPv4 number). */
const TEXT = 2 ** 32;

// A live route's record: its numbers side by side (see RouteRecords), by these names. Texts are ids of the control
// plane's interned texts. Each index a route is listed in keeps three numbers in it: next, previous, list + 1.
/** Its identity (with the MAC): the RD's text id, the Ethernet tag, the IP (see ipOf), the ADD-PATH path id (NONE). */
const RD = 0;
const TAG = 1;
const IP = 2;
const PATH_ID = 3;
/** Links in the list of the MAC's routes in every VNI (walked with the identity above). */
const ANY_VNI_LINK = 4;
const VNI = 7;
/** The VTEP: next hop (type 2) or PMSI tunnel endpoint / originator (type 3), as an IPv4 number. */
const VTEP = 8;
/** Type 2: the MAC (0 for type 3 and a type 2 without one). */
const MAC = 9;
/** 1: single-homed (zero ESI); 1: the default-gateway community. */
const ESI_ZERO = 10;
const DEFAULT_GATEWAY = 11;
/** Type 2: label2 (the L3 VNI of symmetric IRB), else -1. */
const L3_VNI = 12;
/** Links in the (VNI, MAC) list. */
const MAC_LINK = 13;
const IP_LINK = 16;
/** Links in the advertisement order of its type. */
const ORDER_LINK = 19;
/** 2 or 3. */
const ROUTE_TYPE = 22;
/** The IP as the (VNI, IP) index keys it: IPv4 as its number, other text lowercased (TEXT + id); NONE. */
const IP_KEY = 23;
/** The VTEP's text when it is not the canonical text of VTEP (TEXT + id), else NONE. */
const VTEP_TEXT = 24;
/** Text id of the route-target list. */
const ROUTE_TARGETS = 25;
/** The EVPN Router's MAC community, NONE without. */
const ROUTER_MAC = 26;
/** PMSI tunnel type of a type-3 route (6 ingress replication), -1 when absent. */
const TUNNEL_TYPE = 27;
/** Numbers per record: four cache lines, the ones read together in one (identity and its list; what the rules read). */
const ROUTE_NUMBERS = 32;
/** The numbers of a link: next route, previous route, list + 1 (0: in none). */
const NEXT = 0;
const PREVIOUS = 1;
const LIST_OF = 2;

/**
 * The live routes, a record each: every number of a route side by side in one array, as FrameColumn keeps a frame
 * reference. A route is found by a probe and then read or written whole (its identity, its links in four lists):
 * with one typed array per field that was a cache line per field, some thirty per advertisement, and it cost more
 * than the objects it replaced. Rules read records through the methods; the control plane writes them by the names
 * above. Records count from 1: 0 is "no route" in the links. Reused as soon as a route leaves.
 */
export class RouteRecords {
  data: Float64Array;
  ref: FrameColumn;
  private capacity: number;

  constructor(reserve: number) {
    // Reserved up front (a fresh zeroed mapping: only the pages of records written are committed, and records are
    // reused as soon as a route leaves); grown by doubling past 2^16, where a huge cap would reserve too much.
    this.capacity = Math.max(16, Math.min(reserve, 1 << 16));
    this.data = new Float64Array(this.capacity * ROUTE_NUMBERS);
    this.ref = new FrameColumn(this.capacity);
  }

  /** Makes room for record `r` (replacing `data` when it grows). */
  ensure(r: number): void {
    if (r < this.capacity) return;
    let capacity = this.capacity * 2;
    while (capacity <= r) capacity *= 2;
    const data = new Float64Array(capacity * ROUTE_NUMBERS);
    data.set(this.data);
    this.data = data;
    this.ref = this.ref.grown(capacity);
    this.capacity = capacity;
  }

  vni(r: number): number {
    return this.data[r * ROUTE_NUMBERS + VNI];
  }

  l3Vni(r: number): number {
    return this.data[r * ROUTE_NUMBERS + L3_VNI];
  }

  vtep(r: number): number {
    return this.data[r * ROUTE_NUMBERS + VTEP];
  }

  mac(r: number): number {
    return this.data[r * ROUTE_NUMBERS + MAC];
  }

  esiZero(r: number): boolean {
    return this.data[r * ROUTE_NUMBERS + ESI_ZERO] === 1;
  }

  defaultGateway(r: number): boolean {
    return this.data[r * ROUTE_NUMBERS + DEFAULT_GATEWAY] === 1;
  }

  /** When the route was advertised. */
  time(r: number): number {
    return this.ref.time(r);
  }
}

/**
 * Texts the live routes carry (RDs, route-target lists, IPv6 addresses) as small ids, counted by the routes that
 * hold them. An id no route holds stays findable (a replaced route's RD comes straight back) until such ids
 * outnumber the held ones; then they are forgotten in one sweep (amortised: nothing per route).
 */
class InternedTexts<V> {
  private readonly ids = new Map<string, number>();
  private readonly values: (V | undefined)[] = [];
  private holders = new Uint32Array(64);
  private readonly free: number[] = [];
  /** Ids in `ids` that no route holds. */
  private idle = 0;

  /** The id of `key`, or -1 (nothing holds it: no route has it). */
  find(key: string): number {
    return this.ids.get(key) ?? -1;
  }

  /** The id of `key` (made with `value` when new), held once more. */
  hold(key: string, value: V): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.idle > 1024 && this.idle > this.ids.size - this.idle) this.sweep();
      id = this.free.length > 0 ? (this.free.pop() as number) : this.values.length;
      if (id >= this.holders.length) {
        const grown = new Uint32Array(this.holders.length * 2);
        grown.set(this.holders);
        this.holders = grown;
      }
      this.ids.set(key, id);
      this.values[id] = value;
      this.idle++;
    }
    if (this.holders[id]++ === 0) this.idle--;
    return id;
  }

  /** `id` (found by `find`, with no new text held since) held once more. */
  holdId(id: number): number {
    if (this.holders[id]++ === 0) this.idle--;
    return id;
  }

  release(id: number): void {
    if (--this.holders[id] === 0) this.idle++;
  }

  value(id: number): V {
    return this.values[id] as V;
  }

  private sweep(): void {
    // forEach, not for-of: no [key, id] pair per entry; deleting the visited entry is allowed.
    this.ids.forEach((id, key) => {
      if (this.holders[id] !== 0) return;
      this.ids.delete(key);
      this.values[id] = undefined;
      this.free.push(id);
    });
    this.idle = 0;
  }
}

/** The key a route-target list is interned by (one RT, the usual case, is its own key: no string built). */
function targetsKey(routeTargets: readonly string[]): string {
  return routeTargets.length === 1 ? routeTargets[0] : `\n${routeTargets.join('\n')}`;
}

/** Whether `text`, which ipv4Key reads as `ip`, is formatIpv4's text of it (not with a part's leading zero). */
function canonicalIpv4(text: string, ip: number): boolean {
  return text.length === ipv4TextLength(ip);
}

/** A list's numbers (side by side, as a route's): its first and last route, how many, when its set last changed. */
const FIRST = 0;
const LAST = 1;
const COUNT = 2;
const CHANGED = 3;
const LIST_NUMBERS = 4;

/**
 * Lists of live routes keyed by (VNI, a number), each in the order its routes came, over the data plane's
 * open-addressing index: one per index of the control plane. A route is linked in place (its neighbours are
 * numbers of its record, at `link`), so appending, unlinking and walking a list allocate nothing. Past the cap the
 * oldest list made is reused (FIFO, as the data plane's rows): its routes stay live, only no longer listed here.
 */
class RouteLists {
  private readonly keys: VniKeyedRows;
  private readonly lists: Float64Array;

  constructor(
    cap: number,
    private readonly routes: RouteRecords,
    /** Where this index's link sits in a route's record. */
    private readonly link: number,
  ) {
    this.keys = new VniKeyedRows(cap, Infinity);
    this.lists = new Float64Array(cap * LIST_NUMBERS);
  }

  /** The list of (vni, key), or -1. */
  find(vni: number, key: number): number {
    return this.keys.size === 0 ? -1 : this.keys.find(vni, key, 0);
  }

  /** The list of (vni, key), made (empty) when absent. */
  make(vni: number, key: number): number {
    const { row, fresh } = this.keys.row(vni, key, 0);
    if (fresh) {
      const l = this.lists;
      const at = row * LIST_NUMBERS;
      // A reused list lets its routes go.
      const d = this.routes.data;
      for (let r = l[at + FIRST] | 0; r !== 0; ) {
        const link = r * ROUTE_NUMBERS + this.link;
        r = d[link + NEXT] | 0;
        d[link + NEXT] = d[link + PREVIOUS] = d[link + LIST_OF] = 0;
      }
      l[at + FIRST] = l[at + LAST] = l[at + COUNT] = l[at + CHANGED] = 0;
    }
    return row;
  }

  /** An empty list leaves the index (its row is reused first). */
  delete(list: number): void {
    this.keys.delete(list);
  }

  /** Appends a route (its record made already). */
  append(list: number, route: number): void {
    const d = this.routes.data;
    const l = this.lists;
    const at = list * LIST_NUMBERS;
    const last = l[at + LAST] | 0;
    const link = route * ROUTE_NUMBERS + this.link;
    d[link + NEXT] = 0;
    d[link + PREVIOUS] = last;
    d[link + LIST_OF] = list + 1;
    if (last === 0) l[at + FIRST] = route;
    else d[last * ROUTE_NUMBERS + this.link + NEXT] = route;
    l[at + LAST] = route;
    l[at + COUNT]++;
  }

  /** Takes the route out of its list, if it is in one; returns that list, or -1. */
  unlink(route: number): number {
    const d = this.routes.data;
    const link = route * ROUTE_NUMBERS + this.link;
    const list = (d[link + LIST_OF] | 0) - 1;
    if (list < 0) return -1;
    const l = this.lists;
    const at = list * LIST_NUMBERS;
    const previous = d[link + PREVIOUS] | 0;
    const next = d[link + NEXT] | 0;
    if (previous === 0) l[at + FIRST] = next;
    else d[previous * ROUTE_NUMBERS + this.link + NEXT] = next;
    if (next === 0) l[at + LAST] = previous;
    else d[next * ROUTE_NUMBERS + this.link + PREVIOUS] = previous;
    d[link + NEXT] = d[link + PREVIOUS] = d[link + LIST_OF] = 0;
    l[at + COUNT]--;
    return list;
  }

  /** The list's first route (0: none); walk on with `next`. */
  first(list: number): number {
    // `| 0`: a route number read from a Float64Array is a double, boxed when passed on; as an int it is not.
    return this.lists[list * LIST_NUMBERS + FIRST] | 0;
  }

  next(route: number): number {
    return this.routes.data[route * ROUTE_NUMBERS + this.link + NEXT] | 0;
  }

  count(list: number): number {
    return this.lists[list * LIST_NUMBERS + COUNT] | 0;
  }

  /** When a route last joined or left the list. */
  changed(list: number): number {
    return this.lists[list * LIST_NUMBERS + CHANGED];
  }

  touch(list: number, time: number): void {
    this.lists[list * LIST_NUMBERS + CHANGED] = time;
  }
}

/** A VNI's flood list: its live type-3 routes (route rows) per VTEP, VTEPs in the order first seen. */
interface ImetVni {
  count: number;
  /** When the VNI's IMET set last changed. */
  changed: number;
  vteps: Map<number, number[]>;
}

/** Whether the control plane adds this type-2 route (the checks of ControlPlane.evpn, before it makes its lists);
 *  `nextHop` is ipv4Key of its next hop (NaN without one). */
function addsType2(f: EvpnRouteFact, nextHop: number): boolean {
  return f.action === 'advertise' && f.encapsulation === TUNNEL_VXLAN && f.labels.length > 0 && f.labels[0] >= 0 && !Number.isNaN(nextHop);
}

/** A VTEP's router MAC (by the control plane's row of the VTEP): the MAC, its route's frame, RD and RTs (text ids). */
export class RouterMacs {
  readonly mac: Float64Array;
  readonly ref: FrameColumn;
  readonly rd: Uint32Array;
  readonly routeTargets: Uint32Array;
  /** 1: the row holds its texts. */
  readonly held: Uint8Array;

  constructor(cap: number) {
    this.mac = new Float64Array(cap);
    this.ref = new FrameColumn(cap);
    this.rd = new Uint32Array(cap);
    this.routeTargets = new Uint32Array(cap);
    this.held = new Uint8Array(cap);
  }
}

export class ControlPlane {
  /** The live routes; records of removed ones are reused. */
  readonly routes: RouteRecords;
  private readonly freeRows: number[] = [];
  private nextRow = 1;
  /** Type 2 by (VNI, MAC), and by (0, MAC): the MAC's routes in every VNI (where a route's identity is found). */
  readonly macs: RouteLists;
  readonly macAnyVni: RouteLists;
  /** Type 2 by (VNI, IP key); a list leaves when its last route does (nothing reads an empty one). */
  private readonly ips: RouteLists;
  /** The live routes of each type, keyed (0, type), in the order they were advertised: the cap's oldest-first
   *  eviction. Each type has its own cap, so a burst of MAC routes never pushes out the flood lists. */
  private readonly orders: RouteLists;
  private readonly order2: number;
  private readonly order3: number;
  /** Type-3 routes by their BGP key (with the originator: two IMET routes may share an RD), and each one's key. */
  private readonly imetByKey = new Map<string, number>();
  private readonly imetKeys: (string | undefined)[] = [];
  /** Type 3 by VNI, then VTEP. */
  private readonly imets = new Map<number, ImetVni>();
  /** RDs and other texts; route-target lists. */
  private readonly texts = new InternedTexts<string>();
  private readonly targets = new InternedTexts<string[]>();
  private live = 0;
  /** Live routes whose IP the (VNI, IP) index keys as text (not IPv4). */
  private textIps = 0;
  /** Router MAC per VTEP (IPv4 number), keyed (0, VTEP): as the VTEP's latest type-5 or two-label type-2 route
   *  carried it, kept on withdrawal (a property of the VTEP); past the cap the VTEP first seen leaves. */
  private readonly routerMacRows: VniKeyedRows;
  readonly routerMacs: RouterMacs;
  /** L3 VNIs (type-5 labels, type-2 label2). */
  private readonly l3Vnis = new Map<number, FrameRef>();
  /** Counters for the coverage statement. */
  vxlanRoutes = 0;
  imetRoutes = 0;
  /** Type-3 advertisements seen at all (compared or not). */
  imetSeen = 0;
  notCompared = 0;
  dropped = 0;

  constructor(private readonly cap: number) {
    // At most `cap` live routes of each type, and rows are reused as soon as a route leaves.
    this.routes = new RouteRecords(2 * cap + 1);
    this.macs = new RouteLists(cap, this.routes, MAC_LINK);
    this.macAnyVni = new RouteLists(cap, this.routes, ANY_VNI_LINK);
    this.ips = new RouteLists(cap + 1, this.routes, IP_LINK);
    this.orders = new RouteLists(2, this.routes, ORDER_LINK);
    this.order2 = this.orders.make(0, 2);
    this.order3 = this.orders.make(0, 3);
    this.routerMacRows = new VniKeyedRows(cap, Infinity);
    this.routerMacs = new RouterMacs(cap);
  }

  get size(): number {
    return this.live;
  }

  /** The live type-2 route with f's identity (RD, Ethernet tag, MAC, IP, path id) among the MAC's, or 0; `rd` is
   *  the RD's text id (-1: no live route has it), `ipV4` ipv4Key of its IP. */
  private findType2(list: number, f: EvpnRouteFact, rd: number, ipV4: number): number {
    if (rd < 0) return 0;
    const ip = this.ipOf(f.ip, ipV4, false);
    if (Number.isNaN(ip)) return 0;
    const pathId = f.pathId ?? NONE;
    const d = this.routes.data;
    const lists = this.macAnyVni;
    for (let r = lists.first(list); r !== 0; r = lists.next(r)) {
      const at = r * ROUTE_NUMBERS;
      if (d[at + RD] === rd && d[at + TAG] === f.ethernetTag && d[at + IP] === ip && d[at + PATH_ID] === pathId) return r;
    }
    return 0;
  }

  /** A route's IP as its identity compares it (see IP); held in the texts when `hold`, else NaN when no live route
   *  has that text. `v4` is ipv4Key of the text (the fact's ipV4). */
  private ipOf(text: string | null, v4: number, hold: boolean): number {
    if (text === null) return NONE;
    if (!Number.isNaN(v4) && canonicalIpv4(text, v4)) return v4;
    if (hold) return TEXT + this.texts.hold(text, text);
    const id = this.texts.find(text);
    return id < 0 ? NaN : TEXT + id;
  }

  /** The (VNI, IP) index key of IP text (see IP_KEY), held for a route; NaN when no live route has it. `v4` is
   *  ipv4Key of the text. */
  private ipKeyOf(text: string, v4: number, hold: boolean): number {
    if (!Number.isNaN(v4)) return v4;
    const lower = text.toLowerCase();
    if (hold) return TEXT + this.texts.hold(lower, lower);
    const id = this.texts.find(lower);
    return id < 0 ? NaN : TEXT + id;
  }

  private releaseText(code: number): void {
    if (code >= TEXT) this.texts.release((code - TEXT) | 0);
  }

  /** The list of type-2 routes for (VNI, MAC), or -1; walk it with `macs.first` / `macs.next`. */
  macSet(vni: number, mac: number): number {
    return this.macs.find(vni, mac);
  }

  /** The list of the MAC's type-2 routes in every VNI, or -1 (walk it with `macAnyVni`). */
  macEverywhere(mac: number): number {
    return this.macAnyVni.find(0, mac);
  }

  /** Whether some live route has an IP that is not IPv4 (else ipRouteLiveFor finds nothing for such text). */
  get anyTextIp(): boolean {
    return this.textIps !== 0;
  }

  /** The first live type-2 route for the IP in the VNI (IPv4 as its number, other addresses as text) that has been
   *  live for at least `age` at `time`, or 0. */
  ipRouteLiveFor(vni: number, ip: number | string, time: number, age: number): number {
    const key = typeof ip === 'number' ? ip : this.ipKeyOf(ip, ipv4Key(ip), false);
    if (Number.isNaN(key)) return 0;
    const list = this.ips.find(vni, key);
    if (list < 0) return 0;
    for (let r = this.ips.first(list); r !== 0; r = this.ips.next(r)) if (time - this.routes.time(r) >= age) return r;
    return 0;
  }

  /** The live type-2 routes for (VNI, MAC) as findings cite them, and when the set last changed (undefined: no set). */
  macRoutes(vni: number, mac: number): RouteSet | undefined {
    const list = this.macs.find(vni, mac);
    return list < 0 ? undefined : { routes: this.listed(this.macs, list), changed: this.macs.changed(list) };
  }

  /** A list's routes as findings cite them. */
  listed(lists: RouteLists, list: number): LiveRoute[] {
    const out: LiveRoute[] = [];
    for (let r = lists.first(list); r !== 0; r = lists.next(r)) out.push(this.describe(r));
    return out;
  }

  /** A live route as a finding cites it. */
  describe(r: number): LiveRoute {
    const d = this.routes.data;
    const at = r * ROUTE_NUMBERS;
    const ip = d[at + IP];
    const vtepText = d[at + VTEP_TEXT];
    const pathId = d[at + PATH_ID];
    const routerMac = d[at + ROUTER_MAC];
    return {
      pathId: pathId === NONE ? null : pathId,
      routeType: d[at + ROUTE_TYPE],
      vni: d[at + VNI],
      l3Vni: d[at + L3_VNI],
      mac: d[at + MAC],
      ip: ip === NONE ? null : ip >= TEXT ? this.texts.value(ip - TEXT) : formatIpv4(ip),
      vtep: d[at + VTEP],
      vtepText: vtepText === NONE ? formatIpv4(d[at + VTEP]) : this.texts.value(vtepText - TEXT),
      rd: this.texts.value(d[at + RD]),
      ethernetTag: d[at + TAG],
      routeTargets: this.targets.value(d[at + ROUTE_TARGETS]),
      esiZero: d[at + ESI_ZERO] === 1,
      defaultGateway: d[at + DEFAULT_GATEWAY] === 1,
      routerMac: routerMac === NONE ? null : routerMac,
      tunnelType: d[at + TUNNEL_TYPE],
      ref: this.routes.ref.ref(r),
    };
  }

  /** Live type-3 routes for the VNI from the VTEP. */
  imetCount(vni: number, vtep: number): number {
    return this.imets.get(vni)?.vteps.get(vtep)?.length ?? 0;
  }

  /** Live type-3 routes for the VNI (0: the VNI's flood list is not visible). */
  imetsFor(vni: number): number {
    return this.imets.size === 0 ? 0 : (this.imets.get(vni)?.count ?? 0);
  }

  /** The VNI's live type-3 routes as findings cite them, VTEPs in the order first seen. */
  imetVteps(vni: number): LiveRoute[] {
    const out: LiveRoute[] = [];
    for (const routes of this.imets.get(vni)?.vteps.values() ?? []) for (const r of routes) out.push(this.describe(r));
    return out;
  }

  imetVnis(): IterableIterator<number> {
    return this.imets.keys();
  }

  imetChangedAt(vni: number): number {
    return this.imets.get(vni)?.changed ?? 0;
  }

  /** The VTEP's router MAC row (read it with `routerMac`, `routerMacTime`, `routerMacInfo`), or -1. */
  routerMacOf(vtep: number): number {
    return this.routerMacRows.size === 0 ? -1 : this.routerMacRows.find(0, vtep, 0);
  }

  routerMac(row: number): number {
    return this.routerMacs.mac[row];
  }

  /** When the route that set it was advertised. */
  routerMacTime(row: number): number {
    return this.routerMacs.ref.time(row);
  }

  routerMacRd(row: number): string {
    return this.texts.value(this.routerMacs.rd[row]);
  }

  routerMacTargets(row: number): string[] {
    return this.targets.value(this.routerMacs.routeTargets[row]);
  }

  /** The router MAC as a finding cites it. */
  routerMacInfo(row: number): RouterMacInfo {
    const m = this.routerMacs;
    return { mac: m.mac[row], ref: m.ref.ref(row), rd: this.texts.value(m.rd[row]), routeTargets: this.targets.value(m.routeTargets[row]) };
  }

  get anyL3Vni(): boolean {
    return this.l3Vnis.size !== 0;
  }

  isL3Vni(vni: number): boolean {
    return this.l3Vnis.size !== 0 && this.l3Vnis.has(vni);
  }

  evpn(f: EvpnRouteFact): void {
    // The route as BGP identifies it: type 2 by RD, tag, MAC, IP and path id (among the MAC's routes); type 3 by
    // its key with the originator (two IMET routes may share an RD).
    let key = '';
    let known = 0;
    let anyVni = -1;
    // The fact's texts as numbers, for its identity and its record: the next hop and IP as IPv4 numbers (read by
    // the facts; NaN: not IPv4, or absent), the RD's text id (-1: no live route holds it).
    const nextHop = f.nextHopV4;
    const ipV4 = f.ipV4;
    let rd = -1;
    if (f.routeType === 2 && f.mac !== null) {
      // A MAC route that will be added makes its list across VNIs here (one probe for its identity and its add; the
      // lists' FIFO order is still that of the adds, and the removals below touch no list's place in it).
      anyVni = addsType2(f, nextHop) ? this.macAnyVni.make(0, f.mac) : this.macAnyVni.find(0, f.mac);
      if (anyVni >= 0) {
        rd = this.texts.find(f.rd);
        known = this.findType2(anyVni, f, rd, ipV4);
      }
    } else if (f.routeType === 3 && this.imetByKey.size > 0) {
      key = `${routeKey(f)}|${f.originatorIp ?? ''}`;
      known = this.imetByKey.get(key) ?? 0;
    }
    const t = f.ref.time;
    if (known !== 0) this.remove(known, t);
    if (f.action === 'withdraw') return;
    if (f.routeType === 3) this.imetSeen++;
    if (f.encapsulation !== TUNNEL_VXLAN) {
      this.notCompared++;
      return;
    }
    let vni = -1;
    let vtepText: string | null = f.nextHop;
    /** The VTEP as a number, when the tunnel identifier gave it (NaN: read from vtepText below). */
    let tunnelVtep = NaN;
    if (f.routeType === 2 || f.routeType === 5) vni = f.labels.length > 0 ? f.labels[0] : -1;
    else if (f.routeType === 3) {
      // RFC 8365 §5.1.3: the VNI of a type-3 route is in the PMSI Tunnel attribute's label; its endpoint is the
      // tunnel identifier (ingress replication), else the originator.
      const pmsi = f.pmsiTunnel ?? null;
      vni = pmsi ? pmsi.label : -1;
      if (pmsi && pmsi.tunnelType === 6) tunnelVtep = ipv4Key(pmsi.tunnelId);
      vtepText = pmsi !== null && !Number.isNaN(tunnelVtep) ? pmsi.tunnelId : (f.originatorIp ?? f.nextHop);
    } else return;
    // Without a VNI or a VTEP text there is nothing to compare: the text is not read.
    if (vni < 0 || vtepText === null) {
      this.notCompared++;
      return;
    }
    const vtep = !Number.isNaN(tunnelVtep) ? tunnelVtep : vtepText === f.nextHop ? nextHop : ipv4Key(vtepText);
    if (Number.isNaN(vtep)) {
      this.notCompared++;
      return;
    }
    this.vxlanRoutes++;
    const l3Vni = f.routeType === 2 && f.labels.length > 1 ? f.labels[1] : f.routeType === 5 ? vni : -1;
    if (f.routerMac !== null && (f.routeType === 5 || l3Vni >= 0)) {
      const { row } = this.routerMacRows.row(0, vtep, 0);
      const m = this.routerMacs;
      // The texts it held (the VTEP's earlier route, or the VTEP whose row this was) are let go.
      if (m.held[row] === 1) {
        this.texts.release(m.rd[row]);
        this.targets.release(m.routeTargets[row]);
      }
      m.held[row] = 1;
      m.mac[row] = f.routerMac;
      m.ref.set(row, f.ref);
      m.rd[row] = this.texts.hold(f.rd, f.rd);
      m.routeTargets[row] = this.targets.hold(targetsKey(f.routeTargets), f.routeTargets);
    }
    if (l3Vni >= 0 && !this.l3Vnis.has(l3Vni)) {
      this.l3Vnis.set(l3Vni, f.ref);
      if (this.l3Vnis.size > this.cap) this.l3Vnis.delete(this.l3Vnis.keys().next().value as number);
    }
    if (f.routeType !== 2 && f.routeType !== 3) return;
    const order = f.routeType === 2 ? this.order2 : this.order3;
    // At the cap the type's oldest route makes room. Asked and removed the same way below the cap (0: no route,
    // which remove() ignores): the cap is reached late in a capture, and a removal first made there had no feedback
    // in the optimised code, which was thrown away.
    const first = this.orders.first(order);
    const oldest = this.orders.count(order) >= this.cap ? first : 0;
    this.remove(oldest, t);
    this.dropped += oldest !== 0 ? 1 : 0;
    const r = this.freeRows.length > 0 ? (this.freeRows.pop() as number) : this.nextRow++;
    this.routes.ensure(r);
    const d = this.routes.data;
    const at = r * ROUTE_NUMBERS;
    const mac = f.mac ?? 0;
    // The RD's id found for the identity is still the RD's until a new text is held (which may forget the texts no
    // route holds; removals only release them): it is held first.
    const rdId = rd >= 0 ? this.texts.holdId(rd) : this.texts.hold(f.rd, f.rd);
    const ipKey = f.ip === null ? NONE : this.ipKeyOf(f.ip, ipV4, true);
    // Every number of the record but the links (written as it joins its lists; zero while it is in none).
    d[at + RD] = rdId;
    d[at + TAG] = f.ethernetTag;
    d[at + IP] = this.ipOf(f.ip, ipV4, true);
    d[at + PATH_ID] = f.pathId ?? NONE;
    d[at + VNI] = vni;
    d[at + VTEP] = vtep;
    d[at + MAC] = mac;
    d[at + ESI_ZERO] = f.esiZero ? 1 : 0;
    d[at + DEFAULT_GATEWAY] = f.defaultGateway ? 1 : 0;
    d[at + L3_VNI] = f.routeType === 2 ? l3Vni : -1;
    d[at + ROUTE_TYPE] = f.routeType;
    d[at + IP_KEY] = ipKey;
    d[at + VTEP_TEXT] = canonicalIpv4(vtepText, vtep) ? NONE : TEXT + this.texts.hold(vtepText, vtepText);
    d[at + ROUTE_TARGETS] = this.targets.hold(targetsKey(f.routeTargets), f.routeTargets);
    d[at + ROUTER_MAC] = f.routerMac ?? NONE;
    d[at + TUNNEL_TYPE] = f.pmsiTunnel?.tunnelType ?? -1;
    this.routes.ref.set(r, f.ref);
    this.live++;
    this.orders.append(order, r);
    if (f.routeType === 3) {
      if (key === '') key = `${routeKey(f)}|${f.originatorIp ?? ''}`;
      this.imetByKey.set(key, r);
      this.imetKeys[r] = key;
      this.imetRoutes++;
      let state = this.imets.get(vni);
      if (!state) {
        state = { count: 0, changed: 0, vteps: new Map() };
        this.imets.set(vni, state);
      }
      let routes = state.vteps.get(vtep);
      if (!routes) {
        routes = [];
        state.vteps.set(vtep, routes);
      }
      routes.push(r);
      state.count++;
      state.changed = t;
      return;
    }
    const set = this.macs.make(vni, mac);
    this.macs.append(set, r);
    this.macs.touch(set, t);
    // The MAC's list across VNIs, made above (no list of that index was made since).
    this.macAnyVni.append(anyVni >= 0 ? anyVni : this.macAnyVni.make(0, mac), r);
    if (ipKey !== NONE) this.ips.append(this.ips.make(vni, ipKey), r);
    if (ipKey >= TEXT) this.textIps++;
  }

  /** Takes live route `r` out of every index (0: no route, nothing to do). */
  private remove(r: number, time: number): void {
    if (r === 0) return;
    const d = this.routes.data;
    const at = r * ROUTE_NUMBERS;
    this.live--;
    this.orders.unlink(r);
    // `| 0`: a 24-bit VNI read from the Float64Array is a boxed double, and the lookups below were optimised for
    // the small integers the VXLAN frames pass (util/double.ts): the first withdrawal deoptimised them.
    const vni = d[at + VNI] | 0;
    if (d[at + ROUTE_TYPE] === 3) {
      this.imetByKey.delete(this.imetKeys[r] as string);
      this.imetKeys[r] = undefined;
      const state = this.imets.get(vni) as ImetVni;
      const routes = state.vteps.get(d[at + VTEP]) as number[];
      const i = routes.indexOf(r);
      if (i >= 0) routes.splice(i, 1);
      state.count--;
      state.changed = time;
    } else {
      // The set (VNI, MAC) says since when it changed even when the route was let go from it (an emptied set keeps
      // that time until its row is reused); the other indexes keep no time.
      let set = this.macs.unlink(r);
      if (set < 0) set = this.macs.find(vni, d[at + MAC]);
      if (set >= 0) this.macs.touch(set, time);
      this.macAnyVni.unlink(r);
      if (d[at + IP_KEY] !== NONE) {
        const list = this.ips.unlink(r);
        if (list >= 0 && this.ips.count(list) === 0) this.ips.delete(list);
      }
      if (d[at + IP_KEY] >= TEXT) this.textIps--;
    }
    this.releaseText(d[at + IP]);
    this.releaseText(d[at + IP_KEY]);
    this.releaseText(d[at + VTEP_TEXT]);
    this.texts.release(d[at + RD] | 0);
    this.targets.release(d[at + ROUTE_TARGETS] | 0);
    this.freeRows.push(r);
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
  lastVtepSrc = DOUBLE_ZERO;
  lastVtepDst = DOUBLE_ZERO;
  /** Rows the last frame was noted in (its inner source; its sender). */
  lastMacRow = -1;
  /** The control plane's list of type-2 routes for the last frame's (VNI, inner source), or -1 (none, or no row):
   *  found once for the rules that compare them. */
  lastMacRoutes = -1;
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
      this.lastMacRow = this.lastMacRoutes = this.lastSenderRow = this.lastReceiverRow = -1;
      return false;
    }
    // A group source MAC is no host's location (and is invalid as a source).
    this.lastMacRow = (Math.floor(f.innerSrc / 0x10000000000) & 1) === 0 ? this.macs.observe(f) : -1;
    this.lastMacRoutes = this.lastMacRow >= 0 ? c.macSet(f.vni, f.innerSrc) : -1;
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
