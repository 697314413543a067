// Layers → plain objects for `gwcheck decode` (NDJSON) and one-line summaries for its text mode. This is the
// only place the decode room formats addresses, and it runs only for frames a person or script asked to see.
// The field names are a contract with the CLI's users: add fields, never rename them.
import { formatIpv4, formatIpv6, formatMac, readIpv4 } from '../util/net.js';
import { describeNd, summarizeNd } from './describe-nd.js';
import { describeGlbp, describeTunnel, portTagLayer, summarizeGlbp, tunnelPrefix } from './describe-tunnels.js';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TUNNEL_GENEVE, TUNNEL_NONE, TUNNEL_PBB, TUNNEL_VXLAN, TUNNEL_VXLAN_GPE, type DecodedFrame, type DecodeResult } from './types.js';

const HSRP_OPCODES = ['hello', 'coup', 'resign', 'advertise'];
/** v1 advertise interface states (Wireshark's hsrp.adv.state). */
const HSRP_ADVERTISE_STATES: Record<number, string> = { 1: 'dormant', 2: 'passive', 3: 'active' };

/** The layer list of a decoded frame, in wire order; the frame inside VXLAN follows the vxlan layer. */
export function describeLayers(result: DecodeResult): object[] {
  const layers: object[] = [];
  for (let f: DecodedFrame | null = result.root; f !== null; f = f.inner) describeDepth(f, layers);
  return layers;
}

function describeDepth(f: DecodedFrame, out: object[]): void {
  const b = f.bytes;
  // The tunnel headers that led to this depth (VXLAN's own layer is printed by the depth above, as always).
  if (f.tunnel.kind !== TUNNEL_NONE) describeTunnel(f, out);
  if (f.hasEthernet) {
    const eth: Record<string, unknown> = { proto: 'eth', src: formatMac(f.src), dst: formatMac(f.dst), etherType: f.etherType };
    if (f.llc) eth.llc = true;
    out.push(eth);
  }
  if (f.portTag.tpid !== 0) out.push(portTagLayer(f));
  for (let i = 0; i < f.vlanCount; i++) {
    out.push({ proto: 'vlan', id: f.vlanIds[i], tpid: f.vlanTpids[i], pcp: f.vlanPcp[i], dei: f.vlanDei[i] });
  }
  const arp = f.arp;
  if (arp.present) {
    const known = arp.ethernetIpv4;
    out.push({
      proto: 'arp',
      htype: arp.htype,
      ptype: arp.ptype,
      opcode: arp.opcode,
      senderMac: known ? formatMac(arp.senderMac) : null,
      senderIp: known ? formatIpv4(arp.senderIp) : null,
      targetMac: known ? formatMac(arp.targetMac) : null,
      targetIp: known ? formatIpv4(arp.targetIp) : null,
    });
  }
  const ip = f.ip;
  if (ip.version === 4) {
    out.push({ proto: 'ipv4', src: formatIpv4(ip.src4), dst: formatIpv4(ip.dst4), protocol: ip.protocol, ttl: ip.ttl });
  } else if (ip.version === 6) {
    out.push({ proto: 'ipv6', src: formatIpv6(b, ip.src6Offset), dst: formatIpv6(b, ip.dst6Offset), protocol: ip.protocol, ttl: ip.ttl });
  }
  if (f.nd.present) out.push(describeNd(f));
  if (f.udp.present) out.push({ proto: 'udp', srcPort: f.udp.srcPort, dstPort: f.udp.dstPort, length: f.udp.length });
  const tcp = f.tcp;
  if (tcp.present) {
    out.push({
      proto: 'tcp',
      srcPort: tcp.srcPort,
      dstPort: tcp.dstPort,
      seq: tcp.seq,
      ack: tcp.ack,
      flags: tcp.flags,
      payloadLength: tcp.payloadEnd - tcp.payloadOffset,
      ...(tcp.payloadTruncated ? { payloadTruncated: true } : {}),
    });
  }
  const h = f.hsrp;
  if (h.present && h.advertise) {
    // An advertise message names no group, state or virtual IP: only what it carries.
    out.push({
      proto: 'hsrp',
      version: h.version,
      opcode: h.opcode,
      advertise: true,
      activeGroups: h.activeGroups,
      passiveGroups: h.passiveGroups,
      ...(h.version === 1 ? { interfaceState: HSRP_ADVERTISE_STATES[h.advertiseState] ?? null } : {}),
    });
  } else if (h.present) {
    out.push({
      proto: 'hsrp',
      version: h.version,
      opcode: h.opcode,
      state: h.state,
      group: h.group,
      priority: h.priority,
      helloMs: h.helloMs,
      holdMs: h.holdMs,
      virtualIp: hsrpVirtualIp(f),
      virtualMac: formatMac(h.virtualMac),
      ...(h.version === 2 ? { identifier: formatMac(h.identifier) } : {}),
      auth: h.authTextLength > 0 ? b.toString('latin1', h.authTextOffset, h.authTextOffset + h.authTextLength) : null,
      ...(h.md5Auth ? { md5Auth: true } : {}),
    });
  }
  const v = f.vrrp;
  if (v.present) {
    out.push({
      proto: 'vrrp',
      version: v.version,
      type: v.type,
      vrid: v.vrid,
      priority: v.priority,
      intervalMs: v.intervalMs,
      addresses: vrrpAddresses(f),
      virtualMac: formatMac(v.virtualMac),
    });
  }
  if (f.glbp.present) out.push(describeGlbp(f));
  if (f.vxlan.present) out.push({ proto: 'vxlan', vni: f.vxlan.vni, flags: f.vxlan.flags });
}

