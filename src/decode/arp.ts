// ARP, RFC 826 (field names as the RFC: ar$hrd, ar$pro, ar$hln, ar$pln, ar$op, ar$sha, ar$spa, ar$tha, ar$tpa).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     hardware type (hrd)       |     protocol type (pro)       |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  hlen (hln)   |  plen (pln)   |         opcode (op)           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  | sender hardware address (hln) | sender protocol address (pln) |
//  | target hardware address (hln) | target protocol address (pln) |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The four addresses are decoded only for MAC-48/IPv4: hrd 1 (Ethernet) or 6 (IEEE 802, used with LLC/SNAP
// framing as in RFC 1042), pro 0x0800, hln 6, pln 4. Other hardware or protocol types are checked against the
// frame's bounds and flagged; lengths are never trusted to read further. RARP (RFC 903, EtherType 0x8035) has
// the same layout and comes here too (opcodes 3/4).
import type { Cursor } from './cursor.js';
import { INTEREST_ARP, type DecodedFrame } from './types.js';

const ARP_FIXED_LENGTH = 8;
const HTYPE_ETHERNET = 1;
const HTYPE_IEEE802 = 6;
const PTYPE_IPV4 = 0x0800;

export function decodeArp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const arp = frame.arp;
  arp.offset = offset;
  arp.htype = arp.ptype = arp.hlen = arp.plen = arp.opcode = 0;
  arp.ethernetIpv4 = false;
  arp.senderMac = arp.senderIp = arp.targetMac = arp.targetIp = 0;
  if (!cur.need(offset, ARP_FIXED_LENGTH, end, 'arp', 'arp.overrun')) return;
  arp.htype = cur.u16(offset);
  arp.ptype = cur.u16(offset + 2);
  arp.hlen = cur.u8(offset + 4);
  arp.plen = cur.u8(offset + 5);
  arp.opcode = cur.u16(offset + 6);
  arp.present = true;
  frame.interest |= INTEREST_ARP;

  const ethernetIpv4Types = (arp.htype === HTYPE_ETHERNET || arp.htype === HTYPE_IEEE802) && arp.ptype === PTYPE_IPV4;
  if (ethernetIpv4Types && (arp.hlen !== 6 || arp.plen !== 4)) {
    cur.error('arp', 'arp.bad-hlen', offset + 4, `hlen ${arp.hlen} / plen ${arp.plen} for MAC-48/IPv4 (want 6/4)`);
    return;
  }
  const bodyLength = 2 * (arp.hlen + arp.plen);
  if (!cur.need(offset + ARP_FIXED_LENGTH, bodyLength, end, 'arp', 'arp.overrun')) return;
  if (!ethernetIpv4Types) {
    cur.note('arp', 'arp.non-ethernet', offset, `hardware type ${arp.htype}, protocol type 0x${arp.ptype.toString(16)}`);
    return;
  }
  const body = offset + ARP_FIXED_LENGTH;
  arp.ethernetIpv4 = true;
  arp.senderMac = cur.mac(body);
  arp.senderIp = cur.u32(body + 6);
  arp.targetMac = cur.mac(body + 10);
  arp.targetIp = cur.u32(body + 16);
}
