// BGP UPDATE — RFC 4271 §4.3, path attributes §5.1, RFC 4760 (MP_REACH_NLRI / MP_UNREACH_NLRI), RFC 6793
// (AS4_PATH, 2- vs 4-byte AS_PATH), RFC 7911 (ADD-PATH path identifiers), RFC 1997 / 8092 (communities),
// RFC 4456 (ORIGINATOR_ID, CLUSTER_LIST), RFC 6514 §5 (PMSI_TUNNEL).
//
//  +-----------------------------------------------------+
//  |   Withdrawn Routes Length (2 octets)                |
//  +-----------------------------------------------------+
//  |   Withdrawn Routes (variable)                       |
//  +-----------------------------------------------------+
//  |   Total Path Attribute Length (2 octets)            |
//  +-----------------------------------------------------+
//  |   Path Attributes (variable)                        |
//  +-----------------------------------------------------+
//  |   Network Layer Reachability Information (variable) |
//  +-----------------------------------------------------+
//
//  Path attribute: flags (1: optional, transitive, partial, extended length 0x10), type (1), length (1, or 2
//  with the extended-length flag), value.
//
// When the session's OPENs were not captured the AS number width and ADD-PATH are inferred (UNKNOWN_SESSION):
// both encodings are tried and the one that parses the AS_PATH / NLRI block exactly is kept; on a tie the
// decoder prefers 4-byte AS (what every modern speaker negotiates) and no ADD-PATH (the RFC 4271 default).
// The decision is listed in `BgpUpdate.inferred`.
//
// Two ways in: `decodeUpdateInto` fills an `UpdateScratch` — one BgpUpdate whose lists, attribute objects and
// EVPN route slots are reused message after message (the facts room reads it and copies out what it keeps) — and
// `decodeUpdate` returns an owned BgpUpdate (a copy of the scratch) for `gwcheck decode` and the tests.
import { formatIpv4, readIpv4 } from '../../util/net.js';
import type { Anomaly } from '../types.js';
import { decodeEvpnNlri, evpnNlriFits } from './evpn.js';
import { decodeExtCommunity } from './ext-community.js';
import { bgpAnomaly, clearList, formatIp, formatPrefix, hex, u16, u24, u32 } from './fields.js';
import {
  AFI_IPV4,
  AFI_IPV6,
  AFI_L2VPN,
  BGP_HEADER_LENGTH,
  SAFI_EVPN,
  SAFI_UNICAST,
  type AsPathSegment,
  type BgpAttributes,
  type BgpInference,
  type BgpPrefix,
  type BgpSessionView,
  type BgpUpdate,
  type EvpnRoute,
  type MpReach,
  type MpUnreach,
  type PmsiTunnel,
  UNKNOWN_SESSION,
} from './types.js';

const ATTR_EXTENDED_LENGTH = 0x10;

const WELL_KNOWN_COMMUNITIES: Record<number, string> = {
  0xffffff01: 'no-export',
  0xffffff02: 'no-advertise',
  0xffffff03: 'no-export-subconfed',
  0xffffff04: 'no-peer',
};

/**
 * The one empty list that every list of an owned UPDATE left empty shares (most of an EVPN UPDATE's ten lists).
 * Frozen, so a push into an owned update's empty list fails loudly in the tests.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** Mutable state of one UPDATE decode. */
interface UpdateState {
  b: Uint8Array;
  session: BgpSessionView;
  update: BgpUpdate;
  anomalies: Anomaly[];
  /** The scratch being filled (its attribute objects and route slots). */
  scratch: UpdateScratch;
}

/**
 * What decodeUpdateInto fills: one BgpUpdate with its own lists (emptied, never replaced), and the objects its
 * attributes point at when present. Everything in it is valid until the next decode into the same scratch;
 * the items of its lists (prefixes, communities, AS paths, next hops, strings) are owned or shared read-only
 * and may be kept, the lists, route slots and attribute objects may not.
 */
