// The rules against real captures: ../shared/corpus/INDEX.tsv notes, for each capture with ARP requests that were
// never answered, the top sender→target pairs (counted by the corpus tooling, not by us). Every pair asked three or
// more times in a capture gwcheck decodes must come out as an `unanswered-arp` warning for that target in its
// domain. Where gwcheck knowingly differs, the exceptions table says why. Skipped when the corpus is absent.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';

const corpus = new URL('../../shared/corpus/', import.meta.url);
const present = existsSync(new URL('INDEX.tsv', corpus));
if (!present) console.warn('test/corpus-findings: ../shared/corpus is absent — skipping the rule conformance checks');

/** Captures whose noted pairs gwcheck does not (and should not) report, with the reason. */
const EXCEPTIONS: Record<string, string> = {
  'suricata-verify__detect-arp-03-vlan__input.pcap':
    'the three requests carry three different VLAN stacks: three broadcast domains with one request each',
};

/**
 * Captures taken on one host: the noted pairs' requesters are other hosts, whose replies would be unicast to them
 * and invisible here. gwcheck must not warn (issue 11 §3): an info that says so, and a host-side coverage line.
 */
const HOST_SIDE: Record<string, string> = {
  'rusticata__wireshark_samples-test.pcapng': 'captured on d4:ae:52:d3:77:26: every unicast reply is to or from it or its gateway',
};

interface NotedPair {
  file: string;
  sender: string;
  target: string;
  count: number;
}

function notedPairs(): NotedPair[] {
  const rows = readFileSync(new URL('INDEX.tsv', corpus), 'utf8').trim().split('\n');
  const header = rows[0].split('\t');
  const fileCol = header.indexOf('file');
  const notesCol = header.indexOf('notes');
  const pairs: NotedPair[] = [];
  for (const row of rows.slice(1)) {
    const cols = row.split('\t');
    const note = /unanswered ARP: [^|"]*\(top ([^)]*)\)/.exec(cols[notesCol] ?? '');
    if (!note) continue;
    for (const m of note[1].matchAll(/([\d.]+)->([\d.]+) x(\d+)/g)) {
      pairs.push({ file: cols[fileCol], sender: m[1], target: m[2], count: Number(m[3]) });
    }
  }
  return pairs;
}

describe.skipIf(!present)('unanswered ARP in real captures (corpus INDEX notes)', () => {
  const pairs = present ? notedPairs().filter((p) => p.count >= 3) : [];
  it('the corpus notes some pairs to check', () => {
    expect(pairs.length).toBeGreaterThan(5);
  });
  for (const pair of pairs) {
    const reason = EXCEPTIONS[pair.file];
    const name = `${pair.file}: ${pair.sender} asks for ${pair.target} ×${pair.count}`;
    if (reason) {
      it.skip(`${name} — ${reason}`, () => {});
      continue;
    }
    it(name, async () => {
      const report = await analyze([new URL(`captures/${pair.file}`, corpus).pathname]);
      const hit = report.findings.find((f) => f.rule === 'unanswered-arp' && f.subject.ip === pair.target);
      expect(hit, `no unanswered-arp finding for ${pair.target}`).toBeDefined();
      if (HOST_SIDE[pair.file]) {
        expect(hit!.severity).toBe('info');
        expect(report.coverage.statements.join(' ')).toMatch(/host-side capture/);
        return;
      }
      expect(hit!.severity).toBe('warning');
      expect(hit!.detail).toMatch(/capture point|unicast/i);
    });
  }
});
