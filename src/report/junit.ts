// `--format junit`: what GitLab (artifacts:reports:junit) and Jenkins (junit step) render. One <testsuite> per
// input, one <testcase> per finding id and domain (a finding id with nothing found is one passing case), a
// <failure> for findings that fail the gate. Names are unique within a suite: GitLab keeps only the first of
// duplicates.
import type { AnnotatedFinding } from '../config/apply.js';
import { xml } from './escape.js';
import { framesText } from './frames.js';
import { failsGate, type FailOn } from './gate.js';
import type { Report } from './types.js';

interface Case {
  name: string;
  classname: string;
  findings: AnnotatedFinding[];
}

export function renderJunit(report: Report, failOn: FailOn | string): string {
  const ids = (report.settings.rules as string[] | undefined) ?? [...new Set(report.findings.map((f) => f.rule))];
  const inputs = report.inputs.length ? report.inputs : [{ path: '-' } as Report['inputs'][number]];
  // A finding belongs to the input of its first cited frame (findings of merged inputs cite frames of several).
  const byInput = inputs.map(() => [] as AnnotatedFinding[]);
  for (const f of report.findings) byInput[Math.min(f.evidence.items[0]?.input ?? 0, inputs.length - 1)].push(f);

  const seenSuites = new Set<string>();
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  const suites: string[] = [];
  inputs.forEach((input, n) => {
    let suiteName = `gwcheck ${input.path}`;
    if (seenSuites.has(suiteName)) suiteName += ` (${n + 1})`;
    seenSuites.add(suiteName);
    const cases: Case[] = [];
    for (const id of ids) {
      const mine = byInput[n].filter((f) => f.rule === id);
      if (mine.length === 0) {
        cases.push({ name: `${id}: no findings`, classname: `gwcheck.${id}`, findings: [] });
        continue;
      }
      const byDomain = new Map<string, AnnotatedFinding[]>();
      for (const f of mine) byDomain.set(f.domainLabel, [...(byDomain.get(f.domainLabel) ?? []), f]);
      for (const [domain, list] of byDomain) cases.push({ name: `${id} in ${domain}`, classname: `gwcheck.${id}`, findings: list });
    }
    let failures = 0;
    let skipped = 0;
    const body = cases.map((c) => {
      const failing = c.findings.filter((f) => failsGate(f, failOn));
      const attrs = `name="${xml(c.name)}" classname="${xml(c.classname)}" file="${xml(input.path)}"`;
      if (failing.length) {
        failures++;
        const first = failing[0];
        const message = failing.length > 1 ? `${first.summary} (and ${failing.length - 1} more)` : first.summary;
        return `    <testcase ${attrs}>\n      <failure message="${xml(message)}" type="${first.severity}">${xml(c.findings.map((f) => describe(f, report.inputs.length)).join('\n\n'))}</failure>\n    </testcase>`;
      }
      if (c.findings.length && c.findings.every((f) => f.suppressed)) {
        skipped++;
        return `    <testcase ${attrs}>\n      <skipped message="${xml(`suppressed: ${c.findings[0].suppressed!.reason}`)}"/>\n    </testcase>`;
      }
      if (c.findings.length) {
        return `    <testcase ${attrs}>\n      <system-out>${xml(c.findings.map((f) => describe(f, report.inputs.length)).join('\n\n'))}</system-out>\n    </testcase>`;
      }
      return `    <testcase ${attrs}/>`;
    });
    totalTests += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(
      `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="${input.error ? 1 : 0}" skipped="${skipped}">\n` +
        (input.error ? `    <system-err>${xml(input.error.message)}</system-err>\n` : '') +
        body.join('\n') +
        '\n  </testsuite>',
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="gwcheck" tests="${totalTests}" failures="${totalFailures}" skipped="${totalSkipped}">\n` +
    suites.join('\n') +
    '\n</testsuites>\n'
  );
}

function describe(f: AnnotatedFinding, inputCount: number): string {
  const lines = [
    `${f.severity} ${f.rule} [${f.id}] ${f.domainLabel}: ${f.summary}`,
    ...(f.adjusted ? [`  ${f.adjusted.reason}`] : []),
    ...(f.suppressed ? [`  suppressed: ${f.suppressed.reason}`] : []),
    ...(f.baseline ? [`  baseline: ${f.baseline}`] : []),
    `  frames: ${framesText(f, inputCount, 20)}`,
    `  filter: ${f.wiresharkFilter}`,
  ];
  if (f.detail) lines.push(`  ${f.detail}`);
  lines.push(`  remediation: ${f.remediation}`);
  return lines.join('\n');
}