export interface UpdateScratch {
  readonly update: BgpUpdate;
  readonly mpReach: MpReach;
  readonly mpUnreach: MpUnreach;
  readonly pmsiTunnel: PmsiTunnel;
  /** The MAC Mobility value the UPDATE's routes point at. */
  readonly macMobility: { sequence: number; sticky: boolean };
  /** EVPN route slots, grown to the largest UPDATE seen. */
  readonly routes: EvpnRoute[];
  readonly state: UpdateState;
}

export function newUpdateScratch(): UpdateScratch {
  const update: BgpUpdate = {
    type: 'update',
    typeCode: 2,
    length: 0,
    withdrawn: [],
    attributes: {
      origin: null,
      asPath: null,
      as4Path: null,
      nextHop: null,
      med: null,
      localPref: null,
      communities: [],
      originatorId: null,
      clusterList: [],
      extendedCommunities: [],
      largeCommunities: [],
      pmsiTunnel: null,
      mpReach: null,
      mpUnreach: null,
      other: [],
    },
    nlri: [],
    evpn: [],
    inferred: [],
    anomalies: [],
  };
  const scratch: UpdateScratch = {
    update,
    mpReach: { afi: 0, safi: 0, nextHops: NONE, nlri: [], otherNlriBytes: 0 },
    mpUnreach: { afi: 0, safi: 0, withdrawn: [], otherNlriBytes: 0 },
    pmsiTunnel: { flags: 0, tunnelType: 0, label: 0, tunnelId: '' },
    macMobility: { sequence: 0, sticky: false },
    routes: [],
    state: { b: new Uint8Array(0), session: UNKNOWN_SESSION, update, anomalies: update.anomalies, scratch: null as unknown as UpdateScratch },
  };
  scratch.state.scratch = scratch;
  return scratch;
}

/**
 * Empties the scratch: every field of the update and of its attributes as for an UPDATE that carries nothing.
 * Most lists are empty already (an EVPN UPDATE fills three of twelve): no call for those.
 */
function resetScratch(s: UpdateScratch, length: number): void {
  const u = s.update;
  u.length = length;
  if (u.withdrawn.length !== 0) clearList(u.withdrawn);
  if (u.nlri.length !== 0) clearList(u.nlri);
  if (u.evpn.length !== 0) clearList(u.evpn);
  if (u.inferred.length !== 0) clearList(u.inferred);
  if (u.anomalies.length !== 0) clearList(u.anomalies);
  const a = u.attributes;
  a.origin = null;
  a.asPath = null;
  a.as4Path = null;
  a.nextHop = null;
  a.med = null;
  a.localPref = null;
  if (a.communities.length !== 0) clearList(a.communities);
  a.originatorId = null;
  if (a.clusterList.length !== 0) clearList(a.clusterList);
  if (a.extendedCommunities.length !== 0) clearList(a.extendedCommunities);
  if (a.largeCommunities.length !== 0) clearList(a.largeCommunities);
  a.pmsiTunnel = null;
  a.mpReach = null;
  a.mpUnreach = null;
  if (a.other.length !== 0) clearList(a.other);
  if (s.mpReach.nlri.length !== 0) clearList(s.mpReach.nlri);
  if (s.mpUnreach.withdrawn.length !== 0) clearList(s.mpUnreach.withdrawn);
}

function infer(st: UpdateState, what: BgpInference): void {
  if (!st.update.inferred.includes(what)) st.update.inferred.push(what);
}

// ---- prefixes (RFC 4271 §4.3, RFC 7911 §3) ----

function prefixesFit(b: Uint8Array, start: number, end: number, addPath: boolean, maxBits: number): boolean {
  let o = start;
  while (o < end) {
    if (addPath) o += 4;
    if (o >= end) return false;
    const bits = b[o];
    if (bits > maxBits) return false;
    o += 1 + ((bits + 7) >> 3);
  }
  return o === end;
}

