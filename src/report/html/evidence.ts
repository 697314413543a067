// The picture of a finding with no scene (stdin input, a kind with no dedicated drawing): its evidence frames on
// a time axis, one row each, labelled with their roles.
import type { Finding } from '../../rules/types.js';
import { clip, esc, headTail, isoSeconds, line, n, relTime, svg, text, type Picture } from './svg.js';

export const EVIDENCE_MAX_ROWS = 30;
const W = 760;
const LEFT = 150;
const AXIS = 200;
const ROW = 20;

export function evidenceStrip(finding: Finding, t0: number, why: string): Picture {
  const picked = headTail(finding.evidence.items, EVIDENCE_MAX_ROWS);
  const times = picked.items.map((i) => isoSeconds(i.time));
  const tMin = Math.min(...times);
  const span = Math.max(Math.max(...times) - tMin, 1e-3);
  const X = (t: number) => LEFT + ((t - tMin) / span) * AXIS;
  const out: string[] = [];
  const top = 10;
  picked.items.forEach((item, r) => {
    const y = top + r * ROW + ROW / 2;
    if (picked.omitted && r === picked.at) out.push(text(8, y - ROW / 2 + 2, `⋯ ${picked.omitted} more`, 'gap'));
    out.push(text(8, y + 4, `#${item.frame}`, 'fr b'), text(LEFT - 10, y + 4, relTime(times[r] - t0), 'tm', 'end'));
    out.push(line(LEFT, y, LEFT + AXIS, y, 'grid'));
    out.push(`<circle cx="${n(X(times[r]))}" cy="${n(y)}" r="4" class="pt s0"><title>${esc(`frame ${item.frame}: ${item.role}`)}</title></circle>`);
    out.push(text(LEFT + AXIS + 14, y + 4, clip(item.role, 60), 'al'));
  });
  const height = top + picked.items.length * ROW + 10;
  const caption = [why, picked.omitted ? `${picked.omitted} of ${finding.evidence.items.length} cited frames not drawn` : ''].filter(Boolean);
  return { svg: svg(W, height, out.join(''), `Evidence of ${finding.rule}`, 'strip'), caption: caption.join('; ') + '.' };
}
