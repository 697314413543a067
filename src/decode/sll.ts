// Linux "cooked" capture headers: LINKTYPE_LINUX_SLL (113) and LINKTYPE_LINUX_SLL2 (276), as documented at
// https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and LINKTYPE_LINUX_SLL2.html.
//
//  SLL (16 bytes)                          SLL2 (20 bytes)
//  +---------------------------+           +---------------------------+
//  | packet type (2)           |           | protocol type (2)         |
//  | ARPHRD type (2)           |           | reserved (2)              |
//  | link-layer addr length (2)|           | interface index (4)       |
//  | link-layer address (8)    |           | ARPHRD type (2)           |
//  | protocol type (2)         |           | packet type (1)           |
//  +---------------------------+           | addr length (1)           |
//                                          | link-layer address (8)    |
//                                          +---------------------------+
//
// Only the sender's address is in the header: with ARPHRD_ETHER and a 6-byte address it becomes `src` (no `dst`).
// The protocol type is an EtherType, except the small values Linux uses for non-Ethernet payloads
// (0x0004 = 802.2 LLC, 0x0001 = Novell 802.3), which are recognised as LLC and not followed further.
import type { Cursor } from './cursor.js';
import type { DecodedFrame } from './types.js';
import { decodeEtherTypeChain } from './vlan.js';
import { decodeLlc } from './llc.js';

const ARPHRD_ETHER = 1;
const LINUX_SLL_P_802_2 = 0x0004;

function sllAddress(cur: Cursor, frame: DecodedFrame, hatype: number, halen: number, addrOffset: number): void {
  if (hatype === ARPHRD_ETHER && halen === 6) {
    frame.hasEthernet = true;
    frame.src = cur.mac(addrOffset);
  }
}

function sllPayload(cur: Cursor, frame: DecodedFrame, protocol: number, offset: number, end: number): void {
  if (protocol === LINUX_SLL_P_802_2) {
    frame.networkOffset = offset;
    // The payload is a bare LLC PDU with no length field: it runs to the end of the frame.
    decodeLlc(cur, frame, end - offset, offset, end);
    return;
  }
  if (protocol < 0x0600) {
    frame.networkOffset = offset;
    frame.llc = true;
    return;
  }
  decodeEtherTypeChain(cur, frame, protocol, offset, end, false);
}

export function decodeSll(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  frame.ethOffset = offset;
  if (!cur.need(offset, 16, end, 'sll', 'sll.overrun')) return;
  sllAddress(cur, frame, cur.u16(offset + 2), cur.u16(offset + 4), offset + 6);
  sllPayload(cur, frame, cur.u16(offset + 14), offset + 16, end);
}

export function decodeSll2(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  frame.ethOffset = offset;
  if (!cur.need(offset, 20, end, 'sll2', 'sll2.overrun')) return;
  sllAddress(cur, frame, cur.u16(offset + 8), cur.u8(offset + 11), offset + 12);
  sllPayload(cur, frame, cur.u16(offset), offset + 20, end);
}