function decodePrefixes(st: UpdateState, start: number, end: number, addPath: boolean, addrBytes: number, out: BgpPrefix[]): void {
  const b = st.b;
  let o = start;
  while (o < end) {
    let pathId: number | null = null;
    if (addPath) {
      if (o + 4 > end) {
        st.anomalies.push(bgpAnomaly('bgp.nlri-overrun', o, 'path identifier runs past its container'));
        return;
      }
      pathId = u32(b, o);
      o += 4;
    }
    if (o >= end) {
      st.anomalies.push(bgpAnomaly('bgp.nlri-overrun', o, 'prefix length missing'));
      return;
    }
    const bits = b[o];
    if (bits > addrBytes * 8) {
      st.anomalies.push(bgpAnomaly('bgp.nlri-bad-prefix-length', o, `prefix length ${bits} > ${addrBytes * 8}`));
      return;
    }
    const n = (bits + 7) >> 3;
    if (o + 1 + n > end) {
      st.anomalies.push(bgpAnomaly('bgp.nlri-overrun', o, `/${bits} prefix runs past its container`));
      return;
    }
    out.push({ prefix: formatPrefix(b, o + 1, bits, addrBytes), pathId });
    o += 1 + n;
  }
}

/** The address families whose NLRI are decoded. */
function isUnicast(afi: number, safi: number): boolean {
  return (afi === AFI_IPV4 || afi === AFI_IPV6) && safi === SAFI_UNICAST;
}

function isEvpn(afi: number, safi: number): boolean {
  return afi === AFI_L2VPN && safi === SAFI_EVPN;
}

/** Does [start, end) parse exactly as NLRI of this AFI/SAFI, with (`addPath`) or without path identifiers? */
function nlriFits(b: Uint8Array, afi: number, safi: number, start: number, end: number, addPath: boolean): boolean {
  if (isEvpn(afi, safi)) return evpnNlriFits(b, start, end, addPath);
  return prefixesFit(b, start, end, addPath, afi === AFI_IPV4 ? 32 : 128);
}

/** ADD-PATH for this AFI/SAFI: from the session, or inferred from whether the block parses exactly. */
function decideAddPath(st: UpdateState, afi: number, safi: number, start: number, end: number): boolean {
  const known = st.session.addPath(afi, safi);
  if (known !== null) return known;
  if (start >= end) return false;
  const choice = nlriFits(st.b, afi, safi, start, end, false) ? false : nlriFits(st.b, afi, safi, start, end, true);
  infer(st, choice ? 'addpath' : 'no-addpath');
  return choice;
}

function decodeUnicast(st: UpdateState, afi: number, start: number, end: number, out: BgpPrefix[]): void {
  if (start >= end) return;
  const addrBytes = afi === AFI_IPV4 ? 4 : 16;
  decodePrefixes(st, start, end, decideAddPath(st, afi, SAFI_UNICAST, start, end), addrBytes, out);
}

function decodeEvpn(st: UpdateState, start: number, end: number, action: EvpnRoute['action']): void {
  const addPath = decideAddPath(st, AFI_L2VPN, SAFI_EVPN, start, end);
  decodeEvpnNlri(st.b, start, end, action, addPath, st.update.evpn, st.anomalies, st.scratch.routes);
}

// ---- AS_PATH (RFC 4271 §4.3 b, RFC 6793 §4) ----

function asPathFits(b: Uint8Array, start: number, end: number, asBytes: number): boolean {
  let o = start;
  while (o < end) {
    if (o + 2 > end) return false;
    const type = b[o];
    if (type < 1 || type > 4) return false;
    o += 2 + b[o + 1] * asBytes;
  }
  return o === end;
}

/** AS_PATHs remembered (by their bytes) for reuse: a session sends the same path on UPDATE after UPDATE. */
const AS_PATHS_KEPT = 8;
const MAX_KEPT_AS_PATH_BYTES = 64;
const keptAsPaths: { bytes: Uint8Array; asBytes: number; segments: AsPathSegment[] }[] = [];
let nextKeptAsPath = 0;

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

