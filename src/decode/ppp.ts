// Serial links that carry the IP and MPLS between PEs: Cisco HDLC (LINKTYPE_C_HDLC 104) and PPP (LINKTYPE_PPP 9,
// RFC 1661 with the RFC 1662 HDLC-like framing), as https://www.tcpdump.org/linktypes.html documents them.
//
//  Cisco HDLC (4 bytes)                        PPP (RFC 1662 framing: 4 bytes; address/control compressed: 2)
//  +---------+---------+-------------------+   +---------+---------+-------------------+
//  | address | control | protocol          |   | 0xff    | 0x03    | PPP protocol (2)  |
//  | 0x0f/8f | 0x00    | (an EtherType)    |   +---------+---------+-------------------+
//  +---------+---------+-------------------+
//
// A PPP link whose frames start with 0x0f or 0x8f carries Cisco HDLC framing (tcpdump and Wireshark read it so).
// PPP protocols followed: 0x0021 IPv4, 0x0057 IPv6, 0x0281/0x0283 MPLS; others (LCP, IPCP, CDP…) are control
// traffic and are not opened. The payload goes through the EtherType table in the same depth.
import type { Cursor } from './cursor.js';
import { NOT_OPENED_ETHER_TYPE, type DecodedFrame } from './types.js';
import { decodeEtherTypeChain } from './vlan.js';

function cHdlc(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  if (!cur.need(offset, 4, end, 'chdlc', 'chdlc.overrun')) return;
  decodeEtherTypeChain(cur, frame, cur.u16(offset + 2), offset + 4, end, false);
}

export function decodeCHdlc(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  frame.ethOffset = offset;
  cHdlc(cur, frame, offset, end);
}

/** PPP protocol → EtherType for what gwcheck decodes; 0 for the rest. */
function pppToEtherType(protocol: number): number {
  switch (protocol) {
    case 0x0021:
      return 0x0800;
    case 0x0057:
      return 0x86dd;
    case 0x0281:
      return 0x8847;
    case 0x0283:
      return 0x8848;
    default:
      return 0;
  }
}

export function decodePpp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  frame.ethOffset = offset;
  if (!cur.need(offset, 2, end, 'ppp', 'ppp.overrun')) return;
  const first = cur.u8(offset);
  if (first === 0x0f || first === 0x8f) {
    cHdlc(cur, frame, offset, end);
    return;
  }
  let at = offset;
  if (first === 0xff && cur.u8(offset + 1) === 0x03) at += 2;
  // Protocol-field compression (RFC 1661 §6.5): an odd first byte is a one-byte protocol.
  let protocol: number;
  if (!cur.need(at, 1, end, 'ppp', 'ppp.overrun')) return;
  if ((cur.u8(at) & 1) === 1) {
    protocol = cur.u8(at);
    at += 1;
  } else {
    if (!cur.need(at, 2, end, 'ppp', 'ppp.overrun')) return;
    protocol = cur.u16(at);
    at += 2;
  }
  const type = pppToEtherType(protocol);
  frame.networkOffset = at;
  if (type === 0) {
    cur.notOpened = NOT_OPENED_ETHER_TYPE;
    return;
  }
  decodeEtherTypeChain(cur, frame, type, at, end, false);
}
