// Interns broadcast domains so facts carry a small integer instead of an array.
//
// Bounded like the rules' tables (issue 14: one ARP request in each of 400k QinQ stacks took 350 MB): at most
// `capacity` domains are live. When a new domain arrives and the table is full, the least recently used one
// leaves (CLOCK: a domain interned again since the hand last passed gets a second chance) and the new domain
// takes its id, so ids stay dense (rules build keys as id × 2^32 + address) and stable while a domain is live.
// A domain only leaves after `capacity` others were used since it was last seen — far more than any rule table
// keeps (caps of 10k–100k) — so an id a rule still holds names the domain it meant.
//
// Nothing per domain is an object: a domain is its key, kept as numbers in typed columns. The common cases — up
// to three tags and no VXLAN, or a VNI with up to two inner tags and no outer ones — have numeric keys (2 bits of
// count, 24 of VNI, 12 per tag), so a fact costs no string building; the rest take a text key ("1.2.|5001|3.").
// `get(id)` builds the Domain from the key when asked (findings and the report ask; facts never do).
import type { Domain, DomainLookup } from './types.js';

/** Live domains kept by default; a real capture has a few thousand at most. */
export const MAX_DOMAINS = 1 << 18;
/** Domains listed one by one in the report (the rest are counted in stats.domainsOmitted). */
export const MAX_REPORTED_DOMAINS = 1000;

/** Numeric keys of VXLAN domains start here: keys of up to three VLAN tags are below 4 × 4096^3 = 2^38. */
const VXLAN_KEYS = 2 ** 38;

export class DomainTable implements DomainLookup {
  private readonly numericIds = new Map<number, number>();
  private readonly textIds = new Map<string, number>();
  /** Per id: the numeric key, or NaN when the domain has a text key. */
  private readonly numericKey: Float64Array;
  /** Per id: the text key (undefined for numeric keys). */
  private readonly textKey: (string | undefined)[] = [];
  /** CLOCK reference bits: set when a domain is interned again. */
  private readonly used: Uint8Array;
  /** Per id: the outer tags' TPIDs as first seen (0x8100, 0x88a8 …), for filters; undefined when untagged. */
  private readonly tpids: (number[] | undefined)[] = [];
  /** Paths seen per domain (numeric keys, and their labels), for "vni 5001 (via outer vlan 40, 41)". */
  private readonly vias = new Map<number, { keys: number[]; labels: string[] }>();
  private hand = 0;
  private live = 0;
  private interned = 0;
  private evicted = 0;

