// `gwcheck decode` for the tunnel headers, the skipped port tags and GLBP: plain objects for NDJSON and short
// text for the one-line summary. Split from describe.ts so that file keeps the layers every frame has. Field
// names are a contract with the CLI's users: add fields, never rename them.
import { formatIpv4, formatIpv6, formatMac } from '../util/net.js';
import { glbpState } from './glbp.js';
import { ETHERTYPE_ETAG, ETHERTYPE_VNTAG } from './port-tags.js';
import {
  MAX_GLBP_FORWARDERS,
  MAX_MPLS_LABELS,
  TUNNEL_ERSPAN,
  TUNNEL_GENEVE,
  TUNNEL_GRE,
  TUNNEL_LAYER_ERSPAN,
  TUNNEL_LAYER_GENEVE,
  TUNNEL_LAYER_GRE,
  TUNNEL_LAYER_MPLS,
  TUNNEL_LAYER_PBB,
  TUNNEL_LAYER_VXLAN_GPE,
  TUNNEL_MPLS,
  TUNNEL_PBB,
  TUNNEL_VXLAN_GPE,
  type DecodedFrame,
} from './types.js';

const ERSPAN_TYPES = ['', 'I', 'II', 'III'];

function labelsOf(f: DecodedFrame): number[] {
  const t = f.tunnel;
  const n = t.labelCount < MAX_MPLS_LABELS ? t.labelCount : MAX_MPLS_LABELS;
  return Array.from(t.labels.subarray(0, n));
}

/** The outer IP source of the tunnel, as text ('' when the tunnel came without IP, e.g. PBB or MPLS on Ethernet). */
export function tunnelSource(f: DecodedFrame): string {
  const t = f.tunnel;
  if (t.outerIpVersion === 4) return formatIpv4(t.outerSrc4);
  if (t.outerIpVersion === 6) return formatIpv6(f.bytes, t.outerSrc6Offset);
  return '';
}

/** The tunnel headers that led to depth `f` (VXLAN excepted: the depth above prints its own vxlan layer). */
export function describeTunnel(f: DecodedFrame, out: object[]): void {
  const t = f.tunnel;
  if (t.layers & TUNNEL_LAYER_GENEVE) {
    out.push({ proto: 'geneve', vni: t.id, protocol: t.protocol, optionsLength: t.optionsLength, ...(t.oam ? { oam: true } : {}) });
  }
  if (t.layers & TUNNEL_LAYER_VXLAN_GPE) {
    out.push({ proto: 'vxlan-gpe', vni: t.id, nextProtocol: t.protocol, ...(t.oam ? { oam: true } : {}) });
  }
  if (t.layers & TUNNEL_LAYER_GRE) {
    out.push({
      proto: 'gre',
      flags: t.greFlags,
      protocol: t.protocol,
      key: t.greKey >= 0 ? t.greKey : null,
      sequence: t.greSequence >= 0 ? t.greSequence : null,
    });
  }
  if (t.layers & TUNNEL_LAYER_ERSPAN) {
    const erspan: Record<string, unknown> = { proto: 'erspan', type: ERSPAN_TYPES[t.erspanVersion] ?? String(t.erspanVersion) };
    if (t.erspanVersion >= 2) {
      Object.assign(erspan, { session: t.id, vlan: t.erspanVlan, cos: t.erspanCos, truncated: t.erspanTruncated });
    }
    if (t.erspanVersion === 2) erspan.index = t.erspanIndex;
    if (t.erspanVersion === 3) {
      Object.assign(erspan, {
        timestamp: t.erspanTimestamp,
        granularity: t.erspanGranularity,
        sgt: t.erspanSgt,
        hwId: t.erspanIndex,
        direction: t.erspanDirection === 1 ? 'egress' : 'ingress',
        ...(t.erspanPlatformId >= 0 ? { platformId: t.erspanPlatformId } : {}),
      });
    }
    const from = tunnelSource(f);
    if (from) erspan.from = from;
    out.push(erspan);
  }
  if (t.layers & TUNNEL_LAYER_MPLS) {
    out.push({ proto: 'mpls', labels: labelsOf(f), labelCount: t.labelCount, ...(t.controlWord ? { controlWord: true } : {}) });
  }
  if (t.layers & TUNNEL_LAYER_PBB) out.push({ proto: 'pbb', isid: t.id, pcp: t.protocol >> 5, dei: (t.protocol >> 4) & 1, uca: (t.protocol >> 3) & 1 });
}

