// BGP OPEN — RFC 4271 §4.2, capabilities RFC 5492, extended optional parameters length RFC 9072.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+
//  |    Version    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     My Autonomous System      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           Hold Time           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                         BGP Identifier                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  | Opt Parm Len  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |             Optional Parameters (variable)                    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Optional parameter type 2 holds capabilities: code (1), length (1), value. Known here: 1 multiprotocol
// (AFI 2, reserved 1, SAFI 1), 2/128 route refresh, 6 extended message (RFC 8654), 64 graceful restart
// (RFC 4724), 65 4-octet AS (RFC 6793), 69 ADD-PATH (RFC 7911: AFI 2, SAFI 1, send/receive 1 — repeated),
// 70 enhanced route refresh (RFC 7313).
import { formatIpv4, readIpv4 } from '../../util/net.js';
import type { Anomaly } from '../types.js';
import { bgpAnomaly, u16, u32 } from './fields.js';
import { BGP_HEADER_LENGTH, type BgpCapabilities, type BgpOpen } from './types.js';

function emptyCapabilities(): BgpCapabilities {
  return {
    multiprotocol: [],
    as4: null,
    addPath: [],
    extendedMessage: false,
    routeRefresh: false,
    enhancedRouteRefresh: false,
    gracefulRestart: null,
    codes: [],
  };
}

function decodeCapability(b: Uint8Array, code: number, v: number, len: number, caps: BgpCapabilities, anomalies: Anomaly[]): void {
  const bad = (want: string): void => {
    anomalies.push(bgpAnomaly('bgp.capability-bad-length', v - 2, `capability ${code} length ${len}, want ${want}`));
  };
  switch (code) {
    case 1:
      if (len !== 4) return bad('4');
      caps.multiprotocol.push({ afi: u16(b, v), safi: b[v + 3] });
      return;
    case 2:
    case 128:
      caps.routeRefresh = true;
      return;
    case 6:
      caps.extendedMessage = true;
      return;
    case 64: {
      if (len < 2 || (len - 2) % 4 !== 0) return bad('2 + 4n');
      const families = [];
      for (let o = v + 2; o < v + len; o += 4) families.push({ afi: u16(b, o), safi: b[o + 2], flags: b[o + 3] });
      caps.gracefulRestart = { flags: b[v] >> 4, restartTime: u16(b, v) & 0x0fff, families };
      return;
    }
    case 65:
      if (len !== 4) return bad('4');
      caps.as4 = u32(b, v);
      return;
    case 69:
      if (len % 4 !== 0) return bad('4n');
      for (let o = v; o < v + len; o += 4) caps.addPath.push({ afi: u16(b, o), safi: b[o + 2], sendReceive: b[o + 3] });
      return;
    case 70:
      caps.enhancedRouteRefresh = true;
      return;
  }
}

/** Capabilities in [start, end) of one optional parameter of type 2. */
function decodeCapabilities(b: Uint8Array, start: number, end: number, caps: BgpCapabilities, anomalies: Anomaly[]): void {
  let o = start;
  while (o < end) {
    if (o + 2 > end || o + 2 + b[o + 1] > end) {
      anomalies.push(bgpAnomaly('bgp.capability-overrun', o, 'capability runs past its optional parameter'));
      return;
    }
    const code = b[o];
    const len = b[o + 1];
    caps.codes.push(code);
    decodeCapability(b, code, o + 2, len, caps, anomalies);
    o += 2 + len;
  }
}

/** Decodes an OPEN; `b` is the whole message. Never throws. */
export function decodeOpen(b: Uint8Array): BgpOpen {
  const anomalies: Anomaly[] = [];
  const capabilities = emptyCapabilities();
  const h = BGP_HEADER_LENGTH;
  const open: BgpOpen = { type: 'open', typeCode: 1, length: b.length, version: 0, myAs: 0, holdTime: 0, bgpId: '', capabilities, anomalies };
  if (b.length < h + 10) {
    anomalies.push(bgpAnomaly('bgp.open-too-short', h, `OPEN of ${b.length} bytes < 29`));
    return open;
  }
  open.version = b[h];
  open.myAs = u16(b, h + 1);
  open.holdTime = u16(b, h + 3);
  open.bgpId = formatIpv4(readIpv4(b, h + 5));
  let paramsLen = b[h + 9];
  let o = h + 10;
  // RFC 9072: Non-Ext OP Len 255 and Non-Ext OP Type 255 → a 2-byte length follows, and each parameter has a
  // 2-byte length too.
  let extended = false;
  if (paramsLen === 255 && o < b.length && b[o] === 255) {
    if (o + 3 > b.length) {
      anomalies.push(bgpAnomaly('bgp.open-params-overrun', o, 'extended optional parameters length missing'));
      return open;
    }
    extended = true;
    paramsLen = u16(b, o + 1);
    o += 3;
  }
  let end = o + paramsLen;
  if (end > b.length) {
    anomalies.push(bgpAnomaly('bgp.open-params-overrun', h + 9, `optional parameters length ${paramsLen} runs past the message`));
    end = b.length;
  }
  const hdr = extended ? 3 : 2;
  while (o < end) {
    const len = o + hdr <= end ? (extended ? u16(b, o + 1) : b[o + 1]) : -1;
    if (len < 0 || o + hdr + len > end) {
      anomalies.push(bgpAnomaly('bgp.open-params-overrun', o, 'optional parameter runs past the parameters'));
      break;
    }
    if (b[o] === 2) decodeCapabilities(b, o + hdr, o + hdr + len, capabilities, anomalies);
    o += hdr + len;
  }
  return open;
}
