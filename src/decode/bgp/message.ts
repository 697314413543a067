// BGP message header — RFC 4271 §4.1 — and dispatch by type (OPEN §4.2, UPDATE §4.3, NOTIFICATION §4.5,
// KEEPALIVE §4.4, ROUTE-REFRESH RFC 2918 §3 / RFC 7313).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                                                               |
//  +                                                               +
//  |                           Marker (16 × 0xff)                  |
//  +                                                               +
//  |                                                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Length               |      Type     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import { bgpAnomaly, u16 } from './fields.js';
import { decodeOpen } from './open.js';
import {
  BGP_HEADER_LENGTH,
  BGP_KEEPALIVE,
  BGP_MARKER_LENGTH,
  BGP_NOTIFICATION,
  BGP_OPEN,
  BGP_ROUTE_REFRESH,
  BGP_UPDATE,
  type BgpMessage,
  type BgpSessionView,
} from './types.js';
import { decodeUpdate } from './update.js';

/** Header check results other than a length. */
export const HEADER_BAD_MARKER = -1;
export const HEADER_BAD_LENGTH = -2;

/**
 * Checks the 19-byte header at `o` (the caller has checked 19 bytes are there): the message length, or
 * HEADER_BAD_MARKER / HEADER_BAD_LENGTH (length < 19 or > `maxLength`).
 */
export function checkHeader(b: Uint8Array, o: number, maxLength: number): number {
  for (let i = 0; i < BGP_MARKER_LENGTH; i++) if (b[o + i] !== 0xff) return HEADER_BAD_MARKER;
  const len = u16(b, o + BGP_MARKER_LENGTH);
  if (len < BGP_HEADER_LENGTH || len > maxLength) return HEADER_BAD_LENGTH;
  return len;
}

/**
 * Decodes ONE message: `m` holds exactly the bytes the header's length claims (header included). The result
 * owns all its data (strings and numbers), so `m` may be a view that dies after the call. Never throws.
 */
export function decodeBgpMessage(m: Uint8Array, session: BgpSessionView): BgpMessage {
  const typeCode = m[BGP_MARKER_LENGTH + 2];
  const length = m.length;
  const h = BGP_HEADER_LENGTH;
  switch (typeCode) {
    case BGP_OPEN:
      return decodeOpen(m);
    case BGP_UPDATE:
      return decodeUpdate(m, session);
    case BGP_NOTIFICATION: {
      if (length < h + 2) {
        return { type: 'notification', typeCode: 3, length, code: 0, subcode: 0, dataLength: 0, anomalies: [bgpAnomaly('bgp.notification-too-short', h, `NOTIFICATION of ${length} bytes < 21`)] };
      }
      return { type: 'notification', typeCode: 3, length, code: m[h], subcode: m[h + 1], dataLength: length - h - 2, anomalies: [] };
    }
    case BGP_KEEPALIVE:
      return {
        type: 'keepalive',
        typeCode: 4,
        length,
        anomalies: length === h ? [] : [bgpAnomaly('bgp.keepalive-bad-length', h, `KEEPALIVE of ${length} bytes, not 19`)],
      };
    case BGP_ROUTE_REFRESH: {
      if (length < h + 4) {
        return { type: 'route-refresh', typeCode: 5, length, afi: 0, subtype: 0, safi: 0, anomalies: [bgpAnomaly('bgp.route-refresh-too-short', h, `ROUTE-REFRESH of ${length} bytes < 23`)] };
      }
      return { type: 'route-refresh', typeCode: 5, length, afi: u16(m, h), subtype: m[h + 2], safi: m[h + 3], anomalies: [] };
    }
    default:
      return { type: 'unknown', typeCode, length, anomalies: [bgpAnomaly('bgp.unknown-type', BGP_MARKER_LENGTH + 2, `message type ${typeCode}`, 'note')] };
  }
}
