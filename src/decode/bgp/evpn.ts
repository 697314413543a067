// EVPN NLRI — RFC 7432 §7 (route types 1–4), RFC 9136 §3 (type 5), RFC 8365 §5.1.3 (VXLAN: the label field
// carries the 24-bit VNI), RFC 7911 (ADD-PATH: a 4-byte path identifier before each NLRI).
//
//  +-----------------------------------+
//  |    Route Type (1 octet)           |
//  +-----------------------------------+
//  |     Length (1 octet)              |
//  +-----------------------------------+
//  | Route Type specific (variable)    |
//  +-----------------------------------+
//
//  Type 1 Ethernet A-D:      RD(8) ESI(10) Ethernet Tag(4) MPLS Label(3)                          = 25
//  Type 2 MAC/IP:            RD(8) ESI(10) Ethernet Tag(4) MAC len(1)=48 MAC(6) IP len(1)=0/32/128
//                            IP(0/4/16) MPLS Label1(3) [MPLS Label2(3)]                           = 33…52
//  Type 3 Inclusive mcast:   RD(8) Ethernet Tag(4) IP len(1) Originating router IP(4/16)          = 17/29
//  Type 4 Ethernet segment:  RD(8) ESI(10) IP len(1) Originating router IP(4/16)                  = 23/35
//  Type 5 IP prefix:         RD(8) ESI(10) Ethernet Tag(4) IP prefix len(1) IP prefix(4/16)
//                            GW IP(4/16) MPLS Label(3)                                            = 34/58
import { readIpv4, readMac } from '../../util/net.js';
import { bgpAnomaly, clearList, formatEsi, formatIp, formatPrefix, formatRd, isZero, u24, u32, ZERO_ESI } from './fields.js';
import type { EvpnRoute } from './types.js';
import type { Anomaly } from '../types.js';

/** Highest EVPN route type assigned by IANA that we accept as plausible when inferring ADD-PATH. */
const MAX_KNOWN_ROUTE_TYPE = 11;

function ipLenValid(bits: number): boolean {
  return bits === 0 || bits === 32 || bits === 128;
}

/** Is a route body of this type and length well-formed? Types without a decoder (6…11) are accepted. */
function routeShapeValid(b: Uint8Array, type: number, o: number, len: number): boolean {
  switch (type) {
    case 1:
      return len === 25;
    case 2: {
      if (len < 33 || b[o + 22] !== 48) return false;
      const ipBits = b[o + 29];
      if (!ipLenValid(ipBits)) return false;
      const base = 30 + ipBits / 8 + 3;
      return len === base || len === base + 3;
    }
    case 3:
      return (len === 17 && b[o + 12] === 32) || (len === 29 && b[o + 12] === 128);
    case 4:
      return (len === 23 && b[o + 18] === 32) || (len === 35 && b[o + 18] === 128);
    case 5:
      return (len === 34 && b[o + 22] <= 32) || (len === 58 && b[o + 22] <= 128);
    default:
      return type > 0 && type <= MAX_KNOWN_ROUTE_TYPE;
  }
}

/**
 * Does [start, end) parse exactly as a list of EVPN routes, with (`addPath`) or without path identifiers, each
 * well-formed for its type? Used to infer ADD-PATH when the OPENs were not captured.
 */
export function evpnNlriFits(b: Uint8Array, start: number, end: number, addPath: boolean): boolean {
  let o = start;
  while (o < end) {
    if (addPath) o += 4;
    if (o + 2 > end) return false;
    const type = b[o];
    const len = b[o + 1];
    o += 2;
    if (o + len > end) return false;
    if (!routeShapeValid(b, type, o, len)) return false;
    o += len;
  }
  return o === end;
}

/**
 * Decodes the EVPN routes in [start, end) into `out`. Malformed routes are anomalies and are skipped by their
 * length; an overrun stops the list ('bgp.nlri-overrun'). Route objects beyond `out.length` are taken from
 * `pool` (slots refilled in full, see decodeRoute) and put there when new: a caller that reuses one `out` and one
 * `pool` message after message allocates nothing per route once the pool is as deep as its largest UPDATE.
 */