function hsrpVirtualIp(f: DecodedFrame): string | null {
  const h = f.hsrp;
  if (h.advertise || h.opcode === 3) return null;
  return h.ipVersion === 6 ? formatIpv6(f.bytes, h.virtualIp6Offset) : formatIpv4(h.virtualIp4);
}

function vrrpAddresses(f: DecodedFrame): string[] {
  const v = f.vrrp;
  const out: string[] = [];
  for (let i = 0; i < v.addressesRead; i++) {
    if (v.ipVersion === 6) out.push(formatIpv6(f.bytes, v.addressesOffset + 16 * i));
    // addressesRead counts only the addresses the VRRP decoder bounds-checked.
    else out.push(formatIpv4(readIpv4(f.bytes, v.addressesOffset + 4 * i)));
  }
  return out;
}


/** A one-line, tcpdump-like summary of the most interesting layer; VXLAN depths prefix "VXLAN vni N: ". */
export function summarizeFrame(result: DecodeResult): string {
  let prefix = '';
  let f = result.root;
  while (f.inner !== null) {
    f = f.inner;
    prefix += f.tunnel.kind === TUNNEL_VXLAN ? `VXLAN vni ${f.tunnel.id}: ` : tunnelPrefix(f);
  }
  if (f.vxlan.present) return `${prefix}VXLAN vni ${f.vxlan.vni} (inner frame not decoded)`;
  if (f.tunnel.kind !== TUNNEL_NONE && !f.hasEthernet && f.ip.version === 0 && !f.arp.present) return `${prefix}(inner frame not decoded)`;
  return prefix + summarizeDepth(f);
}

