// IEEE 802.3 length-field frames carrying IEEE 802.2 LLC, and SNAP (RFC 1042) inside it.
//
//  +--------+--------+---------+----------------------+-----------------+
//  | DSAP   | SSAP   | Control | OUI (3, SNAP only)   | EtherType (2)   |
//  | 0xAA   | 0xAA   | 0x03    | 00-00-00 / 00-00-F8  |                 |
//  +--------+--------+---------+----------------------+-----------------+
//
// Only SNAP with an EtherType-carrying OUI is followed (zeek's snap-arp capture carries ARP this way); other LLC
// (STP, CDP under Cisco's OUI, NetBIOS…) is recognised and skipped.
import type { Cursor } from './cursor.js';
import type { DecodedFrame } from './types.js';

const SNAP_SAP = 0xaa;
/** OUIs whose SNAP protocol id is an EtherType: RFC 1042 (000000) and 802.1H bridge tunnel (0000F8). */
function ouiCarriesEtherType(oui: number): boolean {
  return oui === 0x000000 || oui === 0x0000f8;
}

/** `length` is the 802.3 length field; the LLC PDU starts at `offset`. */
export function decodeLlc(cur: Cursor, frame: DecodedFrame, length: number, offset: number, end: number): void {
  frame.llc = true;
  frame.etherType = 0;
  const llcEnd = offset + length < end ? offset + length : end;
  if (!cur.need(offset, 3, llcEnd, 'llc', 'llc.bad-length')) return;
  if (cur.u8(offset) !== SNAP_SAP || cur.u8(offset + 1) !== SNAP_SAP || cur.u8(offset + 2) !== 0x03) return;
  if (!cur.need(offset + 3, 5, llcEnd, 'llc', 'llc.bad-length')) return;
  if (!ouiCarriesEtherType(cur.u24(offset + 3))) return;
  const type = cur.u16(offset + 6);
  frame.etherType = type;
  frame.networkOffset = offset + 8;
  const next = cur.etherTypes[type];
  if (next !== undefined) next(cur, frame, offset + 8, llcEnd);
}
