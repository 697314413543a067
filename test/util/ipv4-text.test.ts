import { describe, expect, it } from 'vitest';
import { formatIpv4, ipv4Key, ipv4TextLength, parseIpv4 } from '../../src/util/net.js';

/** The check the control plane made before ipv4TextLength: a part of dotted-quad text with a leading zero. */
function leadingZero(text: string): boolean {
  for (let i = 0; i + 1 < text.length; i++) {
    if (text.charCodeAt(i) === 48 && (i === 0 || text.charCodeAt(i - 1) === 46) && text.charCodeAt(i + 1) !== 46) return true;
  }
  return false;
}

describe('IPv4 text', () => {
  it('ipv4Key reads what parseIpv4 reads, and NaN for the rest', () => {
    for (const text of ['10.0.0.1', '255.255.255.255', '0.0.0.0', '010.0.0.1', '1.2.3', '1.2.3.4.5', '256.0.0.1', '1..2.3', '', 'a.b.c.d', '2001:db8::1', '1.2.3.4 ']) {
      const want = parseIpv4(text);
      expect(Number.isNaN(ipv4Key(text)) ? NaN : ipv4Key(text), text).toBe(want);
    }
  });

  it('ipv4TextLength is the length of formatIpv4, so text of that length is formatIpv4 text (no leading zero)', () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const part = () => {
      const n = next() % 256;
      // Some parts with leading zeros, as a hand-made text may have them.
      const pad = next() % 4 === 0 ? '0'.repeat(1 + (next() % 2)) : '';
      return (pad + n).slice(-3);
    };
    const seen = { canonical: 0, leadingZero: 0 };
    for (let k = 0; k < 5000; k++) {
      const ip = next();
      expect(ipv4TextLength(ip)).toBe(formatIpv4(ip).length);
      const text = [part(), part(), part(), part()].join('.');
      const value = ipv4Key(text);
      if (Number.isNaN(value)) continue;
      expect(text.length === ipv4TextLength(value), text).toBe(!leadingZero(text));
      seen[leadingZero(text) ? 'leadingZero' : 'canonical']++;
    }
    expect(seen.canonical).toBeGreaterThan(100);
    expect(seen.leadingZero).toBeGreaterThan(100);
  });
});
