// `--format html`: one self-contained page — inline style and script, no external resource — with the report's
// header (inputs, time span, what was decoded and what was not), a time line of every finding's evidence, and
// per finding its text, evidence, Wireshark filter and a picture drawn for its kind (./html/). The report itself
// is embedded as JSON, so the page is also the data. Written piece by piece (htmlChunks) like the JSON report:
// a thousand findings are a few MB, never one string built at once.
import type { Finding, Severity } from '../rules/types.js';
import { CSS, SCRIPT, SVG_DEFS } from './html/assets.js';
import { evidenceStrip } from './html/evidence.js';
import { fhrpBands } from './html/fhrp.js';
import { ladder } from './html/ladder.js';
import { mobilityChart } from './html/mobility.js';
import { pictureKind, type HtmlExtras } from './html/scene.js';
import { esc, isoSeconds, relTime, type Picture } from './html/svg.js';
import { timeline } from './html/timeline.js';
import type { Report } from './types.js';

export type { HtmlExtras } from './html/scene.js';

/** Evidence rows listed per finding (all of them are in the embedded JSON). */
export const EVIDENCE_TABLE_MAX = 100;
/**
 * Findings whose evidence table is in the page as HTML; the tables of the later ones are built from the embedded
 * JSON when opened (or printed): they would repeat that JSON and double a large page.
 */
export const EAGER_TABLES = 100;
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
/** Report keys the page renders in its own way; any other (coverage, inventory …) is rendered generically. */
const KNOWN_KEYS = new Set(['schemaVersion', 'tool', 'inputs', 'stats', 'domains', 'findings', 'summary', 'settings']);
const STAT_LABELS: Record<string, string> = {
  packets: 'packets',
  arp: 'ARP',
  hsrp: 'HSRP',
  vrrp: 'VRRP',
  vxlan: 'VXLAN',
  bgpMessages: 'BGP messages',
  evpnRoutes: 'EVPN routes',
  domains: 'broadcast domains',
  anomalies: 'malformed/truncated',
  notes: 'notes',
};

const NO_EXTRAS: HtmlExtras = { scenes: new Map(), notes: ['the inputs were not re-read: pictures show the evidence roles only'], replayed: false };

/** The page in order, piece by piece. */
export function* htmlChunks(report: Report, extras: HtmlExtras = NO_EXTRAS): Generator<string> {
  const start = Math.min(...report.inputs.map((i) => (i.firstTime ? isoSeconds(i.firstTime) : Infinity)));
  const end = Math.max(...report.inputs.map((i) => (i.lastTime ? isoSeconds(i.lastTime) : -Infinity)));
  const t0 = Number.isFinite(start) ? start : Math.min(...report.findings.map((f) => isoSeconds(f.evidence.firstTime)));
  const names = report.inputs.map((i) => i.path).join(', ');
  yield `<!DOCTYPE html>\n<html lang="en" data-t0="${Number.isFinite(t0) ? t0 : 0}" data-several="${report.inputs.length > 1 ? 1 : 0}"><head><meta charset="utf-8"/>`;
  yield '<meta name="viewport" content="width=device-width, initial-scale=1"/>';
  yield `<meta name="generator" content="gwcheck ${esc(report.tool.version)}"/>`;
  yield `<title>${esc(`gwcheck: ${countText(report)} — ${names}`)}</title>`;
  yield `<style>${CSS}</style></head>\n<body>${SVG_DEFS}\n`;
  yield header(report, extras, start, end);
  yield contents(report);
  if (report.findings.length) {
    yield `<section class="wrap" id="timeline"><h2>Time line</h2><p class="note">Every finding’s cited frames over the capture${report.findings.length > 30 ? ', one row per finding id' : ''}; the ring is the first one. Click a row for the finding.</p><div class="scroll">${timeline(report.findings, start, end)}</div></section>\n`;
  }
  yield '<main>';
  let shown = 0;
  for (const severity of SEVERITIES) {
    const list = report.findings.filter((f) => f.severity === severity);
    if (!list.length) continue;
    yield `<h2 id="sev-${severity}">${esc(plural(list.length, severity === 'info' ? 'info finding' : severity))}</h2>\n`;
    for (const finding of list) yield section(finding, report, extras, t0, shown++ < EAGER_TABLES);
  }
  if (!report.findings.length) yield '<h2>No findings</h2><p>Nothing in this capture broke a rule (see what was decoded above).</p>';
  yield '</main>\n';
  yield `<section class="wrap" id="settings"><h2>Settings</h2><details><summary>thresholds and rules used</summary>${renderValue(report.settings)}</details>`;
  yield `<p class="note">Made by gwcheck ${esc(report.tool.version)}, report schema ${report.schemaVersion}. The report is embedded in this page as JSON (script #gwcheck-report).</p></section>\n`;
  yield `<script type="application/json" id="gwcheck-report">${embedJson(report)}</script>\n`;
  yield `<script>${SCRIPT(EVIDENCE_TABLE_MAX)}</script>\n</body></html>\n`;
}

