// The streamed JSON must be byte for byte what JSON.stringify(report, null, 2) gives: the golden reports and every
// CI consumer depend on it.
import { describe, expect, it } from 'vitest';
import { STORIES } from '../fixtures/stories.js';
import { analyze } from '../src/index.js';
import { jsonChunks, renderJson } from '../src/report/json.js';

describe('renderJson', () => {
  for (const story of STORIES) {
    it(`${story.name}: the pieces joined equal JSON.stringify(report, null, 2)`, async () => {
      const report = await analyze([`fixtures/${story.name}.pcapng`]);
      expect(renderJson(report)).toBe(JSON.stringify(report, null, 2) + '\n');
      expect([...jsonChunks(report)].length).toBeGreaterThan(Object.keys(report).length);
    });
  }

  it('a report with no findings and empty lists', async () => {
    const report = await analyze(['fixtures/clean-hsrp-vrrp.pcapng'], { rules: ['unanswered-arp'] });
    report.findings = [];
    report.inputs[0].warnings = [];
    expect(renderJson(report)).toBe(JSON.stringify(report, null, 2) + '\n');
  });

  it('values of every shape, at the top level and as elements of a top-level list', () => {
    // Each top-level value and list element is stringified inside one-element arrays and cut out of them: the cut
    // must be right for scalars, empty and nested containers, text with escapes, and holes (null in a list).
    const odd = {
      schemaVersion: 3,
      text: 'line\nnext "quoted" \\ tab\t',
      none: null,
      empty: {},
      emptyList: [],
      nested: { a: [], b: {}, c: [[1, [2, {}]], { d: [null] }] },
      findings: [1, 'two', null, undefined, [], {}, [[[]]], { e: { f: [3, { g: 'h' }] } }, true],
    } as unknown as Parameters<typeof renderJson>[0];
    expect(renderJson(odd)).toBe(JSON.stringify(odd, null, 2) + '\n');
  });

  it('a top-level list longer than one piece, cut at every length around a piece boundary', () => {
    // Long lists go out a run of elements per JSON.stringify call: the runs joined must read as the whole list.
    for (const n of [1, 63, 64, 65, 128, 129, 200]) {
      const findings = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : { i, text: `f${i}`, nested: [i, { deep: [] }] }));
      const report = { schemaVersion: 3, findings, summary: { n } } as unknown as Parameters<typeof renderJson>[0];
      expect(renderJson(report)).toBe(JSON.stringify(report, null, 2) + '\n');
    }
  });
});
