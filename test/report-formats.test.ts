// The outputs CI systems read, from the story fixtures: SARIF validated against the OASIS 2.1.0 schema (copy and
// licence in test/schemas/), JUnit as GitLab and Jenkins read it, GitHub workflow commands escaped as the Actions
// toolkit does, Markdown, and the terminal table at 80 columns.
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STORIES } from '../fixtures/stories.js';
import { analyze } from '../src/index.js';
import { githubData, githubProperty, markdownCell, xml } from '../src/report/escape.js';
import { renderGithub } from '../src/report/github.js';
import { renderJunit } from '../src/report/junit.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { createPainter } from '../src/report/paint.js';
import { artifactUri, sarifLog } from '../src/report/sarif.js';
import { renderTable } from '../src/report/table.js';
import { findingIdMetas } from '../src/report/rule-meta.js';
import type { Report } from '../src/report/types.js';

const sarifSchema = JSON.parse(readFileSync(new URL('schemas/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false });
// The three formats the SARIF schema uses, as simple patterns (Ajv ships none without ajv-formats).
ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
ajv.addFormat('uri-reference', /^[^\s]*$/);
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i);
const validateSarif = ajv.compile(sarifSchema);

const HSRP_ALL_ACTIVE = 'fixtures/anycast-hsrp-all-active.pcapng';
const BLACKHOLE = 'fixtures/anycast-shared-mac-blackhole.pcapng';

function checkSarif(report: Report): Record<string, any> {
  const log = sarifLog(report, { cwd: process.cwd() }) as Record<string, any>;
  expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 1)).toBe(true);
  return log;
}

describe('SARIF', () => {
  it('the schema copy rejects what it must (a result without message, a bad level)', () => {
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'a' }] }] };
    expect(validateSarif(bad)).toBe(false);
    const level = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'info' }] }] };
    expect(validateSarif(level)).toBe(false);
  });

  for (const story of STORIES) {
    it(`${story.name}: valid SARIF 2.1.0, one result per finding, as GitHub code scanning needs`, async () => {
      const report = await analyze([`fixtures/${story.name}.pcapng`]);
      const log = checkSarif(report);
      const run = log.runs[0];
      expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(findingIdMetas().map((m) => m.id));
      for (const rule of run.tool.driver.rules) expect(rule.helpUri).toMatch(new RegExp(`docs/rules/${rule.id}\\.md$`));
      expect(run.results).toHaveLength(report.findings.length);
      run.results.forEach((r: any, i: number) => {
        const f = report.findings[i];
        expect(r.ruleId).toBe(f.rule);
        expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.rule);
        expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity]);
        expect(r.partialFingerprints).toEqual({ 'gwcheckFindingId/v1': f.id });
        expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: `fixtures/${story.name}.pcapng`, index: 0 }, region: { startLine: 1 } });
        expect(r.properties.frames.map((x: { frame: number }) => x.frame)).toEqual(f.evidence.items.map((x) => x.frame));
      });
    });
  }

  it('suppressed findings are SARIF suppressions with the reason; the baseline state is carried', async () => {
    const report = await analyze([HSRP_ALL_ACTIVE], {
      config: { file: 'gwcheck.config.json', config: { suppress: [{ rule: 'hsrp-multiple-active', reason: 'all-Active lab' }] } },
      baseline: { file: 'old.json', findings: [] },
    });
    const result = checkSarif(report).runs[0].results[0];
    expect(result.suppressions).toEqual([{ kind: 'external', state: 'accepted', justification: 'all-Active lab' }]);
    expect(result.baselineState).toBe('new');
  });

  it('several inputs: a result points at each file its frames are in', async () => {
    const report = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE]);
    const log = checkSarif(report);
    const dup = log.runs[0].results.find((r: any) => r.ruleId === 'duplicate-gateway-mac' && r.locations.length === 2);
    expect(dup.locations.map((l: any) => l.physicalLocation.artifactLocation.uri)).toEqual([HSRP_ALL_ACTIVE, BLACKHOLE]);
  });

  it('artifact URIs are relative to the working directory, with forward slashes and escapes', () => {
    expect(artifactUri('/work/caps/lab 1.pcap', '/work')).toBe('caps/lab%201.pcap');
    expect(artifactUri('caps/a.pcap', '/work')).toBe('caps/a.pcap');
    expect(artifactUri('-', '/work')).toBe('stdin');
  });
});

