// Interns broadcast domains so facts carry a small integer instead of an array.
// The key is built from integers only; a new Domain object is made once per distinct domain.
import type { Domain, DomainLookup } from './types.js';

const MAX_VIAS = 4;
/** Domains whose paths are noted (the rest are analysed all the same, without the note). */
const MAX_VIA_DOMAINS = 65_536;
const NO_VIAS: readonly string[] = Object.freeze([]) as readonly string[];

export class DomainTable implements DomainLookup {
  private readonly ids = new Map<string, number>();
  private readonly numericIds = new Map<number, number>();
  private readonly domains: Domain[] = [];

  /** Id of the domain (vlans outermost first, VNI or null, tags of the frame inside VXLAN). */
  intern(
    vlans: ArrayLike<number>,
    vlanCount: number,
    vni: number | null,
    innerVlans: ArrayLike<number>,
    innerCount: number,
    /** TPIDs of `vlans`, kept as the domain's first-seen tags (for filters); not part of the key. */
    tpids?: ArrayLike<number>,
  ): number {
    // The common case — up to three tags, no VXLAN — gets a numeric key (3 bits of count, 12 bits per tag), so a
    // fact costs no string building; the rest take the general string key.
    if (vni === null && vlanCount <= 3) {
      let numeric = vlanCount;
      for (let i = 0, scale = 8; i < vlanCount; i++, scale *= 4096) numeric += vlans[i] * scale;
      const id = this.numericIds.get(numeric);
      if (id !== undefined) return id;
      const fresh = this.internByString(vlans, vlanCount, vni, innerVlans, innerCount, tpids);
      this.numericIds.set(numeric, fresh);
      return fresh;
    }
    return this.internByString(vlans, vlanCount, vni, innerVlans, innerCount, tpids);
  }

  private internByString(
    vlans: ArrayLike<number>,
    vlanCount: number,
    vni: number | null,
    innerVlans: ArrayLike<number>,
    innerCount: number,
    tpids?: ArrayLike<number>,
  ): number {
    let key = '';
    for (let i = 0; i < vlanCount; i++) key += vlans[i] + '.';
    key += '|';
    if (vni !== null) key += vni;
    key += '|';
    for (let i = 0; i < innerCount; i++) key += innerVlans[i] + '.';
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.domains.length;
      this.domains.push({
        vlans: Array.from({ length: vlanCount }, (_, i) => vlans[i]),
        vni,
        innerVlans: Array.from({ length: innerCount }, (_, i) => innerVlans[i]),
        ...(tpids && vlanCount > 0 ? { tpids: Array.from({ length: vlanCount }, (_, i) => tpids[i]) } : {}),
      });
      this.ids.set(key, id);
    }
    return id;
  }

  /** Underlay paths seen per domain (numeric keys, and their labels), for "vni 5001 (via outer vlan 40, 41)". */
  private readonly vias = new Map<number, { keys: number[]; labels: string[] }>();

  /**
   * Notes that a frame of domain `id` arrived through an underlay tagged `vlans` (outermost first): a VNI is one
   * broadcast domain whatever path its frames take, and the paths are shown beside it, not mixed into it. A few
   * paths are kept per domain; the rest are counted.
   */
  noteUnderlay(id: number, vlans: ArrayLike<number>, vlanCount: number): void {
    let key = vlanCount;
    for (let i = 0, scale = 8; i < vlanCount && i < 4; i++, scale *= 4096) key += vlans[i] * scale;
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

  /** The underlay paths of a domain ('more' last when there were more than could be kept). */
  via(id: number): readonly string[] {
    return this.vias.get(id)?.labels ?? NO_VIAS;
  }

  get(id: number): Domain {
    return this.domains[id];
  }

  /** Every domain interned so far, in id order. */
  all(): readonly Domain[] {
    return this.domains;
  }

  get size(): number {
    return this.domains.length;
  }

  /** The domain's label, with the underlay paths beside it: "vni 1000 (via outer vlan 10, outer vlan 20)". */
  label(id: number): string {
    const label = domainLabel(this.domains[id]);
    const via = this.via(id);
    return via.length ? `${label} (via ${via.join(', ')})` : label;
  }
}

/** "untagged", "vlan 100", "vlan 200.2001", "vni 5001", "vni 5001 vlan 10" (frames inside VXLAN: VNI and inner
 *  tags; an outer VLAN appears only in domains made by callers that still key by it). */
export function domainLabel(domain: Domain): string {
  if (domain.vni === null) return domain.vlans.length ? `vlan ${domain.vlans.join('.')}` : 'untagged';
  let label = `vni ${domain.vni}`;
  if (domain.innerVlans.length) label += ` vlan ${domain.innerVlans.join('.')}`;
  if (domain.vlans.length) label += ` (outer vlan ${domain.vlans.join('.')})`;
  return label;
}
