// Route distinguishers as numbers (RFC 4364 §4.2 types 0, 1 and 2, as Wireshark prints them), for the EVPN rules
// that key routes by RD: a number compares in one instruction where the text compared its characters, and a table
// keyed by it hashes no string. Every route carries its RD as a text of its own, so RdNumbers remembers the texts
// seen lately and parses each once.
import { ipv4In } from '../util/net.js';

/** 32-bit FNV-1a of a text. */
export function hashText(text: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Decimal digits of text[start, end) as a number; NaN when empty, not digits or more than 10 digits. */
function decimal(text: string, start: number, end: number): number {
  if (end <= start || end - start > 10) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return n;
}

/** Entries of an RdNumbers cache (a power of two). */
const RD_CACHE = 64;

/**
 * rdNumber of the RD texts seen lately. A fabric has a few RDs per PE and every route carries its RD as a text of
 * its own: a direct-mapped cache (slot from the text's length and two characters) turns the parse into a compare.
 */
export class RdNumbers {
  private readonly texts: string[] = new Array<string>(RD_CACHE).fill('');
  private readonly numbers = new Float64Array(RD_CACHE);

  of(rd: string): number {
    const n = rd.length;
    // An empty text reads NaN characters: slot 0, like any other.
    const i = (n * 31 + rd.charCodeAt(n - 1) * 7 + rd.charCodeAt(n >> 1)) & (RD_CACHE - 1);
    if (this.texts[i] === rd) return this.numbers[i];
    const value = rdNumber(rd);
    this.texts[i] = rd;
    this.numbers[i] = value;
    return value;
  }
}

/**
 * An RD as Wireshark prints it ("65000:100", "192.0.2.1:5", "4200000000:1") → a number, one per text, without
 * allocating: "x:y" as x * 2^32 + y (type 0 ranges) or 2^48 + x * 2^16 + y (type 2 ranges), "a.b.c.d:n" from
 * 2^49, anything else a 48-bit hash of the text from 2^50.
 */
export function rdNumber(rd: string): number {
  const colon = rd.lastIndexOf(':');
  if (colon > 0) {
    const y = decimal(rd, colon + 1, rd.length);
    if (!Number.isNaN(y)) {
      const x = decimal(rd, 0, colon);
      if (!Number.isNaN(x)) {
        if (x < 2 ** 16 && y < 2 ** 32) return x * 2 ** 32 + y;
        if (x < 2 ** 32 && y < 2 ** 16) return 2 ** 48 + x * 2 ** 16 + y;
      } else if (y < 2 ** 16 && colon <= 15) {
        const ip = ipv4In(rd, 0, colon);
        if (!Number.isNaN(ip)) return 2 ** 49 + ip * 2 ** 16 + y;
      }
    }
  }
  return 2 ** 50 + hashText(rd, 0x811c9dc5) * 2 ** 16 + (hashText(rd, 0x2545f491) & 0xffff);
}
