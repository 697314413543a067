// The time line of the whole capture: one row per finding (per finding id when there are many), a tick per cited
// frame, so one sees what happened first. Each row links to its finding.
import type { Finding, Severity } from '../../rules/types.js';
import { clip, esc, isoSeconds, line, n, relTime, svg, text } from './svg.js';

/** Above this many findings, the time line has one row per finding id instead of one per finding. */
export const TIMELINE_MAX_ROWS = 30;
const W = 900;
const LEFT = 290;
const RIGHT = 20;
const ROW = 20;
const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

export function timeline(findings: readonly Finding[], tStart: number, tEnd: number): string {
  const perFinding = findings.length <= TIMELINE_MAX_ROWS;
  const rows: { label: string; href: string; severity: Severity; times: number[]; first: number }[] = [];
  if (perFinding) {
    for (const f of findings) {
      const times = f.evidence.items.map((i) => isoSeconds(i.time)).filter(Number.isFinite);
      rows.push({ label: `${f.rule}: ${f.summary}`, href: `#f-${f.id}`, severity: f.severity, times, first: Math.min(...times) });
    }
  } else {
    const byRule = new Map<string, (typeof rows)[number]>();
    for (const f of findings) {
      let row = byRule.get(f.rule);
      if (!row) byRule.set(f.rule, (row = { label: f.rule, href: `#f-${f.id}`, severity: f.severity, times: [], first: Infinity }));
      if (RANK[f.severity] > RANK[row.severity]) row.severity = f.severity;
      for (const i of f.evidence.items) row.times.push(isoSeconds(i.time));
    }
    for (const row of byRule.values()) {
      row.times = row.times.filter(Number.isFinite);
      row.first = Math.min(...row.times);
      row.label = `${row.label} (${findings.filter((f) => f.rule === row.label).length} findings)`;
      rows.push(row);
    }
  }
  rows.sort((a, b) => a.first - b.first);
  const start = Number.isFinite(tStart) ? tStart : Math.min(...rows.map((r) => r.first));
  const end = Math.max(Number.isFinite(tEnd) ? tEnd : start, ...rows.flatMap((r) => r.times.slice(-1)), start + 1e-3);
  const span = end - start || 1;
  const plotW = W - LEFT - RIGHT;
  const X = (t: number) => LEFT + ((t - start) / span) * plotW;
  const out: string[] = [];
  rows.forEach((row, r) => {
    const y = 8 + r * ROW + ROW / 2;
    out.push(`<a href="${esc(row.href)}">${text(LEFT - 10, y + 4, clip(row.label, 44), 'lk', 'end')}</a>`);
    out.push(line(LEFT, y, LEFT + plotW, y, 'grid'));
    // One tick per pixel column at most: a finding with thousands of cited frames stays a few hundred elements.
    const seen = new Set<number>();
    let path = '';
    for (const t of row.times) {
      const px = Math.round(X(t));
      if (seen.has(px)) continue;
      seen.add(px);
      path += `M${px} ${n(y - 6)}v12`;
    }
    if (path) out.push(`<path d="${path}" class="tick sev-${row.severity}"/>`);
    if (Number.isFinite(row.first)) out.push(`<circle cx="${n(X(row.first))}" cy="${n(y)}" r="4" class="first sev-${row.severity}"><title>${esc(`first evidence ${relTime(row.first - start)}`)}</title></circle>`);
  });
  const bottom = 8 + rows.length * ROW + 4;
  out.push(line(LEFT, bottom, LEFT + plotW, bottom, 'ax'));
  for (let i = 0; i <= 5; i++) {
    const t = start + (span / 5) * i;
    out.push(line(X(t), bottom, X(t), bottom + 4, 'ax'), text(X(t), bottom + 16, relTime(t - start), 'tk', i === 5 ? 'end' : i === 0 ? 'start' : 'middle'));
  }
  return svg(W, bottom + 22, out.join(''), 'Time line of the capture with every finding’s evidence', 'timeline');
}
