// Fact builders for the control/data-plane rules: VXLAN data frames (VxlanFrameFact) and EVPN type-2/3/5 routes,
// in VNI 5001 (the test domain 3) unless told.
import type { EvpnRouteFact, NeighbourFact, VxlanFrameFact } from '../../src/facts/types.js';
import { parseIpv4, parseMac } from '../../src/util/net.js';
import { evpn, ref, request } from './helpers.js';

export const VNI = 5001;
export const L3VNI = 50000;
export const V1 = '192.0.2.1';
export const V2 = '192.0.2.2';
export const V3 = '192.0.2.3';
export const M = '02:00:00:00:50:01';
export const PEER = '02:00:00:00:50:09';
export const BROADCAST = 'ff:ff:ff:ff:ff:ff';

export interface VxSpec {
  t: number;
  frame?: number;
  vni?: number;
  /** Ingress and destination VTEP. */
  from: string;
  to: string;
  src: string;
  dst: string;
  etherType?: number;
}

export function vx(s: VxSpec): VxlanFrameFact {
  const r = ref(s.t, s.frame);
  const dst = parseMac(s.dst);
  return {
    kind: 'vxlan',
    input: r.input,
    frame: r.frame,
    seconds: r.seconds,
    nanos: r.nanos,
    time: r.time,
    vni: s.vni ?? VNI,
    vtepSrc: parseIpv4(s.from),
    vtepDst: parseIpv4(s.to),
    innerSrc: parseMac(s.src),
    innerDst: dst,
    innerEtherType: s.etherType ?? 0x0800,
    bum: (Math.floor(dst / 0x10000000000) & 1) === 1,
  };
}

/** Frames from `from` with inner source `src`, once a second from t0 to t1. */
export function stream(t0: number, t1: number, from: string, to: string, src: string, dst = PEER, vni = VNI): VxlanFrameFact[] {
  const out: VxlanFrameFact[] = [];
  for (let t = t0; t <= t1 + 1e-9; t += 1) out.push(vx({ t, from, to, src, dst, vni }));
  return out;
}

/** A type-2 route for `mac` via `vtep` (label VNI, optional L3 VNI + router MAC for symmetric IRB). */
export function mac2(s: {
  t: number;
  frame?: number;
  mac: string;
  vtep: string;
  ip?: string;
  vni?: number;
  l3vni?: number;
  routerMac?: string;
  action?: 'advertise' | 'withdraw';
  esi?: string;
  defaultGateway?: boolean;
  seq?: number;
}): EvpnRouteFact {
  const f = evpn({
    t: s.t,
    frame: s.frame,
    mac: s.mac,
    ip: s.ip ?? null,
    nextHop: s.vtep,
    rd: `${s.vtep}:100`,
    vni: s.vni ?? VNI,
    action: s.action,
    esi: s.esi,
    defaultGateway: s.defaultGateway,
    seq: s.seq,
    routeTargets: ['65000:5001'],
  });
  if (s.l3vni !== undefined) f.labels = [s.vni ?? VNI, s.l3vni];
  if (s.routerMac) f.routerMac = parseMac(s.routerMac);
  return f;
}

/** A type-3 IMET route of `vtep` for the VNI (ingress replication, VNI in the PMSI label). */
export function imet(s: { t: number; frame?: number; vtep: string; vni?: number; action?: 'advertise' | 'withdraw' }): EvpnRouteFact {
  const f = evpn({ t: s.t, frame: s.frame, mac: '00:00:00:00:00:00', nextHop: s.vtep, rd: `${s.vtep}:100`, action: s.action, routeTargets: ['65000:5001'] });
  f.routeType = 3;
  f.mac = null;
  f.labels = [];
  f.originatorIp = s.vtep;
  f.pmsiTunnel = s.action === 'withdraw' ? null : { tunnelType: 6, label: s.vni ?? VNI, tunnelId: s.vtep };
  return f;
}

/** A type-5 route of `vtep` in the L3 VNI with its router MAC. */
export function prefix5(s: { t: number; frame?: number; vtep: string; routerMac: string; l3vni?: number }): EvpnRouteFact {
  const f = evpn({ t: s.t, frame: s.frame, mac: '00:00:00:00:00:00', nextHop: s.vtep, rd: `${s.vtep}:500`, vni: s.l3vni ?? L3VNI, routeTargets: ['65000:50000'] });
  f.routeType = 5;
  f.mac = null;
  f.prefix = '10.200.0.0/24';
  f.routerMac = parseMac(s.routerMac);
  return f;
}

/** An ARP request carried in VXLAN from VTEP `from` (the data-plane fact, then the neighbour fact of the same frame). */
export function arpInVxlan(t: number, from: string, to: string, smac: string, sip: string, tip: string, frame?: number): [VxlanFrameFact, NeighbourFact] {
  const f = vx({ t, frame, from, to, src: smac, dst: BROADCAST, etherType: 0x0806 });
  return [f, request(t, smac, sip, tip, { domain: 3, frame: f.frame })];
}

/** ARP-like floods (broadcast inner destination, source M) from `from`, replicated to each of `to`, once a second. */
export function floods(t0: number, t1: number, from: string, to: string[]): VxlanFrameFact[] {
  const out: VxlanFrameFact[] = [];
  for (let t = t0; t <= t1 + 1e-9; t += 1) for (const d of to) out.push(vx({ t, from, to: d, src: M, dst: BROADCAST }));
  return out;
}