/** The segments of a path decoded before (shared, read-only), or of a new one (remembered if it was well-formed). */
function decodeAsPath(st: UpdateState, start: number, end: number, asBytes: number): AsPathSegment[] {
  for (let i = 0; i < keptAsPaths.length; i++) {
    const kept = keptAsPaths[i];
    if (kept.asBytes === asBytes && sameBytes(kept.bytes, st.b, start, end)) return kept.segments;
  }
  const anomalies = st.anomalies.length;
  const segments = decodeAsPathSegments(st, start, end, asBytes);
  if (st.anomalies.length === anomalies && end - start <= MAX_KEPT_AS_PATH_BYTES) {
    // A copy, also when `b` is a Buffer (whose slice() is a view into memory the capture reader moves on from).
    keptAsPaths[nextKeptAsPath] = { bytes: Uint8Array.prototype.slice.call(st.b, start, end), asBytes, segments };
    nextKeptAsPath = (nextKeptAsPath + 1) % AS_PATHS_KEPT;
  }
  return segments;
}

function decodeAsPathSegments(st: UpdateState, start: number, end: number, asBytes: number): AsPathSegment[] {
  const b = st.b;
  const segments: AsPathSegment[] = [];
  let o = start;
  while (o < end) {
    const count = o + 2 <= end ? b[o + 1] : 0;
    if (o + 2 > end || o + 2 + count * asBytes > end) {
      st.anomalies.push(bgpAnomaly('bgp.as-path-overrun', o, 'AS_PATH segment runs past the attribute'));
      break;
    }
    const asns: number[] = [];
    for (let i = 0; i < count; i++) {
      const a = o + 2 + i * asBytes;
      asns.push(asBytes === 4 ? u32(b, a) : u16(b, a));
    }
    segments.push({ type: b[o], asns });
    o += 2 + count * asBytes;
  }
  return segments;
}

// ---- MP_REACH / MP_UNREACH (RFC 4760 §3, §4) ----

const MAX_KEPT_NEXT_HOPS = 4096;
/** IPv4 next hops as decoded (shared, read-only), by address: a PE advertises everything with one. */
const ipv4NextHops = new Map<number, string[]>();

function formatNextHops(b: Uint8Array, o: number, len: number): string[] {
  switch (len) {
    case 4: {
      const ip = readIpv4(b, o);
      let hops = ipv4NextHops.get(ip);
      if (hops === undefined) {
        if (ipv4NextHops.size >= MAX_KEPT_NEXT_HOPS) ipv4NextHops.clear();
        hops = [formatIpv4(ip)];
        ipv4NextHops.set(ip, hops);
      }
      return hops;
    }
    case 16:
      return [formatIp(b, o, len)];
    case 32: // IPv6 global + link-local (RFC 2545 §3)
      return [formatIp(b, o, 16), formatIp(b, o + 16, 16)];
    case 12: // VPN: RD (zero) + IPv4 (RFC 4364 §4.3.2)
    case 24:
      return [formatIp(b, o + 8, len - 8)];
    case 48:
      return [formatIp(b, o + 8, 16), formatIp(b, o + 32, 16)];
    default:
      return len ? [hex(b, o, o + len)] : [];
  }
}

/** Unicast prefixes of MP_REACH / MP_UNREACH into `out` (EVPN routes go to `update.evpn`; other families are not decoded). */
function decodeMpNlri(st: UpdateState, afi: number, safi: number, start: number, end: number, withdraw: boolean, out: BgpPrefix[]): void {
  if (isUnicast(afi, safi)) decodeUnicast(st, afi, start, end, out);
  else if (isEvpn(afi, safi)) decodeEvpn(st, start, end, withdraw ? 'withdraw' : 'advertise');
}

/** NLRI bytes of an AFI/SAFI we do not decode (0 for those we do). */
function otherNlriBytes(afi: number, safi: number, start: number, end: number): number {
  return isUnicast(afi, safi) || isEvpn(afi, safi) ? 0 : end - start;
}

