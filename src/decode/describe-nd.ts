// ICMPv6 / neighbour discovery for `gwcheck decode`: the NDJSON layer and the one-line summary (who solicits whom
// from which MAC). Like describe.ts, this runs only for frames someone asked to see; the field names are a
// contract with the CLI's users (add, never rename).
import { formatIpv6, formatMac } from '../util/net.js';
import {
  ND_NEIGHBOR_ADVERTISEMENT,
  ND_NEIGHBOR_SOLICITATION,
  ND_REDIRECT,
  ND_ROUTER_ADVERTISEMENT,
  ND_ROUTER_SOLICITATION,
  type DecodedFrame,
} from './types.js';

/** Short names of the ICMPv6 types `decode` names (RFC 4443, RFC 4861, RFC 2710/3810). */
const ICMPV6_NAMES: Record<number, string> = {
  1: 'destination-unreachable',
  2: 'packet-too-big',
  3: 'time-exceeded',
  4: 'parameter-problem',
  128: 'echo-request',
  129: 'echo-reply',
  130: 'mld-query',
  131: 'mld-report',
  132: 'mld-done',
  [ND_ROUTER_SOLICITATION]: 'rs',
  [ND_ROUTER_ADVERTISEMENT]: 'ra',
  [ND_NEIGHBOR_SOLICITATION]: 'ns',
  [ND_NEIGHBOR_ADVERTISEMENT]: 'na',
  [ND_REDIRECT]: 'redirect',
  143: 'mldv2-report',
};

export function icmpv6Name(type: number): string | null {
  return ICMPV6_NAMES[type] ?? null;
}

const mac = (n: number) => (n >= 0 ? formatMac(n) : null);

/** The NDJSON layer: type, code and name always; the ND fields of the message's type when `isNd`. */
export function describeNd(f: DecodedFrame): object {
  const nd = f.nd;
  const b = f.bytes;
  const layer: Record<string, unknown> = { proto: 'icmpv6', type: nd.type, code: nd.code, name: icmpv6Name(nd.type) };
  if (!nd.isNd) return layer;
  if (nd.targetOffset !== 0) layer.target = formatIpv6(b, nd.targetOffset);
  if (nd.type === ND_REDIRECT) layer.destination = formatIpv6(b, nd.destinationOffset);
  if (nd.type === ND_NEIGHBOR_ADVERTISEMENT) layer.flags = { router: nd.router, solicited: nd.solicited, override: nd.override };
  if (nd.type === ND_ROUTER_ADVERTISEMENT) {
    Object.assign(layer, {
      curHopLimit: nd.curHopLimit,
      routerLifetime: nd.routerLifetime,
      managed: nd.managed,
      other: nd.otherConfig,
      reachableTime: nd.reachableTime,
      retransTimer: nd.retransTimer,
      prefixes: prefixes(f),
    });
    if (nd.prefixCount > nd.prefixOffsets.length) layer.prefixCount = nd.prefixCount;
  }
  Object.assign(layer, {
    sourceLinkAddr: mac(nd.sourceLinkAddr),
    targetLinkAddr: mac(nd.targetLinkAddr),
    mtu: nd.mtu >= 0 ? nd.mtu : null,
    nonce: nd.nonceLength > 0 ? b.toString('hex', nd.nonceOffset, nd.nonceOffset + nd.nonceLength) : null,
    valid: nd.valid,
  });
  return layer;
}

function prefixes(f: DecodedFrame): object[] {
  const nd = f.nd;
  const out: object[] = [];
  const kept = Math.min(nd.prefixCount, nd.prefixOffsets.length);
  for (let i = 0; i < kept; i++) {
    out.push({
      prefix: formatIpv6(f.bytes, nd.prefixOffsets[i]),
      length: nd.prefixLengths[i],
      onLink: (nd.prefixFlags[i] & 0x80) !== 0,
      autonomous: (nd.prefixFlags[i] & 0x40) !== 0,
      valid: nd.prefixValidLifetimes[i],
      preferred: nd.prefixPreferredLifetimes[i],
    });
  }
  return out;
}

/**
 * One line, tcpdump-like: "NS who has 2001:db8::1? tell 2001:db8::2 (00:11:22:33:44:55)", "NA 2001:db8::1 is at
 * 00:… [R S O]", "RA from fe80::1 (mac) lifetime 1800s M O prefixes 2001:db8:1::/64". The MAC is the link-layer
 * address option where the message carries one, else the Ethernet source. DAD probes (NS from ::) end in "DAD",
 * unicast NS (neighbour unreachability detection) in "NUD", messages a node must discard in "(invalid)".
 */
export function summarizeNd(f: DecodedFrame): string {
  const nd = f.nd;
  const b = f.bytes;
  const name = icmpv6Name(nd.type);
  if (!nd.isNd) return `ICMPv6 ${name ?? `type ${nd.type}`}${nd.code !== 0 ? ` code ${nd.code}` : ''}`;
  const v6 = f.ip.version === 6;
  const src = v6 ? formatIpv6(b, f.ip.src6Offset) : '?';
  const sender = (lla: number) => (lla >= 0 ? formatMac(lla) : f.hasEthernet ? formatMac(f.src) : '?');
  let line: string;
  if (nd.type === ND_NEIGHBOR_SOLICITATION) {
    const dad = v6 && src === '::';
    const unicast = v6 && b[f.ip.dst6Offset] !== 0xff;
    line = `NS who has ${formatIpv6(b, nd.targetOffset)}? tell ${src} (${sender(nd.sourceLinkAddr)})`;
    if (dad) line += ' DAD';
    else if (unicast) line += ' NUD';
  } else if (nd.type === ND_NEIGHBOR_ADVERTISEMENT) {
    const flags = [nd.router ? 'R' : '', nd.solicited ? 'S' : '', nd.override ? 'O' : ''].filter(Boolean).join(' ');
    line = `NA ${formatIpv6(b, nd.targetOffset)} is at ${sender(nd.targetLinkAddr)} [${flags || '-'}]`;
  } else if (nd.type === ND_ROUTER_ADVERTISEMENT) {
    line = `RA from ${src} (${sender(nd.sourceLinkAddr)}) lifetime ${nd.routerLifetime}s`;
    if (nd.managed) line += ' M';
    if (nd.otherConfig) line += ' O';
    if (nd.mtu >= 0) line += ` mtu ${nd.mtu}`;
    const kept = Math.min(nd.prefixCount, nd.prefixOffsets.length);
    if (kept > 0) {
      const list: string[] = [];
      for (let i = 0; i < kept; i++) list.push(`${formatIpv6(b, nd.prefixOffsets[i])}/${nd.prefixLengths[i]}`);
      if (nd.prefixCount > kept) list.push(`… ${nd.prefixCount - kept} more`);
      line += ` prefixes ${list.join(',')}`;
    }
  } else if (nd.type === ND_ROUTER_SOLICITATION) {
    line = `RS from ${src} (${sender(nd.sourceLinkAddr)})`;
  } else {
    const via = formatIpv6(b, nd.targetOffset);
    line = `Redirect ${formatIpv6(b, nd.destinationOffset)} via ${via}${nd.targetLinkAddr >= 0 ? ` (${formatMac(nd.targetLinkAddr)})` : ''} from ${src}`;
  }
  return nd.valid ? line : `${line} (invalid)`;
}
