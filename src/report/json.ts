// `--format json`: the Report object itself, serialised exactly as JSON.stringify(report, null, 2) would, but
// in pieces — one per top-level key and one per finding — so a report with thousands of findings is written
// without building one huge string. Key order is fixed by construction and findings are sorted by the engine,
// so the same input gives the same bytes.
import type { Report } from './types.js';

/** The report's JSON text in order, piece by piece; the pieces joined are JSON.stringify(report, null, 2) + '\n'. */
export function* jsonChunks(report: Report): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined && typeof value !== 'function');
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const comma = i < entries.length - 1 ? ',' : '';
    const head = `\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      // Arrays of the top level (findings above all) go ELEMENTS_PER_PIECE elements at a time: one JSON.stringify
      // of a run of elements writes the same text as one per element joined with ",\n    ", and a call per finding
      // (1,025 of them at the end of the benchmark) took 18–22 ms where 17 calls take 15–18 (docs/performance.md).
      yield `${head}[`;
      for (let j = 0; j < value.length; j += ELEMENTS_PER_PIECE) {
        const end = Math.min(value.length, j + ELEMENTS_PER_PIECE);
        yield `\n    ${elements(value.slice(j, end))}${end < value.length ? ',' : ''}`;
      }
      yield `\n  ]${comma}`;
    } else {
      yield `${head}${nested(value)}${comma}`;
    }
  }
  yield '\n}\n';
}

export function renderJson(report: Report): string {
  let text = '';
  for (const chunk of jsonChunks(report)) text += chunk;
  return text;
}

/** What wraps a value `depth` one-element arrays down, before and after it: `[\n  [\n    ` … `\n  ]\n]`. */
const WRAPPERS = [1, 2].map((depth) => {
  let before = '';
  let after = '';
  for (let d = 0; d < depth; d++) {
    before += `[\n${'  '.repeat(d + 1)}`;
    after = `\n${'  '.repeat(d)}]${after}`;
  }
  return { before: before.length, after: after.length };
});

/** Elements of a top-level list per piece: a piece of findings is about 200 KB of text. */
const ELEMENTS_PER_PIECE = 64;

/**
 * A top-level value as JSON.stringify(report, null, 2) writes it one level down: stringified inside a one-element
 * array its lines come out indented for that depth, and the wrapper's ends are cut off. (Re-indenting the text with
 * a replace copied every finding's text once more, at the end of the run when memory peaks.)
 */
function nested(value: unknown): string {
  return cut(JSON.stringify([value], null, 2), 1);
}

/** Elements of a top-level list as that list writes them (two levels down, separated by commas): `list` inside one
 *  more array, as `nested` does one level up. */
function elements(list: unknown[]): string {
  return cut(JSON.stringify([list], null, 2), 2);
}

function cut(text: string, depth: 1 | 2): string {
  const { before, after } = WRAPPERS[depth - 1];
  return text.slice(before, text.length - after);
}
