// Interns broadcast domains so facts carry a small integer instead of an array.
// The key is built from integers only; a new Domain object is made once per distinct domain.
import type { Domain, DomainLookup } from './types.js';

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

  label(id: number): string {
    return domainLabel(this.domains[id]);
  }
}

/** "untagged", "vlan 100", "vlan 200.2001", "vni 5001", "vni 5001 (outer vlan 40)", "vni 5001 vlan 10 (outer vlan 40)". */
export function domainLabel(domain: Domain): string {
  if (domain.vni === null) return domain.vlans.length ? `vlan ${domain.vlans.join('.')}` : 'untagged';
  let label = `vni ${domain.vni}`;
  if (domain.innerVlans.length) label += ` vlan ${domain.innerVlans.join('.')}`;
  if (domain.vlans.length) label += ` (outer vlan ${domain.vlans.join('.')})`;
  return label;
}