function decodeMpReach(st: UpdateState, attrs: BgpAttributes, v: number, len: number): void {
  const b = st.b;
  const end = v + len;
  if (len < 5 || v + 5 + b[v + 3] > end) {
    st.anomalies.push(bgpAnomaly('bgp.attr-length-overrun', v, 'MP_REACH_NLRI next hop runs past the attribute'));
    return;
  }
  const afi = u16(b, v);
  const safi = b[v + 2];
  const nhLen = b[v + 3];
  const nextHops = formatNextHops(b, v + 4, nhLen);
  const nlriStart = v + 4 + nhLen + 1; // one reserved octet (formerly SNPAs)
  const mp = st.scratch.mpReach;
  mp.afi = afi;
  mp.safi = safi;
  mp.nextHops = nextHops;
  clearList(mp.nlri); // a second MP_REACH replaces the first, as it always did
  mp.otherNlriBytes = otherNlriBytes(afi, safi, nlriStart, end);
  attrs.mpReach = mp;
  decodeMpNlri(st, afi, safi, nlriStart, end, false, mp.nlri);
}

function decodeMpUnreach(st: UpdateState, attrs: BgpAttributes, v: number, len: number): void {
  if (len < 3) {
    st.anomalies.push(bgpAnomaly('bgp.attr-bad-length', v, `MP_UNREACH_NLRI length ${len} < 3`));
    return;
  }
  const afi = u16(st.b, v);
  const safi = st.b[v + 2];
  const mp = st.scratch.mpUnreach;
  mp.afi = afi;
  mp.safi = safi;
  clearList(mp.withdrawn);
  mp.otherNlriBytes = otherNlriBytes(afi, safi, v + 3, v + len);
  attrs.mpUnreach = mp;
  decodeMpNlri(st, afi, safi, v + 3, v + len, true, mp.withdrawn);
}

// ---- one attribute ----

function fixedLength(st: UpdateState, name: string, v: number, len: number, want: number, multipleOf = 0): boolean {
  const ok = multipleOf ? len % multipleOf === 0 : len === want;
  if (!ok) st.anomalies.push(bgpAnomaly('bgp.attr-bad-length', v, `${name} length ${len}`));
  return ok;
}

function decodeAttribute(st: UpdateState, attrs: BgpAttributes, flags: number, type: number, v: number, len: number): void {
  const b = st.b;
  switch (type) {
    case 1:
      if (fixedLength(st, 'ORIGIN', v, len, 1)) attrs.origin = b[v];
      return;
    case 2: {
      let as4 = st.session.as4;
      if (as4 === null) {
        // Tie → 4-byte; neither → 4-byte too, and decodeAsPath reports the overrun.
        as4 = asPathFits(b, v, v + len, 4) || !asPathFits(b, v, v + len, 2);
        if (len > 0) infer(st, as4 ? 'as4' : 'as2');
      }
      attrs.asPath = decodeAsPath(st, v, v + len, as4 ? 4 : 2);
      return;
    }
    case 3:
      if (fixedLength(st, 'NEXT_HOP', v, len, 4)) attrs.nextHop = formatIpv4(readIpv4(b, v));
      return;
    case 4:
      if (fixedLength(st, 'MULTI_EXIT_DISC', v, len, 4)) attrs.med = u32(b, v);
      return;
    case 5:
      if (fixedLength(st, 'LOCAL_PREF', v, len, 4)) attrs.localPref = u32(b, v);
      return;
    case 8:
      if (fixedLength(st, 'COMMUNITIES', v, len, 0, 4)) {
        for (let o = v; o < v + len; o += 4) {
          const c = u32(b, o);
          attrs.communities.push(WELL_KNOWN_COMMUNITIES[c] ?? `${u16(b, o)}:${u16(b, o + 2)}`);
        }
      }
      return;
    case 9:
      if (fixedLength(st, 'ORIGINATOR_ID', v, len, 4)) attrs.originatorId = formatIpv4(readIpv4(b, v));
      return;
    case 10:
      if (fixedLength(st, 'CLUSTER_LIST', v, len, 0, 4)) {
        for (let o = v; o < v + len; o += 4) attrs.clusterList.push(formatIpv4(readIpv4(b, o)));
      }
      return;
    case 14:
      decodeMpReach(st, attrs, v, len);
      return;
    case 15:
      decodeMpUnreach(st, attrs, v, len);
      return;
    case 16:
      if (fixedLength(st, 'EXTENDED_COMMUNITIES', v, len, 0, 8)) {
        for (let o = v; o < v + len; o += 8) attrs.extendedCommunities.push(decodeExtCommunity(b, o));
      }
      return;
    case 17:
      attrs.as4Path = decodeAsPath(st, v, v + len, 4);
      return;
    case 22: {
      if (len < 5) {
        st.anomalies.push(bgpAnomaly('bgp.attr-bad-length', v, `PMSI_TUNNEL length ${len} < 5`));
        return;
      }
      const pmsi = st.scratch.pmsiTunnel;
      pmsi.flags = b[v];
      pmsi.tunnelType = b[v + 1];
      pmsi.label = u24(b, v + 2);
      pmsi.tunnelId = len === 9 || len === 21 ? formatIp(b, v + 5, len - 5) : hex(b, v + 5, v + len);
      attrs.pmsiTunnel = pmsi;
      return;
    }
    case 32:
      if (fixedLength(st, 'LARGE_COMMUNITY', v, len, 0, 12)) {
        for (let o = v; o < v + len; o += 12) attrs.largeCommunities.push(`${u32(b, o)}:${u32(b, o + 4)}:${u32(b, o + 8)}`);
      }
      return;
    default:
      attrs.other.push({ flags, type, length: len });
  }
}

