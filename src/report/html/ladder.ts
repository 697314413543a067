// The ladder of a neighbour-resolution finding (ARP or IPv6 ND alike): one lane per device (IP + MAC), time going
// down, an arrow per request (to every lane that holds the asked IP) and per reply. A reply followed by the same
// request again is drawn as lost; a request nobody answered ends in a cross. Lanes sharing a MAC, or an IP, are
// bracketed: that is the story of the shared-MAC blackhole and of the duplicate gateway.
import type { Finding } from '../../rules/types.js';
import type { NeighbourMessage } from './scene.js';
import { clip, headTail, line, n, rect, relTime, svg, text, type Picture } from './svg.js';

/** Messages drawn per ladder (the first half and the last half when there are more). */
export const LADDER_MAX_ROWS = 40;
const MAX_LANES = 7;
const GUTTER = 118;
/** Lane spacing: the ladder fits a laptop-wide page (about 1100 px) when it can, never narrower than 170 px a lane. */
const FIT_WIDTH = 1090;
const LANE_MAX = 250;
const LANE_MIN = 170;
const ROW = 28;
const HEAD = 78;
/**
 * A request repeated this soon after the answer to it means the answer never arrived (hosts retry ARP after about
 * 1 s). Later, up to the rule's retry window, it counts only for a device already failing: otherwise it is a
 * refresh (the rule counts per MAC; the ladder per device, so a refresh by the healthy owner of a shared MAC is
 * not drawn as a failure).
 */
const RETRY_GAP = 3;

interface Lane {
  key: string;
  ip: string;
  mac: string;
  asks: boolean;
  answers: boolean;
  first: number;
}

interface Row {
  m: NeighbourMessage;
  cited: boolean;
  role: string;
  lost: boolean;
  retry: boolean;
  unanswered: boolean;
}

