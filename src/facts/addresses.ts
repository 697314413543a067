// IP addresses as numbers, for both families, so a rule keys its tables the same way for ARP and IPv6 ND.
//
//   IPv4: the address itself, an unsigned 32-bit number (0 … 2^32 - 1); 0 is 0.0.0.0, "no address".
//   IPv6: an interned id from IPV6_KEYS (2^32) up; the unspecified address :: is 0 as well ("no address").
//
// Interning reads the 16 bytes of a frame in place (four 32-bit words into an open-addressing table of typed
// arrays): a neighbour-discovery packet costs a hash and a probe, no string and no object. The address text is
// made once, when an address is first seen, for the findings that will print it.
//
// Bounded: the table holds at most `cap` addresses in two generations. When the current generation is full it
// becomes the previous one and a new one starts; an address found only in the previous generation is copied
// forward with its id, so an address in use keeps its id for as long as it is in use. An address unseen for two
// generations is forgotten and gets a new id when it comes back (rule tables key by id, and age out the old one).
// Texts are kept for the `4 * cap` most recently used addresses (an address carried into a new generation is
// refreshed), so a finding still prints an address its rule saw long ago.
import { formatIpv4, formatIpv6 } from '../util/net.js';

/** Keys of IPv6 addresses start here (above every IPv4 address). */
export const IPV6_KEYS = 2 ** 32;

/** Default number of IPv6 addresses kept (both generations together). */
export const DEFAULT_IPV6_ADDRESSES = 1 << 17;

export function isIpv6Key(key: number): boolean {
  return key >= IPV6_KEYS;
}

/**
 * An address in a finding identifier (which names the finding across runs): IPv4 keys as their number (as
 * identifiers always were), IPv6 as text — its key depends on the order addresses were first seen.
 */
export function addressIdentifier(key: number, addresses: AddressFormatter): string {
  return key < IPV6_KEYS ? String(key) : addresses.format(key);
}

/** Formats address keys for findings; `AddressBook` is the one implementation, tests may stub it. */
export interface AddressFormatter {
  /** "10.0.0.1", "2001:db8::1"; "::"/"0.0.0.0" for 0 depending on `family`. */
  format(key: number, family?: 4 | 6): string;
}

class Generation {
  readonly words: Int32Array;
  readonly ids: Float64Array;
  readonly mask: number;
  count = 0;

  constructor(readonly slots: number) {
    this.words = new Int32Array(slots * 4);
    this.ids = new Float64Array(slots);
    this.mask = slots - 1;
  }

  clear(): void {
    this.ids.fill(0);
    this.count = 0;
  }

  /** Slot of the address, or the empty slot where it would go (ids[slot] === 0). */
  probe(w0: number, w1: number, w2: number, w3: number, hash: number): number {
    const words = this.words;
    const ids = this.ids;
    let i = hash & this.mask;
    for (;;) {
      if (ids[i] === 0) return i;
      const at = i * 4;
      if (words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3) return i;
      i = (i + 1) & this.mask;
    }
  }

  put(slot: number, w0: number, w1: number, w2: number, w3: number, id: number): void {
    const at = slot * 4;
    this.words[at] = w0;
    this.words[at + 1] = w1;
    this.words[at + 2] = w2;
    this.words[at + 3] = w3;
    this.ids[slot] = id;
    this.count++;
  }
}

function hashWords(w0: number, w1: number, w2: number, w3: number): number {
  let h = Math.imul(w0 ^ 0x9e3779b1, 0x85ebca6b);
  h = Math.imul(h ^ w1 ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ w2 ^ (h >>> 16), 0x27d4eb2d);
  h = Math.imul(h ^ w3 ^ (h >>> 15), 0x165667b1);
  return (h ^ (h >>> 16)) >>> 0;
}

export class AddressBook implements AddressFormatter {
  private current: Generation;
  private previous: Generation;
  /** Addresses per generation before it turns over (half its slots: probe runs stay short). */
  private readonly perGeneration: number;
  private nextId = IPV6_KEYS + 1;
  /** id → text, the newest `textCap` ids (insertion order is id order: the oldest are dropped first). */
  private readonly texts = new Map<number, string>();
  private readonly textCap: number;