/**
 * Decodes an UPDATE into `scratch` (fully reset first) and returns its update, valid until the next decode into
 * the same scratch. `b` is the whole message (header included), `b.length` its length from the header.
 * Never throws: every overrun is an anomaly in `update.anomalies` and decoding goes on where it can.
 */
export function decodeUpdateInto(scratch: UpdateScratch, b: Uint8Array, session: BgpSessionView): BgpUpdate {
  resetScratch(scratch, b.length);
  const update = scratch.update;
  const attributes = update.attributes;
  const st = scratch.state;
  st.b = b;
  st.session = session;
  const end = b.length;
  let o = BGP_HEADER_LENGTH;
  if (o + 2 > end) {
    st.anomalies.push(bgpAnomaly('bgp.update-too-short', o, 'no withdrawn routes length'));
    return update;
  }
  const withdrawnLen = u16(b, o);
  o += 2;
  if (o + withdrawnLen > end) {
    st.anomalies.push(bgpAnomaly('bgp.withdrawn-overrun', o - 2, `withdrawn routes length ${withdrawnLen} runs past the message`));
    return update;
  }
  decodeUnicast(st, AFI_IPV4, o, o + withdrawnLen, update.withdrawn);
  o += withdrawnLen;
  if (o + 2 > end) {
    st.anomalies.push(bgpAnomaly('bgp.update-too-short', o, 'no total path attribute length'));
    return update;
  }
  const attrLen = u16(b, o);
  o += 2;
  let attrEnd = o + attrLen;
  if (attrEnd > end) {
    st.anomalies.push(bgpAnomaly('bgp.attr-length-overrun', o - 2, `total path attribute length ${attrLen} runs past the message`));
    attrEnd = end;
  }
  while (o < attrEnd) {
    const flags = b[o];
    const hdr = flags & ATTR_EXTENDED_LENGTH ? 4 : 3;
    if (o + hdr > attrEnd) {
      st.anomalies.push(bgpAnomaly('bgp.attr-length-overrun', o, 'path attribute header runs past the attributes'));
      break;
    }
    const type = b[o + 1];
    const len = hdr === 4 ? u16(b, o + 2) : b[o + 2];
    const v = o + hdr;
    if (v + len > attrEnd) {
      st.anomalies.push(bgpAnomaly('bgp.attr-length-overrun', o, `attribute ${type} length ${len} runs past the attributes`));
      break;
    }
    decodeAttribute(st, attributes, flags, type, v, len);
    o = v + len;
  }
  decodeUnicast(st, AFI_IPV4, attrEnd, end, update.nlri);
  if (update.evpn.length) {
    // Routes describe themselves (decode output, one line per route): copy the UPDATE-wide facts in.
    const nextHops = attributes.mpReach === null ? null : attributes.mpReach.nextHops;
    const nextHop = nextHops !== null && nextHops.length > 0 ? nextHops[0] : null;
    let macMobility: UpdateScratch['macMobility'] | null = null;
    let encapsulation: number | null = null;
    let encapsulationSeen = false;
    const ext = attributes.extendedCommunities;
    for (let i = 0; i < ext.length; i++) {
      const c = ext[i];
      if (c.kind === 'mac-mobility' && macMobility === null) {
        macMobility = scratch.macMobility;
        macMobility.sequence = c.sequence ?? 0;
        macMobility.sticky = c.sticky ?? false;
      } else if (c.kind === 'encapsulation' && !encapsulationSeen) {
        encapsulationSeen = true;
        encapsulation = c.tunnelType ?? null;
      }
    }
    for (let i = 0; i < update.evpn.length; i++) {
      const r = update.evpn[i];
      if (r.action === 'advertise') r.nextHop = nextHop;
      r.macMobility = macMobility;
      r.encapsulation = encapsulation;
    }
  }
  return update;
}