describe('JUnit', () => {
  it('one suite per input, one case per finding id and domain, unique names, failures at or above --fail-on', async () => {
    const report = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE]);
    for (const [failOn, want] of [['error', 2], ['warning', 4], ['none', 0]] as const) {
      const xmlText = renderJunit(report, failOn);
      expect(xmlText.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
      expect((xmlText.match(/<failure /g) ?? []).length, failOn).toBe(want);
      const suites = [...xmlText.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)];
      expect(suites.map((s) => s[1])).toEqual([`gwcheck ${HSRP_ALL_ACTIVE}`, `gwcheck ${BLACKHOLE}`]);
      for (const suite of xmlText.split('<testsuite ').slice(1)) {
        const names = [...suite.matchAll(/<testcase name="([^"]*)"/g)].map((m) => m[1]);
        expect(new Set(names).size).toBe(names.length);
        // Every wanted finding id is a case in every suite (passing when nothing was found).
        for (const id of report.settings.rules as string[]) expect(names.some((n) => n.startsWith(`${id}`))).toBe(true);
      }
    }
  });

  it('a suppressed finding is a skipped case', async () => {
    const report = await analyze([HSRP_ALL_ACTIVE], {
      config: { file: null, config: { suppress: [{ rule: 'hsrp-multiple-active', reason: 'lab <all-Active>' }] } },
    });
    const text = renderJunit(report, 'warning');
    expect(text).toContain('<skipped message="suppressed: lab &lt;all-Active&gt;"/>');
    expect(text).not.toContain('<failure');
  });

  it('xml escaping', () => {
    expect(xml(`a<b>&"c'\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});

describe('GitHub workflow commands', () => {
  it('escapes data and properties as the Actions toolkit does', () => {
    expect(githubData('50%\r\nnext')).toBe('50%25%0D%0Anext');
    expect(githubProperty('a: b, c%')).toBe('a%3A b%2C c%25');
  });

  it('one annotation per unsuppressed finding, error only for findings that fail the gate, on the capture file', async () => {
    const report = await analyze([BLACKHOLE]);
    const text = renderGithub(report, 'error', process.cwd());
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^::error file=fixtures\/anycast-shared-mac-blackhole\.pcapng,line=1,title=gwcheck shared-mac-arp-blackhole \(vlan 100\)::MAC /);
    // One line per command: the message's newlines are escaped.
    expect(lines[0]).toContain('%0Aframes: 4, 5, 6');
    expect(lines.at(-1)).toBe('gwcheck: 1 error(s), 0 warning(s), 0 info (fail on: error)');
    const warnOnly = renderGithub(await analyze([HSRP_ALL_ACTIVE]), 'error', process.cwd());
    expect(warnOnly).toMatch(/^::warning file=/);
  });
});

describe('Markdown', () => {
  it('a table without filters in cells, the filters listed under it, the footer with counts', async () => {
    const report = await analyze([BLACKHOLE]);
    const md = renderMarkdown(report, 'error');
    expect(md).toContain('| # | severity | rule | domain | summary | seen | frames |');
    const row = md.split('\n').find((l) => l.startsWith('| 1 |'))!;
    expect(row).not.toContain('arp.src.hw_mac');
    expect(md).toContain('1. `(arp.src.hw_mac == 00:1c:73:aa:aa:aa || arp.dst.hw_mac == 00:1c:73:aa:aa:aa) && vlan.id == 100`');
    expect(md).toContain('**1 error(s), 0 warning(s), 0 info**');
    expect(markdownCell('a|b\nc')).toBe('a\\|b<br>c');
  });
});

describe('the inventory in the table and in Markdown', () => {
  const painter = createPainter(false);
  it('one compact line per domain, broken at its parts to fit 80 columns; --inventory the whole map instead', async () => {
    const report = await analyze(['fixtures/clean-hsrp-vrrp.pcapng']);
    const wide = renderTable(report, { verbose: false, width: 140, painter, failOn: 'error' });
    expect(wide).toContain('inventory vlan 100: gateway 10.100.0.1 → 00:00:0c:07:ac:0a; hsrp 10 (active 10.100.0.2, standby 10.100.0.3); 5 MACs, 5 IPs in ARP/ND\n');
    const narrow = renderTable(report, { verbose: false, width: 80, painter, failOn: 'error' }).split('\n');
    const at = narrow.findIndex((l) => l.startsWith('inventory vlan 100'));
    expect(narrow.slice(at, at + 3)).toEqual([
      'inventory vlan 100: gateway 10.100.0.1 → 00:00:0c:07:ac:0a;',
      '          hsrp 10 (active 10.100.0.2, standby 10.100.0.3);',
      '          5 MACs, 5 IPs in ARP/ND',
    ]);
    for (const line of narrow.filter((l) => l.startsWith('inventory') || l.startsWith('          '))) expect(line.length, line).toBeLessThanOrEqual(80);
    const full = renderTable(report, { verbose: false, inventory: true, width: 140, painter, failOn: 'error' });
    expect(full).not.toContain('inventory vlan');
    expect(full).toContain('    vrrp v3 group 20  virtual 10.200.0.1 00:00:5e:00:01:14  (most Active at once: 1)');
  });

  it('Markdown lists the compact lines in a details block', async () => {
    const md = renderMarkdown(await analyze(['fixtures/clean-hsrp-vrrp.pcapng']), 'error');
    expect(md).toContain('<details><summary>Inventory</summary>');
    expect(md).toContain('- vlan 200: gateway 10.200.0.1 → 00:00:5e:00:01:14; vrrp 20 (master 10.200.0.2); 2 MACs, 2 IPs in ARP/ND');
  });
});

describe('the table at a terminal width', () => {
  const painter = createPainter(false);
  it.each([80, 100, 120, 140, 200])('%i columns: no table line is wider; filters are whole lines under the table', async (width) => {
    const report = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE]);
    const text = renderTable(report, { verbose: false, width, painter, failOn: 'error' });
    const lines = text.split('\n');
    for (const line of lines.filter((l) => /^[┌│├└]/.test(l))) expect(line.length, line).toBeLessThanOrEqual(width);
    for (const f of report.findings) {
      expect(lines.some((l) => l.trim() === f.wiresharkFilter || l.trim().endsWith(`  ${f.wiresharkFilter}`) || l.trim().replace(/^\d+\s+/, '') === f.wiresharkFilter), f.wiresharkFilter).toBe(true);
      // No filter inside a cell.
      expect(lines.filter((l) => l.startsWith('│')).some((l) => l.includes('arp.src.proto_ipv4'))).toBe(false);
    }
    // Rule ids are never cut.
    for (const f of report.findings) expect(text).toContain(f.rule);
    // With several inputs, cited frames name their file.
    expect(text).toContain('anycast-shared-mac-blackhole.pcapng: 4, 5, 6');
  });

  it('--verbose at 80 columns wraps the detail and remediation to the terminal', async () => {
    const report = await analyze([BLACKHOLE]);
    const text = renderTable(report, { verbose: true, width: 80, painter, failOn: 'error' });
    const prose = text.split('\n').filter((l) => /^ {2}(detail|remediation) {2}|^ {15}\S/.test(l) && !/frame \d+:/.test(l));
    expect(prose.length).toBeGreaterThan(2);
    for (const line of prose) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('suppressed findings leave the table and are counted in the footer; a baseline says what is fixed', async () => {
    const report = await analyze([HSRP_ALL_ACTIVE], {
      config: { file: 'gwcheck.config.json', config: { suppress: [{ rule: 'hsrp-multiple-active', reason: 'lab' }] } },
      baseline: { file: 'old.json', findings: [{ id: 'ffffffffffff', rule: 'unanswered-arp', severity: 'warning', summary: 'no reply for 10.0.0.9', domainLabel: 'vlan 9' }] },
    });
    const text = renderTable(report, { verbose: false, width: 80, painter, failOn: 'error' });
    expect(text).toContain('No findings besides suppressed ones.');
    expect(text).toContain('0 error(s), 0 warning(s), 0 info, 1 suppressed');
    expect(text).toContain('baseline  old.json: 1 new, 0 unchanged, 1 fixed');
    expect(text).toContain('fixed     unanswered-arp vlan 9: no reply for 10.0.0.9');
  });

  it('a capture without timestamps says so instead of 1970-01-01', async () => {
    const report = await analyze([BLACKHOLE]);
    report.inputs[0].firstTime = '1970-01-01T00:00:00.000000000Z';
    const text = renderTable(report, { verbose: true, width: 140, painter, failOn: 'error' });
    expect(text).toContain('no timestamp → 2026-03-02');
    expect(text).not.toContain('1970-01-01');
  });
});
