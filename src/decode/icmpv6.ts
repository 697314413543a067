// ICMPv6, RFC 4443 §2.1, and its neighbour-discovery messages, RFC 4861 §4 (IP protocol 58).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |     Type      |     Code      |          Checksum             |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  RS  133  |                          Reserved                          |  options at +8
//  RA  134  | Cur Hop Limit |M|O|  Reserved |       Router Lifetime      |
//           |                        Reachable Time                      |
//           |                         Retrans Timer                      |  options at +16
//  NS  135  |                          Reserved                          |
//           |                     Target Address (16)                    |  options at +24
//  NA  136  |R|S|O|                     Reserved                         |
//           |                     Target Address (16)                    |  options at +24
//  Redirect |                          Reserved                          |
//      137  |                     Target Address (16)                    |
//           |                  Destination Address (16)                  |  options at +40
//
//  Option (§4.6): | Type | Length (units of 8 octets, 0 is invalid) | … |
//    1 Source / 2 Target Link-layer Address: length 1 on Ethernet, the 6-byte address at +2
//    3 Prefix Information (length 4): | Prefix Length | L|A| Rsvd1 | Valid Lifetime | Preferred Lifetime |
//                                      | Reserved2 (4) | Prefix (16) at +16 |
//    5 MTU (length 1): | Reserved (2) | MTU (4) at +4 |
//   14 Nonce (RFC 3971 §5.3.2, RFC 7527): the nonce from +2 to the option's end
//  Other options are skipped by their length.
//
// The checksum is not verified (gwcheck never does). The claimed end is the IPv6 payload length.
// INTEREST_ND is set for every ND message whose fixed part was read (`isNd`), valid or not; a message too short
// for its fixed part is only an anomaly (`present`, not `isNd`): it carries no target or flags a rule could use.
//
// Anomalies, and what they do to `NdLayer.valid` (rules take an invalid message as no evidence):
//   error — the bytes contradict themselves or stop; decoding of the message stopped there:
//     icmpv6.overrun (header past the IP payload), icmpv6.nd-too-short (ICMP length below the type's fixed part,
//     §6.1/§7.1/§8.1 — isNd stays false), icmpv6.nd-option-zero-length, icmpv6.nd-option-overrun (valid = false:
//     a receiver discards such a message), icmpv6.truncated (the capture stopped: `valid` is left as far as the
//     captured part shows; fields of options not captured stay absent).
//   note — well-formed but a node must silently discard it (§6.1.1, §6.1.2, §7.1.1, §7.1.2, §8.1): valid = false,
//     every field still decoded so `decode` can show it: icmpv6.nd-bad-hop-limit, icmpv6.nd-bad-code,
//     icmpv6.nd-multicast-target, icmpv6.nd-dad-with-source-lla, icmpv6.nd-dad-not-solicited-node,
//     icmpv6.nd-rs-unspecified-with-source-lla, icmpv6.nd-na-multicast-solicited, icmpv6.nd-source-not-link-local
//     (RA, Redirect), icmpv6.nd-redirect-multicast-destination, icmpv6.nd-redirect-bad-target, icmpv6.not-over-ipv6.
//   note, message still valid (an option is ignored, RFC 4861 §4.6 "receivers MUST silently ignore"):
//     icmpv6.nd-bad-option-length (an option of a known type with a length its layout does not have).
import type { Cursor } from './cursor.js';
import {
  INTEREST_ND,
  MAX_ND_PREFIXES,
  ND_NEIGHBOR_ADVERTISEMENT,
  ND_NEIGHBOR_SOLICITATION,
  ND_REDIRECT,
  ND_ROUTER_ADVERTISEMENT,
  ND_ROUTER_SOLICITATION,
  type DecodedFrame,
} from './types.js';

const ICMPV6_HEADER = 4;
const ND_HOP_LIMIT = 255;

const OPT_SOURCE_LLA = 1;
const OPT_TARGET_LLA = 2;
const OPT_PREFIX = 3;
const OPT_MTU = 5;
const OPT_NONCE = 14;

/** Fixed part (header included) of each ND message, indexed by type - 133. */
const FIXED_LENGTH = [8, 16, 24, 24, 40];
const TYPE_NAME = ['RS', 'RA', 'NS', 'NA', 'Redirect'];

