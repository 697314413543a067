// `--format markdown`: a report for a pull-request comment or GitHub's job summary. Filters are listed under the
// table as code spans, since a Wireshark filter's `||` would break a Markdown table cell.
import { basename } from 'node:path';
import { markdownCell } from './escape.js';
import { framesText } from './frames.js';
import type { FailOn } from './gate.js';
import type { Report } from './types.js';
import { compactLines } from './inventory.js';

const ICON: Record<string, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };

export function renderMarkdown(report: Report, failOn: FailOn | string): string {
  const lines: string[] = ['## gwcheck', ''];
  const names = report.inputs.map((i) => `\`${basename(i.path)}\` (${i.packets} packets)`).join(', ');
  lines.push(`Analysed ${names || 'no input'}: ${report.stats.packets} packets in ${report.stats.domains} broadcast domain(s).`, '');
  for (const i of report.inputs) {
    for (const w of i.warnings) lines.push(`> ⚠️ ${markdownCell(`${i.path}: ${w}`)}`);
    if (i.error) lines.push(`> ❌ ${markdownCell(`${i.path}: ${i.error.message}`)}`);
  }
  if (report.inventory) {
    const { lines: compact, more } = compactLines(report.inventory);
    if (compact.length) {
      lines.push('<details><summary>Inventory</summary>', '');
      for (const line of compact) lines.push(`- ${markdownCell(line)}`);
      if (more) lines.push(`- … ${more} more (\`gwcheck analyze --inventory\`, or \`inventory\` in the JSON report)`);
      lines.push('', '</details>', '');
    }
  }
  const shown = report.findings.filter((f) => !f.suppressed);
  if (shown.length === 0) {
    lines.push('✅ No findings: nothing in this capture points at a gateway problem.', '');
  } else {
    lines.push('| # | severity | rule | domain | summary | seen | frames |', '|---|---|---|---|---|---|---|');
    shown.forEach((f, n) => {
      const notes = [f.adjusted?.reason.startsWith('as designed') ? 'as designed' : '', f.baseline === 'new' ? '**new**' : ''].filter(Boolean);
      lines.push(
        `| ${n + 1} | ${ICON[f.severity]} | [${f.rule}](docs/rules/${f.rule}.md) | ${markdownCell(f.domainLabel)} | ${markdownCell(f.summary)}${notes.length ? ` (${notes.join(', ')})` : ''} | ${f.evidence.count} | ${markdownCell(framesText(f, report.inputs.length))} |`,
      );
    });
    lines.push('', '<details><summary>Wireshark filters</summary>', '');
    shown.forEach((f, n) => lines.push(`${n + 1}. \`${f.wiresharkFilter.replace(/`/g, "'")}\``));
    lines.push('', '</details>', '');
  }
  const s = report.summary;
  const suppressed = report.findings.length - shown.length;
  lines.push(`**${s.error} error(s), ${s.warning} warning(s), ${s.info} info**${suppressed ? `, ${suppressed} suppressed` : ''}; fail on: ${failOn}.`);
  if (report.baseline) {
    const b = report.baseline;
    lines.push('', `Against the baseline \`${basename(b.file)}\`: ${b.new} new, ${b.unchanged} unchanged, ${b.fixed.length} fixed.`);
    for (const f of b.fixed) lines.push(`- fixed: ${f.rule} ${markdownCell(f.domainLabel)}: ${markdownCell(f.summary)}`);
  }
  for (const s of report.config?.suppress ?? []) {
    if (s.state === 'expired' && s.matched) lines.push('', `⚠️ A suppression of ${s.rule} expired on ${s.until} (“${markdownCell(s.reason)}”): its findings count again.`);
  }
  return lines.join('\n') + '\n';
}