export function renderHtml(report: Report, extras?: HtmlExtras): string {
  let out = '';
  for (const chunk of htmlChunks(report, extras)) out += chunk;
  return out;
}

/** JSON inside a script element: `<`, `>` and `&` escaped so no `</script>` (or markup) can appear in it. */
export function embedJson(report: Report): string {
  return JSON.stringify(report).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function header(report: Report, extras: HtmlExtras, start: number, end: number): string {
  const out: string[] = ['<header>'];
  out.push(`<h1>gwcheck report</h1>`);
  out.push('<div class="counts">');
  for (const s of SEVERITIES) out.push(`<span class="badge sev-${s}">${report.summary[s]} ${s}</span>`);
  if (!report.findings.length) out.push('<span class="badge ok">no findings</span>');
  out.push('</div>');
  if (Number.isFinite(start) && Number.isFinite(end)) {
    out.push(`<p>Capture from <time>${esc(iso(start))}</time> to <time>${esc(iso(end))}</time> (${esc(relTime(end - start).slice(1))}).</p>`);
  }
  out.push('<div class="tablewrap"><table><thead><tr><th>file</th><th>format</th><th class="num">packets</th><th class="num">bytes</th><th>first</th><th>last</th><th>status</th></tr></thead><tbody>');
  for (const i of report.inputs) {
    const status = i.error ? `not read: ${i.error.message} (${i.error.code} at byte ${i.error.offset})` : i.truncated ? 'cut short' : 'read';
    out.push(
      `<tr><td class="mono">${esc(i.path)}</td><td>${esc(i.format)}${i.compressed ? ' (gzip)' : ''}</td><td class="num">${i.packets}</td><td class="num">${i.bytes}</td>` +
        `<td>${esc(i.firstTime ?? '')}</td><td>${esc(i.lastTime ?? '')}</td><td>${esc(status)}</td></tr>`,
    );
  }
  out.push('</tbody></table></div>');

  out.push('<p class="line"><b>Decoded:</b></p><dl class="facts">');
  const stats = report.stats as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(stats)) {
    if (typeof value !== 'number') continue;
    out.push(`<div><dt>${esc(STAT_LABELS[key] ?? words(key))}</dt><dd>${value}</dd></div>`);
  }
  out.push('</dl>');
  const problems: string[] = [];
  for (const i of report.inputs) {
    if (i.error) problems.push(`${i.path}: ${i.error.message}`);
    for (const w of i.warnings) problems.push(`${i.path}: ${w}`);
  }
  const codes = Object.entries(report.stats.anomalyCodes ?? {});
  if (codes.length) problems.push(`not decoded past a malformed or truncated layer: ${codes.map(([c, k]) => `${c} ×${k}`).join(', ')}`);
  if (report.stats.findingsCapped?.length) problems.push(`more findings existed than were kept for: ${report.stats.findingsCapped.join(', ')}`);
  out.push(
    problems.length
      ? `<p class="line"><b>Not opened or not decoded:</b></p><ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`
      : '<p class="line"><b>Not opened or not decoded:</b> nothing — every input was read to its end and no layer was malformed.</p>',
  );
  // Other stats the report may gain (coverage and the like) that are not plain counts.
  for (const [key, value] of Object.entries(stats)) {
    if (typeof value === 'number' || key === 'anomalyCodes' || key === 'findingsCapped') continue;
    out.push(`<h3>${esc(words(key))}</h3>${renderValue(value)}`);
  }
  for (const [key, value] of Object.entries(report as unknown as Record<string, unknown>)) {
    if (KNOWN_KEYS.has(key) || value === undefined) continue;
    out.push(`<h2 id="${esc('x-' + key)}">${esc(cap(words(key)))}</h2>${renderValue(value)}`);
  }
  if (report.domains.length) {
    out.push(`<p class="line"><b>Broadcast domains:</b> ${report.domains.map((d) => `<code>${esc(d.label)}</code>`).join(' · ')}</p>`);
  }
  if (extras.notes.length || !extras.replayed) {
    const notes = [...extras.notes];
    if (!extras.replayed && report.findings.length) notes.unshift('no input could be re-read for the pictures: they show the evidence roles only');
    out.push(`<div class="warnbox"><b>Pictures:</b><ul>${[...new Set(notes)].map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>`);
  }
  out.push('</header>\n');
  return out.join('');
}

