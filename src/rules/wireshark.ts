// Wireshark display filters for findings: one place that knows the field names, so every finding's filter
// pastes into Wireshark/tshark as is. Field names as in Wireshark 4.x (packet-arp.c, packet-vlan.c,
// packet-ieee8021ah.c, packet-vxlan.c, packet-hsrp.c, packet-vrrp.c, packet-bgp.c).
import type { Domain } from '../facts/types.js';
import { formatIpv4, formatMac } from '../util/net.js';

/**
 * The broadcast-domain part of a filter. An outer tag may have been 0x8100 (`vlan.id`) or 0x88a8
 * (`ieee8021ad.id`) — the Domain does not keep the TPID, so the outermost tag of a stack matches either.
 * Inside VXLAN, `vxlan.vni` selects the segment and the inner tags are `vlan.id` again.
 */
export function domainFilter(domain: Domain | null): string {
  if (!domain) return '';
  const parts: string[] = [];
  domain.vlans.forEach((vlan, index) => {
    if (index === 0 && domain.vlans.length > 1) parts.push(`(ieee8021ad.id == ${vlan} || vlan.id == ${vlan})`);
    else parts.push(`vlan.id == ${vlan}`);
  });
  if (domain.vni !== null) parts.push(`vxlan.vni == ${domain.vni}`);
  for (const vlan of domain.innerVlans) parts.push(`vlan.id == ${vlan}`);
  if (parts.length === 0) return '!vlan && !ieee8021ad && !vxlan';
  return parts.join(' && ');
}

/** Joins filter clauses with &&, dropping empty ones. */
export function all(...clauses: string[]): string {
  return clauses.filter((c) => c.length > 0).join(' && ');
}

/** `field == a || field == b`, parenthesised when more than one value; '' when there are none. */
export function anyOf(field: string, values: readonly (string | number)[]): string {
  const unique = [...new Set(values.map(String))];
  if (unique.length === 0) return '';
  if (unique.length === 1) return `${field} == ${unique[0]}`;
  return `(${unique.map((v) => `${field} == ${v}`).join(' || ')})`;
}

export const mac = formatMac;
export const ipv4 = formatIpv4;
