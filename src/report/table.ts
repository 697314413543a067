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
  if (report.domains.length) {
    const shown = report.domains.slice(0, 8).map((d) => d.label);
    const notShown = report.domains.length - shown.length + s.domainsOmitted;
    const more = notShown > 0 ? `, … ${notShown} more` : '';
    lines.push(`domains   ${shown.join(', ')}${more}`);
  }
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
  for (const id of report.stats.findingsCapped) {
    lines.push(p.dim(`${id}: only the first ${report.settings.maxFindingsPerRule} findings are kept; this capture has more`));
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

/** Findings shown per rule in the table; the rest are counted (all of them are in --verbose and in JSON). */
const MAX_ROWS_PER_RULE = 20;

function findingsTable(findings: Finding[], options: TableOptions): string {
  const p = options.painter;
  const shown: Finding[] = [];
  const hidden = new Map<string, number>();
  const perRule = new Map<string, number>();
  for (const f of findings) {
    const n = (perRule.get(f.rule) ?? 0) + 1;
    perRule.set(f.rule, n);
    if (options.verbose || n <= MAX_ROWS_PER_RULE) shown.push(f);
    else hidden.set(f.rule, (hidden.get(f.rule) ?? 0) + 1);
  }
  // Columns that hold identifiers get what their longest value needs; summary and filter share the rest.
  const need = (values: string[], min: number, max: number) => Math.min(max, Math.max(min, ...values.map((v) => v.length)));
  const rule = need(shown.map((f) => f.rule), 4, 32);
  const domain = need(shown.map((f) => f.domainLabel), 6, 28);
  const count = need(shown.map((f) => String(f.evidence.count)), 5, 9);
  const frames = need(shown.map(framesText), 6, 24);
  const severity = 8;
  const padding = 2 * 7 + 8; // cell padding and borders
  const rest = Math.max(50, options.width - padding - rule - domain - count - frames - severity);
  // A filter token (a field name) must never be cut: give the filter column at least its longest token.
  const token = need(shown.flatMap((f) => f.wiresharkFilter.split(' ')), 10, 48);
  const filter = Math.max(token, Math.floor(rest * 0.4));
  const summary = Math.max(24, rest - filter);
  const table = new Table({
    head: ['severity', 'rule', 'domain', 'summary', 'count', 'frames', 'wireshark filter'],
    colWidths: [severity, rule, domain, summary, count, frames, filter].map((w) => w + 2),
    wordWrap: true,
    style: { head: [], border: [], compact: false },
  });
  for (const f of shown) {
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
  let out = table.toString();
  for (const [id, n] of hidden) out += `\n… and ${n} more ${id} finding(s) (all of them with --verbose or --format json)`;
  return out;
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
  const several = new Set(f.evidence.items.map((i) => i.input)).size > 1 || f.evidence.items.some((i) => i.input > 0);
  for (const item of f.evidence.items) out.push(`               ${several ? `${item.file ?? item.input} ` : ''}frame ${item.frame}: ${item.role}`);
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
