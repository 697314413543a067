// The default terminal report: a header that says what was read and decoded, then the findings by severity.
import Table from 'cli-table3';
import type { Finding } from '../rules/types.js';
import { linkTypeName } from '../util/link-types.js';
import type { Painter } from './paint.js';
import type { Report } from './types.js';

export interface TableOptions {
  verbose: boolean;
  /** Terminal width (columns); the table fits into it. */
  width: number;
  painter: Painter;
  failOn: string;
}

const MAX_FRAMES_SHOWN = 6;

export function renderTable(report: Report, options: TableOptions): string {
  const p = options.painter;
  const lines: string[] = [];
  lines.push(p.bold(`gwcheck ${report.tool.version}`));
  for (const input of report.inputs) {
    const span = input.firstTime && input.lastTime ? `${input.firstTime} → ${input.lastTime}` : 'no packets';
    const kind = `${input.format}${input.compressed ? '.gz' : ''}`;
    const links = input.linkTypes.map(linkTypeName).join(', ') || '-';
    lines.push(`input     ${input.path}  (${kind}, ${links}, ${input.packets} packets, ${span})`);
    for (const w of input.warnings) lines.push(p.severity('warning', `warning   ${input.path}: ${w}`));
    if (input.truncated) lines.push(p.severity('warning', `warning   ${input.path}: input is truncated: analysed up to the cut`));
    if (input.error) lines.push(p.severity('error', `error     ${input.path}: ${input.error.message}`));
  }
  const s = report.stats;
  lines.push(
    `decoded   ${s.packets} packets: ${s.arp} ARP, ${s.hsrp} HSRP, ${s.vrrp} VRRP, ${s.vxlan} VXLAN, ` +
      `${s.bgpMessages} BGP messages (${s.evpnRoutes} EVPN routes); ${s.domains} broadcast domain(s)`,
  );
  if (s.anomalies || s.notes) {
    const codes = Object.entries(s.anomalyCodes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([code, n]) => `${code} ×${n}`)
      .join(', ');
    lines.push(`anomalies ${s.anomalies} malformed/truncated, ${s.notes} notes${codes ? ` (${codes})` : ''}`);
  }
  lines.push('');

  if (report.findings.length === 0) {
    lines.push(p.ok('No findings: nothing in this capture points at a gateway problem.'));
  } else {
    lines.push(findingsTable(report.findings, options));
    if (options.verbose) {
      for (const f of report.findings) lines.push('', ...details(f, p));
    }
  }
  lines.push('');
  const sum = report.summary;
  lines.push(
    `${p.severity('error', `${sum.error} error(s)`)}, ${p.severity('warning', `${sum.warning} warning(s)`)}, ` +
      `${p.severity('info', `${sum.info} info`)}` +
      (options.verbose || report.findings.length === 0 ? '' : p.dim('  — --verbose for details and remediation')),
  );
  return lines.join('\n') + '\n';
}

function findingsTable(findings: Finding[], options: TableOptions): string {
  const p = options.painter;
  // Fixed columns get what they need; summary and filter share the rest.
  const fixed = { severity: 9, rule: 26, domain: 16, count: 7, frames: 16 };
  const borders = 3 * 7 + 1;
  const rest = Math.max(40, options.width - borders - Object.values(fixed).reduce((a, b) => a + b, 0));
  const summaryWidth = Math.ceil(rest * 0.55);
  const filterWidth = rest - summaryWidth;
  const table = new Table({
    head: ['severity', 'rule', 'domain', 'summary', 'count', 'frames', 'wireshark filter'],
    colWidths: [fixed.severity + 2, fixed.rule + 2, fixed.domain + 2, summaryWidth + 2, fixed.count + 2, fixed.frames + 2, filterWidth + 2],
    wordWrap: true,
    wrapOnWordBoundary: false,
    style: { head: [], border: [], compact: false },
  });
  for (const f of findings) {
    table.push([
      p.severity(f.severity, f.severity),
      f.rule,
      f.domainLabel,
      `${f.summary}${f.confidence === 'inferred' ? ' (inferred)' : ''}`,
      String(f.evidence.count),
      framesText(f),
      f.wiresharkFilter,
    ]);
  }
  return table.toString();
}

function framesText(f: Finding): string {
  const frames = f.evidence.frames;
  const shown = frames.slice(0, MAX_FRAMES_SHOWN).join(', ');
  return frames.length > MAX_FRAMES_SHOWN ? `${shown} …` : shown;
}

function details(f: Finding, p: Painter): string[] {
  const subject = Object.entries(f.subject)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : v}`)
    .join('; ');
  const out = [
    `${p.severity(f.severity, f.severity.toUpperCase())} ${p.bold(f.rule)} [${f.id}] ${f.domainLabel}: ${f.summary}`,
    `  subject      ${subject}`,
    `  confidence   ${f.confidence}`,
    `  evidence     ${f.evidence.count} report(s), ${f.evidence.firstTime} → ${f.evidence.lastTime}`,
  ];
  for (const item of f.evidence.items) out.push(`               frame ${item.frame}${item.input ? ` (input ${item.input})` : ''}: ${item.role}`);
  out.push(...wrap('  detail       ', f.detail), ...wrap('  remediation  ', f.remediation));
  out.push(`  filter       ${f.wiresharkFilter}`);
  return out;
}

function wrap(prefix: string, text: string, width = 100): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = prefix;
  const indent = ' '.repeat(prefix.length);
  for (const word of words) {
    if (line.length + word.length + 1 > width && line.trim().length > 0 && line !== prefix) {
      lines.push(line);
      line = indent;
    }
    line += (line === prefix || line === indent ? '' : ' ') + word;
  }
  lines.push(line);
  return lines;
}
