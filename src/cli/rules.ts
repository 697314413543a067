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
    lines.push(`    docs/rules/${m.id}.md`, '');
  }
  return lines.join('\n');
}
