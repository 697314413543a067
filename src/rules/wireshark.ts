// Wireshark display filters for findings: one place that knows the field names, so every finding's filter
// pastes into Wireshark/tshark as is. Field names as in Wireshark 4.x (packet-arp.c, packet-vlan.c,
// packet-ieee8021ah.c, packet-vxlan.c, packet-hsrp.c, packet-vrrp.c, packet-bgp.c).
import type { Domain } from '../facts/types.js';
import { formatIpv4, formatMac } from '../util/net.js';

/** The VLAN tag field for a TPID: 802.1ad S-tags are `ieee8021ad.id`, 802.1Q C-tags `vlan.id`. */
function tagField(tpid: number | undefined, vlan: number): string {
  if (tpid === 0x88a8) return `ieee8021ad.id == ${vlan}`;
  if (tpid === 0x8100) return `vlan.id == ${vlan}`;
  if (tpid === ERSPAN_HEADER_TPID) return `erspan.vlan == ${vlan}`;
  // Unknown TPID (a Domain made without them) or the pre-standard 0x9100/0x9200: either field.
  return `(ieee8021ad.id == ${vlan} || vlan.id == ${vlan})`;
}

/**
 * Marks, in Domain.tpids, a VLAN that came from an ERSPAN header (the mirrored frame arrived untagged): 0x88be is
 * ERSPAN's GRE protocol type, never a VLAN TPID, so it cannot be confused with a real tag.
 */
export const ERSPAN_HEADER_TPID = 0x88be;

/**
 * The broadcast-domain part of a filter. Each outer tag is filtered by the field of its TPID as first seen in
 * the domain (Domain.tpids): a single 802.1ad S-tag is `ieee8021ad.id` — `vlan.id == 200` selects nothing on a
 * QinQ capture whose only tag is an S-tag. Inside VXLAN, `vxlan.vni` selects the segment and the inner tags are
 * C-tags (`vlan.id`).
 */
export function domainFilter(domain: Domain | null): string {
  if (!domain) return '';
  const parts: string[] = [];
  domain.vlans.forEach((vlan, index) => {
    const tpid = domain.tpids?.[index];
    if (tpid === undefined && !(index === 0 && domain.vlans.length > 1)) parts.push(`vlan.id == ${vlan}`);
    else parts.push(tagField(tpid, vlan));
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

/** The UDP port IANA gave VXLAN: the only one tshark and Wireshark decode as VXLAN without `-d`. */
export const WIRESHARK_VXLAN_PORT = 4789;
/** The TCP port tshark and Wireshark decode as BGP without `-d`. */
export const WIRESHARK_BGP_PORT = 179;

/**
 * The `-d` (decode as) options a filter needs in tshark/Wireshark: VXLAN on UDP ports other than 4789 (Linux's
 * 8472, `--vxlan-port`) and BGP on TCP ports other than 179 (`--bgp-port`), for a filter that names those fields.
 * Without them `vxlan.vni == 5001` selects nothing on a capture whose VXLAN runs on 8472.
 */
export function decodeAsOptions(filter: string, vxlanPorts: readonly number[], bgpPorts: readonly number[]): string[] {
  const out: string[] = [];
  if (/\bvxlan\./.test(filter)) {
    for (const port of [...new Set(vxlanPorts)].sort((a, b) => a - b)) if (port !== WIRESHARK_VXLAN_PORT) out.push(`udp.port==${port},vxlan`);
  }
  if (/\bbgp\./.test(filter)) {
    for (const port of [...new Set(bgpPorts)].sort((a, b) => a - b)) if (port !== WIRESHARK_BGP_PORT) out.push(`tcp.port==${port},bgp`);
  }
  return out;
}

/** The filter that selects exactly the cited frames of one file: `frame.number in {3..5, 9}` (runs of 3+ as ranges). */
export function exactFilter(frames: readonly number[]): string {
  const sorted = [...new Set(frames)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}..${sorted[j]}` : j > i ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}`);
    i = j + 1;
  }
  // Commas: Wireshark 4.0 refuses set elements separated by white space only (deprecated since 3.6).
  return `frame.number in {${parts.join(', ')}}`;
}

/** A word for a POSIX shell: as is when it is safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `wireshark -r FILE [-d …] -Y 'FILTER'`: what opens the evidence in Wireshark (tshark takes the same options). */
export function wiresharkCommand(file: string, filter: string, decodeAs: readonly string[]): string {
  return ['wireshark', '-r', shellWord(file), ...decodeAs.flatMap((d) => ['-d', shellWord(d)]), '-Y', shellWord(filter)].join(' ');
}
