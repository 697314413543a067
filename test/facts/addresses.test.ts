// IPv6 addresses as number keys (facts/addresses.ts): interned from the frame's bytes, stable while in use,
// bounded in two generations, printed as RFC 5952 text.
import { describe, expect, it } from 'vitest';
import { AddressBook, IPV6_KEYS, addressIdentifier, isIpv6Key, parseIpv6 } from '../../src/facts/addresses.js';

const bytes = (text: string) => parseIpv6(text)!;
const addr = (i: number) => `2001:db8::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`;

describe('AddressBook', () => {
  it('gives one key per address, above every IPv4 key, and prints it back; :: is 0', () => {
    const book = new AddressBook();
    const a = book.ipv6(bytes('2001:db8::1'), 0);
    expect(isIpv6Key(a)).toBe(true);
    expect(book.ipv6(Buffer.concat([Buffer.alloc(3), bytes('2001:db8::1')]), 3)).toBe(a);
    expect(book.ipv6(bytes('2001:db8::2'), 0)).not.toBe(a);
    expect(book.format(a)).toBe('2001:db8::1');
    expect(book.ipv6(bytes('::'), 0)).toBe(0);
    expect(book.format(0, 6)).toBe('::');
    expect(book.format(0x0a000001)).toBe('10.0.0.1');
    expect(book.ipv6Text('2001:DB8:0:0::1')).toBe(a);
    expect(Number.isNaN(book.ipv6Text('not:an:address::x'))).toBe(true);
  });

  it('keeps the key of an address in use however many others pass (two generations), and stays bounded', () => {
    const book = new AddressBook(64);
    const kept = book.ipv6(bytes('2001:db8::abcd'), 0);
    for (let i = 0; i < 10_000; i++) {
      book.ipv6(bytes(addr(i)), 0);
      if (i % 16 === 0) expect(book.ipv6(bytes('2001:db8::abcd'), 0)).toBe(kept);
    }
    expect(book.format(kept)).toBe('2001:db8::abcd');
    // An address unseen for two generations is forgotten: it comes back with a new key.
    const old = book.ipv6(bytes(addr(0)), 0);
    expect(old).toBeGreaterThan(kept);
  });

  it('identifiers name IPv4 keys by number and IPv6 keys by text (keys depend on first-seen order)', () => {
    const book = new AddressBook();
    const k = book.ipv6(bytes('fe80::1'), 0);
    expect(addressIdentifier(k, book)).toBe('fe80::1');
    expect(addressIdentifier(0x0a000001, book)).toBe(String(0x0a000001));
    expect(k).toBeGreaterThan(IPV6_KEYS);
  });
});