function contents(report: Report): string {
  // One finding needs no table of contents: it follows right after the time line.
  if (report.findings.length < 2) return '';
  const item = (f: Finding) => `<li><span class="badge sev-${f.severity}">${f.severity}</span> <a href="#f-${esc(f.id)}"><code>${esc(f.rule)}</code></a> ${esc(f.summary)}</li>`;
  if (report.findings.length <= 15) return `<nav><h2>Findings</h2><ol>${report.findings.map(item).join('')}</ol></nav>\n`;
  // Many findings: one line per finding id, its findings behind a disclosure (the first 200 of each).
  const byRule = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byRule.get(f.rule);
    if (list) list.push(f);
    else byRule.set(f.rule, [f]);
  }
  const max = 200;
  const lines = [...byRule].map(([rule, list]) => {
    const more = list.length > max ? `<li class="note">… ${list.length - max} more below</li>` : '';
    return (
      `<li><span class="badge sev-${list[0].severity}">${list[0].severity}</span> <a href="#f-${esc(list[0].id)}"><code>${esc(rule)}</code></a> — ${plural(list.length, 'finding')}` +
      `<details><summary>${list.length === 1 ? esc(list[0].summary) : 'list them'}</summary><ol>${list.slice(0, max).map(item).join('')}${more}</ol></details></li>`
    );
  });
  return `<nav><h2>Findings</h2><ul class="byrule">${lines.join('')}</ul></nav>\n`;
}

function section(f: Finding, report: Report, extras: HtmlExtras, t0: number, eager: boolean): string {
  const picture = pictureFor(f, report, extras, t0);
  const subject = Object.entries(f.subject)
    .map(([k, v]) => `${esc(k)} <code>${esc(Array.isArray(v) ? v.join(', ') : String(v))}</code>`)
    .join(', ');
  const items = f.evidence.items;
  // With one input every frame is in it (the header names it); with several each row names its file.
  const several = report.inputs.length > 1;
  const rows = items.slice(0, EVIDENCE_TABLE_MAX).map((i) => {
    const t = isoSeconds(i.time);
    const file = several ? `<td class="mono">${esc(i.file ?? String(i.input))}</td>` : '';
    return `<tr><td class="num">${i.frame}</td><td title="${esc(i.time)}">${esc(relTime(t - t0))}</td>${file}<td>${esc(i.role)}</td></tr>`;
  });
  const more = items.length > EVIDENCE_TABLE_MAX ? `<p class="note">${items.length - EVIDENCE_TABLE_MAX} more cited frames in the embedded JSON.</p>` : '';
  return (
    `<section class="finding sev-${f.severity}" id="f-${esc(f.id)}" data-finding-id="${esc(f.id)}">` +
    `<h3><span class="badge sev-${f.severity}">${f.severity}</span> <code>${esc(f.rule)}</code> ${esc(f.summary)}</h3>` +
    `<p class="meta">${esc(f.confidence)} · ${esc(f.domainLabel)} · ${subject} · ${plural(f.evidence.count, 'occurrence')} · ${esc(relTime(isoSeconds(f.evidence.firstTime) - t0))} to ${esc(relTime(isoSeconds(f.evidence.lastTime) - t0))} · id <code>${esc(f.id)}</code></p>` +
    `<figure><div class="scroll">${picture.svg}</div><figcaption>${esc(picture.caption)}</figcaption></figure>` +
    `<p>${esc(f.detail)}</p>` +
    `<p><b>Remediation:</b> ${esc(f.remediation)}</p>` +
    `<div class="filter"><code id="wf-${esc(f.id)}">${esc(f.wiresharkFilter)}</code><button type="button" data-copy="wf-${esc(f.id)}">Copy filter</button></div>` +
    `<details${eager && items.length <= 20 ? ' open=""' : ''}${eager ? '' : ` data-lazy="${esc(f.id)}"`}><summary>Evidence: ${plural(f.evidence.frames.length, 'frame')}${several ? '' : ` of <span class="mono">${esc(report.inputs[0]?.path ?? '')}</span>`}</summary><div class="tablewrap"><table><thead><tr><th class="num">frame</th><th>time</th>${several ? '<th>file</th>' : ''}<th>role</th></tr></thead><tbody>${eager ? rows.join('') : ''}</tbody></table></div>${more}</details>` +
    `</section>\n`
  );
}

