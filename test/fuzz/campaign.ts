// A seeded fuzzing campaign: mutants of the base captures, each run through the CLI and checked (check.ts).
// Used by test/fuzz/fuzz.test.ts (a short run) and bench/fuzz.ts (`npm run fuzz -- --count 20000`).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, DEFAULT_LIMITS, REPO, runBinary, runInProcess, type Limits, type Problem, type ProblemKind } from './check.js';
import { mutate, Random, type Mutant } from './mutate.js';

export interface Base {
  name: string;
  bytes: Buffer;
}

export const CORPUS_CAPTURES = join(REPO, '..', 'shared', 'corpus', 'captures');
export const REGRESSION_DIR = join(REPO, 'fixtures', 'regress');

/** fixtures/*.pcapng, and the corpus captures up to `maxCorpusBytes` when ../shared/corpus is present. */
export function loadBases(maxCorpusBytes = 256 * 1024): { bases: Base[]; corpus: boolean } {
  const bases: Base[] = [];
  const fixtures = join(REPO, 'fixtures');
  for (const name of readdirSync(fixtures).sort()) {
    if (name.endsWith('.pcapng') || name.endsWith('.pcap')) bases.push({ name, bytes: readFileSync(join(fixtures, name)) });
  }
  const corpus = existsSync(CORPUS_CAPTURES);
  if (corpus) {
    for (const name of readdirSync(CORPUS_CAPTURES).sort()) {
      const path = join(CORPUS_CAPTURES, name);
      if (statSync(path).size <= maxCorpusBytes) bases.push({ name: `corpus/${name}`, bytes: readFileSync(path) });
    }
  }
  return { bases, corpus };
}

export interface Failure {
  index: number;
  base: string;
  how: string;
  file: string;
  problems: Problem[];
}

export interface CampaignOptions {
  seed: number;
  count: number;
  bases: Base[];
  /** Where mutants are written (one at a time; failing ones are kept there). */
  dir: string;
  /** Run every mutant in-process through main() (fast) … */
  inProcess: boolean;
  /** … and every n-th one (1: all) through bin/gwcheck.js too (0: none). */
  binaryEvery: number;
  limits?: Limits;
  onProgress?: (done: number, failures: number) => void;
}

export interface CampaignResult {
  tried: number;
  binaryRuns: number;
  counts: Record<ProblemKind, number>;
  failures: Failure[];
  maxMs: number;
  maxRssMb: number;
}

/** The mutant for (seed, index): reproducible alone, whatever ran before it. */
export function mutantAt(seed: number, index: number, bases: Base[]): { base: Base; mutant: Mutant } {
  const rnd = new Random((seed * 0x9e3779b1 + index * 0x85ebca6b) >>> 0);
  const base = rnd.pick(bases);
  const other = rnd.pick(bases);
  return { base, mutant: mutate(base.bytes, rnd, other.bytes) };
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  mkdirSync(opts.dir, { recursive: true });
  const result: CampaignResult = {
    tried: 0,
    binaryRuns: 0,
    counts: { crash: 0, hang: 0, 'over-memory': 0, unclear: 0 },
    failures: [],
    maxMs: 0,
    maxRssMb: 0,
  };
  for (let index = 0; index < opts.count; index++) {
    const { base, mutant } = mutantAt(opts.seed, index, opts.bases);
    const file = join(opts.dir, `mutant-${opts.seed}-${index}.bin`);
    writeFileSync(file, mutant.bytes);
    const problems = await checkFile(file, opts.inProcess, opts.binaryEvery > 0 && index % opts.binaryEvery === 0, limits, result);
    result.tried++;
    if (problems.length) {
      for (const kind of new Set(problems.map((p) => p.kind))) result.counts[kind]++;
      result.failures.push({ index, base: base.name, how: mutant.how, file, problems });
    } else {
      rmSync(file, { force: true });
    }
    opts.onProgress?.(index + 1, result.failures.length);
  }
  return result;
}

/** Runs one file through analyze and decode, in-process and/or through the binary; the problems found. */
export async function checkFile(
  file: string,
  inProcess: boolean,
  binary: boolean,
  limits: Limits = DEFAULT_LIMITS,
  stats?: { binaryRuns: number; maxMs: number; maxRssMb: number },
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const command of ['analyze', 'decode'] as const) {
    if (inProcess) problems.push(...check(await runInProcess(command, file), file, limits));
    if (binary) {
      const outcome = runBinary(command, file, limits);
      if (stats) {
        stats.binaryRuns++;
        stats.maxMs = Math.max(stats.maxMs, outcome.ms);
        stats.maxRssMb = Math.max(stats.maxRssMb, (outcome.maxRssKb ?? 0) / 1024);
      }
      problems.push(...check(outcome, file, limits).map((p) => ({ ...p, command: `${p.command} (binary)` })));
    }
  }
  return problems;
}
