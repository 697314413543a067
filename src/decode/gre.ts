// GRE, RFC 2784 with the key and sequence number extensions of RFC 2890 (IP protocol 47).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |C|R|K|S| Reserved0       | Ver |         Protocol Type         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |      Checksum (optional)      |       Reserved1 (Optional)    |   C (or RFC 1701's R) set
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                         Key (optional)                        |   K set
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                 Sequence Number (Optional)                    |   S set
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Protocol types followed: 0x6558 transparent Ethernet bridging, 0x8847/0x8848 MPLS,
// 0x88be ERSPAN type II — or type I when the S bit is clear, as Wireshark decides (packet-erspan.c: type I has no
// header and GRE carries no sequence number), 0x22eb ERSPAN type III, and every EtherType gwcheck decodes (0x0800
// IPv4, 0x86dd IPv6, 0x0806 ARP …, through the EtherType table). The payload goes into the slot of the
// next depth (tunnel.ts). Version 1 (PPTP's enhanced GRE, carrying PPP), RFC 1701 source routing (R bit) and other
// protocol types are recorded as a tunnel not opened. The checksum is not verified (as for IPv4).
import type { Cursor } from './cursor.js';
import { decodeErspan } from './erspan.js';
import { decodeMplsStack } from './mpls.js';
import { decodeByEtherType, enterTunnel, leaveTunnel } from './tunnel.js';
import { NOT_OPENED_TUNNEL, TUNNEL_GRE, TUNNEL_LAYER_GRE, type DecodedFrame } from './types.js';

export const GRE_PROTO_TEB = 0x6558;
export const GRE_PROTO_ERSPAN_II = 0x88be;
export const GRE_PROTO_ERSPAN_III = 0x22eb;
const GRE_C = 0x8000;
const GRE_R = 0x4000;
const GRE_K = 0x2000;
const GRE_S = 0x1000;
const GRE_RESERVED0 = 0x0ff8;
const GRE_VERSION = 0x0007;

export function decodeGre(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  if (!cur.need(offset, 4, end, 'gre', 'gre.overrun')) return;
  const flags = cur.u16(offset);
  const protocol = cur.u16(offset + 2);
  const version = flags & GRE_VERSION;
  if (version !== 0 || (flags & GRE_R) !== 0) {
    // PPTP (version 1) carries PPP; RFC 1701 routing needs its SRE list: neither carries what the rules use.
    cur.note('gre', version !== 0 ? 'gre.version' : 'gre.routing', offset, version !== 0 ? `GRE version ${version} (not opened)` : 'RFC 1701 routing present (not opened)');
    cur.notOpened = NOT_OPENED_TUNNEL;
    return;
  }
  let at = offset + 4;
  const length = 4 + ((flags & GRE_C) !== 0 ? 4 : 0) + ((flags & GRE_K) !== 0 ? 4 : 0) + ((flags & GRE_S) !== 0 ? 4 : 0);
  if (!cur.need(offset, length, end, 'gre', 'gre.overrun')) return;
  if ((flags & GRE_RESERVED0) !== 0) cur.note('gre', 'gre.reserved-bits', offset, 'Reserved0 bits set');
  if ((flags & GRE_C) !== 0) at += 4;
  const key = (flags & GRE_K) !== 0 ? cur.u32(at) : -1;
  if ((flags & GRE_K) !== 0) at += 4;
  const sequence = (flags & GRE_S) !== 0 ? cur.u32(at) : -1;
  if ((flags & GRE_S) !== 0) at += 4;

  const inner = enterTunnel(cur, frame, TUNNEL_GRE, TUNNEL_LAYER_GRE, offset, 'gre');
  if (inner === null) return;
  const t = inner.tunnel;
  t.protocol = protocol;
  t.greFlags = flags;
  t.greKey = key;
  t.greSequence = sequence;
  t.id = key;
  if (protocol === GRE_PROTO_TEB) {
    cur.decodeEthernet(cur, inner, at, end);
  } else if (protocol === 0x8847 || protocol === 0x8848) {
    decodeMplsStack(cur, inner, at, end);
  } else if (protocol === GRE_PROTO_ERSPAN_II || protocol === GRE_PROTO_ERSPAN_III) {
    decodeErspan(cur, inner, protocol === GRE_PROTO_ERSPAN_III ? 3 : (flags & GRE_S) !== 0 ? 2 : 1, at, end);
  } else if (!decodeByEtherType(cur, inner, protocol, at, end)) {
    // IPv4, IPv6, ARP … come through the EtherType table; anything else (PPP, WCCP, NSH …) is not opened.
    cur.notOpened = NOT_OPENED_TUNNEL;
  }
  leaveTunnel(frame, inner);
}
