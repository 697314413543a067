// `gwcheck rules`: every rule id with its severity, title, thresholds (flag and default) and docs page.
import type { Rule } from '../rules/types.js';

export function renderRuleList(rules: readonly Rule[]): string {
  const lines: string[] = [];
  for (const rule of rules) {
    const m = rule.meta;
    lines.push(`${m.id}  (${m.severity})  ${m.title}`);
    for (const also of m.alsoReports ?? []) lines.push(`${also.id}  (${also.severity})  ${also.title}`);
    for (const o of m.options) {
      const flag = '--' + o.name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      lines.push(`    ${flag} ${o.default}${o.unit ? ' ' + o.unit : ''}  ${o.description}`);
    }
    // Every finding id has its own page (docs/rules/<id>.md), the extra ids a module reports too.
    for (const id of [m.id, ...(m.alsoReports ?? []).map((a) => a.id)]) lines.push(`    docs/rules/${id}.md`);
    lines.push('');
  }
  return lines.join('\n');
}
