// The story fixtures end to end: the builder must reproduce the committed capture byte for byte, and analysing it
// must reproduce the committed golden report (validated against the published JSON Schema). Golden files and
// captures are rewritten only by `npm run fixtures` (UPDATE_GOLDEN=1), never as a side effect of a test run.
import { Ajv } from 'ajv';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../fixtures/builder/capture-file.js';
import { STORIES } from '../fixtures/stories.js';
import { analyze, ruleIds } from '../src/index.js';
import { renderJson } from '../src/report/json.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const root = new URL('../', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/report.schema.json', root), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);

function golden(relative: string, actual: string | Buffer): void {
  const file = new URL(relative, root);
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `${relative} is missing: run \`npm run fixtures\` and commit it`).toBe(true);
  const want = readFileSync(file);
  if (typeof actual === 'string') expect(actual).toBe(want.toString('utf8'));
  else expect(Buffer.compare(actual, want), `${relative} differs from what the builder makes`).toBe(0);
}

describe('story fixtures', () => {
  for (const story of STORIES) {
    describe(story.name, () => {
      const capture = `fixtures/${story.name}.pcapng`;
      it('is built byte for byte by the fixture builder', () => {
        golden(capture, story.build());
      });

      it('gives the golden report, valid against the schema, with the expected findings', async () => {
        const report = await analyze([capture]);
        const json = renderJson(report);
        golden(`fixtures/golden/${story.name}.json`, json);
        expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true);
        expect([...new Set(report.findings.map((f) => f.rule))].sort(), story.story).toEqual([...story.expect].sort());
        expect(report.inputs[0].error).toBeNull();
        for (const f of report.findings) {
          expect(f.evidence.frames.length).toBeGreaterThan(0);
          expect(f.evidence.frames.every((n) => n >= 1 && n <= report.stats.packets)).toBe(true);
        }
      });

      it('reports the same findings when the capture is classic pcap instead of pcapng', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
        const stories = await analyze([capture]);
        const asPcap = join(dir, `${story.name}.pcap`);
        writeFileSync(asPcap, writePcap(await packetsOf(capture)));
        const other = await analyze([asPcap]);
        // Byte-identical findings once the evidence's file names (the two paths) are set aside.
        const withoutFiles = (findings: unknown) =>
          JSON.stringify(findings).replace(/"file":"[^"]*",/g, '').replace(/"(exactCommand|command)":"(?:[^"\\]|\\.)*"/g, '');
        expect(withoutFiles(other.findings)).toBe(withoutFiles(stories.findings));
        expect(other.stats).toEqual(stories.stats);
      });
    });
  }

  it('the manifest lists every story with its command', () => {
    const lines = [
      '# Story fixtures',
      '',
      'Small captures built byte by byte by `fixtures/stories.ts` with the fixture builder in `fixtures/builder/`.',
      'Regenerate captures and golden reports with `npm run fixtures` (then review the diff); `npm test` only compares.',
      '',
      '| capture | story | expected findings | command | golden report |',
      '|---|---|---|---|---|',
      ...STORIES.map(
        (s) =>
          `| \`${s.name}.pcapng\` | **${s.title}.** ${s.story} | ${s.expect.map((r) => `\`${r}\``).join(', ') || 'none'} | ` +
          `\`npx gwcheck analyze fixtures/${s.name}.pcapng\` | [golden/${s.name}.json](golden/${s.name}.json) |`,
      ),
      '',
    ];
    golden('fixtures/MANIFEST.md', lines.join('\n'));
  });

  it('the schema names exactly the rule ids gwcheck can report', () => {
    expect([...schema.properties.findings.items.properties.rule.enum].sort()).toEqual(ruleIds().sort());
  });
});

/** Reads a capture back into builder packet specs (to rewrite it in another format). */
async function packetsOf(path: string) {
  const { CaptureInput } = await import('../src/capture/input.js');
  const input = await CaptureInput.open(path);
  const packets = [];
  for (;;) {
    const r = input.next();
    if (r) {
      packets.push({ bytes: Buffer.from(r.bytes), seconds: r.seconds, nanos: r.nanos, originalLength: r.originalLength });
      continue;
    }
    if (!(await input.fill())) break;
  }
  return packets;
}
