// VXLAN, RFC 7348 §5: an 8-byte header on UDP (4789 by default; Linux's historic 8472 too), then a whole
// Ethernet frame, decoded by the same decoders into the slot of the next encapsulation depth.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |R|R|R|R|I|R|R|R|            Reserved                           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                VXLAN Network Identifier (VNI) |   Reserved    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// A clear I flag or set reserved bits are notes (receivers must ignore reserved bits; Wireshark still decodes).
import type { Cursor } from './cursor.js';
import { enterTunnel, leaveTunnel } from './tunnel.js';
import { INTEREST_VXLAN, TUNNEL_LAYER_VXLAN, TUNNEL_VXLAN, type DecodedFrame } from './types.js';

const VXLAN_HEADER = 8;
const FLAG_I = 0x08;

export function decodeVxlan(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const vx = frame.vxlan;
  vx.offset = offset;
  vx.flags = vx.vni = 0;
  vx.udpPort = frame.udp.dstPort;
  if (!cur.need(offset, VXLAN_HEADER, end, 'vxlan', 'vxlan.overrun')) return;
  vx.flags = cur.u8(offset);
  vx.vni = cur.u24(offset + 4);
  vx.present = true;
  frame.interest |= INTEREST_VXLAN;
  if ((vx.flags & FLAG_I) === 0) cur.note('vxlan', 'vxlan.no-vni-flag', offset, 'I flag clear: VNI not valid');
  if ((vx.flags & ~FLAG_I) !== 0 || cur.u24(offset + 1) !== 0 || cur.u8(offset + 7) !== 0) {
    cur.note('vxlan', 'vxlan.reserved-bits', offset, 'reserved bits set');
  }
  // The slot of the next depth, with `tunnel` saying it was reached by VXLAN (id = VNI), as for every tunnel.
  const inner = enterTunnel(cur, frame, TUNNEL_VXLAN, TUNNEL_LAYER_VXLAN, offset, 'vxlan');
  if (inner === null) return;
  inner.tunnel.id = vx.vni;
  cur.decodeEthernet(cur, inner, offset + VXLAN_HEADER, end);
  leaveTunnel(frame, inner);
}
