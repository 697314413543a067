// What every input — however broken — must get from the CLI (issue 14's fuzzing contract):
// - no crash: no stack trace, no "internal error", exit status in {0, 1, 2};
// - analyze --format json: stdout is one JSON report; status 2 exactly when an input failed, else 1 exactly when
//   a finding is at or above --fail-on (default error), else 0;
// - decode --format ndjson: every stdout line is a JSON object; status 2 exactly when the input failed;
// - stderr: at most one line, `gwcheck: FILE: …` (the error, or the warning that the capture was cut short);
// - bounded: within a wall-time limit and a peak-RSS limit (binary runs).
// Checks run either in-process through main() (fast: hundreds of mutants a second) or through bin/gwcheck.js.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Outcome {
  command: 'analyze' | 'decode';
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the run, ms. */
  ms: number;
  /** Peak RSS in KiB (binary runs only). */
  maxRssKb?: number;
  timedOut?: boolean;
  threw?: unknown;
}

export interface Limits {
  timeoutMs: number;
  maxRssMb: number;
}

export const DEFAULT_LIMITS: Limits = { timeoutMs: 30_000, maxRssMb: 400 };

export type ProblemKind = 'crash' | 'hang' | 'over-memory' | 'unclear';

export interface Problem {
  kind: ProblemKind;
  command: string;
  detail: string;
}

const RANK: Record<string, number> = { info: 1, warning: 2, error: 3 };

export function analyzeArgs(path: string): string[] {
  return ['analyze', '--format', 'json', '--quiet', path];
}

export function decodeArgs(path: string): string[] {
  return ['decode', '--format', 'ndjson', path];
}

class Sink {
  text = '';
  columns = 140;
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

/** Runs the CLI's main() in this process with captured streams. */
export async function runInProcess(command: 'analyze' | 'decode', path: string): Promise<Outcome> {
  const stdout = new Sink();
  const stderr = new Sink();
  const io = { stdout, stderr, env: {} } as unknown as Io;
  const started = performance.now();
  try {
    const status = await main(command === 'analyze' ? analyzeArgs(path) : decodeArgs(path), io);
    return { command, status, stdout: stdout.text, stderr: stderr.text, ms: performance.now() - started };
  } catch (threw) {
    return { command, status: null, stdout: stdout.text, stderr: stderr.text, ms: performance.now() - started, threw };
  }
}

/** Runs bin/gwcheck.js in a child (bench/measure.mjs reports its peak RSS), killed after the time limit. */
export function runBinary(command: 'analyze' | 'decode', path: string, limits: Limits = DEFAULT_LIMITS): Outcome {
  const started = performance.now();
  const res = spawnSync(
    process.execPath,
    [join(REPO, 'bench', 'measure.mjs'), join(REPO, 'bin', 'gwcheck.js'), ...(command === 'analyze' ? analyzeArgs(path) : decodeArgs(path))],
    { cwd: REPO, encoding: 'utf8', timeout: limits.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 512 * 1024 * 1024 },
  );
  const ms = performance.now() - started;
  let stderr = res.stderr ?? '';
  const rss = /\n?__MAXRSS_KB__ (\d+)\n/.exec(stderr);
  if (rss) stderr = stderr.slice(0, rss.index) + stderr.slice(rss.index + rss[0].length);
  const timedOut = (res.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || res.signal === 'SIGKILL';
  return { command, status: res.status, stdout: res.stdout ?? '', stderr, ms, maxRssKb: rss ? Number(rss[1]) : undefined, timedOut };
}

/** The contract above, as a list of problems (empty: the input was handled well). */
export function check(o: Outcome, path: string, limits: Limits = DEFAULT_LIMITS): Problem[] {
  const problems: Problem[] = [];
  const say = (kind: ProblemKind, detail: string) => problems.push({ kind, command: o.command, detail });
  if (o.timedOut) {
    say('hang', `no exit within ${limits.timeoutMs} ms`);
    return problems;
  }
  if (o.threw !== undefined) {
    say('crash', `main() threw: ${(o.threw as Error)?.stack ?? o.threw}`);
    return problems;
  }
  if (o.maxRssKb !== undefined && o.maxRssKb > limits.maxRssMb * 1024) say('over-memory', `peak RSS ${(o.maxRssKb / 1024).toFixed(0)} MiB`);
  if (o.ms > limits.timeoutMs) say('hang', `took ${o.ms.toFixed(0)} ms`);
  if (o.status === null || ![0, 1, 2].includes(o.status)) say('crash', `exit status ${o.status}`);
  if (/internal error|^\s+at .+[(:]\d+/m.test(o.stderr) || /\bError\b.*\n\s+at /.test(o.stderr)) say('crash', `stack trace or internal error on stderr: ${o.stderr.slice(0, 500)}`);
  const lines = o.stderr.split('\n').filter((l) => l !== '');
  if (lines.length > 1) say('unclear', `${lines.length} stderr lines: ${lines.slice(0, 3).join(' | ')}`);
  const prefix = `gwcheck: ${path}: `;
  for (const line of lines) if (!line.startsWith(prefix)) say('unclear', `stderr line not of the form "${prefix}…": ${line.slice(0, 200)}`);
  const errorLine = lines.some((l) => l.startsWith(prefix) && !l.startsWith(`${prefix}warning: `));

  if (o.command === 'analyze') {
    let report: { inputs: { error: unknown; truncated: boolean }[]; findings: { severity: string }[] } | undefined;
    try {
      report = JSON.parse(o.stdout);
    } catch (err) {
      say('crash', `stdout is not JSON (${(err as Error).message}): ${o.stdout.slice(0, 200)}`);
    }
    if (report) {
      const failed = report.inputs.some((i) => i.error !== null);
      const expected = failed ? 2 : report.findings.some((f) => RANK[f.severity] >= RANK.error) ? 1 : 0;
      if (o.status !== expected) say('crash', `exit status ${o.status}, but the report says ${expected}`);
      if (failed !== errorLine) say('unclear', failed ? 'an input failed but stderr has no error line for it' : `stderr has an error line but the report has no input error: ${lines[0]}`);
    }
  } else {
    const out = o.stdout.split('\n');
    if (out[out.length - 1] === '') out.pop();
    for (const [i, line] of out.entries()) {
      try {
        const value = JSON.parse(line);
        if (typeof value !== 'object' || value === null) throw new Error('not an object');
      } catch (err) {
        say('crash', `NDJSON line ${i + 1} does not parse (${(err as Error).message}): ${line.slice(0, 200)}`);
        break;
      }
    }
    if ((o.status === 2) !== errorLine) say('unclear', `decode exit ${o.status} with stderr ${JSON.stringify(lines[0] ?? '')}`);
  }
  return problems;
}
