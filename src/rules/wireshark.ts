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

/**
 * Field names of neighbour resolution per address family: ARP (packet-arp.c) and ICMPv6 ND (packet-icmpv6.c).
 * An NS's sender MAC is its source link-layer option (`icmpv6.opt.linkaddr`, present in most NS) and an NA's its
 * target link-layer option; a filter on the MAC matches the option or the Ethernet source.
 */
export interface NeighbourFields {
  /** Requests (ARP opcode 1 / NS). */
  request: string;
  /** Replies (ARP opcode 2 / NA). */
  reply: string;
  /** The address a request asks for. */
  requestTarget: string;
  /** The address a reply (or gratuitous ARP, NA) claims. */
  claimedIp: string;
  /** The address a request comes from (ARP sender IP / IPv6 source). */
  requesterIp: string;
  /** Clause: a frame sent by `m` (ARP sender hardware address; ND link-layer option or Ethernet source). */
  fromMac(m: string): string;
  /** Clause: a frame from or to `m`. */
  aboutMac(m: string): string;
}

export const ARP_FIELDS: NeighbourFields = {
  request: 'arp.opcode == 1',
  reply: 'arp.opcode == 2',
  requestTarget: 'arp.dst.proto_ipv4',
  claimedIp: 'arp.src.proto_ipv4',
  requesterIp: 'arp.src.proto_ipv4',
  fromMac: (m) => `arp.src.hw_mac == ${m}`,
  aboutMac: (m) => `(arp.src.hw_mac == ${m} || arp.dst.hw_mac == ${m})`,
};

export const ND_FIELDS: NeighbourFields = {
  request: 'icmpv6.type == 135',
  reply: 'icmpv6.type == 136',
  requestTarget: 'icmpv6.nd.ns.target_address',
  claimedIp: 'icmpv6.nd.na.target_address',
  requesterIp: 'ipv6.src',
  fromMac: (m) => `(icmpv6.opt.linkaddr == ${m} || eth.src == ${m})`,
  aboutMac: (m) => `(icmpv6.opt.linkaddr == ${m} || eth.addr == ${m}) && (icmpv6.type == 135 || icmpv6.type == 136)`,
};

export function neighbourFields(family: 4 | 6): NeighbourFields {
  return family === 6 ? ND_FIELDS : ARP_FIELDS;
}

/** "ARP" or "IPv6 ND", for messages. */
export function familyProtocol(family: 4 | 6): string {
  return family === 6 ? 'IPv6 ND' : 'ARP';
}

/** The family of an address key as the report names it. */
export function familyName(family: 4 | 6): 'ipv4' | 'ipv6' {
  return family === 6 ? 'ipv6' : 'ipv4';
}