export function decodeIcmpv6(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const nd = frame.nd;
  nd.offset = offset;
  nd.type = nd.code = 0;
  nd.isNd = nd.valid = false;
  if (!cur.need(offset, ICMPV6_HEADER, end, 'icmpv6', 'icmpv6.overrun')) return;
  const type = cur.u8(offset);
  nd.type = type;
  nd.code = cur.u8(offset + 1);
  nd.present = true;
  if (type < ND_ROUTER_SOLICITATION || type > ND_REDIRECT) {
    // Not neighbour discovery: nothing more is decoded; a payload cut by the capture is still reported.
    cur.endOfLayer('icmpv6', offset, end);
    return;
  }
  resetNd(frame);
  const fixed = FIXED_LENGTH[type - ND_ROUTER_SOLICITATION];
  if (!cur.need(offset, fixed, end, 'icmpv6', 'icmpv6.nd-too-short')) return;
  nd.isNd = true;
  nd.valid = true;
  frame.interest |= INTEREST_ND;

  if (type === ND_ROUTER_ADVERTISEMENT) {
    nd.curHopLimit = cur.u8(offset + 4);
    const flags = cur.u8(offset + 5);
    nd.managed = (flags & 0x80) !== 0;
    nd.otherConfig = (flags & 0x40) !== 0;
    nd.routerLifetime = cur.u16(offset + 6);
    nd.reachableTime = cur.u32(offset + 8);
    nd.retransTimer = cur.u32(offset + 12);
  } else if (type === ND_NEIGHBOR_SOLICITATION) {
    nd.targetOffset = offset + 8;
  } else if (type === ND_NEIGHBOR_ADVERTISEMENT) {
    const flags = cur.u8(offset + 4);
    nd.router = (flags & 0x80) !== 0;
    nd.solicited = (flags & 0x40) !== 0;
    nd.override = (flags & 0x20) !== 0;
    nd.targetOffset = offset + 8;
  } else if (type === ND_REDIRECT) {
    nd.targetOffset = offset + 8;
    nd.destinationOffset = offset + 24;
  }

  decodeOptions(cur, frame, offset + fixed, end);
  checkValidity(cur, frame, offset);
}

/** Clears every ND field (the contract of `NdLayer`: -1 for absent MACs and MTU, 0 for absent offsets). */
function resetNd(frame: DecodedFrame): void {
  const nd = frame.nd;
  nd.targetOffset = nd.destinationOffset = 0;
  nd.router = nd.solicited = nd.override = false;
  nd.curHopLimit = nd.routerLifetime = nd.reachableTime = nd.retransTimer = 0;
  nd.managed = nd.otherConfig = false;
  nd.sourceLinkAddr = nd.targetLinkAddr = nd.mtu = -1;
  nd.nonceOffset = nd.nonceLength = 0;
  nd.prefixCount = 0;
}

function decodeOptions(cur: Cursor, frame: DecodedFrame, start: number, end: number): void {
  const nd = frame.nd;
  for (let at = start; at < end; ) {
    if (!cur.need(at, 2, end, 'icmpv6', 'icmpv6.nd-option-overrun')) {
      if (at + 2 > end) nd.valid = false;
      return;
    }
    const type = cur.u8(at);
    const units = cur.u8(at + 1);
    if (units === 0) {
      // RFC 4861 §4.6: "Nodes MUST silently discard an ND packet that contains an option with length zero."
      cur.error('icmpv6', 'icmpv6.nd-option-zero-length', at, `option type ${type} with length 0`);
      nd.valid = false;
      return;
    }
    const length = units * 8;
    if (!cur.need(at, length, end, 'icmpv6', 'icmpv6.nd-option-overrun')) {
      if (at + length > end) nd.valid = false;
      return;
    }
    if (type === OPT_SOURCE_LLA || type === OPT_TARGET_LLA) {
      if (units === 1) {
        if (type === OPT_SOURCE_LLA) nd.sourceLinkAddr = cur.mac(at + 2);
        else nd.targetLinkAddr = cur.mac(at + 2);
      } else {
        badLength(cur, at, type, units, 1);
      }
    } else if (type === OPT_PREFIX) {
      if (units === 4) {
        const i = nd.prefixCount;
        if (i < MAX_ND_PREFIXES) {
          nd.prefixLengths[i] = cur.u8(at + 2);
          nd.prefixFlags[i] = cur.u8(at + 3);
          nd.prefixValidLifetimes[i] = cur.u32(at + 4);
          nd.prefixPreferredLifetimes[i] = cur.u32(at + 8);
          nd.prefixOffsets[i] = at + 16;
        }
        nd.prefixCount = i + 1;
      } else {
        badLength(cur, at, type, units, 4);
      }
    } else if (type === OPT_MTU) {
      if (units === 1) nd.mtu = cur.u32(at + 4);
      else badLength(cur, at, type, units, 1);
    } else if (type === OPT_NONCE) {
      nd.nonceOffset = at + 2;
      nd.nonceLength = length - 2;
    }
    at += length;
  }
}

function badLength(cur: Cursor, at: number, type: number, units: number, want: number): void {
  cur.note('icmpv6', 'icmpv6.nd-bad-option-length', at, `option type ${type} with length ${units} (want ${want}): ignored`);
}

