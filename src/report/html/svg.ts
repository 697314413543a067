// Small helpers shared by the pictures: escaping, time, and the SVG elements they all use. Coordinates are
// rounded to one decimal: a thousand pictures stay a few MB.

/** Escapes text for element content and attribute values (XML-safe, so the page parses as XHTML too). */
export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The report's ISO time with nanoseconds ("2026-03-02T09:00:00.500000000Z") → seconds (float); NaN if not a time. */
export function isoSeconds(text: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text);
  if (!m) return NaN;
  const whole = Date.parse(m[1] + 'Z') / 1000;
  return whole + (m[2] ? Number('0.' + m[2]) : 0);
}

/** Seconds since the start of the capture, as the axes show them: "+2.000 s", "+4 min 05 s", "+3 h 12 min". */
export function relTime(dt: number): string {
  if (!Number.isFinite(dt)) return '';
  const sign = dt < 0 ? '−' : '+';
  const a = Math.abs(dt);
  if (a < 60) return `${sign}${a.toFixed(a < 10 ? 3 : 1)} s`;
  if (a < 3600) return `${sign}${Math.floor(a / 60)} min ${String(Math.floor(a % 60)).padStart(2, '0')} s`;
  return `${sign}${Math.floor(a / 3600)} h ${String(Math.floor((a % 3600) / 60)).padStart(2, '0')} min`;
}

export function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

export function text(x: number, y: number, content: string, cls = '', anchor: 'start' | 'middle' | 'end' = 'start'): string {
  const a = anchor === 'start' ? '' : ` text-anchor="${anchor}"`;
  const c = cls ? ` class="${cls}"` : '';
  return `<text x="${n(x)}" y="${n(y)}"${a}${c}>${esc(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, cls: string, extra = ''): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" class="${cls}"${extra}/>`;
}

export function rect(x: number, y: number, w: number, h: number, cls: string, title?: string): string {
  const body = `x="${n(x)}" y="${n(y)}" width="${n(Math.max(w, 0))}" height="${n(Math.max(h, 0))}" class="${cls}"`;
  return title === undefined ? `<rect ${body}/>` : `<rect ${body}><title>${esc(title)}</title></rect>`;
}

/** An `<svg>` with its natural size (the page scrolls it sideways on a narrow screen rather than shrink the text). */
export function svg(width: number, height: number, body: string, label: string, cls: string): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return (
    `<svg class="pic ${cls}" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(label)}">` +
    `<title>${esc(label)}</title>${body}</svg>`
  );
}

/** Keeps at most `max` items: the first half and the last half, with how many were left out between them. */
export function headTail<T>(items: readonly T[], max: number): { items: T[]; omitted: number; at: number } {
  if (items.length <= max) return { items: [...items], omitted: 0, at: -1 };
  const head = Math.ceil(max / 2);
  const tail = max - head;
  return { items: [...items.slice(0, head), ...items.slice(items.length - tail)], omitted: items.length - max, at: head };
}

export function clip(textValue: string, max: number): string {
  return textValue.length <= max ? textValue : textValue.slice(0, max - 1) + '…';
}

/** A picture and the sentence under it (what it shows, what it left out). */
export interface Picture {
  svg: string;
  caption: string;
}