function pictureFor(f: Finding, report: Report, extras: HtmlExtras, t0: number): Picture {
  const kind = pictureKind(f.rule);
  const scene = extras.scenes.get(f.id);
  if (scene && scene.items.length > 0) {
    const note = scene.total > scene.items.length ? ` (${scene.items.length} of ${scene.total} related frames kept)` : '';
    let p: Picture;
    if (scene.kind === 'neighbour') p = ladder(f, scene.items, report.settings, t0);
    else if (scene.kind === 'mobility') p = mobilityChart(f, scene.items, t0);
    else p = fhrpBands(f, scene.items, t0, captureEnd(report));
    return note ? { svg: p.svg, caption: p.caption.replace(/\.$/, note + '.') } : p;
  }
  const stdin = f.evidence.items.some((i) => i.file === '-');
  const why =
    kind === 'evidence'
      ? 'The cited frames on a time axis (no dedicated picture for this kind of finding)'
      : stdin || !extras.replayed
        ? 'Drawn from the evidence roles alone: the input could not be read a second time (stdin) to draw who sent what to whom'
        : 'Drawn from the evidence roles alone: no related frame was found when re-reading the input';
  return evidenceStrip(f, t0, why);
}

/** Any JSON value as HTML: arrays of objects as tables, objects as definition lists (for report fields this page does not know). */
export function renderValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return '<span class="note">none</span>';
  if (typeof value !== 'object') return esc(String(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return '<span class="note">none</span>';
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) && depth < 3) {
      const keys = [...new Set(value.flatMap((v) => Object.keys(v as object)))];
      const rows = value.slice(0, 500).map((v) => `<tr>${keys.map((k) => `<td>${renderValue((v as Record<string, unknown>)[k], depth + 1)}</td>`).join('')}</tr>`);
      const more = value.length > 500 ? `<p class="note">${value.length - 500} more rows in the embedded JSON.</p>` : '';
      return `<div class="tablewrap"><table><thead><tr>${keys.map((k) => `<th>${esc(k)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}`;
    }
    return esc(value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', '));
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '<span class="note">none</span>';
  if (depth >= 3) return `<code>${esc(JSON.stringify(value))}</code>`;
  return `<dl class="facts">${entries.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${renderValue(v, depth + 1)}</dd></div>`).join('')}</dl>`;
}

function captureEnd(report: Report): number {
  return Math.max(...report.inputs.map((i) => (i.lastTime ? isoSeconds(i.lastTime) : -Infinity)));
}

function countText(report: Report): string {
  const n = report.findings.length;
  return n === 0 ? 'no findings' : `${plural(report.summary.error, 'error')}, ${plural(report.summary.warning, 'warning')}, ${report.summary.info} info`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function words(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => ' ' + c.toLowerCase());
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function iso(seconds: number): string {
  return new Date(Math.floor(seconds * 1000)).toISOString().replace('.000Z', 'Z');
}