export function decodeEvpnNlri(
  b: Uint8Array,
  start: number,
  end: number,
  action: 'advertise' | 'withdraw',
  addPath: boolean,
  out: EvpnRoute[],
  anomalies: Anomaly[],
  pool: EvpnRoute[],
): void {
  let o = start;
  while (o < end) {
    let pathId: number | null = null;
    if (addPath) {
      if (o + 4 > end) {
        anomalies.push(bgpAnomaly('bgp.nlri-overrun', o, 'EVPN path identifier runs past the attribute'));
        return;
      }
      pathId = u32(b, o);
      o += 4;
    }
    if (o + 2 > end) {
      anomalies.push(bgpAnomaly('bgp.nlri-overrun', o, 'EVPN route header runs past the attribute'));
      return;
    }
    const type = b[o];
    const len = b[o + 1];
    const body = o + 2;
    if (body + len > end) {
      anomalies.push(bgpAnomaly('bgp.nlri-overrun', o, `EVPN route type ${type} length ${len} runs past the attribute`));
      return;
    }
    o = body + len;
    if (type < 1 || type > 5) {
      anomalies.push(bgpAnomaly('bgp.evpn-unknown-route-type', body - 2, `EVPN route type ${type} skipped by its length`, 'note'));
      continue;
    }
    if (!routeShapeValid(b, type, body, len)) {
      anomalies.push(bgpAnomaly('bgp.evpn-bad-length', body - 2, `EVPN route type ${type} with length ${len}`));
      continue;
    }
    const n = out.length;
    let route = pool[n];
    if (route === undefined) pool[n] = route = newRoute();
    decodeRoute(b, type, body, len, action, pathId, route);
    out.push(route);
  }
}

/** An empty route slot (every field written by decodeRoute). */
export function newRoute(): EvpnRoute {
  return {
    action: 'advertise',
    routeType: 0,
    pathId: null,
    rd: '',
    esi: '',
    esiZero: true,
    ethernetTag: 0,
    mac: null,
    ip: null,
    ipV4: NaN,
    labels: [],
    originatorIp: null,
    prefix: null,
    gatewayIp: null,
    nextHop: null,
    macMobility: null,
    encapsulation: null,
  };
}

/** One well-formed route (shape checked by routeShapeValid) into `route`, every field reset. */
function decodeRoute(b: Uint8Array, type: number, o: number, len: number, action: 'advertise' | 'withdraw', pathId: number | null, route: EvpnRoute): void {
  route.action = action;
  route.routeType = type;
  route.pathId = pathId;
  route.rd = formatRd(b, o);
  route.esi = '';
  route.esiZero = true;
  route.ethernetTag = 0;
  route.mac = null;
  route.ip = null;
  route.ipV4 = NaN;
  clearList(route.labels);
  route.originatorIp = null;
  route.prefix = null;
  route.gatewayIp = null;
  route.nextHop = null;
  route.macMobility = null;
  route.encapsulation = null;
  if (type !== 3) {
    route.esiZero = isZero(b, o + 8, o + 18);
    route.esi = route.esiZero ? ZERO_ESI : formatEsi(b, o + 8);
  }
  switch (type) {
    case 1:
      route.ethernetTag = u32(b, o + 18);
      route.labels.push(u24(b, o + 22));
      break;
    case 2: {
      route.ethernetTag = u32(b, o + 18);
      route.mac = readMac(b, o + 23);
      const ipBytes = b[o + 29] / 8;
      if (ipBytes) route.ip = formatIp(b, o + 30, ipBytes);
      if (ipBytes === 4) route.ipV4 = readIpv4(b, o + 30);
      const l = o + 30 + ipBytes;
      route.labels.push(u24(b, l));
      if (l + 6 <= o + len) route.labels.push(u24(b, l + 3));
      break;
    }
    case 3:
      route.ethernetTag = u32(b, o + 8);
      route.originatorIp = formatIp(b, o + 13, b[o + 12] / 8);
      break;
    case 4:
      route.originatorIp = formatIp(b, o + 19, b[o + 18] / 8);
      break;
    case 5: {
      route.ethernetTag = u32(b, o + 18);
      const addrBytes = len === 34 ? 4 : 16;
      route.prefix = formatPrefix(b, o + 23, b[o + 22], addrBytes);
      route.gatewayIp = formatIp(b, o + 23 + addrBytes, addrBytes);
      route.labels.push(u24(b, o + 23 + 2 * addrBytes));
      break;
    }
  }
}