/** RFC 4861 §6.1.1 (RS), §6.1.2 (RA), §7.1.1 (NS), §7.1.2 (NA), §8.1 (Redirect): what makes a node discard it. */
function checkValidity(cur: Cursor, frame: DecodedFrame, offset: number): void {
  const nd = frame.nd;
  const ip = frame.ip;
  const name = TYPE_NAME[nd.type - ND_ROUTER_SOLICITATION];
  if (ip.version !== 6) {
    invalid(cur, frame, 'icmpv6.not-over-ipv6', offset, `${name} carried over IPv${ip.version}`);
    return;
  }
  if (ip.ttl !== ND_HOP_LIMIT) {
    invalid(cur, frame, 'icmpv6.nd-bad-hop-limit', ip.offset + 7, `${name} with hop limit ${ip.ttl} (must be 255: it may come from off-link)`);
  }
  if (nd.code !== 0) invalid(cur, frame, 'icmpv6.nd-bad-code', offset + 1, `${name} with code ${nd.code} (must be 0)`);
  const type = nd.type;
  if (type === ND_NEIGHBOR_SOLICITATION || type === ND_NEIGHBOR_ADVERTISEMENT) {
    if (cur.u8(nd.targetOffset) === 0xff) {
      invalid(cur, frame, 'icmpv6.nd-multicast-target', nd.targetOffset, `${name} for a multicast target`);
    }
  }
  if (type === ND_NEIGHBOR_SOLICITATION && cur.allZero(ip.src6Offset, 16)) {
    // Duplicate address detection (RFC 4862 §5.4.2): from ::, to the target's solicited-node group, no SLLA.
    if (nd.sourceLinkAddr !== -1) {
      invalid(cur, frame, 'icmpv6.nd-dad-with-source-lla', offset, 'NS from :: (DAD) carries a source link-layer address option');
    }
    if (!isSolicitedNodeMulticast(cur, ip.dst6Offset)) {
      invalid(cur, frame, 'icmpv6.nd-dad-not-solicited-node', ip.dst6Offset, 'NS from :: (DAD) not sent to a solicited-node multicast address');
    }
  } else if (type === ND_ROUTER_SOLICITATION && nd.sourceLinkAddr !== -1 && cur.allZero(ip.src6Offset, 16)) {
    invalid(cur, frame, 'icmpv6.nd-rs-unspecified-with-source-lla', offset, 'RS from :: carries a source link-layer address option');
  } else if (type === ND_NEIGHBOR_ADVERTISEMENT && nd.solicited && cur.u8(ip.dst6Offset) === 0xff) {
    invalid(cur, frame, 'icmpv6.nd-na-multicast-solicited', offset + 4, 'NA to a multicast destination with the S flag set');
  } else if (type === ND_ROUTER_ADVERTISEMENT || type === ND_REDIRECT) {
    if (!isLinkLocal(cur, ip.src6Offset)) {
      invalid(cur, frame, 'icmpv6.nd-source-not-link-local', ip.src6Offset, `${name} from an address that is not link-local`);
    }
    if (type === ND_REDIRECT && cur.u8(nd.destinationOffset) === 0xff) {
      invalid(cur, frame, 'icmpv6.nd-redirect-multicast-destination', nd.destinationOffset, 'Redirect for a multicast destination');
    } else if (type === ND_REDIRECT && !isLinkLocal(cur, nd.targetOffset) && !sameAddress(cur, nd.targetOffset, nd.destinationOffset)) {
      // The target is the better first hop: a router (link-local) or the destination itself (on-link).
      invalid(cur, frame, 'icmpv6.nd-redirect-bad-target', nd.targetOffset, 'Redirect target neither link-local nor the destination');
    }
  }
}

function invalid(cur: Cursor, frame: DecodedFrame, code: string, at: number, detail: string): void {
  frame.nd.valid = false;
  cur.note('icmpv6', code, at, detail);
}

/** fe80::/10 (the address's 16 bytes were bounds-checked by the IPv6 decoder). */
function isLinkLocal(cur: Cursor, at: number): boolean {
  return cur.u8(at) === 0xfe && (cur.u8(at + 1) & 0xc0) === 0x80;
}

function sameAddress(cur: Cursor, a: number, b: number): boolean {
  for (let i = 0; i < 16; i += 4) if (cur.u32(a + i) !== cur.u32(b + i)) return false;
  return true;
}

/** ff02::1:ffXX:XXXX, RFC 4291 §2.7.1. */
function isSolicitedNodeMulticast(cur: Cursor, at: number): boolean {
  return (
    cur.u16(at) === 0xff02 &&
    cur.allZero(at + 2, 9) &&
    cur.u8(at + 11) === 0x01 &&
    cur.u8(at + 12) === 0xff
  );
}
