// `gwcheck analyze FILE…`: run the analysis, print the report, turn findings into the exit status.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { analyze, UsageError } from '../analyze.js';
import { jsonChunks } from '../report/json.js';
import type { Report } from '../report/types.js';
import type { Severity } from '../rules/types.js';
import type { FailOn } from './options.js';
import { createProgressLine } from './progress.js';
import { BufferedOutput, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_USAGE, stdinNamedTwice, type Io } from './io.js';

export interface AnalyzeCliOptions {
  format: 'table' | 'json';
  json?: boolean;
  output?: string;
  failOn: FailOn;
  rules?: string[];
  disable?: string[];
  vxlanPort?: number[];
  bgpPort?: number[];
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
  settings: Record<string, number>;
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

/**
 * `afterAnalysis` (gwcheck annotate) runs on the report before it is printed; the exit status stays analyze's
 * unless the caller keeps its own.
 */
export async function runAnalyze(
  files: string[],
  opts: AnalyzeCliOptions,
  io: Io,
  afterAnalysis?: (report: Report) => Promise<void>,
): Promise<number> {
  if (stdinNamedTwice(files, io)) return EXIT_USAGE;
  const format = opts.json ? 'json' : opts.format;
  const totalBytes = files.every((f) => f !== '-') ? files.reduce((sum, f) => sum + fileSize(f), 0) : undefined;
  const progress = createProgressLine(io.stderr, totalBytes, Boolean(opts.quiet));
  let report: Report;
  try {
    report = await analyze(files, {
      settings: opts.settings,
      rules: opts.rules,
      disable: opts.disable,
      vxlanPorts: opts.vxlanPort,
      bgpPorts: opts.bgpPort,
      onProgress: progress?.update,
      echoSettings: { failOn: opts.failOn },
    });
  } catch (err) {
    progress?.done();
    if (err instanceof UsageError) {
      io.stderr.write(`gwcheck: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  progress?.done();
  if (afterAnalysis) await afterAnalysis(report);

  const inputFailed = report.inputs.some((i) => i.error !== null);
  const anythingRead = report.stats.packets > 0 || report.inputs.some((i) => i.error === null);
  if (format === 'json' || anythingRead) {
    // JSON goes out piece by piece (a report can hold thousands of findings); the table is one small string.
    const chunks: Iterable<string> = format === 'json' ? jsonChunks(report) : [await table(report, opts, io)];
    if (opts.output) {
      try {
        const fd = openSync(opts.output, 'w');
        try {
          for (const chunk of chunks) writeSync(fd, chunk);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        io.stderr.write(`gwcheck: ${opts.output}: cannot write the report (${(err as NodeJS.ErrnoException).code ?? err}); check the path\n`);
        return EXIT_USAGE;
      }
    } else {
      const out = new BufferedOutput(io.stdout);
      for (const chunk of chunks) await out.write(chunk);
      await out.flush();
    }
  }
  for (const input of report.inputs) {
    if (input.error) io.stderr.write(`gwcheck: ${input.path}: ${input.error.message}\n`);
    else if (input.truncated) io.stderr.write(`gwcheck: ${input.path}: warning: the capture is cut short; analysed the ${input.packets} packets before the cut\n`);
  }
  if (inputFailed) return EXIT_INPUT;
  if (opts.failOn === 'none') return EXIT_OK;
  const threshold = RANK[opts.failOn];
  return report.findings.some((f) => RANK[f.severity] >= threshold) ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * The table report. Its modules (cli-table3, chalk) are loaded only here: a JSON run — the CI gate — starts
 * without them (about 5 ms of the 50 ms gwcheck takes to load).
 */
async function table(report: Report, opts: AnalyzeCliOptions, io: Io): Promise<string> {
  const [{ renderTable }, { colorWanted, createPainter }] = await Promise.all([import('../report/table.js'), import('../report/paint.js')]);
  return renderTable(report, {
    verbose: Boolean(opts.verbose),
    width: (opts.output ? 140 : io.stdout.columns) || 140,
    painter: createPainter(opts.output ? false : colorWanted(io.stdout, io.env, opts.color)),
    failOn: opts.failOn,
  });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
