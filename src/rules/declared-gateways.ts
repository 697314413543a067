// The gateways the config's intent declares (gwcheck.config.json `intent.gateways`: an IP, the MACs it may resolve
// to, optionally a VLAN or VNI), as a lookup by the numbers facts carry. The engine's shared state reads it so a
// declared IP is a gateway from its first packet (LEARNED_INTENT), gateway-mac-drift so any other MAC answering for
// it is an error, and the inventory so the map says which MACs were declared.
//
// Scope: an entry with a `vlan` holds in domains whose VLAN stack or inner tags include it, one with a `vni` in that
// VNI, one with neither in every domain — as src/config/apply.ts scopes intent for findings.
//
// IPv6 entries are matched by text: AddressBook keys depend on the order addresses are first seen (and turn over),
// so a key made from the config's text could later name another address. AddressBook.format returns the text it
// keeps for a key (no string is built per lookup), in the one canonical form (RFC 5952) the config's text is put in.
import { IPV6_KEYS, parseIpv6, type AddressFormatter } from '../facts/addresses.js';
import type { Domain, DomainLookup } from '../facts/types.js';
import type { GatewayIntent } from '../config/types.js';
import { formatIpv6, formatMac, parseIpv4, parseMac } from '../util/net.js';

export interface DeclaredGateway {
  /** Index in intent.gateways (cited as `intent.gateways[i]`). */
  index: number;
  /** The IP in canonical text. */
  ip: string;
  family: 4 | 6;
  macs: Set<number>;
  /** The declared MACs as the config wrote them, canonical (lowercase colon form), sorted. */
  macTexts: string[];
  vlan?: number;
  vni?: number;
}

export class DeclaredGateways {
  private readonly byIpv4 = new Map<number, DeclaredGateway[]>();
  private readonly byIpv6 = new Map<string, DeclaredGateway[]>();
  /** Declared MACs → the entries that list them (for "is this MAC a declared gateway's?"). */
  private readonly byMac = new Map<number, DeclaredGateway[]>();
  readonly all: DeclaredGateway[] = [];

  constructor(
    intent: readonly GatewayIntent[] | undefined,
    private readonly domains: DomainLookup,
    private readonly addresses: AddressFormatter,
  ) {
    (intent ?? []).forEach((g, index) => {
      const v4 = parseIpv4(g.ip);
      const v6 = Number.isNaN(v4) ? parseIpv6(g.ip) : null;
      // The config was validated (src/config/validate.ts); an entry that still does not parse declares nothing.
      if (Number.isNaN(v4) && v6 === null) return;
      const macs = new Set<number>();
      for (const m of g.macs) {
        const n = parseMac(m);
        if (!Number.isNaN(n)) macs.add(n);
      }
      const entry: DeclaredGateway = {
        index,
        ip: v6 ? formatIpv6(v6, 0) : g.ip,
        family: v6 ? 6 : 4,
        macs,
        macTexts: [...macs].sort((a, b) => a - b).map(formatMac),
        ...(g.vlan !== undefined ? { vlan: g.vlan } : {}),
        ...(g.vni !== undefined ? { vni: g.vni } : {}),
      };
      this.all.push(entry);
      push(v6 ? this.byIpv6 : this.byIpv4, v6 ? entry.ip : v4, entry);
      for (const m of macs) push(this.byMac, m, entry);
    });
  }

  get size(): number {
    return this.all.length;
  }

  /** The declaration for this address key in this domain, if any (the first in scope, in config order). */
  find(domainId: number, ipKey: number): DeclaredGateway | undefined {
    if (this.all.length === 0 || ipKey === 0) return undefined;
    const list = ipKey < IPV6_KEYS ? this.byIpv4.get(ipKey) : this.byIpv6.size ? this.byIpv6.get(this.addresses.format(ipKey, 6)) : undefined;
    if (!list) return undefined;
    const domain = this.domains.get(domainId);
    for (const entry of list) if (inScope(domain, entry)) return entry;
    return undefined;
  }

  /**
   * The declaration for an IP given as text in an EVPN instance (an EVPN MAC/IP route carries no VLAN of the data
   * plane): one with `vni` holds in that VNI, one with neither `vni` nor `vlan` everywhere, one with only `vlan` not
   * here (the route cannot say which VLAN it is).
   */
  findEvpn(ip: string, vni: number | null): DeclaredGateway | undefined {
    if (this.all.length === 0) return undefined;
    const v4 = parseIpv4(ip);
    let list: DeclaredGateway[] | undefined;
    if (!Number.isNaN(v4)) list = this.byIpv4.get(v4);
    else {
      const v6 = parseIpv6(ip);
      list = v6 ? this.byIpv6.get(formatIpv6(v6, 0)) : undefined;
    }
    return list?.find((e) => (e.vni !== undefined ? e.vni === vni : e.vlan === undefined));
  }

  /** Whether a declared gateway in scope of this domain lists this MAC. */
  declaresMac(domainId: number, mac: number): boolean {
    if (this.all.length === 0) return false;
    const list = this.byMac.get(mac);
    if (!list) return false;
    const domain = this.domains.get(domainId);
    return list.some((entry) => inScope(domain, entry));
  }

  /** The entries in scope of this domain (for the inventory: declared gateways are listed even when silent). */
  inDomain(domainId: number): DeclaredGateway[] {
    if (this.all.length === 0) return [];
    const domain = this.domains.get(domainId);
    return this.all.filter((entry) => inScope(domain, entry));
  }
}

export function inScope(domain: Domain, scope: { vlan?: number; vni?: number }): boolean {
  if (scope.vlan !== undefined && !domain.vlans.includes(scope.vlan) && !domain.innerVlans.includes(scope.vlan)) return false;
  if (scope.vni !== undefined && domain.vni !== scope.vni) return false;
  return true;
}

function push<K>(map: Map<K, DeclaredGateway[]>, key: K, entry: DeclaredGateway): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
