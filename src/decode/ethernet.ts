// Ethernet II and IEEE 802.3 MAC headers (IEEE 802.3 clause 3.1.1; Ethernet II per the DIX "blue book").
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                 Destination MAC address (6)                   |
//  +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                               |                               |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
//  |                   Source MAC address (6)                      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  EtherType (≥ 0x0600) or 802.3 length (≤ 1500) |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The frame check sequence is not captured on most links and is never read.
import type { Cursor } from './cursor.js';
import type { DecodedFrame } from './types.js';
import { decodeEtherTypeChain } from './vlan.js';

export const ETHERNET_HEADER_LENGTH = 14;

export function decodeEthernet(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  frame.ethOffset = offset;
  if (!cur.need(offset, ETHERNET_HEADER_LENGTH, end, 'eth', 'eth.overrun')) return;
  frame.hasEthernet = true;
  frame.dst = cur.mac(offset);
  frame.src = cur.mac(offset + 6);
  decodeEtherTypeChain(cur, frame, cur.u16(offset + 12), offset + ETHERNET_HEADER_LENGTH, end, true);
}
