// `npm run fuzz [-- --count N --seed S --in-process --binary-every K --max-corpus-bytes B --timeout-ms T --max-rss-mb M]`:
// the long fuzzing campaign of issue 14. File-level mutants of fixtures/*.pcapng and, when present, of
// ../shared/corpus/captures (test/fuzz/mutate.ts), each run through the real CLI (bin/gwcheck.js analyze --format
// json and decode --format ndjson, in a child with a time limit; bench/measure.mjs reports its peak RSS) and checked
// against test/fuzz/check.ts. --in-process runs main() in this process instead (much faster; no RSS or hang
// limit per run), with every K-th mutant also through the binary.
//
// Failing mutants are kept in bench/out/fuzz/ with a .txt of their problems; each becomes a regression fixture
// (copy it, small, into fixtures/regress/ — test/fuzz/fuzz.test.ts runs every file there). Exit status 1 when any
// mutant failed. Mutant (seed, i) is the same on every run: `--seed S --from i --count 1` reproduces one.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBases, mutantAt, checkFile } from '../test/fuzz/campaign.js';
import { DEFAULT_LIMITS, REPO } from '../test/fuzz/check.js';

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const count = num('--count', 500);
const seed = num('--seed', 1);
const from = num('--from', 0);
const inProcess = args.includes('--in-process');
const binaryEvery = num('--binary-every', inProcess ? 50 : 1);
const limits = { timeoutMs: num('--timeout-ms', DEFAULT_LIMITS.timeoutMs), maxRssMb: num('--max-rss-mb', DEFAULT_LIMITS.maxRssMb) };
const outDir = join(REPO, 'bench', 'out', 'fuzz');

const { bases, corpus } = loadBases(num('--max-corpus-bytes', 256 * 1024));
process.stderr.write(
  `fuzz: seed ${seed}, mutants ${from}…${from + count - 1} of ${bases.length} bases (${corpus ? 'fixtures and corpus' : 'fixtures only: ../shared/corpus absent'}), ` +
    `${inProcess ? `in-process, every ${binaryEvery}th through the binary` : 'through bin/gwcheck.js'}; limits ${limits.timeoutMs} ms, ${limits.maxRssMb} MiB\n`,
);
mkdirSync(outDir, { recursive: true });
const counts = { crash: 0, hang: 0, 'over-memory': 0, unclear: 0 };
const stats = { binaryRuns: 0, maxMs: 0, maxRssMb: 0 };
let failed = 0;
let slowOnce = 0;
const started = Date.now();
for (let index = from; index < from + count; index++) {
  const { base, mutant } = mutantAt(seed, index, bases);
  const file = join(outDir, `mutant-${seed}-${index}.bin`);
  writeFileSync(file, mutant.bytes);
  const binary = binaryEvery > 0 && index % binaryEvery === 0;
  let problems = await checkFile(file, inProcess, binary, limits, stats);
  if (problems.length && problems.every((p) => p.kind === 'hang')) {
    // On a shared machine a run can stall for reasons of its own: a hang counts only if it happens again.
    const again = await checkFile(file, inProcess, binary, limits, stats);
    if (!again.some((p) => p.kind === 'hang')) {
      slowOnce++;
      process.stderr.write(`fuzz: #${index} was over the time limit once, not on a second run (machine load?)\n`);
    }
    problems = again;
  }
  if (problems.length) {
    failed++;
    for (const kind of new Set(problems.map((p) => p.kind))) counts[kind]++;
    const text = `${base.name} ${mutant.how}\n${problems.map((p) => `${p.kind} ${p.command}: ${p.detail}`).join('\n')}\n`;
    writeFileSync(file + '.txt', text);
    process.stderr.write(`FAIL #${index} ${text}`);
  } else {
    rmSync(file, { force: true });
  }
  if ((index - from + 1) % 100 === 0) process.stderr.write(`fuzz: ${index - from + 1}/${count}, ${failed} failed, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
const summary = {
  seed,
  from,
  tried: count,
  failed,
  ...counts,
  slowOnceNotAgain: slowOnce,
  binaryRuns: stats.binaryRuns,
  slowestBinaryRunMs: Math.round(stats.maxMs),
  maxPeakRssMb: Math.round(stats.maxRssMb),
  seconds: Math.round((Date.now() - started) / 1000),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = failed ? 1 : 0;
