// BGP extended communities — RFC 4360 (route target), RFC 5668 (4-octet AS route target), RFC 9012 §4.1
// (encapsulation), RFC 7432 §7.5–7.8 (ESI label, ES-import RT, MAC Mobility, default gateway), RFC 9135 §8.1
// (EVPN Router's MAC), RFC 9047 §3.1 (EVPN ARP/ND extended community: type 0x06, sub-type 0x08; flags octet
// |0 0 0 0 I 0 O R|, R router 0x01, O override 0x02, I immutable ARP/ND binding 0x08).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Type high    |  Sub-type     |          Value …              |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                          … Value (6 octets in all)            |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// MAC Mobility (type 0x06, sub-type 0x00): flags (bit 0 = sticky/static), reserved, 32-bit sequence number.
import { formatIpv4, formatMac, readIpv4, readMac } from '../../util/net.js';
import { hex, u16, u24, u32 } from './fields.js';
import type { ExtCommunity } from './types.js';

const TUNNEL_NAMES: Record<number, string> = { 8: 'vxlan', 9: 'nvgre', 10: 'mpls', 11: 'mpls-in-gre', 12: 'vxlan-gpe' };

/** (type, sub-type) pairs whose decodings are cached, by cache index (1 + position). */
const CACHED_KINDS = [0x0002, 0x0102, 0x0202, 0x030c, 0x030d, 0x0600, 0x0601, 0x0602, 0x0603, 0x0608];
/** Cache index + 1 by (type << 8 | sub-type), 0 for a kind not cached: one load instead of a search per community. */
const CACHED_KIND_INDEX = new Uint8Array(0x10000);
for (let i = 0; i < CACHED_KINDS.length; i++) CACHED_KIND_INDEX[CACHED_KINDS[i]] = i + 1;
const MAX_CACHED = 4096;
/**
 * Decoded communities by value: an EVPN speaker repeats the same few route targets, encapsulation and router MAC
 * on every UPDATE, and their texts were 38 of the 464 MB the benchmark allocated. Key: cache index * 2^48 + the 6
 * value bytes (exact below 2^53). Cleared when full. Entries are shared: callers must not mutate them.
 */
const cache = new Map<number, ExtCommunity>();

/** One 8-byte extended community at `o` (the caller has checked 8 bytes are there). Shared, read-only. */
export function decodeExtCommunity(b: Uint8Array, o: number): ExtCommunity {
  const kind = CACHED_KIND_INDEX[(b[o] << 8) | b[o + 1]];
  if (kind === 0) return decodeUncached(b, o);
  const key = kind * 2 ** 48 + u16(b, o + 2) * 2 ** 32 + u32(b, o + 4);
  let c = cache.get(key);
  if (c === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    c = decodeUncached(b, o);
    cache.set(key, c);
  }
  return c;
}

function decodeUncached(b: Uint8Array, o: number): ExtCommunity {
  const type = b[o];
  const subtype = b[o + 1];
  const raw = hex(b, o, o + 8);
  // Route targets are transitive (0x00/0x01/0x02); the non-transitive variants (0x40 …) are not RTs.
  if (subtype === 0x02 && type <= 0x02) {
    let rt: string;
    if (type === 0x00) rt = `${u16(b, o + 2)}:${u32(b, o + 4)}`;
    else if (type === 0x01) rt = `${formatIpv4(readIpv4(b, o + 2))}:${u16(b, o + 6)}`;
    else rt = `${u32(b, o + 2)}:${u16(b, o + 6)}`;
    return { kind: 'route-target', type, subtype, raw, value: rt, routeTarget: rt };
  }
  if (type === 0x03 && subtype === 0x0c) {
    const tunnelType = u16(b, o + 6);
    const name = TUNNEL_NAMES[tunnelType] ?? 'type';
    return { kind: 'encapsulation', type, subtype, raw, value: `${name}(${tunnelType})`, tunnelType };
  }
  if (type === 0x03 && subtype === 0x0d) {
    return { kind: 'default-gateway', type, subtype, raw, value: 'default-gateway' };
  }
  if (type === 0x06) {
    if (subtype === 0x00) {
      const flags = b[o + 2];
      const sticky = (flags & 1) === 1;
      const sequence = u32(b, o + 4);
      return { kind: 'mac-mobility', type, subtype, raw, value: `seq ${sequence}${sticky ? ' sticky' : ''}`, sequence, sticky, flags };
    }
    if (subtype === 0x01) {
      const flags = b[o + 2];
      const label = u24(b, o + 5);
      return { kind: 'esi-label', type, subtype, raw, value: `label ${label}${flags & 1 ? ' single-active' : ''}`, label, flags };
    }
    if (subtype === 0x02) {
      const mac = readMac(b, o + 2);
      return { kind: 'es-import', type, subtype, raw, value: formatMac(mac), mac };
    }
    if (subtype === 0x03) {
      const mac = readMac(b, o + 2);
      return { kind: 'router-mac', type, subtype, raw, value: formatMac(mac), mac };
    }
    if (subtype === 0x08) {
      const flags = b[o + 2];
      const router = (flags & 0x01) !== 0;
      const override = (flags & 0x02) !== 0;
      const immutable = (flags & 0x08) !== 0;
      const names = [router ? 'R' : '', override ? 'O' : '', immutable ? 'I' : ''].filter(Boolean).join(' ');
      return { kind: 'arp-nd', type, subtype, raw, value: `arp-nd${names ? ' ' + names : ''}`, router, override, immutable, flags };
    }
  }
  return { kind: 'other', type, subtype, raw, value: raw };
}