export function ladder(finding: Finding, all: readonly NeighbourMessage[], settings: Record<string, unknown>, t0: number): Picture {
  const retryWindow = num(settings.arpRetryWindow, 10);
  const timeout = num(settings.arpTimeout, 1);
  const roles = new Map(finding.evidence.items.map((i) => [`${i.input}:${i.frame}`, i.role]));
  const drawable = all.filter((m) => m.op !== 'other');

  // Lost replies, retries and unanswered requests are judged over everything kept, not only what is drawn.
  const rows: Row[] = drawable.map((m) => {
    const role = roles.get(`${m.input}:${m.frame}`);
    return { m, cited: role !== undefined, role: role ?? '', lost: false, retry: false, unanswered: false };
  });
  const failing = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i].m;
    if (r.op === 'reply') {
      const device = `${r.targetIp} ${r.targetMac}`;
      // The requester asks again for the one who just answered it: the answer never reached it.
      for (let j = i + 1; j < rows.length && rows[j].m.time - r.time <= retryWindow; j++) {
        const q = rows[j].m;
        if (q.op === 'request' && q.senderIp === r.targetIp && q.senderMac === r.targetMac && q.targetIp === r.senderIp) {
          if (q.time - r.time <= RETRY_GAP || failing.has(device)) {
            rows[i].lost = true;
            rows[j].retry = true;
            failing.add(device);
          }
          break;
        }
        if (q.op === 'reply' && q.targetIp === r.targetIp && q.senderIp === r.senderIp) break;
      }
    } else if (r.op === 'request') {
      let answered = false;
      for (let j = i + 1; j < rows.length && rows[j].m.time - r.time <= timeout; j++) {
        const a = rows[j].m;
        if (a.op === 'reply' && a.senderIp === r.targetIp && a.targetIp === r.senderIp) {
          answered = true;
          break;
        }
      }
      rows[i].unanswered = !answered;
    }
  }

  // Cited frames first, then the rest, up to the cap; drawn in time order.
  const cited = rows.filter((r) => r.cited);
  const others = rows.filter((r) => !r.cited);
  const pickCited = headTail(cited, LADDER_MAX_ROWS);
  const room = LADDER_MAX_ROWS - pickCited.items.length;
  const chosen = [...pickCited.items, ...others.slice(0, room)].sort((a, b) => a.m.time - b.m.time || a.m.frame - b.m.frame);
  const leftOut = rows.length - chosen.length;

  // Lanes: one per (IP, MAC) that sends; a request's target is every lane holding the asked IP.
  const lanes = new Map<string, Lane>();
  const laneOf = (ip: string, mac: string, order: number): Lane => {
    const key = ip === '0.0.0.0' || ip === '::' ? `mac ${mac}` : `${ip} ${mac}`;
    let lane = lanes.get(key);
    if (!lane) lanes.set(key, (lane = { key, ip, mac, asks: false, answers: false, first: order }));
    return lane;
  };
  chosen.forEach((r, i) => {
    const from = laneOf(r.m.senderIp, r.m.senderMac, i);
    if (r.m.op === 'request') from.asks = true;
    if (r.m.op === 'reply') {
      from.answers = true;
      laneOf(r.m.targetIp, r.m.targetMac, i);
    }
  });
  for (const [i, r] of chosen.entries()) {
    if (r.m.op === 'request' && ![...lanes.values()].some((l) => l.ip === r.m.targetIp)) laneOf(r.m.targetIp, '', i);
  }
  // Requesters left, answerers and targets right; devices sharing a MAC (then an IP) side by side.
  let ordered = [...lanes.values()].sort((a, b) => Number(!a.asks) - Number(!b.asks) || Number(a.answers) - Number(b.answers) || a.first - b.first);
  ordered = groupAdjacent(ordered, (l) => l.mac);
  const macCount = count(ordered.filter((l) => l.mac), (l) => l.mac);
  const ipCount = count(ordered, (l) => l.ip);
  ordered = groupAdjacent(ordered, (l) => (ipCount.get(l.ip)! > 1 && macCount.get(l.mac)! < 2 ? l.ip : l.key));
  // Too many lanes: the answering and asked addresses (the finding's subject) stay; requesters fill what is left.
  const requesters = ordered.filter((l) => l.asks && !l.answers);
  const rest = ordered.filter((l) => !(l.asks && !l.answers)).slice(0, MAX_LANES - 1);
  const keep = new Set([...requesters.slice(0, Math.max(1, MAX_LANES - rest.length)), ...rest]);
  const shown = ordered.filter((l) => keep.has(l)).slice(0, MAX_LANES);
  const hiddenLanes = ordered.length - shown.length;
  const laneCount = shown.length + (hiddenLanes ? 1 : 0);
  const LANE = Math.max(LANE_MIN, Math.min(LANE_MAX, Math.floor((FIT_WIDTH - GUTTER) / Math.max(laneCount, 1))));
  const x = new Map(shown.map((l, i) => [l.key, GUTTER + LANE / 2 + i * LANE]));
  const otherX = GUTTER + LANE / 2 + shown.length * LANE;
  const xOf = (l: Lane | undefined) => (l && x.has(l.key) ? x.get(l.key)! : otherX);
  const width = GUTTER + laneCount * LANE + 10;
  const fit = (label: string, from: number, to: number) => clip(label, Math.max(26, Math.floor(Math.abs(to - from) / 6.3)));

  const out: string[] = [];
  // Brackets over lanes that share a MAC or an IP.
  const brackets: { from: number; to: number; label: string; cls: string }[] = [];
  for (const [mac, c] of macCount) {
    if (c < 2 || !mac) continue;
    const xs = shown.filter((l) => l.mac === mac).map((l) => x.get(l.key)!);
    if (xs.length > 1) brackets.push({ from: Math.min(...xs), to: Math.max(...xs), label: `one MAC, ${c} addresses: ${mac}`, cls: 'bk bad' });
  }
  for (const [ip, c] of ipCount) {
    if (c < 2) continue;
    const xs = shown.filter((l) => l.ip === ip).map((l) => x.get(l.key)!);
    if (xs.length > 1) brackets.push({ from: Math.min(...xs), to: Math.max(...xs), label: `${ip} answered by ${c} MACs`, cls: 'bk bad' });
  }
  brackets.forEach((b, i) => {
    const y = 12 + i * 16;
    out.push(`<path d="M${n(b.from - 60)} ${y + 8}v-6H${n(b.to + 60)}v6" class="${b.cls}"/>`);
    out.push(text((b.from + b.to) / 2, y - 1, b.label, 'bkl', 'middle'));
  });
  const top = HEAD + Math.max(0, brackets.length - 1) * 16;

  // Rows, with a break where time jumps.
  let y = top + 18;
  const ys: number[] = [];
  const breaks: string[] = [];
  chosen.forEach((r, i) => {
    if (i > 0) {
      const gap = r.m.time - chosen[i - 1].m.time;
      const cut = pickCited.at > 0 && i === pickCited.at && pickCited.omitted > 0;
      if (cut) {
        y += 10;
        breaks.push(text(GUTTER - 8, y + 4, `⋯ ${leftOut} more`, 'gap', 'end'));
        breaks.push(line(GUTTER, y, width - 10, y, 'gapl'));
        y += 22;
      } else if (gap > 2) {
        // A jump in time: a dotted line between the rows (their times say how long).
        y += 4;
        breaks.push(line(GUTTER, y - 17, width - 10, y - 17, 'gapl'));
      }
    }
    ys.push(y);
    y += ROW;
  });
  const bottom = y;

  // Lane headers and lifelines.
  for (const l of shown) {
    const cx = x.get(l.key)!;
    const role = l.asks && l.answers ? 'asks and answers' : l.asks ? 'asks' : l.answers ? 'answers' : l.mac ? 'asked' : 'asked, never answered';
    const shared = l.mac && macCount.get(l.mac)! > 1;
    out.push(rect(cx - LANE / 2 + 12, top - 52, LANE - 24, 44, `lane${shared ? ' lane-bad' : ''}`));
    out.push(text(cx, top - 34, l.ip === '0.0.0.0' ? '(no IP: probe)' : l.ip, 'lip', 'middle'));
    out.push(text(cx, top - 20, l.mac || 'MAC unknown', shared ? 'lmac bad' : 'lmac', 'middle'));
    out.push(text(cx, top - 12 + 14, role, 'lrole', 'middle'));
    out.push(line(cx, top + 4, cx, bottom, 'life'));
  }
  if (hiddenLanes) {
    out.push(text(otherX, top - 26, `${hiddenLanes} other device${hiddenLanes > 1 ? 's' : ''}`, 'lrole', 'middle'));
    out.push(line(otherX, top + 4, otherX, bottom, 'life'));
  }
  out.push(...breaks);

  // Arrows; the cited rows are highlighted by one path drawn under them.
  let citePath = '';
  const under = out.length;
  const t = (v: number) => relTime(v - t0);
  chosen.forEach((r, i) => {
    const m = r.m;
    const yy = ys[i];
    if (r.cited) citePath += `M4 ${n(yy - 15)}h${n(width - 8)}v${ROW - 4}h-${n(width - 8)}z`;
    out.push(text(8, yy - 1, `#${m.frame}`, r.cited ? 'fr b' : 'fr'));
    out.push(text(GUTTER - 8, yy - 1, t(m.time), 'tm', 'end'));
    const from = xOf(lanes.get(m.senderIp === '0.0.0.0' ? `mac ${m.senderMac}` : `${m.senderIp} ${m.senderMac}`));
    const nd = m.family === 'nd';
    if (m.op === 'request') {
      const targets = shown.filter((l) => l.ip === m.targetIp).map((l) => x.get(l.key)!);
      if (targets.length === 0) targets.push(otherX);
      const far = targets.reduce((a, b) => (Math.abs(b - from) > Math.abs(a - from) ? b : a));
      const dir = Math.sign(far - from) || 1;
      const cls = r.retry ? 'rq bad' : 'rq';
      out.push(line(from, yy, far - dir * 4, yy, cls, ` marker-end="url(#gw-a${r.retry ? 'x' : 'q'})"`));
      for (const tx of targets) if (tx !== far) out.push(`<circle cx="${n(tx)}" cy="${n(yy)}" r="3" class="dot"/>`);
      const label = `${r.retry ? 'again: ' : ''}${nd ? 'NS' : 'who-has'} ${m.targetIp}${nd ? '' : ' tell ' + m.senderIp}`;
      out.push(text((from + far) / 2, yy - 5, fit(label, from, far), r.retry ? 'al bad' : 'al', 'middle'));
      if (r.unanswered) out.push(text(far + dir * 10, yy + 4, '✕ no reply seen', 'al bad', dir > 0 ? 'start' : 'end'));
    } else if (m.op === 'reply') {
      const to = xOf(lanes.get(`${m.targetIp} ${m.targetMac}`));
      const dir = Math.sign(to - from) || 1;
      if (r.lost) {
        const stop = to - dir * 34;
        out.push(line(from, yy, stop, yy, 'rp lost'));
        out.push(text(stop + dir * 4, yy + 4, '✕', 'x bad', dir > 0 ? 'start' : 'end'));
      } else {
        out.push(line(from, yy, to - dir * 4, yy, 'rp', ' marker-end="url(#gw-ar)"'));
      }
      const label = `${r.lost ? 'lost: ' : ''}${nd ? 'NA ' : ''}${m.senderIp} is-at ${m.senderMac}`;
      out.push(text((from + to) / 2, yy - 5, fit(label, from, to), r.lost ? 'al bad' : 'al', 'middle'));
    } else {
      out.push(`<circle cx="${n(from)}" cy="${n(yy)}" r="4" class="dot"/>`);
      out.push(text(from + 10, yy - 5, clip(`announces ${m.senderIp} at ${m.senderMac}`, 44), 'al'));
    }
  });

  if (citePath) out.splice(under, 0, `<path d="${citePath}" class="cite"/>`);
  const lost = chosen.filter((r) => r.lost).length;
  const captionParts = [
    `${chosen.length} message${chosen.length === 1 ? '' : 's'} drawn`,
    leftOut > 0 ? `${leftOut} more not drawn (first and last cited kept)` : '',
    lost ? `${lost} repl${lost === 1 ? 'y' : 'ies'} that the requester never got (it asked again)` : '',
    'highlighted rows are the cited evidence',
  ].filter(Boolean);
  const label = `Ladder of ${finding.rule}: ${shown.map((l) => l.ip).join(', ')}`;
  return { svg: svg(width, bottom + 6, out.join(''), label, 'ladder'), caption: captionParts.join('; ') + '.' };
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function count<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

/** Stable: each group moves up to where its first member is. */
function groupAdjacent<T>(items: T[], key: (t: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return [...groups.values()].flat();
}
