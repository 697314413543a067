// Entering a tunnel: the one way a decoder gets the slot of the next encapsulation depth and says how that depth was
// reached. VXLAN, Geneve, VXLAN-GPE, GRE (and ERSPAN inside it), MPLS and 802.1ah PBB all come through here, so
// the depth bound (MAX_ENCAP_DEPTH), the reset of the inner slot and the outer-address copy live in one place.
//
// Slots: every tunnel payload — an Ethernet frame or a bare IP packet (IP in GRE, MPLS, VXLAN-GPE, Geneve) — is
// decoded into the slot of the next depth, never into the current one. A depth therefore holds at most one network
// layer (its `ip` is the packet inside the tunnel; the outer IP stays in the depth above), and the facts room sees
// "IP inside GRE" as an inner frame without Ethernet, like raw IP on a link.
import type { Cursor } from './cursor.js';
import { resetSlot } from './slot.js';
import { MAX_ENCAP_DEPTH, NOT_OPENED_TOO_DEEP, type DecodedFrame } from './types.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';

/**
 * The slot of depth `frame.depth + 1`, reset, linked as `frame.inner`, with `tunnel` filled for `kind` at `offset`
 * (ids -1, the outer IP copied from `frame`). Null, with '<layer>.too-deep' recorded, when the depth bound is hit.
 */
export function enterTunnel(cur: Cursor, frame: DecodedFrame, kind: number, layerBit: number, offset: number, layer: string): DecodedFrame | null {
  const inner = cur.innerSlot(frame.depth + 1);
  if (inner === null) {
    cur.error(layer, `${layer}.too-deep`, offset, `encapsulations nested deeper than ${MAX_ENCAP_DEPTH}`);
    cur.notOpened = NOT_OPENED_TOO_DEEP;
    return null;
  }
  resetSlot(inner);
  frame.inner = inner;
  const t = inner.tunnel;
  t.kind = kind;
  t.layers = layerBit;
  t.offset = offset;
  t.id = -1;
  t.protocol = 0;
  const ip = frame.ip;
  t.outerIpVersion = ip.version;
  t.outerSrc4 = ip.src4;
  t.outerDst4 = ip.dst4;
  t.outerSrc6Offset = ip.src6Offset;
  t.outerDst6Offset = ip.dst6Offset;
  t.greFlags = 0;
  t.greKey = t.greSequence = -1;
  t.erspanVersion = t.erspanVlan = t.erspanCos = t.erspanDirection = 0;
  t.erspanTruncated = false;
  t.erspanIndex = t.erspanPlatformId = -1;
  t.erspanTimestamp = t.erspanGranularity = t.erspanSgt = 0;
  t.labelCount = 0;
  t.controlWord = false;
  t.optionsLength = 0;
  t.oam = false;
  return inner;
}

/** After the inner depth was decoded: its interest bits belong to the enclosing depth too (as VXLAN's always did). */
export function leaveTunnel(frame: DecodedFrame, inner: DecodedFrame): void {
  frame.interest |= inner.interest;
}

/** A bare IP packet (version by its first nibble, which the caller checked was captured) into `inner`; false when the nibble is neither 4 nor 6. */
export function decodeIpByVersion(cur: Cursor, inner: DecodedFrame, offset: number, end: number): boolean {
  if (offset >= cur.captured) return false;
  const version = cur.u8(offset) >> 4;
  if (version === 4) decodeIpv4(cur, inner, offset, end);
  else if (version === 6) decodeIpv6(cur, inner, offset, end);
  else return false;
  return true;
}

/**
 * A payload named by an EtherType (GRE's and Geneve's protocol type) into `inner`, through the same EtherType table
 * as Ethernet (ARP, IPv4, IPv6 … directly in the tunnel). False when no decoder knows the type.
 */
export function decodeByEtherType(cur: Cursor, inner: DecodedFrame, type: number, offset: number, end: number): boolean {
  const next = cur.etherTypes[type];
  if (next === undefined) return false;
  inner.etherType = type;
  inner.networkOffset = offset;
  next(cur, inner, offset, end);
  return true;
}
