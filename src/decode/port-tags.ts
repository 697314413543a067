// Tags between the MAC addresses and the EtherType that gwcheck skips to reach the frame's EtherType, in the same
// depth (they name a port or a time, not a broadcast domain):
//
//  Cisco VN-Tag (802.1Qbh pre-standard, EtherType 0x8926), 4 bytes after the TPID:
//   |D|P|        dvif (14)          |L|R|Ver|       svif (12)       |  then EtherType
//
//  IEEE 802.1BR E-Tag (EtherType 0x893f), 6 bytes after the TPID:
//   |E-PCP|D| Ingress E-CID base (12) |Res|GRP| E-CID base (12) | Ingress E-CID ext (8) | E-CID ext (8) |  then EtherType
//
//  Arista's vendor EtherType (0xd28b, tcpdump's print-arista.c): subtype (2) = 1 (timestamp), version (2), then a
//  timestamp of 8 bytes (versions 0x0010 TAI, 0x0110 UTC) or 6 bytes (0x0020 TAI, 0x0120 UTC), then EtherType.
//  Other subtypes or versions are not opened (tshark 4.0 leaves them undecoded too).
//
// The skipped tag is kept in `frame.portTag` (its TPID, offset and first 32 bits) for `gwcheck decode`.
import type { Cursor } from './cursor.js';
import { NOT_OPENED_ETHER_TYPE, type DecodedFrame } from './types.js';

export const ETHERTYPE_VNTAG = 0x8926;
export const ETHERTYPE_ETAG = 0x893f;
export const ETHERTYPE_ARISTA = 0xd28b;

export function isPortTagType(type: number): boolean {
  return type === ETHERTYPE_VNTAG || type === ETHERTYPE_ETAG || type === ETHERTYPE_ARISTA;
}

/**
 * `offset` is just after the TPID. Returns the offset after the tag's own next-EtherType field (so the caller reads
 * the EtherType at the returned offset − 2), or −1 when the tag could not be skipped (recorded).
 */
export function skipPortTag(cur: Cursor, frame: DecodedFrame, type: number, offset: number, end: number): number {
  let length: number;
  if (type === ETHERTYPE_VNTAG) {
    length = 4;
  } else if (type === ETHERTYPE_ETAG) {
    length = 6;
  } else {
    if (!cur.need(offset, 4, end, 'arista', 'arista.overrun')) return -1;
    const subtype = cur.u16(offset);
    const version = cur.u16(offset + 2);
    const timestamp = version === 0x0010 || version === 0x0110 ? 8 : version === 0x0020 || version === 0x0120 ? 6 : 0;
    if (subtype !== 1 || timestamp === 0) {
      cur.note('arista', 'arista.unknown-version', offset, `Arista header subtype ${subtype} version 0x${version.toString(16)} (not opened)`);
      frame.etherType = type;
      frame.networkOffset = offset;
      cur.notOpened = NOT_OPENED_ETHER_TYPE;
      return -1;
    }
    length = 4 + timestamp;
  }
  const layer = type === ETHERTYPE_VNTAG ? 'vntag' : type === ETHERTYPE_ETAG ? 'etag' : 'arista';
  if (!cur.need(offset, length + 2, end, layer, `${layer}.overrun`)) return -1;
  const tag = frame.portTag;
  tag.tpid = type;
  tag.offset = offset - 2;
  tag.value = cur.u32(offset);
  return offset + length + 2;
}
