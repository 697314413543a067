// One entry per finding id (a rule module and the extra ids it reports), with the texts SARIF, Markdown and the
// docs links need.
import { ALL_RULES } from '../rules/index.js';
import type { Severity } from '../rules/types.js';

export interface FindingIdMeta {
  id: string;
  severity: Severity;
  title: string;
  rationale: string;
  remediation: string;
  /** Path of its docs page in the repository. */
  docs: string;
}

/** Where the docs pages are published (the repository of the report schema's $id). */
export const DOCS_BASE = 'https://github.com/gwcheck/gwcheck/blob/main/';

export function findingIdMetas(): FindingIdMeta[] {
  const out: FindingIdMeta[] = [];
  for (const r of ALL_RULES) {
    const m = r.meta;
    out.push({ id: m.id, severity: m.severity, title: m.title, rationale: m.rationale, remediation: m.remediation, docs: `docs/rules/${m.id}.md` });
    for (const a of m.alsoReports ?? []) {
      const remediation = a.remediation ?? m.remediation;
      out.push({ id: a.id, severity: a.severity, title: a.title, rationale: m.rationale, remediation, docs: `docs/rules/${a.id}.md` });
    }
  }
  return out;
}