function summarizeDepth(f: DecodedFrame): string {
  const h = f.hsrp;
  if (h.present) {
    const opcode = HSRP_OPCODES[h.opcode] ?? `opcode ${h.opcode}`;
    if (h.advertise) {
      const state = h.version === 1 ? ` ${HSRP_ADVERTISE_STATES[h.advertiseState] ?? `state ${h.advertiseState}`}` : '';
      return `HSRPv${h.version} advertise${state}: ${h.activeGroups} active, ${h.passiveGroups} passive groups`;
    }
    if (h.opcode === 3) return `HSRPv${h.version} ${opcode} ${h.state}`;
    return `HSRPv${h.version} ${opcode} group ${h.group} ${h.state} prio ${h.priority} vip ${hsrpVirtualIp(f)}`;
  }
  if (f.glbp.present) return summarizeGlbp(f);
  const v = f.vrrp;
  if (v.present) {
    const type = v.type === 1 ? 'advertisement' : `type ${v.type}`;
    return `VRRPv${v.version} ${type} vrid ${v.vrid} prio ${v.priority} int ${v.intervalMs}ms addrs ${vrrpAddresses(f).join(',') || '-'}`;
  }
  const arp = f.arp;
  if (arp.present) {
    if (!arp.ethernetIpv4) return `ARP htype ${arp.htype} ptype 0x${hex4(arp.ptype)} opcode ${arp.opcode}`;
    const sender = formatIpv4(arp.senderIp);
    if (arp.opcode === 1) return `ARP who-has ${formatIpv4(arp.targetIp)} tell ${sender}`;
    if (arp.opcode === 2) return `ARP is-at ${formatMac(arp.senderMac)} (${sender})`;
    return `ARP opcode ${arp.opcode} ${sender} > ${formatIpv4(arp.targetIp)}`;
  }
  if (f.nd.present && f.nd.isNd) return summarizeNd(f);
  const ip = f.ip;
  if (ip.version !== 0) {
    const src = ip.version === 4 ? formatIpv4(ip.src4) : formatIpv6(f.bytes, ip.src6Offset);
    const dst = ip.version === 4 ? formatIpv4(ip.dst4) : formatIpv6(f.bytes, ip.dst6Offset);
    const tcp = f.tcp;
    if (tcp.present) {
      const length = tcp.payloadEnd - tcp.payloadOffset;
      return `IPv${ip.version} ${src}.${tcp.srcPort} > ${dst}.${tcp.dstPort}: TCP [${tcpFlags(tcp.flags)}] seq ${tcp.seq} ack ${tcp.ack} len ${length}`;
    }
    if (f.udp.present) return `IPv${ip.version} ${src}.${f.udp.srcPort} > ${dst}.${f.udp.dstPort}: UDP len ${f.udp.length - 8}`;
    if (f.nd.present) return `IPv${ip.version} ${src} > ${dst}: ${summarizeNd(f)}`;
    return `IPv${ip.version} ${src} > ${dst}: protocol ${ip.protocol}`;
  }
  if (f.llc) return f.etherType ? `LLC/SNAP ethertype 0x${hex4(f.etherType)}` : 'LLC';
  if (f.hasEthernet) return `${formatMac(f.src)} > ${formatMac(f.dst)} ethertype 0x${hex4(f.etherType)}`;
  return 'not decoded';
}

function tcpFlags(flags: number): string {
  let out = '';
  if (flags & TCP_SYN) out += 'S';
  if (flags & TCP_FIN) out += 'F';
  if (flags & TCP_RST) out += 'R';
  if (flags & TCP_PSH) out += 'P';
  if (flags & TCP_ACK) out += '.';
  return out || 'none';
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** The broadcast domain as text: outer VLAN stack, each VNI, then the VLANs of the innermost frame. */
export function domainText(result: DecodeResult): string {
  const parts: string[] = [];
  let f: DecodedFrame | null = result.root;
  for (; f !== null; f = f.inner) {
    // Geneve and VXLAN-GPE name a VNI as VXLAN does; PBB an I-SID (other tunnels name no broadcast domain).
    const t = f.tunnel;
    if ((t.kind === TUNNEL_GENEVE || t.kind === TUNNEL_VXLAN_GPE) && t.id >= 0) parts.push(`vni ${t.id}`);
    else if (t.kind === TUNNEL_PBB) parts.push(`isid ${t.id}`);
    if (f.vlanCount > 0) parts.push(`vlan ${Array.from(f.vlanIds.subarray(0, f.vlanCount)).join('.')}`);
    if (f.vxlan.present) parts.push(`vni ${f.vxlan.vni}`);
  }
  return parts.length ? parts.join(' ') : 'untagged';
}
