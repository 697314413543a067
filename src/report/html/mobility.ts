// The MAC-mobility chart: for the finding's MAC, the MAC Mobility sequence number (RFC 7432 §7.7) per PE over
// time. Each advertisement is a point, its route a step line until that PE withdraws it (a cross) or advertises
// again; the cited advertisements are ringed, the last of them — the offending one — labelled with its role.
import type { Finding } from '../../rules/types.js';
import type { MobilityEvent } from './scene.js';
import { clip, esc, headTail, line, n, relTime, svg, text, type Picture } from './svg.js';

/** Route events drawn per chart. */
export const MOBILITY_MAX_EVENTS = 300;
const W = 760;
const LEFT = 64;
const RIGHT = 170;
const TOP = 24;
const PLOT_H = 200;
const SERIES = 6;

export function mobilityChart(finding: Finding, all: readonly MobilityEvent[], t0: number): Picture {
  const roles = new Map(finding.evidence.items.map((i) => [`${i.input}:${i.frame}`, i.role]));
  const picked = headTail(all, MOBILITY_MAX_EVENTS);
  const events = picked.items;
  const pes = [...new Set(events.map((e) => e.pe))];
  const seqs = events.filter((e) => e.sequence !== null).map((e) => e.sequence!);
  const minSeq = Math.min(0, ...seqs);
  const maxSeq = Math.max(minSeq + 1, ...seqs);
  const tMin = Math.min(...events.map((e) => e.time));
  const tMax = Math.max(tMin + 1, ...events.map((e) => e.time));
  const span = tMax - tMin;
  const plotW = W - LEFT - RIGHT;
  const X = (t: number) => LEFT + ((t - tMin) / span) * plotW * 0.94 + plotW * 0.03;
  const Y = (s: number) => TOP + PLOT_H - ((s - minSeq) / (maxSeq - minSeq)) * PLOT_H;
  const out: string[] = [];

  // Axes: sequence numbers on the left, time since the capture start below.
  out.push(line(LEFT, TOP, LEFT, TOP + PLOT_H, 'ax'), line(LEFT, TOP + PLOT_H, LEFT + plotW, TOP + PLOT_H, 'ax'));
  const step = Math.max(1, Math.ceil((maxSeq - minSeq) / 8));
  for (let s = minSeq; s <= maxSeq; s += step) {
    out.push(line(LEFT - 4, Y(s), LEFT + plotW, Y(s), 'grid'), text(LEFT - 8, Y(s) + 4, String(s), 'tk', 'end'));
  }
  out.push(text(14, TOP + PLOT_H / 2, 'sequence', 'axl', 'middle').replace('<text', `<text transform="rotate(-90 14 ${n(TOP + PLOT_H / 2)})"`));
  for (let i = 0; i <= 4; i++) {
    const t = tMin + (span / 4) * i;
    const xx = X(t);
    out.push(line(xx, TOP + PLOT_H, xx, TOP + PLOT_H + 4, 'ax'), text(xx, TOP + PLOT_H + 16, relTime(t - t0), 'tk', 'middle'));
  }

  // One series per PE: a step line from each advertisement to that PE's next event.
  const series = new Map(pes.map((pe, i) => [pe, i % SERIES]));
  const lastCited = [...events].reverse().find((e) => roles.has(`${e.input}:${e.frame}`));
  for (const pe of pes) {
    const s = series.get(pe)!;
    const own = events.filter((e) => e.pe === pe);
    own.forEach((e, i) => {
      if (e.action !== 'advertise' || e.sequence === null) return;
      const next = own[i + 1];
      const end = next ? next.time : tMax;
      out.push(line(X(e.time), Y(e.sequence), X(end), Y(e.sequence), `sl s${s}`));
      if (next && next.action === 'withdraw') {
        out.push(text(X(next.time), Y(e.sequence) + 4, '✕', `wd s${s}`, 'middle'));
      } else if (next && next.sequence !== null) {
        out.push(line(X(end), Y(e.sequence), X(end), Y(next.sequence), `sl s${s} dash`));
      }
    });
  }
  for (const e of events) {
    const s = series.get(e.pe)!;
    const role = roles.get(`${e.input}:${e.frame}`);
    const title = `frame ${e.frame}, ${relTime(e.time - t0)}: ${e.action === 'withdraw' ? 'withdrawal' : `sequence ${e.sequence}${e.sticky ? ' (sticky)' : ''}`} from ${e.pe}, RD ${e.rd}${role ? ' — ' + role : ''}`;
    if (e.action === 'advertise' && e.sequence !== null) {
      const cx = X(e.time);
      const cy = Y(e.sequence);
      if (role) out.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="9" class="ring${e === lastCited ? ' bad' : ''}"/>`);
      out.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="4.5" class="pt s${s}"><title>${esc(title)}</title></circle>`);
      if (e.sticky) out.push(text(cx + 8, cy - 8, 'sticky', 'tk'));
      if (e === lastCited) {
        // Anchored away from the nearer edge, so the label stays inside the picture.
        const side = (cx - LEFT) / plotW;
        const anchor = side < 0.35 ? 'start' : side > 0.65 ? 'end' : 'middle';
        out.push(text(anchor === 'start' ? cx - 6 : anchor === 'end' ? cx + 6 : cx, cy - 14, clip(role!, 46), 'al bad', anchor));
      }
    } else {
      out.push(`<g><title>${esc(title)}</title>${line(X(e.time), TOP + PLOT_H - 6, X(e.time), TOP + PLOT_H, `sl s${s}`)}</g>`);
    }
  }

  // Legend: one line per PE.
  pes.slice(0, 12).forEach((pe, i) => {
    const yy = TOP + 8 + i * 18;
    const s = series.get(pe)!;
    out.push(`<circle cx="${LEFT + plotW + 20}" cy="${yy}" r="4.5" class="pt s${s}"/>`, text(LEFT + plotW + 30, yy + 4, clip(pe, 22), 'lg'));
  });
  const ly = TOP + 8 + Math.min(pes.length, 12) * 18 + 8;
  out.push(text(LEFT + plotW + 14, ly, '✕ withdrawn', 'lg'), text(LEFT + plotW + 14, ly + 16, '◯ cited', 'lg'));

  const withdrawals = events.filter((e) => e.action === 'withdraw').length;
  const caption = [
    `${events.length} route event${events.length === 1 ? '' : 's'} of ${finding.subject.mac ?? 'this MAC'} from ${pes.length} PE${pes.length === 1 ? '' : 's'} (${withdrawals} withdrawal${withdrawals === 1 ? '' : 's'})`,
    picked.omitted ? `${picked.omitted} events in the middle not drawn` : '',
    lastCited ? `the red ring is the offending advertisement (frame ${lastCited.frame})` : '',
  ].filter(Boolean);
  return { svg: svg(W, TOP + PLOT_H + 28, out.join(''), `MAC mobility sequence per PE for ${finding.subject.mac ?? ''}`, 'mobility'), caption: caption.join('; ') + '.' };
}
