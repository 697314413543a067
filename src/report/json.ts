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
      // Arrays of the top level (findings above all) go element by element.
      yield `${head}[`;
      for (let j = 0; j < value.length; j++) {
        yield `\n    ${indent(JSON.stringify(value[j], null, 2) ?? 'null', '    ')}${j < value.length - 1 ? ',' : ''}`;
      }
      yield `\n  ]${comma}`;
    } else {
      yield `${head}${indent(JSON.stringify(value, null, 2), '  ')}${comma}`;
    }
  }
  yield '\n}\n';
}

export function renderJson(report: Report): string {
  let text = '';
  for (const chunk of jsonChunks(report)) text += chunk;
  return text;
}

function indent(text: string, by: string): string {
  return text.replace(/\n/g, '\n' + by);
}
