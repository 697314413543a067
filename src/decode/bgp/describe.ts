// `gwcheck decode` output for BGP: one JSON object per message and one text line per EVPN route.
// Inputs are structural so both the decoder's EvpnRoute and the facts room's EvpnRouteFact can be printed
// (decode may not import from facts).
import { formatMac } from '../../util/net.js';
import type { AsPathSegment, BgpInference, BgpMessage, BgpPrefix, EvpnRoute } from './types.js';

const TUNNEL_VXLAN = 8;
const ORIGINS = ['igp', 'egp', 'incomplete'];

/** What describeBgpMessage needs of a BgpMessageRecord (src/facts/bgp.ts). */
export interface DescribableBgpRecord {
  message: BgpMessage;
  frames: number[];
  inferred?: BgpInference[];
}

/** What describeEvpnRouteLine needs: satisfied by EvpnRoute (decode) and EvpnRouteFact (facts). */
export interface DescribableEvpnRoute {
  routeType: number;
  action: 'advertise' | 'withdraw';
  rd: string;
  esi: string;
  esiZero: boolean;
  ethernetTag: number;
  mac: number | null;
  ip: string | null;
  labels: number[];
  pathId: number | null;
  nextHop: string | null;
  macMobility: { sequence: number; sticky: boolean } | null;
  encapsulation: number | null;
  originatorIp?: string | null;
  prefix?: string | null;
  gatewayIp?: string | null;
}

/** "65000 65001 {65002,65003}" (sets in braces, confederation segments in parentheses). */
export function formatAsPath(segments: AsPathSegment[]): string {
  return segments
    .map((s) => {
      const list = s.asns.join(s.type === 1 || s.type === 4 ? ',' : ' ');
      if (s.type === 1) return `{${list}}`;
      if (s.type === 3) return `(${list})`;
      if (s.type === 4) return `[${list}]`;
      return list;
    })
    .join(' ');
}

function prefixText(p: BgpPrefix): string {
  return p.pathId === null ? p.prefix : `${p.prefix} path-id ${p.pathId}`;
}

function evpnJson(r: EvpnRoute): Record<string, unknown> {
  return {
    routeType: r.routeType,
    action: r.action,
    rd: r.rd,
    esi: r.esi || null,
    ethernetTag: r.ethernetTag,
    mac: r.mac === null ? null : formatMac(r.mac),
    ip: r.ip,
    labels: r.labels,
    vni: r.encapsulation === TUNNEL_VXLAN && r.labels.length ? r.labels[0] : null,
    pathId: r.pathId,
    originatorIp: r.originatorIp,
    prefix: r.prefix,
    gatewayIp: r.gatewayIp,
  };
}

/** The JSON object of one BGP message for `gwcheck decode --format ndjson`. */
export function describeBgpMessage(rec: DescribableBgpRecord): Record<string, unknown> {
  const m = rec.message;
  const out: Record<string, unknown> = { type: m.type, length: m.length };
  switch (m.type) {
    case 'open': {
      const c = m.capabilities;
      Object.assign(out, {
        version: m.version,
        myAs: m.myAs,
        holdTime: m.holdTime,
        bgpId: m.bgpId,
        as4: c.as4,
        multiprotocol: c.multiprotocol.map((f) => `${f.afi}/${f.safi}`),
        addPath: c.addPath.map((f) => `${f.afi}/${f.safi}:${['none', 'receive', 'send', 'both'][f.sendReceive & 3]}`),
        extendedMessage: c.extendedMessage,
        routeRefresh: c.routeRefresh,
        gracefulRestart: c.gracefulRestart !== null,
        capabilities: c.codes,
      });
      break;
    }
    case 'update': {
      const a = m.attributes;
      const ext = a.extendedCommunities;
      const mm = ext.find((c) => c.kind === 'mac-mobility');
      const withdrawn = m.withdrawn.map(prefixText);
      const nlri = m.nlri.map(prefixText);
      if (a.mpUnreach) withdrawn.push(...a.mpUnreach.withdrawn.map(prefixText));
      if (a.mpReach) nlri.push(...a.mpReach.nlri.map(prefixText));
      Object.assign(out, {
        nextHop: a.mpReach?.nextHops[0] ?? a.nextHop,
        asPath: a.asPath ? formatAsPath(a.asPath) : null,
        origin: a.origin === null ? null : (ORIGINS[a.origin] ?? String(a.origin)),
        evpn: m.evpn.map(evpnJson),
        macMobility: mm ? { sequence: mm.sequence, sticky: mm.sticky } : null,
        routeTargets: ext.filter((c) => c.kind === 'route-target').map((c) => c.routeTarget),
        extendedCommunities: ext.map((c) => `${c.kind}:${c.value}`),
        withdrawn,
        nlri,
      });
      if (a.localPref !== null) out.localPref = a.localPref;
      if (a.med !== null) out.med = a.med;
      if (a.communities.length) out.communities = a.communities;
      if (a.largeCommunities.length) out.largeCommunities = a.largeCommunities;
      if (a.originatorId !== null) out.originatorId = a.originatorId;
      if (a.clusterList.length) out.clusterList = a.clusterList;
      if (a.pmsiTunnel) out.pmsiTunnel = a.pmsiTunnel;
      break;
    }
    case 'notification':
      Object.assign(out, { code: m.code, subcode: m.subcode });
      break;
    case 'route-refresh':
      Object.assign(out, { afi: m.afi, safi: m.safi, subtype: m.subtype });
      break;
    case 'unknown':
      out.typeCode = m.typeCode;
      break;
  }
  out.frames = rec.frames;
  out.inferred = rec.inferred ?? (m.type === 'update' ? m.inferred : []);
  if (m.anomalies.length) out.anomalies = m.anomalies.map((x) => x.code);
  return out;
}

/** "EVPN type-2 advertise rd 172.21.64.17:2 mac 02:00:00:02:13:03 ip 10.0.0.5 vni 10100 seq 3 nh 172.21.64.17". */
export function describeEvpnRouteLine(r: DescribableEvpnRoute): string {
  let s = `EVPN type-${r.routeType} ${r.action} rd ${r.rd}`;
  if (r.esi && !r.esiZero) s += ` esi ${r.esi}`;
  if (r.ethernetTag) s += ` etag ${r.ethernetTag}`;
  if (r.mac !== null) s += ` mac ${formatMac(r.mac)}`;
  if (r.ip) s += ` ip ${r.ip}`;
  if (r.prefix) s += ` prefix ${r.prefix}`;
  if (r.gatewayIp && r.gatewayIp !== '0.0.0.0' && r.gatewayIp !== '::') s += ` gw ${r.gatewayIp}`;
  if (r.originatorIp) s += ` originator ${r.originatorIp}`;
  const word = r.encapsulation === TUNNEL_VXLAN ? 'vni' : 'label';
  if (r.labels.length) s += ` ${word} ${r.labels[0]}`;
  if (r.labels.length > 1) s += ` ${word}2 ${r.labels[1]}`;
  if (r.pathId !== null) s += ` path-id ${r.pathId}`;
  if (r.macMobility) s += ` seq ${r.macMobility.sequence}${r.macMobility.sticky ? ' sticky' : ''}`;
  if (r.nextHop) s += ` nh ${r.nextHop}`;
  return s;
}
