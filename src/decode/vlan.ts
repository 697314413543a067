// IEEE 802.1Q VLAN tags (C-tag, TPID 0x8100), IEEE 802.1ad S-tags (TPID 0x88a8) and the pre-standard QinQ TPIDs
// 0x9100 / 0x9200, stacked to any depth up to MAX_VLAN_TAGS, outermost first; then dispatch on the EtherType.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     TPID (0x8100 …)           | PCP |D|   VLAN identifier     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |   next EtherType / TPID       |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The TPID itself is read by the layer before (Ethernet, SLL): this module starts at the TCI.
import type { Cursor } from './cursor.js';
import { decodeLlc } from './llc.js';
import { isPortTagType, skipPortTag } from './port-tags.js';
import { MAX_VLAN_TAGS, NOT_OPENED_ETHER_TYPE, NOT_OPENED_MACSEC, type DecodedFrame } from './types.js';

const ETHERTYPE_MACSEC = 0x88e5;

/** TPIDs treated as VLAN tags: 802.1Q, 802.1ad, and the legacy QinQ values some switches still send. */
export function isVlanTpid(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100 || type === 0x9200;
}

/**
 * Reads VLAN tags while `etherType` (found at `offset - 2`) is a TPID, then sets the frame's EtherType and
 * network offset and hands the payload to the EtherType table. `lengthMeansLlc`: on Ethernet a value ≤ 1500 is
 * an 802.3 length, also after tags.
 */
export function decodeEtherTypeChain(
  cur: Cursor,
  frame: DecodedFrame,
  etherType: number,
  offset: number,
  end: number,
  lengthMeansLlc: boolean,
): void {
  let type = etherType;
  let at = offset;
  for (;;) {
    if (!isVlanTpid(type)) {
      if (!isPortTagType(type)) break;
      // VN-Tag / E-Tag / Arista: skipped (port-tags.ts), then the tag chain goes on (a VLAN tag may follow).
      const next = skipPortTag(cur, frame, type, at, end);
      if (next < 0) return;
      type = cur.u16(next - 2);
      at = next;
      continue;
    }
    if (frame.vlanCount === MAX_VLAN_TAGS) {
      cur.error('vlan', 'vlan.too-deep', at - 2, `more than ${MAX_VLAN_TAGS} VLAN tags`);
      return;
    }
    if (!cur.need(at, 4, end, 'vlan', 'vlan.overrun')) return;
    const tci = cur.u16(at);
    const i = frame.vlanCount++;
    frame.vlanTpids[i] = type;
    frame.vlanPcp[i] = tci >> 13;
    frame.vlanDei[i] = (tci >> 12) & 1;
    frame.vlanIds[i] = tci & 0x0fff;
    type = cur.u16(at + 2);
    at += 4;
  }
  frame.networkOffset = at;
  if (lengthMeansLlc && type <= 1500) {
    decodeLlc(cur, frame, type, at, end);
    return;
  }
  frame.etherType = type;
  const next = cur.etherTypes[type];
  if (next !== undefined) next(cur, frame, at, end);
  else cur.notOpened = type === ETHERTYPE_MACSEC ? NOT_OPENED_MACSEC : NOT_OPENED_ETHER_TYPE;
}
