// The default terminal report: a header that says what was read and decoded, then the findings by severity.
import Table from 'cli-table3';
import type { AnnotatedFinding } from '../config/apply.js';
import { framesText, timeText } from './frames.js';
import { NOT_OPENED_DESCRIPTIONS, NOT_OPENED_NAMES } from '../decode/types.js';
import { linkTypeName } from '../util/link-types.js';
import type { Painter } from './paint.js';
import type { Report } from './types.js';
import { compactLines, fullInventory } from './inventory.js';

export interface TableOptions {
  verbose: boolean;
  /** The whole inventory (--inventory) instead of one line per domain. */
  inventory?: boolean;
  /** Terminal width (columns); the table fits into it. */
  width: number;
  painter: Painter;
  failOn: string;
}

export function renderTable(report: Report, options: TableOptions): string {
  const p = options.painter;
  const lines: string[] = [];
  /** A header line ("label     text"), wrapped at words to the terminal width under its text. */
  const head = (label: string, text: string): string[] => wrap(label.padEnd(10), text, options.width);
  lines.push(p.bold(`gwcheck ${report.tool.version}`));
  for (const input of report.inputs) {
    const span = input.firstTime && input.lastTime ? `${timeText(input.firstTime)} → ${timeText(input.lastTime)}` : 'no packets';
    const kind = `${input.format}${input.compressed ? '.gz' : ''}`;
    const links = input.linkTypes.map(linkTypeName).join(', ') || '-';
    lines.push(...head('input', `${input.path}  (${kind}, ${links}, ${input.packets} packets, ${span})`));
    const warn = (text: string) => lines.push(...head('warning', `${input.path}: ${text}`).map((l) => p.severity('warning', l)));
    for (const w of input.warnings) warn(w);
    if (input.truncated) warn('input is truncated: analysed up to the cut');
    if (input.interrupted) warn(`INTERRUPTED: reading was stopped; analysed the ${input.packets} packets read until then`);
    if (input.error) lines.push(...head('error', `${input.path}: ${input.error.message}`).map((l) => p.severity('error', l)));
  }
  const s = report.stats;
  lines.push(
    ...head(
      'decoded',
      `${s.packets} packets: ${s.arp} ARP, ${s.nd} ND, ${s.hsrp} HSRP, ${s.vrrp} VRRP, ${s.vxlan} VXLAN, ` +
        `${s.bgpMessages} BGP messages (${s.evpnRoutes} EVPN routes); ${s.domains} broadcast domain(s)`,
    ),
  );
  if (report.domains.length) {
    const shown = report.domains.slice(0, 8).map((d) => d.label);
    const notShown = report.domains.length - shown.length + s.domainsOmitted;
    const more = notShown > 0 ? `, … ${notShown} more` : '';
    lines.push(...head('domains', `${shown.join(', ')}${more}`));
  }
  if (s.anomalies || s.notes) {
    const codes = Object.entries(s.anomalyCodes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([code, n]) => `${code} ×${n}`)
      .join(', ');
    lines.push(...head('anomalies', `${s.anomalies} malformed/truncated, ${s.notes} notes${codes ? ` (${codes})` : ''}`));
  }
  const notOpened = notOpenedLine(s.notOpened);
  if (notOpened) lines.push(notOpened);
  for (const statement of report.coverage.statements) lines.push(...head('coverage', statement));
  if (report.inventory) {
    if (options.inventory) {
      lines.push('', p.bold('inventory'), ...fullInventory(report.inventory, report.inputs.map((i) => i.path)).map((l) => `  ${l}`));
    } else {
      const { lines: compact, more } = compactLines(report.inventory);
      for (const line of compact) {
        // Broken after its parts first; a part still too long for the terminal is wrapped at words.
        for (const part of wrapAt(`inventory ${line}`, '; ', options.width)) lines.push(...wrap(part.slice(0, 10), part.slice(10), options.width));
      }
      if (more) lines.push(`inventory … ${more} more (all with --inventory)`);
    }
  }
  lines.push('');

  // Suppressed findings are accepted: counted in the footer, listed only with --verbose.
  const active = report.findings.filter((f) => !f.suppressed);
  if (report.findings.length === 0 && !report.coverage.judged) {
    lines.push(p.severity('warning', 'No verdict: nothing gateway-related could be read from this capture (see coverage above).'));
  } else if (active.length === 0) {
    lines.push(p.ok(report.findings.length ? 'No findings besides suppressed ones.' : 'No findings: nothing in this capture points at a gateway problem.'));
  } else {
    lines.push(findingsTable(active, options, report.inputs.length));
  }
  if (options.verbose) {
    for (const f of report.findings) lines.push('', ...details(f, p, report.inputs.length, Math.min(100, Math.max(60, options.width))));
  }
  for (const s of report.config?.suppress ?? []) {
    if (s.state === 'expired' && s.matched) {
      lines.push(p.severity('warning', `suppression of ${s.rule} expired on ${s.until} ("${s.reason}"): its ${s.matched} finding(s) count again`));
    }
  }
  if (report.baseline) {
    const b = report.baseline;
    lines.push(`baseline  ${b.file}: ${b.new} new, ${b.unchanged} unchanged, ${b.fixed.length} fixed`);
    for (const f of b.fixed) lines.push(p.ok(`fixed     ${f.rule} ${f.domainLabel}: ${f.summary}`));
  }
  for (const id of report.stats.findingsCapped) {
    lines.push(p.dim(`${id}: some findings were dropped (a cap was reached: the first ${report.settings.maxFindingsPerRule} findings per id, or a rule's table cap); this capture has more`));
  }
  lines.push('');
  const sum = report.summary;
  lines.push(
    `${p.severity('error', `${sum.error} error(s)`)}, ${p.severity('warning', `${sum.warning} warning(s)`)}, ` +
      `${p.severity('info', `${sum.info} info`)}` +
      (report.config?.suppressedFindings ? `, ${report.config.suppressedFindings} suppressed` : '') +
      (options.verbose || report.findings.length === 0 ? '' : p.dim('  — --verbose for details and remediation')),
  );
  return lines.join('\n') + '\n';
}

