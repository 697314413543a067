// MPLS label stacks, RFC 3032 §2.1 (EtherType 0x8847 unicast, 0x8848 multicast; also GRE protocol 0x8847).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                Label                  | TC  |S|       TTL     |   one entry; S = bottom of stack
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Entries are read until the S bit, at most MAX_MPLS_DEPTH of them ('mpls.too-deep'). MPLS does not say what follows
// the stack; as Wireshark does by default (packet-mpls.c, "what's past last mpls label?"), the first nibble decides
// (RFC 4385 §4, RFC 4928):
//   4 → IPv4, 6 → IPv6 (into the next depth's slot);
//   1 → a pseudowire associated channel (RFC 4385 ACH: OAM, BFD): a tunnel not opened;
//   0 → an Ethernet pseudowire (RFC 4448) with its control word (4 bytes: 0000, flags, length, sequence number),
//       unless the bytes only look like Ethernet without one — Wireshark's pw_eth_heuristic asks its OUI database
//       whether both MACs are known; we ask the EtherType instead: a common EtherType 12 bytes in and none 16 bytes
//       in means no control word (both common: ARP at +12, whose protocol type 0x0800 sits at +16, means none);
//   anything else → an Ethernet pseudowire without a control word (the destination MAC's first nibble).
import type { Cursor } from './cursor.js';
import { decodeIpByVersion, enterTunnel, leaveTunnel } from './tunnel.js';
import {
  MAX_MPLS_DEPTH,
  MAX_MPLS_LABELS,
  NOT_OPENED_TUNNEL,
  TUNNEL_LAYER_MPLS,
  TUNNEL_MPLS,
  type DecodedFrame,
} from './types.js';

const CONTROL_WORD = 4;

/** EtherType decoder for 0x8847 / 0x8848: the stack and its payload go into the slot of the next depth. */
export function decodeMpls(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const inner = enterTunnel(cur, frame, TUNNEL_MPLS, TUNNEL_LAYER_MPLS, offset, 'mpls');
  if (inner === null) return;
  decodeMplsStack(cur, inner, offset, end);
  leaveTunnel(frame, inner);
}

/** The label stack at `offset` and what follows it, into `inner` (already entered by MPLS itself or by GRE). */
export function decodeMplsStack(cur: Cursor, inner: DecodedFrame, offset: number, end: number): void {
  const t = inner.tunnel;
  t.kind = TUNNEL_MPLS;
  t.layers |= TUNNEL_LAYER_MPLS;
  t.labelCount = 0;
  let at = offset;
  for (;;) {
    if (t.labelCount === MAX_MPLS_DEPTH) {
      cur.error('mpls', 'mpls.too-deep', at, `more than ${MAX_MPLS_DEPTH} labels without bottom of stack`);
      return;
    }
    if (!cur.need(at, 4, end, 'mpls', 'mpls.overrun')) return;
    const entry = cur.u32(at);
    const label = entry >>> 12;
    if (t.labelCount < MAX_MPLS_LABELS) t.labels[t.labelCount] = label;
    t.labelCount++;
    t.id = label;
    at += 4;
    if ((entry & 0x100) !== 0) break;
  }
  if (!cur.need(at, 1, end, 'mpls', 'mpls.overrun')) return;
  const nibble = cur.u8(at) >> 4;
  if (nibble === 4 || nibble === 6) {
    decodeIpByVersion(cur, inner, at, end);
    return;
  }
  if (nibble === 1) {
    cur.notOpened = NOT_OPENED_TUNNEL;
    cur.endOfLayer('mpls', at, end);
    return;
  }
  if (nibble === 0 && !plainEthernet(cur, at, end)) {
    if (!cur.need(at, CONTROL_WORD, end, 'mpls', 'mpls.overrun')) return;
    t.controlWord = true;
    at += CONTROL_WORD;
  }
  cur.decodeEthernet(cur, inner, at, end);
}

function commonEtherType(type: number): boolean {
  return type === 0x0800 || type === 0x0806 || type === 0x86dd || type === 0x8100 || type === 0x88a8 || type === 0x8847 || type === 0x9100;
}

/** An Ethernet header without control word: a common EtherType at +12 and none at +16 (where it would be after a CW). */
function plainEthernet(cur: Cursor, at: number, end: number): boolean {
  const stop = cur.clip(end);
  if (at + 14 > stop) return false;
  const at12 = cur.u16(at + 12);
  if (!commonEtherType(at12)) return false;
  if (at + 18 > stop) return true;
  const at16 = cur.u16(at + 16);
  // Both plausible: an ARP without control word has its protocol type 0x0800 at +16; with one, +12 is a MAC.
  return !commonEtherType(at16) || at12 === 0x0806;
}