  constructor(readonly capacity: number = MAX_DOMAINS) {
    this.numericKey = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Id of the domain (vlans outermost first, VNI or null, tags of the frame inside VXLAN). */
  intern(
    vlans: ArrayLike<number>,
    vlanCount: number,
    vni: number | null,
    innerVlans: ArrayLike<number>,
    innerCount: number,
    tpids?: ArrayLike<number>,
  ): number {
    const id = this.internKey(vlans, vlanCount, vni, innerVlans, innerCount);
    if (this.fresh) {
      this.fresh = false;
      this.tpids[id] = tpids && vlanCount > 0 ? Array.from({ length: vlanCount }, (_, i) => tpids[i]) : undefined;
      this.vias.delete(id);
    }
    return id;
  }

  /** Set by place(): the id just handed out is a new domain (its side data is set afresh). */
  private fresh = false;

  private internKey(vlans: ArrayLike<number>, vlanCount: number, vni: number | null, innerVlans: ArrayLike<number>, innerCount: number): number {
    if (vni === null && vlanCount <= 3) {
      let numeric = vlanCount;
      for (let i = 0, scale = 4; i < vlanCount; i++, scale *= 4096) {
        const tag = vlans[i];
        if (tag > 0xfff) numeric = NaN; // not a 12-bit VLAN id: only the text key holds it
        numeric += tag * scale;
      }
      if (!Number.isNaN(numeric)) return this.internNumeric(numeric);
    } else if (vni !== null && vlanCount === 0 && innerCount <= 2 && vni >= 0 && vni <= 0xffffff) {
      // A VNI and up to two inner tags (no outer tags): above every key of the first kind, below 2^53.
      const t0 = innerCount > 0 ? innerVlans[0] : 0;
      const t1 = innerCount > 1 ? innerVlans[1] : 0;
      if (t0 <= 0xfff && t1 <= 0xfff) return this.internNumeric(VXLAN_KEYS + ((vni * 4 + innerCount) * 4096 + t0) * 4096 + t1);
    }
    return this.internText(vlans, vlanCount, vni, innerVlans, innerCount);
  }

  private internNumeric(numeric: number): number {
    const id = this.numericIds.get(numeric);
    if (id !== undefined) {
      this.used[id] = 1;
      return id;
    }
    const fresh = this.place();
    this.numericIds.set(numeric, fresh);
    this.numericKey[fresh] = numeric;
    this.textKey[fresh] = undefined;
    return fresh;
  }

  private internText(vlans: ArrayLike<number>, vlanCount: number, vni: number | null, innerVlans: ArrayLike<number>, innerCount: number): number {
    let key = '';
    for (let i = 0; i < vlanCount; i++) key += vlans[i] + '.';
    key += '|';
    if (vni !== null) key += vni;
    key += '|';
    for (let i = 0; i < innerCount; i++) key += innerVlans[i] + '.';
    const id = this.textIds.get(key);
    if (id !== undefined) {
      this.used[id] = 1;
      return id;
    }
    const fresh = this.place();
    this.textIds.set(key, fresh);
    this.numericKey[fresh] = NaN;
    this.textKey[fresh] = key;
    return fresh;
  }

  /** An id for a new domain: the next unused one, or that of the domain the CLOCK hand evicts. */
  private place(): number {
    this.interned++;
    this.fresh = true;
    if (this.live < this.capacity) return this.live++;
    for (;;) {
      const id = this.hand;
      this.hand = id + 1 === this.capacity ? 0 : id + 1;
      if (this.used[id]) {
        this.used[id] = 0;
        continue;
      }
      const numeric = this.numericKey[id];
      if (Number.isNaN(numeric)) this.textIds.delete(this.textKey[id]!);
      else this.numericIds.delete(numeric);
      this.evicted++;
      return id;
    }
  }

  get(id: number): Domain {
    if (!(id >= 0 && id < this.live)) throw new RangeError(`domain id ${id} was never given out`);
    const numeric = this.numericKey[id];
    if (numeric >= VXLAN_KEYS) {
      let rest = numeric - VXLAN_KEYS;
      const t1 = rest % 4096;
      rest = Math.floor(rest / 4096);
      const t0 = rest % 4096;
      rest = Math.floor(rest / 4096);
      const count = rest % 4;
      return { vlans: [], vni: Math.floor(rest / 4), innerVlans: [t0, t1].slice(0, count) };
    }
    const tpids = this.tpids[id];
    if (!Number.isNaN(numeric)) {
      const count = numeric % 4;
      const vlans: number[] = [];
      for (let i = 0, rest = Math.floor(numeric / 4); i < count; i++, rest = Math.floor(rest / 4096)) vlans.push(rest % 4096);
      return { vlans, vni: null, innerVlans: [], ...(tpids ? { tpids } : {}) };
    }
    const [outer, vni, inner] = this.textKey[id]!.split('|');
    const tags = (text: string) => (text ? text.slice(0, -1).split('.').map(Number) : []);
    return { vlans: tags(outer), vni: vni === '' ? null : Number(vni), innerVlans: tags(inner), ...(tpids ? { tpids } : {}) };
  }

  /** Every live domain, in id order. Builds each one: for tests and small tables, not per fact. */
  all(): Domain[] {
    const out: Domain[] = [];
    for (let id = 0; id < this.live; id++) out.push(this.get(id));
    return out;
  }

  /**
   * The first `limit` live domains in label order, each with its label: the report's list. Only labels are made
   * for the rest (to sort), so a full table costs a few MB here, not a Domain object per entry.
   */
  listed(limit: number = MAX_REPORTED_DOMAINS): { domain: Domain; label: string; via: readonly string[] }[] {
    const labels: string[] = [];
    for (let id = 0; id < this.live; id++) labels.push(this.label(id));
    const order = Array.from(labels.keys()).sort((a, b) => (labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0));
    return order.slice(0, limit).map((id) => ({ domain: this.get(id), label: labels[id], via: this.via(id) }));
  }

  /** Domains interned since the start, each once per stay in the table (one seen again after eviction counts again). */
  get size(): number {
    return this.interned;
  }

  /** Domains that left the table to make room. */
  get evictedCount(): number {
    return this.evicted;
  }

  /** The domain's label, with the paths beside it: "vni 1000 (via outer vlan 10, outer vlan 20)". */
  label(id: number): string {
    const label = domainLabel(this.get(id));
    const via = this.via(id);
    return via.length ? `${label} (via ${via.join(', ')})` : label;
  }

  /**
   * Notes that a frame of domain `id` arrived through an underlay tagged `vlans` (outermost first): a VNI is one
   * broadcast domain whatever path its frames take, and the paths are shown beside it, not mixed into it.
   */
  noteUnderlay(id: number, vlans: ArrayLike<number>, vlanCount: number): void {
    let key = vlanCount;
    for (let i = 0, scale = 8; i < vlanCount && i < 4; i++, scale *= 4096) key += vlans[i] * scale;
    // Called per VXLAN frame: a path already noted costs a lookup, not a closure.
    if (this.hasVia(id, key)) return;
    this.noteVia(id, key, () => (vlanCount === 0 ? 'untagged underlay' : `outer vlan ${Array.from({ length: vlanCount }, (_, i) => vlans[i]).join('.')}`));
  }

  /**
   * Notes a path (by a number `key` unique to it) that frames of domain `id` arrived through: an underlay VLAN, a
   * mirror session ("ERSPAN session 7 from 10.9.9.1"). The label is made once per new path; a few are kept.
   */
  noteVia(id: number, key: number, label: () => string): void {
    let via = this.vias.get(id);
    if (via === undefined) {
      if (this.vias.size >= MAX_VIA_DOMAINS) return;
      via = { keys: [], labels: [] };
      this.vias.set(id, via);
    }
    if (via.keys.includes(key) || via.keys.length > MAX_VIAS) return;
    via.keys.push(key);
    via.labels.push(via.keys.length > MAX_VIAS ? 'more' : label());
  }

  /** The path `key` is already noted for domain `id` (or the domain has no room for more). */
  hasVia(id: number, key: number): boolean {
    const via = this.vias.get(id);
    return via !== undefined && (via.keys.length > MAX_VIAS || via.keys.includes(key));
  }

  /** The paths of a domain ('more' last when there were more than could be kept). */
  via(id: number): readonly string[] {
    return this.vias.get(id)?.labels ?? NO_VIAS;
  }
}

const MAX_VIAS = 4;
/** Domains whose paths are noted (the rest are analysed all the same, without the note). */
const MAX_VIA_DOMAINS = 65_536;
const NO_VIAS: readonly string[] = Object.freeze([]) as readonly string[];

/** "untagged", "vlan 100", "vlan 200.2001", "vni 5001", "vni 5001 (outer vlan 40)", "vni 5001 vlan 10 (outer vlan 40)". */
export function domainLabel(domain: Domain): string {
  if (domain.vni === null) return domain.vlans.length ? `vlan ${domain.vlans.join('.')}` : 'untagged';
  let label = `vni ${domain.vni}`;
  if (domain.innerVlans.length) label += ` vlan ${domain.innerVlans.join('.')}`;
  if (domain.vlans.length) label += ` (outer vlan ${domain.vlans.join('.')})`;
  return label;
}
