// IPv6, RFC 8200, with its extension headers skipped by length (RFC 8200 §4; AH per RFC 4302).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version| Traffic Class |           Flow Label                  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |         Payload Length        |  Next Header  |   Hop Limit   |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Source Address (16)                        |
//  |                  Destination Address (16)                     |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//  Extension header: | Next Header | Hdr Ext Len | … |  length (Hdr Ext Len + 1) × 8
//                    (AH: (Payload Len + 2) × 4; Fragment: fixed 8, offset × 8 in bits 3..15 of bytes 2-3, M bit 0)
//
// Extension headers are followed at most MAX_EXTENSION_HEADERS deep and never past the payload length.
import type { Cursor } from './cursor.js';
import type { DecodedFrame } from './types.js';
import { notOpenedIp } from './not-opened.js';

const IPV6_HEADER = 40;
const MAX_EXTENSION_HEADERS = 16;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTHENTICATION = 51;
const DESTINATION_OPTIONS = 60;

export function decodeIpv6(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const ip = frame.ip;
  ip.offset = offset;
  ip.src4 = ip.dst4 = ip.protocol = ip.ttl = ip.fragmentOffset = 0;
  ip.src6Offset = offset + 8;
  ip.dst6Offset = offset + 24;
  ip.moreFragments = false;
  ip.payloadOffset = ip.payloadEnd = offset;
  ip.truncated = false;
  if (!cur.need(offset, IPV6_HEADER, end, 'ipv6', 'ipv6.overrun')) return;
  if (cur.u8(offset) >> 4 !== 6) {
    cur.error('ipv6', 'ipv6.bad-version', offset, `version ${cur.u8(offset) >> 4} in an IPv6 header`);
    return;
  }
  const payloadLength = cur.u16(offset + 4);
  const claimedEnd = offset + IPV6_HEADER + payloadLength;
  if (claimedEnd > end) {
    cur.error('ipv6', 'ipv6.bad-payload-length', offset + 4, `payload length ${payloadLength} runs past the enclosing layer`);
    return;
  }
  ip.version = 6;
  ip.ttl = cur.u8(offset + 7);
  ip.truncated = claimedEnd > cur.captured;
  ip.payloadEnd = cur.clip(claimedEnd);

  let nextHeader = cur.u8(offset + 6);
  let at = offset + IPV6_HEADER;
  for (let count = 0; ; count++) {
    if (!isSkippedExtension(nextHeader)) break;
    if (count === MAX_EXTENSION_HEADERS) {
      cur.error('ipv6', 'ipv6.too-many-extensions', at, `more than ${MAX_EXTENSION_HEADERS} extension headers`);
      ip.protocol = nextHeader;
      ip.payloadOffset = at;
      return;
    }
    if (!cur.need(at, nextHeader === FRAGMENT ? 8 : 2, claimedEnd, 'ipv6', 'ipv6.extension-overrun')) return;
    const following = cur.u8(at);
    let length: number;
    if (nextHeader === FRAGMENT) {
      length = 8;
      const offsetFlags = cur.u16(at + 2);
      ip.fragmentOffset = offsetFlags & 0xfff8;
      ip.moreFragments = (offsetFlags & 1) !== 0;
    } else if (nextHeader === AUTHENTICATION) {
      length = (cur.u8(at + 1) + 2) * 4;
    } else {
      length = (cur.u8(at + 1) + 1) * 8;
    }
    if (!cur.need(at, length, claimedEnd, 'ipv6', 'ipv6.extension-overrun')) return;
    at += length;
    nextHeader = following;
  }
  ip.protocol = nextHeader;
  ip.payloadOffset = at;

  const next = ip.fragmentOffset === 0 ? cur.ipProtocols[nextHeader] : undefined;
  if (next !== undefined) next(cur, frame, at, claimedEnd);
  else {
    notOpenedIp(cur, ip.fragmentOffset, nextHeader);
    cur.endOfLayer('ipv6', at, claimedEnd);
  }
}

function isSkippedExtension(header: number): boolean {
  return (
    header === HOP_BY_HOP ||
    header === ROUTING ||
    header === FRAGMENT ||
    header === DESTINATION_OPTIONS ||
    header === AUTHENTICATION
  );
}
