// util/double.ts: the two ways a number field is made to keep one representation (see its header).
import { describe, expect, it } from 'vitest';
import { DOUBLE_ZERO, smallInteger } from '../../src/util/double.js';
import { runWithNatives } from '../natives.js';

describe('DOUBLE_ZERO', () => {
  it('is zero to every comparison and in every text gwcheck writes', () => {
    expect(DOUBLE_ZERO === 0).toBe(true);
    expect(String(DOUBLE_ZERO)).toBe('0');
    expect(JSON.stringify({ mac: DOUBLE_ZERO })).toBe('{"mac":0}');
    expect(DOUBLE_ZERO.toString(16)).toBe('0');
  });
});

describe('smallInteger', () => {
  it.each([
    [5, 5],
    [0, 0],
    [-3, -3],
    [0.5, 0.5],
    [2 ** 30 - 1, 2 ** 30 - 1],
    [2 ** 30, 2 ** 30],
    [2 ** 40, 2 ** 40],
    [Infinity, Infinity],
  ])('keeps the value of %s', (value, expected) => {
    expect(smallInteger(value)).toBe(expected);
  });

  it('makes the default settings small integers where they are whole (checked with V8 natives in a child)', () => {
    const code = [
      "const { ALL_RULES, defaultSettings } = await import('./src/rules/index.ts');",
      'const s = defaultSettings(ALL_RULES);',
      "const isSmi = new Function('x', 'return %IsSmi(x)');",
      'process.stdout.write(JSON.stringify({ maxMacs: isSmi(s.maxMacs), maxEvpnRoutes: isSmi(s.maxEvpnRoutes), arpPendingGrace: isSmi(s.arpPendingGrace) }));',
    ].join('\n');
    expect(runWithNatives({ code })).toEqual({ maxMacs: true, maxEvpnRoutes: true, arpPendingGrace: false });
  }, 30_000);
});
