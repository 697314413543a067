// Formatting of addresses kept as numbers on the hot path. One formatter per kind, used everywhere.

const HEX = '0123456789abcdef';

/** A 48-bit MAC held in a JS number (exact: 48 < 53 bits) → "aa:bb:cc:dd:ee:ff". */
export function formatMac(mac: number): string {
  let out = '';
  for (let shift = 40; shift >= 0; shift -= 8) {
    const byte = Math.floor(mac / 2 ** shift) % 256;
    out += HEX[byte >> 4] + HEX[byte & 15];
    if (shift) out += ':';
  }
  return out;
}

/** Reads 6 bytes at `offset` as a MAC number. The caller has checked the bounds. */
export function readMac(buf: Uint8Array, offset: number): number {
  return (
    (buf[offset] * 0x10000 + buf[offset + 1] * 0x100 + buf[offset + 2]) * 0x1000000 +
    (buf[offset + 3] * 0x10000 + buf[offset + 4] * 0x100 + buf[offset + 5])
  );
}

/** "aa:bb:cc:dd:ee:ff", "aa-bb-…" or "aabb.ccdd.eeff" → number; NaN when it is not a MAC. */
export function parseMac(text: string): number {
  const hex = text.toLowerCase().replace(/[:.\-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return NaN;
  return parseInt(hex, 16);
}

/** An IPv4 address held as an unsigned 32-bit number → dotted quad. */
export function formatIpv4(ip: number): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function readIpv4(buf: Uint8Array, offset: number): number {
  return ((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;
}

export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) return NaN;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return NaN;
    n = n * 256 + Number(p);
  }
  return n;
}

/**
 * 16 bytes at `offset` → RFC 5952 text (lowercase, the first longest run of two or more zero words compressed,
 * embedded IPv4 not used). Built in one pass over the bytes: no array of words, no slices, no joins — it runs once
 * per new IPv6 address (facts/addresses.ts), and the array version was compiled four times in a benchmark run.
 */
export function formatIpv6(buf: Uint8Array, offset: number): string {
  let bestStart = -1;
  let bestLen = 0;
  let runStart = -1;
  for (let i = 0; i < 8; i++) {
    if ((buf[offset + 2 * i] | buf[offset + 2 * i + 1]) !== 0) {
      runStart = -1;
      continue;
    }
    if (runStart < 0) runStart = i;
    const len = i - runStart + 1;
    if (len >= 2 && len > bestLen) {
      bestStart = runStart;
      bestLen = len;
    }
  }
  const afterRun = bestStart + bestLen;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i = afterRun - 1;
      continue;
    }
    if (i > 0 && i !== afterRun) out += ':';
    out += ((buf[offset + 2 * i] << 8) | buf[offset + 2 * i + 1]).toString(16);
  }
  return out;
}

/** Dotted-quad text → unsigned 32-bit number without allocating (parseIpv4 splits); NaN for anything else. */
export function ipv4Key(text: string): number {
  return ipv4In(text, 0, text.length);
}

/** ipv4Key of text[start, end), without slicing the text out (an RD's "192.0.2.1:100"). */
export function ipv4In(text: string, start: number, end: number): number {
  let n = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return NaN;
      n = n * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      part = part * 10 + (c - 48);
      digits++;
      if (part > 255) return NaN;
    } else return NaN;
  }
  if (dots !== 3 || digits === 0) return NaN;
  return n * 256 + part;
}

/** The length of formatIpv4(ip): a text that ipv4Key reads as `ip` is that text exactly when it is this long (a part
 *  with a leading zero is longer), so no character need be read again to know it. */
export function ipv4TextLength(ip: number): number {
  let n = 3;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const part = (ip >>> shift) & 255;
    n += part < 10 ? 1 : part < 100 ? 2 : 3;
  }
  return n;
}
