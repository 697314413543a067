import type { EvpnRouteFact } from '../../src/facts/types.js';
import { macMobilityRegression } from '../../src/rules/mac-mobility-regression.js';
import { describe, expect, it } from 'vitest';
import { evpn, ruleTester, run } from './helpers.js';

const M = '00:aa:bb:cc:dd:03';
const ESI = '00:11:11:11:11:11:11:11:11:01';

/** `n` advertisements alternating between two PEs, each with the next sequence, `gap` seconds apart. */
function bounce(n: number, gap: number, extra: { esi?: string } = {}): EvpnRouteFact[] {
  return Array.from({ length: n }, (_, i) =>
    evpn({ t: i * gap, frame: i + 1, mac: M, nextHop: i % 2 ? '192.0.2.2' : '192.0.2.1', seq: i, ...extra }),
  );
}

ruleTester('mac-flapping', [macMobilityRegression], {
  valid: [
    { name: 'four moves within the window (default 5)', facts: bounce(5, 10) },
    { name: 'five moves spread wider than 180 s', facts: bounce(6, 60) },
    { name: 'a raised --flap-moves', facts: bounce(6, 10), settings: { flapMoves: 10 } },
    { name: 'alternating between multihoming peers on one ESI is not moving', facts: bounce(8, 1, { esi: ESI }) },
  ],
  invalid: [
    {
      name: 'five moves within 180 s (RFC 7432 §15.1, FRR/Junos defaults)',
      facts: bounce(6, 10),
      errors: [
        {
          messageId: 'flapping',
          severity: 'warning',
          confidence: 'confirmed',
          // Every move counted is cited, not only the one that crossed the threshold.
          frames: [2, 3, 4, 5, 6],
          count: 1,
          data: { moves: 5, window: 180, pes: '192.0.2.1, 192.0.2.2' },
        },
      ],
    },
    {
      name: 'a lowered --flap-moves fires earlier and keeps counting',
      facts: bounce(6, 10),
      settings: { flapMoves: 3 },
      errors: [{ messageId: 'flapping', frames: [2, 3, 4, 5, 6], count: 3 }],
    },
  ],
});

describe('mac-flapping evidence', () => {
  it('cites exactly the moves it counts, one item each, with the PEs and sequence of each move', () => {
    const [finding] = run([macMobilityRegression], bounce(6, 10)).findings.filter((f) => f.rule === 'mac-flapping');
    expect(finding.evidence.frames).toEqual([2, 3, 4, 5, 6]);
    expect(finding.evidence.items.map((i) => i.role)).toEqual([
      'move 192.0.2.1 → 192.0.2.2, sequence 1',
      'move 192.0.2.2 → 192.0.2.1, sequence 2',
      'move 192.0.2.1 → 192.0.2.2, sequence 3',
      'move 192.0.2.2 → 192.0.2.1, sequence 4',
      'move 192.0.2.1 → 192.0.2.2, sequence 5',
    ]);
  });
});

describe('a table cap names what it may have dropped', () => {
  it('a MAC pushed out of the table (--max-evpn-routes) puts the mobility ids in findingsCapped', () => {
    const other = '00:aa:bb:cc:dd:04';
    const facts = [
      evpn({ t: 0, frame: 1, mac: M, nextHop: '192.0.2.1', seq: 0 }),
      evpn({ t: 1, frame: 2, mac: other, nextHop: '192.0.2.1', seq: 0 }),
    ];
    expect(run([macMobilityRegression], facts).engine.capped()).toEqual([]);
    expect(run([macMobilityRegression], facts, { maxEvpnRoutes: 1 }).engine.capped()).toEqual(
      ['mac-flapping', 'mac-mobility-regression', 'mac-mobility-tie', 'sticky-mac-moved'],
    );
  });
});
