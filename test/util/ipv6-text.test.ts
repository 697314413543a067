import { describe, expect, it } from 'vitest';
import { formatIpv6 } from '../../src/util/net.js';

/** RFC 5952 §4 read literally: the words, the first longest run of >= 2 zero words as "::". */
function reference(words: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i >= 2 && j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

/** The words at byte `offset`, between bytes of 0xee (which must not be read). */
function bytesOf(words: number[], offset = 0): Buffer {
  const b = Buffer.alloc(16 + offset * 2, 0xee);
  for (let i = 0; i < 8; i++) b.writeUInt16BE(words[i], offset + 2 * i);
  return b;
}

describe('formatIpv6 (RFC 5952)', () => {
  it.each([
    ['2001:db8::1', [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]],
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::', [0xfe80, 0, 0, 0, 0, 0, 0, 0]],
    ['fe80::200:5eff:fe00:101', [0xfe80, 0, 0, 0, 0x200, 0x5eff, 0xfe00, 0x101]],
    // §4.2.2: a single zero word is not compressed; §4.2.3: the first of two equal runs is.
    ['2001:db8:0:1:1:1:1:1', [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]],
    ['2001:db8::1:0:0:1', [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]],
    ['2001:0:0:1::1', [0x2001, 0, 0, 1, 0, 0, 0, 1]],
    ['ff02::1:ff00:11', [0xff02, 0, 0, 0, 0, 1, 0xff00, 0x11]],
    ['abcd:ef01:2345:6789:abcd:ef01:2345:6789', [0xabcd, 0xef01, 0x2345, 0x6789, 0xabcd, 0xef01, 0x2345, 0x6789]],
  ])('%s', (text, words) => {
    expect(formatIpv6(bytesOf(words), 0)).toBe(text);
  });

  it('agrees with the literal reading on every pattern of zero and non-zero words, at an offset', () => {
    for (let mask = 0; mask < 256; mask++) {
      const words = Array.from({ length: 8 }, (_, i) => ((mask >> i) & 1 ? 0 : (i * 0x1111 + 0x0a0b) & 0xffff));
      expect(formatIpv6(bytesOf(words, 5), 5)).toBe(reference(words));
    }
  });

  it('reads only its 16 bytes (a zero word is both bytes zero)', () => {
    const words = [0x100, 0, 1, 0, 0, 0x10, 0, 0];
    expect(formatIpv6(bytesOf(words), 0)).toBe('100:0:1::10:0:0');
  });
});
