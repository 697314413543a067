// EVPN helpers shared by the EVPN rules: the instance a MAC lives in (and its interner), route keys, and the
// RFC 1982 comparison of MAC Mobility sequence numbers.
import type { EvpnRouteFact } from '../facts/types.js';
import { parseIpv4 } from '../util/net.js';

/** VXLAN in the BGP Encapsulation extended community (RFC 9012 tunnel type 8). */
export const TUNNEL_VXLAN = 8;

export interface EvpnInstance {
  /** Short key: "vni:10100/0" or "rt:65000:100,65000:200/0". */
  key: string;
  vni: number | null;
  ethernetTag: number;
  routeTargets: string[];
}

/**
 * The EVPN instance of a route, as the MAC Mobility procedures see it: MAC + Ethernet tag + (VNI when the
 * encapsulation is VXLAN — label1 is the VNI, RFC 8365 §5.1.3 — else the route targets). Not the RD, which
 * differs per PE.
 */
export function evpnInstance(f: EvpnRouteFact): EvpnInstance {
  return describeInstance(vxlanVni(f), f.ethernetTag, f.routeTargets);
}

/** The VNI of a route when its encapsulation is VXLAN (label1, RFC 8365 §5.1.3), else null. */
export function vxlanVni(f: EvpnRouteFact): number | null {
  return f.encapsulation === TUNNEL_VXLAN && f.labels.length > 0 ? f.labels[0] : null;
}

/** evpnInstance from its parts, for rules that keep the parts rather than a whole fact. */
export function describeInstance(vni: number | null, ethernetTag: number, routeTargets: readonly string[]): EvpnInstance {
  const sorted = [...routeTargets].sort();
  const key = vni !== null ? `vni:${vni}/${ethernetTag}` : `rt:${sorted.join(',')}/${ethernetTag}`;
  return { key, vni, ethernetTag, routeTargets: sorted };
}

/** The PE's address from an RD of type 1 ("192.0.2.1:5"), or null. */
export function rdAddress(rd: string): string | null {
  const colon = rd.lastIndexOf(':');
  if (colon < 0) return null;
  const head = rd.slice(0, colon);
  return Number.isNaN(parseIpv4(head)) ? null : head;
}

/** The key of one route as BGP knows it (RD + the type-2 route key); a withdrawal carries the same. */
export function routeKey(f: EvpnRouteFact): string {
  return `${f.rd}|${f.ethernetTag}|${f.mac ?? ''}|${f.ip ?? ''}|${f.pathId ?? ''}`;
}

const HALF = 2 ** 31;
const MOD = 2 ** 32;

/**
 * RFC 1982 serial-number comparison for 32-bit MAC Mobility sequence numbers: negative when `a` is before `b`,
 * positive when after, 0 when equal — and NaN when they are exactly 2^31 apart, where RFC 1982 §3.2 leaves the
 * order undefined. RFC 7432 §15 requires handling wrap-around without saying how; this is the standard answer.
 * (FRR compares plain integers, so 0 after 4294967295 looks like a regression there.)
 */
export function compareSerial(a: number, b: number): number {
  const x = a >>> 0;
  const y = b >>> 0;
  if (x === y) return 0;
  const diff = (y - x + MOD) % MOD; // how far b is ahead of a
  if (diff === HALF) return NaN;
  return diff < HALF ? -1 : 1;
}

/** Numeric order of IPv4 next hops (text order for anything else), for the RFC 7432 §15.1 tie-break. */
export function compareNextHop(a: string, b: string): number {
  const x = parseIpv4(a);
  const y = parseIpv4(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An EVPN instance interned once: reports name it by `key`; tables key it by the small `id`. */
export interface InternedInstance {
  id: number;
  vni: number | null;
  ethernetTag: number;
  routeTargets: string[];
  key: string;
}

/**
 * Interns EVPN instances (VNI + Ethernet tag, or route targets + tag without VXLAN) as small ids, so a route
 * table keys (instance, address) by two numbers. A VXLAN instance is found by number (no string per route); only
 * instances without VNI build their route-target key. Ids are never reused: past `cap` instances the table
 * starts over and `onReset(below)` lets the owner drop what it keyed by ids below `below`.
 */
export class EvpnInstances {
  private readonly byNumber = new Map<number, InternedInstance>();
  private readonly byText = new Map<string, InternedInstance>();
  private readonly byId = new Map<number, InternedInstance>();
  private nextId = 0;
  /** The instance found last, by its VNI and tag: routes come in runs of one instance (an UPDATE's, a session's),
   *  and a run finds it with two compares. Cleared when the table starts over. */
  private last: InternedInstance | null = null;

  constructor(
    readonly cap: number,
    private readonly onReset: (below: number) => void,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  ids(): IterableIterator<number> {
    return this.byId.keys();
  }

  get(id: number): InternedInstance | undefined {
    return this.byId.get(id);
  }

  of(f: EvpnRouteFact): InternedInstance {
    const vni = vxlanVni(f);
    const tag = f.ethernetTag;
    const last = this.last;
    if (last !== null && vni !== null && last.vni === vni && last.ethernetTag === tag) return last;
    // vni < 2^24 and tag < 2^29 keep vni + tag * 2^24 below 2^53: exact.
    const numeric = vni !== null && tag < 2 ** 29;
    const number = numeric ? (vni as number) + tag * 2 ** 24 : 0;
    const text = numeric ? '' : vni !== null ? `vni:${vni}/${tag}` : `rt:${[...f.routeTargets].sort().join(',')}/${tag}`;
    const known = numeric ? this.byNumber.get(number) : this.byText.get(text);
    if (known) {
      if (vni !== null) this.last = known;
      return known;
    }
    if (this.size >= Math.max(1, this.cap)) {
      this.byNumber.clear();
      this.byText.clear();
      this.byId.clear();
      this.last = null;
      this.onReset(this.nextId);
    }
    const described = describeInstance(vni, tag, vni === null ? f.routeTargets : []);
    const instance: InternedInstance = { id: this.nextId++, ...described };
    this.byId.set(instance.id, instance);
    if (numeric) this.byNumber.set(number, instance);
    else this.byText.set(text, instance);
    if (vni !== null) this.last = instance;
    return instance;
  }
}
