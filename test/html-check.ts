// A strict, XHTML-ish well-formedness check for the HTML report (no dependency): every element closed in order,
// void elements self-closed, attributes quoted and not repeated, entities known, ids unique, and the raw text of
// <script>/<style> free of "</". Returns the problems found (empty = well-formed) and the elements seen.

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const RAW = new Set(['script', 'style']);
const START_TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+="[^"<]*")*)\s*(\/?)>/y;
const END_TAG = /<\/([a-zA-Z][\w:-]*)\s*>/y;
const ENTITY = /^&(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos|#39|nbsp);/;

export interface Element {
  name: string;
  attrs: Record<string, string>;
  /** Index of the first character after the start tag, and of the end tag (for the element's inner text). */
  start: number;
  end: number;
  parent: Element | null;
}

export interface Parsed {
  problems: string[];
  elements: Element[];
}

export function parseStrict(html: string): Parsed {
  const problems: string[] = [];
  const elements: Element[] = [];
  const stack: Element[] = [];
  const ids = new Set<string>();
  let i = 0;
  const doctype = /^<!DOCTYPE html>\s*/i.exec(html);
  if (!doctype) problems.push('no <!DOCTYPE html> at the start');
  else i = doctype[0].length;
  const checkText = (text: string, at: number) => {
    for (let k = text.indexOf('&'); k >= 0; k = text.indexOf('&', k + 1)) {
      if (!ENTITY.test(text.slice(k, k + 12))) problems.push(`bare & at ${at + k}: ${JSON.stringify(text.slice(k, k + 12))}`);
    }
    if (text.includes('>')) problems.push(`bare > in text at ${at}`);
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    checkText(html.slice(i, textEnd), i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt);
      if (close < 0) {
        problems.push(`unclosed comment at ${lt}`);
        break;
      }
      i = close + 3;
      continue;
    }
    if (html[lt + 1] === '/') {
      END_TAG.lastIndex = lt;
      const m = END_TAG.exec(html);
      if (!m) {
        problems.push(`bad end tag at ${lt}`);
        i = lt + 2;
        continue;
      }
      const top = stack.pop();
      if (!top || top.name !== m[1]) problems.push(`</${m[1]}> at ${lt} closes <${top?.name ?? 'nothing'}>`);
      else top.end = lt;
      i = lt + m[0].length;
      continue;
    }
    START_TAG.lastIndex = lt;
    const m = START_TAG.exec(html);
    if (!m) {
      problems.push(`bad start tag at ${lt}: ${JSON.stringify(html.slice(lt, lt + 60))}`);
      i = lt + 1;
      continue;
    }
    const [whole, name, attrText, selfClose] = m;
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([^\s=/>]+)="([^"<]*)"/g)) {
      if (a[1] in attrs) problems.push(`attribute ${a[1]} twice on <${name}> at ${lt}`);
      attrs[a[1]] = a[2];
      checkText(a[2], lt);
    }
    if (attrs.id !== undefined) {
      if (ids.has(attrs.id)) problems.push(`id ${attrs.id} twice`);
      ids.add(attrs.id);
    }
    const el: Element = { name, attrs, start: lt + whole.length, end: -1, parent: stack[stack.length - 1] ?? null };
    elements.push(el);
    i = lt + whole.length;
    if (VOID.has(name) && !selfClose) problems.push(`void <${name}> at ${lt} not self-closed`);
    if (selfClose) {
      el.end = el.start;
      continue;
    }
    if (RAW.has(name)) {
      const close = html.indexOf(`</${name}>`, i);
      if (close < 0) {
        problems.push(`unclosed <${name}>`);
        break;
      }
      if (html.slice(i, close).includes('</')) problems.push(`"</" inside <${name}> at ${i}`);
      el.end = close;
      i = close + name.length + 3;
      continue;
    }
    stack.push(el);
  }
  for (const el of stack) problems.push(`<${el.name}> never closed`);
  return { problems, elements };
}

/** Elements under `root` (any depth). */
export function within(parsed: Parsed, root: Element, name: string): Element[] {
  return parsed.elements.filter((e) => e.name === name && ancestors(e).includes(root));
}

/** The nearest ancestor of each `name` element that matches `isRoot`, as counts per root. */
export function countUnder(parsed: Parsed, name: string, isRoot: (e: Element) => boolean): Map<Element, number> {
  const counts = new Map<Element, number>();
  for (const e of parsed.elements) {
    if (e.name !== name) continue;
    const root = ancestors(e).find(isRoot);
    if (root) counts.set(root, (counts.get(root) ?? 0) + 1);
  }
  return counts;
}

function ancestors(e: Element): Element[] {
  const out: Element[] = [];
  for (let p = e.parent; p; p = p.parent) out.push(p);
  return out;
}

