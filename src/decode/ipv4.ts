// IPv4, RFC 791.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version|  IHL  |Type of Service|          Total Length         |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Identification        |Flags|      Fragment Offset    |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Time to Live |    Protocol   |         Header Checksum       |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                       Source Address                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Destination Address                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options (IHL > 5)                          |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The total length is the claimed end of the datagram: Ethernet padding after it is ignored, and bytes the
// capture cut off are flagged (`ip.truncated`). Only first fragments (offset 0) are decoded further: later
// fragments have no transport header. The checksum is not verified (offloading makes captured checksums unreliable).
import type { Cursor } from './cursor.js';
import type { DecodedFrame } from './types.js';
import { notOpenedIp } from './not-opened.js';

const IPV4_MIN_HEADER = 20;
const FLAG_MF = 0x2000;
const FLAG_RESERVED = 0x8000;

export function decodeIpv4(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const ip = frame.ip;
  ip.offset = offset;
  ip.src4 = ip.dst4 = ip.src6Offset = ip.dst6Offset = ip.protocol = ip.ttl = ip.fragmentOffset = 0;
  ip.moreFragments = false;
  ip.payloadOffset = ip.payloadEnd = offset;
  ip.truncated = false;
  if (!cur.need(offset, IPV4_MIN_HEADER, end, 'ipv4', 'ipv4.overrun')) return;
  const versionIhl = cur.u8(offset);
  if (versionIhl >> 4 !== 4) {
    cur.error('ipv4', 'ipv4.bad-version', offset, `version ${versionIhl >> 4} in an IPv4 header`);
    return;
  }
  const headerLength = (versionIhl & 15) * 4;
  if (headerLength < IPV4_MIN_HEADER) {
    cur.error('ipv4', 'ipv4.bad-ihl', offset, `IHL ${headerLength / 4} (minimum 5)`);
    return;
  }
  const totalLength = cur.u16(offset + 2);
  if (totalLength < headerLength) {
    cur.error('ipv4', 'ipv4.bad-total-length', offset + 2, `total length ${totalLength} < header length ${headerLength}`);
    return;
  }
  if (!cur.need(offset, headerLength, end, 'ipv4', 'ipv4.bad-ihl')) return;
  const claimedEnd = offset + totalLength;
  if (claimedEnd > end) {
    cur.error('ipv4', 'ipv4.bad-total-length', offset + 2, `total length ${totalLength} runs past the enclosing layer`);
    return;
  }
  const flagsFragment = cur.u16(offset + 6);
  ip.version = 4;
  ip.ttl = cur.u8(offset + 8);
  ip.protocol = cur.u8(offset + 9);
  ip.src4 = cur.u32(offset + 12);
  ip.dst4 = cur.u32(offset + 16);
  ip.moreFragments = (flagsFragment & FLAG_MF) !== 0;
  ip.fragmentOffset = (flagsFragment & 0x1fff) * 8;
  ip.payloadOffset = offset + headerLength;
  ip.payloadEnd = cur.clip(claimedEnd);
  ip.truncated = claimedEnd > cur.captured;
  if (flagsFragment & FLAG_RESERVED) cur.note('ipv4', 'ipv4.reserved-flag', offset + 6, 'reserved (evil) bit set');

  const next = ip.fragmentOffset === 0 ? cur.ipProtocols[ip.protocol] : undefined;
  if (next !== undefined) next(cur, frame, ip.payloadOffset, claimedEnd);
  else {
    notOpenedIp(cur, ip.fragmentOffset, ip.protocol);
    cur.endOfLayer('ipv4', ip.payloadOffset, claimedEnd);
  }
}
