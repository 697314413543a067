// The short, seeded fuzzing run of issue 14 (the long one: `npm run fuzz -- --count 20000`): file-level mutants
// of the fixtures (and of the small corpus captures when ../shared/corpus is present) through analyze and decode,
// in-process for speed and a few through the real binary; every truncation at a block boundary of one fixture;
// and every regression fixture found by a campaign (fixtures/regress/) — each checked against check.ts.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile, loadBases, REGRESSION_DIR, runCampaign, type Failure } from './campaign.js';
import { check, REPO, type Outcome } from './check.js';
import { layout, mutate, Random, truncations } from './mutate.js';

const dir = mkdtempSync(join(tmpdir(), 'gwcheck-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Small bases keep the run well under a minute on a shared 2-core machine.
const { bases, corpus } = loadBases(16 * 1024);
const SEED = 14;

function describeFailures(failures: Failure[]): string {
  return failures.map((f) => `#${f.index} ${f.base} ${f.how}: ${f.problems.map((p) => `${p.kind} ${p.command}: ${p.detail}`).join('; ')}`).join('\n');
}

describe('fuzzing (short seeded run)', () => {
  if (!corpus) it.skip('../shared/corpus is absent: mutants of the fixtures only', () => undefined);

  it('mutants are reproducible from (seed, index) and cover every mutator', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const rnd = new Random(i);
      const base = bases[i % bases.length].bytes;
      const a = mutate(base, rnd, bases[0].bytes);
      const b = mutate(base, new Random(i), bases[0].bytes);
      expect(b.bytes.equals(a.bytes)).toBe(true);
      seen.add(a.how.replace(/[(@=+].*$/, ''));
    }
    expect(seen.size).toBeGreaterThan(15);
  });

  it('finds the units of pcap and pcapng files', () => {
    const pcapng = bases.find((b) => b.name.endsWith('.pcapng'))!;
    const lay = layout(pcapng.bytes);
    expect(lay.format).toBe('pcapng');
    const last = lay.units[lay.units.length - 1];
    expect(last.offset + last.length).toBe(pcapng.bytes.length);
  });

  // 200 mutants in four tests of 50: each reports on its own, so a slow shared machine never starves the runner.
  it.each([0, 1, 2, 3])('50 mutants (part %i of 0–3) through analyze and decode in-process: no crash, hang or unclear message', async (part) => {
    const result = await runCampaign({ seed: SEED * 100 + part, count: 50, bases, dir, inProcess: true, binaryEvery: 0 });
    expect(result.tried).toBe(50);
    expect(describeFailures(result.failures)).toBe('');
  }, 120_000);

  const binary = existsSync(join(REPO, 'dist', 'cli', 'main.js'));
  it.skipIf(!binary)('a few mutants through bin/gwcheck.js, with time and peak RSS bounded', async () => {
    const result = await runCampaign({ seed: SEED + 1, count: 6, bases, dir, inProcess: false, binaryEvery: 1, limits: { timeoutMs: 30_000, maxRssMb: 400 } });
    expect(result.binaryRuns).toBe(12);
    expect(describeFailures(result.failures)).toBe('');
  }, 120_000);

  it('every truncation at and next to each block boundary of a fixture', async () => {
    const smallest = [...bases].filter((b) => !b.name.startsWith('corpus/')).sort((a, b) => a.bytes.length - b.bytes.length)[0];
    const problems: string[] = [];
    for (const [i, m] of truncations(smallest.bytes).entries()) {
      const file = join(dir, `truncated-${i}.pcapng`);
      writeFileSync(file, m.bytes);
      for (const p of await checkFile(file, true, false)) problems.push(`${m.how}: ${p.kind} ${p.command}: ${p.detail}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('the fuzzing contract catches what it must', () => {
  const report = (error: object | null, severities: string[] = []) =>
    JSON.stringify({ inputs: [{ error, truncated: false }], findings: severities.map((severity) => ({ severity })) });
  const outcome = (o: Partial<Outcome>): Outcome => ({ command: 'analyze', status: 0, stdout: report(null), stderr: '', ms: 5, ...o });
  it.each([
    ['a clean run', outcome({}), []],
    ['findings at error with status 1', outcome({ status: 1, stdout: report(null, ['error']) }), []],
    ['a broken file with one line', outcome({ status: 2, stdout: report({ code: 'bad-block' }), stderr: 'gwcheck: f: pcapng block …\n' }), []],
    ['a stack trace', outcome({ status: 2, stderr: 'TypeError: x is undefined\n    at read (file.js:1:2)\n' }), ['crash', 'unclear', 'unclear']],
    ['an internal error', outcome({ status: 2, stdout: report({ code: 'io' }), stderr: 'gwcheck: internal error: boom\n' }), ['crash', 'unclear', 'unclear']],
    ['status 1 without findings', outcome({ status: 1 }), ['crash']],
    ['status 0 with an error finding', outcome({ stdout: report(null, ['error']) }), ['crash']],
    ['warnings only, status 0', outcome({ stdout: report(null, ['warning']) }), []],
    ['stdout not JSON', outcome({ stdout: '{"inputs": [' }), ['crash']],
    ['two stderr lines', outcome({ status: 2, stdout: report({ code: 'io' }), stderr: 'gwcheck: f: a\ngwcheck: f: b\n' }), ['unclear']],
    ['an error without its line', outcome({ status: 2, stdout: report({ code: 'io' }) }), ['unclear']],
    ['a hang', outcome({ timedOut: true }), ['hang']],
    ['too much memory', outcome({ maxRssKb: 900 * 1024 }), ['over-memory']],
    ['decode: a line that is not JSON', outcome({ command: 'decode', stdout: '{"frame":1}\n{"fr' }), ['crash']],
    ['decode: status 2 with its line', outcome({ command: 'decode', status: 2, stdout: '', stderr: 'gwcheck: f: not a pcap\n' }), []],
  ] as const)('%s', (_name, o, kinds) => {
    expect([...new Set(check(o, 'f').map((p) => p.kind))]).toEqual([...new Set(kinds)]);
  });
});

describe('fuzzing regressions (fixtures/regress)', () => {
  const files = existsSync(REGRESSION_DIR) ? readdirSync(REGRESSION_DIR).filter((f) => !f.endsWith('.md')).sort() : [];
  if (files.length === 0) it.skip('no regression fixture yet: no campaign has found a failure', () => undefined);
  else it.each(files)('%s', async (name) => {
    expect(await checkFile(join(REGRESSION_DIR, name), true, false)).toEqual([]);
  });
});
