// Geneve, RFC 8926 §3.4 (UDP 6081): an 8-byte header, options skipped by their total length, then the payload
// named by the protocol type (0x6558 Ethernet; any EtherType gwcheck decodes — 0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP —
// through the EtherType table) into the slot of the next depth.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |        Virtual Network Identifier (VNI)       |    Reserved   |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Variable-Length Options (Opt Len × 4)      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// A version other than 0 must not be parsed (§3.4): a note, and the tunnel counts as not opened. The VNI is kept in
// the inner slot's `tunnel.id` — the facts room uses it as it uses VXLAN's.
import type { Cursor } from './cursor.js';
import { decodeByEtherType, enterTunnel, leaveTunnel } from './tunnel.js';
import { NOT_OPENED_TUNNEL, TUNNEL_GENEVE, TUNNEL_LAYER_GENEVE, type DecodedFrame } from './types.js';

const GENEVE_HEADER = 8;
export const UDP_PORT_GENEVE = 6081;

export function decodeGeneve(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  if (!cur.need(offset, GENEVE_HEADER, end, 'geneve', 'geneve.overrun')) return;
  const b0 = cur.u8(offset);
  const version = b0 >> 6;
  if (version !== 0) {
    cur.note('geneve', 'geneve.bad-version', offset, `Geneve version ${version} (not parsed, RFC 8926 §3.4)`);
    cur.notOpened = NOT_OPENED_TUNNEL;
    return;
  }
  const optionsLength = (b0 & 0x3f) * 4;
  const protocol = cur.u16(offset + 2);
  if (!cur.need(offset, GENEVE_HEADER + optionsLength, end, 'geneve', 'geneve.bad-options-length')) return;
  const inner = enterTunnel(cur, frame, TUNNEL_GENEVE, TUNNEL_LAYER_GENEVE, offset, 'geneve');
  if (inner === null) return;
  const t = inner.tunnel;
  t.id = cur.u24(offset + 4);
  t.protocol = protocol;
  t.optionsLength = optionsLength;
  t.oam = (cur.u8(offset + 1) & 0x80) !== 0;
  const at = offset + GENEVE_HEADER + optionsLength;
  if (protocol === 0x6558) {
    cur.decodeEthernet(cur, inner, at, end);
  } else if (!decodeByEtherType(cur, inner, protocol, at, end)) {
    cur.notOpened = NOT_OPENED_TUNNEL;
  }
  leaveTunnel(frame, inner);
}