/** Findings shown per rule in the table; the rest are counted (all of them are in --verbose and in JSON). */
const MAX_ROWS_PER_RULE = 20;
/** Below this width the table has fewer columns: severity, rule and domain share one cell; frames go under it. */
const WIDE = 120;

function findingsTable(findings: AnnotatedFinding[], options: TableOptions, inputCount: number): string {
  const p = options.painter;
  const shown: AnnotatedFinding[] = [];
  const hidden = new Map<string, number>();
  const perRule = new Map<string, number>();
  for (const f of findings) {
    const n = (perRule.get(f.rule) ?? 0) + 1;
    perRule.set(f.rule, n);
    if (options.verbose || n <= MAX_ROWS_PER_RULE) shown.push(f);
    else hidden.set(f.rule, (hidden.get(f.rule) ?? 0) + 1);
  }
  const width = Math.max(60, options.width);
  const wide = width >= WIDE;
  // Columns that hold identifiers get what their longest value needs; the summary takes the rest and wraps.
  const need = (values: string[], min: number, max: number) => Math.min(max, Math.max(min, ...values.map((v) => v.length)));
  const number = need(shown.map((_, i) => String(i + 1)), 1, 4);
  const seen = need(shown.map((f) => String(f.evidence.count)), 4, 9);
  const summaryText = (f: AnnotatedFinding) => {
    const notes = [
      f.confidence === 'inferred' ? 'inferred' : '',
      f.adjusted?.reason.startsWith('as designed') ? 'as designed' : '',
      f.baseline === 'new' ? 'new' : '',
    ].filter(Boolean);
    return `${f.summary}${notes.length ? ` (${notes.join(', ')})` : ''}`;
  };
  let head: string[];
  let widths: number[];
  let row: (f: AnnotatedFinding, i: number) => string[];
  // With several inputs the frames name their files: too long for a cell, they go under the table.
  const framesInTable = wide && inputCount <= 1;
  if (wide) {
    const rule = need(shown.map((f) => f.rule), 4, 32);
    const domain = need(shown.map((f) => f.domainLabel), 6, 28);
    const frames = framesInTable ? need(shown.map((f) => framesText(f, inputCount)), 6, 24) : 0;
    const severity = 8;
    const columns = framesInTable ? 7 : 6;
    const borders = columns + 1 + columns * 2;
    const summary = Math.max(24, width - borders - (number + severity + rule + domain + seen + frames));
    head = ['#', 'severity', 'rule', 'domain', 'summary', 'seen', ...(framesInTable ? ['frames'] : [])];
    widths = [number, severity, rule, domain, summary, seen, ...(framesInTable ? [frames] : [])];
    row = (f, i) => [
      String(i + 1),
      p.severity(f.severity, f.severity),
      f.rule,
      f.domainLabel,
      summaryText(f),
      String(f.evidence.count),
      ...(framesInTable ? [framesText(f, inputCount)] : []),
    ];
  } else {
    // Severity, rule id and domain stacked in one cell: an id is never cut, the summary keeps room to read.
    const finding = need(shown.flatMap((f) => [f.rule, f.domainLabel]), 8, 30);
    const borders = 4 + 1 + 4 * 2;
    const summary = Math.max(20, width - borders - number - finding - seen);
    head = ['#', 'finding', 'summary', 'seen'];
    widths = [number, finding, summary, seen];
    row = (f, i) => [String(i + 1), `${p.severity(f.severity, f.severity)}\n${f.rule}\n${f.domainLabel}`, summaryText(f), String(f.evidence.count)];
  }
  const table = new Table({
    head,
    colWidths: widths.map((w) => w + 2),
    wordWrap: true,
    style: { head: [], border: [], compact: false },
  });
  shown.forEach((f, i) => table.push(row(f, i)));
  let out = table.toString();
  for (const [id, n] of hidden) out += `\n… and ${n} more ${id} finding(s) (all of them with --verbose or --format json)`;
  // Filters under the table, one per line and never wrapped, so each can be copied whole into Wireshark.
  out += `\n\n${p.dim(framesInTable ? 'Wireshark filters, by row:' : 'frames and Wireshark filters, by row:')}`;
  shown.forEach((f, i) => {
    const label = String(i + 1).padStart(number + 2);
    if (framesInTable) out += `\n${label}  ${f.wiresharkFilter}`;
    else out += `\n${label}  frames ${framesText(f, inputCount)}\n${' '.repeat(number + 4)}${f.wiresharkFilter}`;
  });
  return out;
}

