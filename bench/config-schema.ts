// Rewrites the per-finding-id part of schema/config.schema.json (`rules` properties and the `suppress` rule enum)
// from the rule metadata, so the published schema cannot drift from the rules: `npm run schema`. The test in
// test/config.test.ts compares the committed file with what this produces.
import { readFileSync, writeFileSync } from 'node:fs';
import { configSchemaRules } from '../src/config/schema-rules.js';

const path = new URL('../schema/config.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(path, 'utf8'));
const { rules, ids } = configSchemaRules();
schema.properties.rules.properties = rules;
schema.properties.suppress.items.properties.rule.enum = ids;
writeFileSync(path, JSON.stringify(schema, null, 2) + '\n');
console.log(`schema/config.schema.json: ${ids.length} finding ids`);
