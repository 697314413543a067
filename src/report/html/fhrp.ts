// FHRP state bands: one row per router of the group, its state (from its hellos) as a band over time; a band
// lasts until the router's next hello or its hold time, whichever is first. Where two routers are Active (or
// Master) at once the overlap is marked across the rows; state changes get a tick.
import type { Finding } from '../../rules/types.js';
import type { FhrpHello } from './scene.js';
import { clip, line, n, rect, relTime, svg, text, type Picture } from './svg.js';

export const FHRP_MAX_ROUTERS = 8;
const MAX_BANDS = 400;
const W = 760;
const LEFT = 130;
const RIGHT = 16;
const TOP = 22;
const ROW = 30;

interface Band {
  from: number;
  to: number;
  state: string;
}

/** `tLast`: the end of the capture (a band stops there: what came after was not seen). */
export function fhrpBands(finding: Finding, all: readonly FhrpHello[], t0: number, tLast = Infinity): Picture {
  const cited = new Set(finding.evidence.items.map((i) => `${i.input}:${i.frame}`));
  const routers = [...new Set(all.map((h) => h.router))];
  const shown = routers.slice(0, FHRP_MAX_ROUTERS);
  const tMin = Math.min(...all.map((h) => h.time));
  const tEnd = Math.min(Math.max(...all.map((h) => h.time + Math.min(h.holdMs || 10000, 30000) / 1000)), Math.max(tLast, ...all.map((h) => h.time + 0.5)));
  const span = Math.max(tEnd - tMin, 1);
  const plotW = W - LEFT - RIGHT;
  const X = (t: number) => LEFT + ((t - tMin) / span) * plotW;
  const out: string[] = [];
  const bandsBy = new Map<string, Band[]>();
  let drawnBands = 0;

  for (const router of shown) {
    const hellos = all.filter((h) => h.router === router);
    const bands: Band[] = [];
    hellos.forEach((h, i) => {
      const hold = (h.holdMs || 10000) / 1000;
      const next = hellos[i + 1];
      const to = Math.min(next ? Math.min(next.time, h.time + hold) : h.time + Math.min(hold, 30), tEnd);
      const last = bands[bands.length - 1];
      if (last && last.state === h.state && h.time <= last.to + 1e-6) last.to = Math.max(last.to, to);
      else bands.push({ from: h.time, to, state: h.state });
    });
    bandsBy.set(router, bands);
  }

  // Overlaps: instants where two or more routers are Active/Master.
  const edges: { t: number; d: number }[] = [];
  for (const bands of bandsBy.values()) {
    for (const b of bands) if (b.state === 'active' || b.state === 'master') edges.push({ t: b.from, d: 1 }, { t: b.to, d: -1 });
  }
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  const overlaps: { from: number; to: number; count: number }[] = [];
  let level = 0;
  let since = 0;
  let peak = 0;
  for (const e of edges) {
    const before = level;
    level += e.d;
    if (before < 2 && level >= 2) {
      since = e.t;
      peak = level;
    } else if (level >= 2) peak = Math.max(peak, level);
    else if (before >= 2 && level < 2 && e.t > since) overlaps.push({ from: since, to: e.t, count: peak });
  }
  const bottom = TOP + shown.length * ROW;
  for (const o of overlaps.slice(0, 50)) {
    out.push(rect(X(o.from), TOP - 6, X(o.to) - X(o.from), bottom - TOP + 6, 'ovl', `${o.count} routers active at once`));
  }
  if (overlaps.length) out.push(text(X(overlaps[0].from) + 4, TOP - 8, `${overlaps[0].count} active at once`, 'al bad'));

  shown.forEach((router, r) => {
    const y = TOP + r * ROW;
    out.push(text(LEFT - 8, y + ROW / 2 + 4, clip(router, 18), 'lip', 'end'));
    let previous = '';
    for (const b of bandsBy.get(router)!) {
      if (drawnBands++ >= MAX_BANDS) break;
      out.push(rect(X(b.from), y + 4, Math.max(X(b.to) - X(b.from), 1.5), ROW - 10, `band st-${stateClass(b.state)}`, `${router}: ${b.state} ${relTime(b.from - t0)} → ${relTime(b.to - t0)}`));
      if (X(b.to) - X(b.from) > 46) out.push(text(X(b.from) + 4, y + ROW / 2 + 3, b.state, 'bl'));
      if (previous && previous !== b.state) out.push(`<path d="M${n(X(b.from))} ${y + 1}l-4 -5h8z" class="chg"><title>${previous} → ${b.state}</title></path>`);
      previous = b.state;
    }
    for (const h of all) {
      if (h.router === router && cited.has(`${h.input}:${h.frame}`)) out.push(`<circle cx="${n(X(h.time))}" cy="${n(y + ROW - 4)}" r="2.5" class="dot bad"/>`);
    }
  });
  out.push(line(LEFT, bottom + 2, LEFT + plotW, bottom + 2, 'ax'));
  for (let i = 0; i <= 4; i++) {
    const t = tMin + (span / 4) * i;
    out.push(line(X(t), bottom + 2, X(t), bottom + 6, 'ax'), text(X(t), bottom + 18, relTime(t - t0), 'tk', i === 4 ? 'end' : i === 0 ? 'start' : 'middle'));
  }
  const caption = [
    `state of ${shown.length} router${shown.length === 1 ? '' : 's'} from ${all.length} hello${all.length === 1 ? '' : 's'} of ${finding.subject.protocol ?? 'the'} group ${finding.subject.group ?? ''}`.replace(/ +/g, ' '),
    routers.length > shown.length ? `${routers.length - shown.length} more routers not drawn` : '',
    drawnBands > MAX_BANDS ? `state bands capped at ${MAX_BANDS}` : '',
    overlaps.length ? `${overlaps.length} period${overlaps.length === 1 ? '' : 's'} with more than one router active (red)` : '',
    'red dots are the cited hellos',
  ].filter(Boolean);
  return { svg: svg(W, bottom + 24, out.join(''), `FHRP states of ${finding.subject.protocol ?? ''} group ${finding.subject.group ?? ''}`, 'fhrp'), caption: caption.join('; ') + '.' };
}

function stateClass(state: string): string {
  return state === 'active' || state === 'master' ? 'active' : state === 'standby' ? 'standby' : state === 'speak' || state === 'listen' ? 'listen' : 'other';
}
