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
});
