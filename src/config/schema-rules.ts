// The per-finding-id part of the config schema, derived from the rule metadata (thresholds declared once, in the
// metas): each id takes a severity, ESLint's [severity] / [severity, {thresholds}], or {severity, thresholds}.
import type { RuleOption } from '../rules/types.js';
import { findingIdOptions } from './validate.js';

function optionSchema(o: RuleOption): Record<string, unknown> {
  const unit = o.unit === 's' ? ' (seconds)' : '';
  return o.unit === 'count'
    ? { description: o.description, type: 'integer', minimum: 1 }
    : { description: o.description + unit, type: 'number', minimum: 0 };
}

export function configSchemaRules(): { rules: Record<string, unknown>; ids: string[] } {
  const rules: Record<string, unknown> = {};
  const byId = findingIdOptions();
  const ids = [...byId.keys()].sort();
  for (const id of ids) {
    const options = byId.get(id) ?? [];
    const thresholds = Object.fromEntries(options.map((o) => [o.name, optionSchema(o)]));
    rules[id] = {
      description: `docs/rules/${id}.md`,
      anyOf: [
        { $ref: '#/definitions/ruleSeverity' },
        {
          description: "ESLint's [severity] or [severity, { thresholds }]",
          anyOf: [
            { type: 'array', minItems: 1, maxItems: 1, additionalItems: false, items: [{ $ref: '#/definitions/ruleSeverity' }] },
            {
              type: 'array',
              minItems: 2,
              maxItems: 2,
              additionalItems: false,
              items: [{ $ref: '#/definitions/ruleSeverity' }, { type: 'object', additionalProperties: false, properties: thresholds }],
            },
          ],
        },
        { type: 'object', additionalProperties: false, properties: { severity: { $ref: '#/definitions/ruleSeverity' }, ...thresholds } },
      ],
    };
  }
  return { rules, ids };
}