export function portTagLayer(f: DecodedFrame): object {
  const tag = f.portTag;
  const v = tag.value >>> 0;
  if (tag.tpid === ETHERTYPE_VNTAG) {
    return { proto: 'vntag', direction: v >>> 31, pointer: (v >>> 30) & 1, dvif: (v >>> 16) & 0x3fff, looped: (v >>> 15) & 1, svif: v & 0xfff };
  }
  if (tag.tpid === ETHERTYPE_ETAG) {
    return { proto: 'etag', pcp: v >>> 29, dei: (v >>> 28) & 1, ingressEcid: (v >>> 16) & 0xfff, grp: (v >>> 12) & 3, ecid: v & 0xfff };
  }
  return { proto: 'arista', subtype: v >>> 16, version: v & 0xffff };
}

/** "ERSPAN II session 7 from 10.9.9.1: ", "GRE key 5: ", "MPLS 16,299: ", "Geneve vni 10: " … */
export function tunnelPrefix(f: DecodedFrame): string {
  const t = f.tunnel;
  switch (t.kind) {
    case TUNNEL_GENEVE:
      return `Geneve vni ${t.id}: `;
    case TUNNEL_VXLAN_GPE:
      return `VXLAN-GPE vni ${t.id}: `;
    case TUNNEL_ERSPAN: {
      const from = tunnelSource(f);
      const session = t.erspanVersion >= 2 ? ` session ${t.id}` : '';
      return `ERSPAN ${ERSPAN_TYPES[t.erspanVersion] ?? ''}${session}${from ? ' from ' + from : ''}: `;
    }
    case TUNNEL_MPLS:
      return `MPLS ${labelsOf(f).join(',')}${t.labelCount > MAX_MPLS_LABELS ? ',…' : ''}: `;
    case TUNNEL_PBB:
      return `PBB isid ${t.id}: `;
    case TUNNEL_GRE:
      return `GRE${t.greKey >= 0 ? ' key ' + t.greKey : ''}: `;
    default:
      return '';
  }
}

export function describeGlbp(f: DecodedFrame): object {
  const g = f.glbp;
  const forwarders: object[] = [];
  const n = g.forwarderCount < MAX_GLBP_FORWARDERS ? g.forwarderCount : MAX_GLBP_FORWARDERS;
  for (let i = 0; i < n; i++) {
    forwarders.push({
      forwarder: g.forwarderNumbers[i],
      state: glbpState(g.forwarderStates[i]),
      priority: g.forwarderPriorities[i],
      weight: g.forwarderWeights[i],
      virtualMac: formatMac(g.forwarderMacs[i]),
    });
  }
  const layer: Record<string, unknown> = { proto: 'glbp', version: g.version, group: g.group, ownerId: formatMac(g.ownerId) };
  if (g.hasHello) {
    Object.assign(layer, {
      state: g.vgState,
      priority: g.priority,
      helloMs: g.helloMs,
      holdMs: g.holdMs,
      redirectS: g.redirectS,
      timeoutS: g.timeoutS,
      virtualIp: glbpVirtualIp(f),
    });
  }
  layer.forwarders = forwarders;
  if (g.authType >= 0) layer.authType = g.authType;
  return layer;
}

export function glbpVirtualIp(f: DecodedFrame): string | null {
  const g = f.glbp;
  if (g.ipVersion === 4) return formatIpv4(g.virtualIp4);
  if (g.ipVersion === 6) return formatIpv6(f.bytes, g.virtualIp6Offset);
  return null;
}

export function summarizeGlbp(f: DecodedFrame): string {
  const g = f.glbp;
  let out = `GLBP group ${g.group}`;
  if (g.hasHello) out += ` hello ${g.vgState} prio ${g.priority} vip ${glbpVirtualIp(f) ?? '-'}`;
  const n = g.forwarderCount < MAX_GLBP_FORWARDERS ? g.forwarderCount : MAX_GLBP_FORWARDERS;
  for (let i = 0; i < n; i++) out += `, vf ${g.forwarderNumbers[i]} ${glbpState(g.forwarderStates[i])} ${formatMac(g.forwarderMacs[i])}`;
  return out;
}
