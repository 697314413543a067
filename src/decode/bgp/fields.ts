// Field readers shared by the BGP decoders: integers, addresses, prefixes (RFC 4271 §4.3), route
// distinguishers (RFC 4364 §4.2) and ESIs (RFC 7432 §5). Callers check bounds before calling; every function
// here reads exactly the bytes its doc names.
import { formatIpv4, formatIpv6, readIpv4 } from '../../util/net.js';
import type { Anomaly } from '../types.js';

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/**
 * Empties a list that is refilled message after message. pop() keeps the list's backing store; `length = 0`
 * frees it (the next push allocates again) and is a runtime call in V8 — it measured slower than the decode.
 */
export function clearList(list: unknown[]): void {
  while (list.length !== 0) list.pop();
}

export function hex(b: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return out;
}

export function bgpAnomaly(code: string, offset: number, detail: string, severity: 'error' | 'note' = 'error'): Anomaly {
  return { layer: 'bgp', code, offset, detail, severity };
}

/** 4 bytes → dotted quad, 16 bytes → RFC 5952 text; other lengths → hex (the caller decides if that is an error). */
export function formatIp(b: Uint8Array, o: number, len: number): string {
  if (len === 4) return formatIpv4(readIpv4(b, o));
  if (len === 16) return formatIpv6(b, o);
  return hex(b, o, o + len);
}

const scratch16 = new Uint8Array(16);

/**
 * A prefix of `bits` bits whose ceil(bits/8) bytes start at `o` → "10.1.0.0/16" / "2001:db8::/32".
 * `addressBytes` is 4 or 16; the caller has checked bits ≤ 8 × addressBytes and the bytes are in bounds.
 */
export function formatPrefix(b: Uint8Array, o: number, bits: number, addressBytes: number): string {
  const n = (bits + 7) >> 3;
  scratch16.fill(0);
  for (let i = 0; i < n; i++) scratch16[i] = b[o + i];
  return `${formatIp(scratch16, 0, addressBytes)}/${bits}`;
}

const MAX_CACHED_RDS = 4096;
/** RD texts by type * 2^48 + value (exact below 2^53): a PE uses one RD per EVI on every route. Cleared when full. */
const rdTexts = new Map<number, string>();

/** The latest RD (its two 32-bit halves) and its text: a PE's routes come in runs with one RD. */
let lastRdHigh = -1;
let lastRdLow = -1;
let lastRdText = '';

/** Route distinguisher (8 bytes) printed as Wireshark prints it: "65000:100", "172.21.64.17:2", "4200000000:1". */
export function formatRd(b: Uint8Array, o: number): string {
  const type = u16(b, o);
  if (type > 2) return rdText(b, o, type);
  const high = u32(b, o);
  const low = u32(b, o + 4);
  if (high === lastRdHigh && low === lastRdLow) return lastRdText;
  const key = type * 2 ** 48 + u16(b, o + 2) * 2 ** 32 + low;
  let text = rdTexts.get(key);
  if (text === undefined) {
    if (rdTexts.size >= MAX_CACHED_RDS) rdTexts.clear();
    text = rdText(b, o, type);
    rdTexts.set(key, text);
  }
  lastRdHigh = high;
  lastRdLow = low;
  lastRdText = text;
  return text;
}

function rdText(b: Uint8Array, o: number, type: number): string {
  switch (type) {
    case 0:
      return `${u16(b, o + 2)}:${u32(b, o + 4)}`;
    case 1:
      return `${formatIpv4(readIpv4(b, o + 2))}:${u16(b, o + 6)}`;
    case 2:
      return `${u32(b, o + 2)}:${u16(b, o + 6)}`;
    default:
      return `type${type}:${hex(b, o + 2, o + 8)}`;
  }
}

export const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';

/** Ethernet segment identifier (10 bytes) as colon-separated hex. */
export function formatEsi(b: Uint8Array, o: number): string {
  if (isZero(b, o, o + 10)) return ZERO_ESI;
  let out = '';
  for (let i = 0; i < 10; i++) {
    if (i) out += ':';
    out += (b[o + i] < 16 ? '0' : '') + b[o + i].toString(16);
  }
  return out;
}

export function isZero(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] !== 0) return false;
  return true;
}
