// `--format json`: the Report object itself, serialised. Key order is fixed by construction and findings are
// sorted by the engine, so the same input gives the same bytes.
import type { Report } from './types.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