function details(f: AnnotatedFinding, p: Painter, inputCount: number, width: number): string[] {
  const subject = Object.entries(f.subject)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : v}`)
    .join('; ');
  const out = [
    `${p.severity(f.severity, f.severity.toUpperCase())} ${p.bold(f.rule)} [${f.id}] ${f.domainLabel}: ${f.summary}`,
    `  subject      ${subject}`,
    `  confidence   ${f.confidence}`,
    `  evidence     seen ${f.evidence.count} time(s), ${timeText(f.evidence.firstTime)} → ${timeText(f.evidence.lastTime)}`,
  ];
  if (f.adjusted) out.push(`  severity     ${f.severity} (the rule says ${f.adjusted.from}; ${f.adjusted.by}: ${f.adjusted.reason})`);
  if (f.suppressed) out.push(`  suppressed   ${f.suppressed.reason} (${f.suppressed.by}${f.suppressed.until ? `, until ${f.suppressed.until}` : ''})`);
  if (f.suppressionExpired) out.push(`  suppression  expired on ${f.suppressionExpired.until} (${f.suppressionExpired.by}: ${f.suppressionExpired.reason})`);
  if (f.baseline) out.push(`  baseline     ${f.baseline}`);
  const several = inputCount > 1 || new Set(f.evidence.items.map((i) => i.input)).size > 1 || f.evidence.items.some((i) => i.input > 0);
  for (const item of f.evidence.items) {
    const where = item.interface !== undefined ? ` on ${item.interface}` : '';
    const comment = item.comment !== undefined ? ` — comment: “${item.comment.replace(/\n/g, ' / ')}”` : '';
    out.push(`               ${several ? `${item.file ?? item.input} ` : ''}frame ${item.frame}${where}: ${item.role}${comment}`);
  }
  out.push(...wrap('  detail       ', f.detail, width), ...wrap('  remediation  ', f.remediation, width));
  out.push(`  filter       ${f.wiresharkFilter}`);
  for (const view of f.wireshark?.files ?? []) {
    out.push(`  wireshark    ${view.command}`);
    out.push(`  exactly      ${view.exactCommand}`);
  }
  return out;
}

/** Breaks a line after `separator`s so each part fits `width` (a part longer than that stays whole), indented as the header's values. */
function wrapAt(line: string, separator: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = ' '.repeat(10);
  const parts = line.split(separator);
  const out: string[] = [];
  let current = parts[0];
  for (const part of parts.slice(1)) {
    if (current.length + separator.length + part.length > width) {
      out.push(current + separator.trimEnd());
      current = indent + part;
    } else current += separator + part;
  }
  out.push(current);
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

/** "not opened 287 packets: 280 in an encapsulation gwcheck does not open, 7 IP fragments after the first", or ''. */
export function notOpenedLine(counts: Record<string, number> | undefined): string {
  if (!counts) return '';
  const parts: string[] = [];
  let total = 0;
  for (let code = 1; code < NOT_OPENED_NAMES.length; code++) {
    const n = counts[NOT_OPENED_NAMES[code]] ?? 0;
    if (n === 0) continue;
    total += n;
    parts.push(`${n} ${NOT_OPENED_DESCRIPTIONS[code]}`);
  }
  return total === 0 ? '' : `not opened ${total} packet${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
