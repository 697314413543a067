// Cisco ERSPAN (encapsulated remote SPAN), inside GRE: draft-foschiano-erspan-03 and Wireshark's packet-erspan.c.
//
// Type I: GRE protocol 0x88be without a sequence number (S bit clear): no ERSPAN header, the mirrored Ethernet
// frame follows GRE directly (Wireshark's rule).
//
// Type II: GRE protocol 0x88be with a sequence number, an 8-byte header (Ver = 1):
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Ver  |          VLAN         | COS | En|T|    Session ID     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |      Reserved         |                  Index                |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Type III: GRE protocol 0x22eb, a 12-byte header (Ver = 2), then an 8-byte platform-specific sub-header when O is set:
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Ver  |          VLAN         | COS |BSO|T|    Session ID     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                          Timestamp                            |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |             SGT               |P|    FT   |   Hw ID   |D|Gra|O|
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Platf ID |          Platform Specific Info (58 bits)  …      |   O set
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The header's version decides the layout (a type III header under 0x88be is decoded as type III, as Wireshark does).
// Frame type (FT) 0 is Ethernet; FT 2 (an IP packet) is decoded by its version nibble; other frame types are a
// tunnel not opened. All fields stay integers in the inner slot's `tunnel`.
import type { Cursor } from './cursor.js';
import { decodeIpByVersion } from './tunnel.js';
import { NOT_OPENED_TUNNEL, TUNNEL_ERSPAN, TUNNEL_LAYER_ERSPAN, type DecodedFrame } from './types.js';

const TYPE_II_HEADER = 8;
const TYPE_III_HEADER = 12;
const PLATFORM_SUBHEADER = 8;

/**
 * `inner` is the slot GRE entered; `type` is what GRE's protocol and S bit say (1, 2 or 3). Fills the ERSPAN fields
 * of `inner.tunnel` and decodes the mirrored frame into `inner`.
 */
export function decodeErspan(cur: Cursor, inner: DecodedFrame, type: number, offset: number, end: number): void {
  const t = inner.tunnel;
  t.kind = TUNNEL_ERSPAN;
  t.layers |= TUNNEL_LAYER_ERSPAN;
  t.id = -1;
  if (type === 1) {
    t.erspanVersion = 1;
    cur.decodeEthernet(cur, inner, offset, end);
    return;
  }
  if (!cur.need(offset, TYPE_II_HEADER, end, 'erspan', 'erspan.overrun')) return;
  const word0 = cur.u32(offset);
  const version = word0 >>> 28;
  t.erspanVlan = (word0 >>> 16) & 0x0fff;
  t.erspanCos = (word0 >>> 13) & 7;
  t.erspanTruncated = ((word0 >>> 10) & 1) === 1;
  t.id = word0 & 0x03ff;
  if (version === 1) {
    t.erspanVersion = 2;
    t.erspanIndex = cur.u32(offset + 4) & 0x000fffff;
    cur.decodeEthernet(cur, inner, offset + TYPE_II_HEADER, end);
    return;
  }
  if (version !== 2) {
    cur.note('erspan', 'erspan.bad-version', offset, `ERSPAN header version ${version} (type II is 1, type III is 2)`);
    cur.notOpened = NOT_OPENED_TUNNEL;
    return;
  }
  t.erspanVersion = 3;
  if (!cur.need(offset, TYPE_III_HEADER, end, 'erspan', 'erspan.overrun')) return;
  t.erspanTimestamp = cur.u32(offset + 4);
  t.erspanSgt = cur.u16(offset + 8);
  const bits = cur.u16(offset + 10);
  const frameType = (bits >> 10) & 0x1f;
  t.erspanIndex = (bits >> 4) & 0x3f;
  t.erspanDirection = (bits >> 3) & 1;
  t.erspanGranularity = (bits >> 1) & 3;
  let at = offset + TYPE_III_HEADER;
  if ((bits & 1) !== 0) {
    if (!cur.need(at, PLATFORM_SUBHEADER, end, 'erspan', 'erspan.overrun')) return;
    t.erspanPlatformId = cur.u8(at) >> 2;
    at += PLATFORM_SUBHEADER;
  }
  if (frameType === 0) {
    cur.decodeEthernet(cur, inner, at, end);
  } else if (frameType === 2) {
    if (cur.need(at, 1, end, 'erspan', 'erspan.overrun') && !decodeIpByVersion(cur, inner, at, end)) {
      cur.error('erspan', 'erspan.bad-payload', at, `frame type 2 (IP) but IP version ${cur.u8(at) >> 4}`);
    }
  } else {
    cur.note('erspan', 'erspan.frame-type', offset + 10, `frame type ${frameType} (not opened)`);
    cur.notOpened = NOT_OPENED_TUNNEL;
  }
}