  constructor(cap: number = DEFAULT_IPV6_ADDRESSES) {
    const perGeneration = Math.max(16, Math.ceil(cap / 2));
    let slots = 32;
    while (slots < perGeneration * 2) slots *= 2;
    this.perGeneration = perGeneration;
    this.current = new Generation(slots);
    this.previous = new Generation(slots);
    this.textCap = Math.max(64, cap * 4);
  }

  /** The key of the IPv6 address in the 16 bytes at `offset` (bounds checked by the caller); 0 for ::. */
  ipv6(buf: Buffer, offset: number): number {
    const w0 = buf.readInt32BE(offset);
    const w1 = buf.readInt32BE(offset + 4);
    const w2 = buf.readInt32BE(offset + 8);
    const w3 = buf.readInt32BE(offset + 12);
    if ((w0 | w1 | w2 | w3) === 0) return 0;
    const hash = hashWords(w0, w1, w2, w3);
    let gen = this.current;
    let slot = gen.probe(w0, w1, w2, w3, hash);
    if (gen.ids[slot] !== 0) return gen.ids[slot];
    const old = this.previous.count > 0 ? this.previous.probe(w0, w1, w2, w3, hash) : -1;
    let id: number;
    if (old >= 0 && this.previous.ids[old] !== 0) {
      id = this.previous.ids[old];
      // Still in use: its text moves to the newest end, so the text cap drops only addresses long unseen.
      const text = this.texts.get(id);
      if (text !== undefined) {
        this.texts.delete(id);
        this.texts.set(id, text);
      }
    } else id = this.newId(buf, offset);
    if (gen.count >= this.perGeneration) {
      this.turnOver();
      gen = this.current;
      slot = gen.probe(w0, w1, w2, w3, hash);
    }
    gen.put(slot, w0, w1, w2, w3, id);
    return id;
  }

  /** The key of an IPv6 address given as text (EVPN routes carry text); NaN when it is not one. */
  ipv6Text(text: string): number {
    const bytes = parseIpv6(text);
    return bytes === null ? NaN : this.ipv6(bytes, 0);
  }

  format(key: number, family?: 4 | 6): string {
    if (key === 0) return family === 6 ? '::' : '0.0.0.0';
    if (key < IPV6_KEYS) return formatIpv4(key);
    return this.texts.get(key) ?? `IPv6 address #${key - IPV6_KEYS}`;
  }

  private newId(buf: Buffer, offset: number): number {
    const id = this.nextId++;
    this.texts.set(id, formatIpv6(buf, offset));
    if (this.texts.size > this.textCap) {
      const oldest = this.texts.keys().next().value as number;
      this.texts.delete(oldest);
    }
    return id;
  }

  private turnOver(): void {
    const spare = this.previous;
    spare.clear();
    this.previous = this.current;
    this.current = spare;
  }
}

/** RFC 4291 text → 16 bytes, or null. (Rare path: EVPN route texts and tests.) */
export function parseIpv6(text: string): Buffer | null {
  let head = text;
  let tail4: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return null;
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const parts = last.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
    tail4 = parts;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const words = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const w of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(w)) return null;
      out.push(parseInt(w, 16));
    }
    return out;
  };
  const left = words(halves[0]);
  const right = halves.length === 2 ? words(halves[1]) : [];
  if (left === null || right === null) return null;
  const fill = 8 - left.length - right.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0 || (halves.length === 2 && fill < 1)) return null;
  const all = [...left, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...right];
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(all[i], i * 2);
  if (tail4) for (let i = 0; i < 4; i++) out[12 + i] = tail4[i];
  return out;
}

/** Formats a key without an address book: IPv4 only (tests and tools that never see IPv6). */
export const IPV4_ONLY: AddressFormatter = {
  format: (key, family) => (key === 0 && family === 6 ? '::' : key < IPV6_KEYS ? formatIpv4(key) : `IPv6 address #${key - IPV6_KEYS}`),
};