/** Filled by decodeUpdate before it copies out (decoding is synchronous: one is enough). */
const ownedScratch = newUpdateScratch();

/** Decodes an UPDATE into objects the caller owns (see decodeUpdateInto). */
export function decodeUpdate(b: Uint8Array, session: BgpSessionView): BgpUpdate {
  return ownUpdate(decodeUpdateInto(ownedScratch, b, session));
}

/** An empty list as the shared NONE, others copied. */
function ownList<T>(list: T[]): T[] {
  return list.length === 0 ? NONE : list.slice();
}

/** A copy of a scratch update that shares nothing the scratch reuses. */
export function ownUpdate(u: BgpUpdate): BgpUpdate {
  const a = u.attributes;
  const reach = a.mpReach;
  const unreach = a.mpUnreach;
  const pmsi = a.pmsiTunnel;
  const evpn: EvpnRoute[] = [];
  for (const r of u.evpn) {
    evpn.push({
      action: r.action,
      routeType: r.routeType,
      pathId: r.pathId,
      rd: r.rd,
      esi: r.esi,
      esiZero: r.esiZero,
      ethernetTag: r.ethernetTag,
      mac: r.mac,
      ip: r.ip,
      ipV4: r.ipV4,
      labels: r.labels.slice(),
      originatorIp: r.originatorIp,
      prefix: r.prefix,
      gatewayIp: r.gatewayIp,
      nextHop: r.nextHop,
      macMobility: r.macMobility === null ? null : { sequence: r.macMobility.sequence, sticky: r.macMobility.sticky },
      encapsulation: r.encapsulation,
    });
  }
  return {
    type: 'update',
    typeCode: 2,
    length: u.length,
    withdrawn: ownList(u.withdrawn),
    attributes: {
      origin: a.origin,
      asPath: a.asPath,
      as4Path: a.as4Path,
      nextHop: a.nextHop,
      med: a.med,
      localPref: a.localPref,
      communities: ownList(a.communities),
      originatorId: a.originatorId,
      clusterList: ownList(a.clusterList),
      extendedCommunities: ownList(a.extendedCommunities),
      largeCommunities: ownList(a.largeCommunities),
      pmsiTunnel: pmsi === null ? null : { flags: pmsi.flags, tunnelType: pmsi.tunnelType, label: pmsi.label, tunnelId: pmsi.tunnelId },
      mpReach:
        reach === null ? null : { afi: reach.afi, safi: reach.safi, nextHops: reach.nextHops, nlri: ownList(reach.nlri), otherNlriBytes: reach.otherNlriBytes },
      mpUnreach:
        unreach === null ? null : { afi: unreach.afi, safi: unreach.safi, withdrawn: ownList(unreach.withdrawn), otherNlriBytes: unreach.otherNlriBytes },
      other: ownList(a.other),
    },
    nlri: ownList(u.nlri),
    evpn,
    inferred: ownList(u.inferred),
    anomalies: u.anomalies.slice(),
  };
}
