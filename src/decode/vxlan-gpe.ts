// VXLAN-GPE, draft-ietf-nvo3-vxlan-gpe-12 §3 (UDP 4790): VXLAN's header with a version, a P bit and a next-protocol
// byte, so it can carry IP, Ethernet, NSH or MPLS. Ethernet, IPv4, IPv6 and MPLS go into the slot of the next depth.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |R|R|Ver|I|P|B|O|       Reserved                |Next Protocol  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                VXLAN Network Identifier (VNI) |   Reserved    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Next protocol: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS. With the P bit clear the payload is Ethernet, as in
// VXLAN (§3.2). NSH and unknown values are a tunnel not opened. Wireshark shows this header in its vxlan.* fields.
import type { Cursor } from './cursor.js';
import { decodeMplsStack } from './mpls.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { enterTunnel, leaveTunnel } from './tunnel.js';
import { NOT_OPENED_TUNNEL, TUNNEL_LAYER_VXLAN_GPE, TUNNEL_VXLAN_GPE, type DecodedFrame } from './types.js';

const GPE_HEADER = 8;
const FLAG_P = 0x04;
const FLAG_O = 0x01;
export const UDP_PORT_VXLAN_GPE = 4790;
export const GPE_IPV4 = 1;
export const GPE_IPV6 = 2;
export const GPE_ETHERNET = 3;
export const GPE_NSH = 4;
export const GPE_MPLS = 5;

export function decodeVxlanGpe(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  if (!cur.need(offset, GPE_HEADER, end, 'vxlan-gpe', 'vxlan-gpe.overrun')) return;
  const flags = cur.u8(offset);
  const next = (flags & FLAG_P) !== 0 ? cur.u8(offset + 3) : GPE_ETHERNET;
  const inner = enterTunnel(cur, frame, TUNNEL_VXLAN_GPE, TUNNEL_LAYER_VXLAN_GPE, offset, 'vxlan-gpe');
  if (inner === null) return;
  const t = inner.tunnel;
  t.id = cur.u24(offset + 4);
  t.protocol = next;
  t.oam = (flags & FLAG_O) !== 0;
  const at = offset + GPE_HEADER;
  if (next === GPE_ETHERNET) {
    cur.decodeEthernet(cur, inner, at, end);
  } else if (next === GPE_IPV4) {
    decodeIpv4(cur, inner, at, end);
  } else if (next === GPE_IPV6) {
    decodeIpv6(cur, inner, at, end);
  } else if (next === GPE_MPLS) {
    decodeMplsStack(cur, inner, at, end);
    // The depth was reached by GPE: its VNI stays the id, the labels are kept beside it.
    t.kind = TUNNEL_VXLAN_GPE;
    t.id = cur.u24(offset + 4);
  } else {
    cur.notOpened = NOT_OPENED_TUNNEL;
  }
  leaveTunnel(frame, inner);
}
