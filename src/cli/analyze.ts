// `gwcheck analyze FILE…`: run the analysis, print the report, turn findings into the exit status.
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { analyze, UsageError } from '../analyze.js';
import { jsonChunks } from '../report/json.js';
import type { Report } from '../report/types.js';
import type { Severity } from '../rules/types.js';
import type { FailOn } from './options.js';
import { createProgressLine } from './progress.js';
import { createLiveOutput } from './live.js';
import { BufferedOutput, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_USAGE, stdinNamedTwice, stopOnInterrupt, writeFailed, type Io } from './io.js';

export interface AnalyzeCliOptions {
  format: 'table' | 'json' | 'ndjson';
  json?: boolean;
  follow?: boolean;
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

export async function runAnalyze(files: string[], opts: AnalyzeCliOptions, io: Io): Promise<number> {
  if (stdinNamedTwice(files, io)) return EXIT_USAGE;
  const format = opts.json ? 'json' : opts.format;
  const totalBytes = files.every((f) => f !== '-') ? files.reduce((sum, f) => sum + fileSize(f), 0) : undefined;
  // Ctrl-C (or SIGTERM) stops reading and the report of what was read follows; a second one exits at once.
  const stop = stopOnInterrupt(io);
  try {
    return await analyzeAndReport(files, opts, io, format, totalBytes, stop.signal);
  } finally {
    stop.dispose();
  }
}

async function analyzeAndReport(
  files: string[],
  opts: AnalyzeCliOptions,
  io: Io,
  format: 'table' | 'json' | 'ndjson',
  totalBytes: number | undefined,
  signal: AbortSignal,
): Promise<number> {
  const out = new BufferedOutput(io.stdout);
  const reader = new AbortController();
  signal.addEventListener('abort', () => reader.abort(), { once: true });
  const liveFormat = format === 'ndjson' ? 'ndjson' : opts.follow ? 'table' : null;
  const live = liveFormat
    ? createLiveOutput({
        format: liveFormat,
        out,
        io,
        status: Boolean(io.stderr.isTTY) && !opts.quiet,
        // Following with nobody reading the findings any more: stop, as `tail -f | head` does.
        onClosed: () => {
          if (opts.follow) reader.abort();
        },
      })
    : undefined;
  const progress = live ? undefined : createProgressLine(io.stderr, totalBytes, Boolean(opts.quiet));
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
      signal: reader.signal,
      follow: opts.follow,
      onFinding: live?.finding,
      onTick: live?.tick,
    });
  } catch (err) {
    progress?.done();
    live?.done();
    if (err instanceof UsageError) {
      io.stderr.write(`gwcheck: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  progress?.done();
  live?.end(report.findings);
  live?.done();

  const inputFailed = report.inputs.some((i) => i.error !== null);
  const anythingRead = report.stats.packets > 0 || report.inputs.some((i) => i.error === null);
  if (format !== 'table' || anythingRead) {
    // JSON goes out piece by piece (a report can hold thousands of findings); the table is one small string.
    // ndjson ends with the report as one line, unless -o takes it (as JSON).
    const chunks: Iterable<string> =
      format === 'json' || (format === 'ndjson' && opts.output)
        ? jsonChunks(report)
        : format === 'ndjson'
          ? [`{"event":"report","report":${JSON.stringify(report)}}\n`]
          : [await table(report, opts, io)];
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
      for (const chunk of chunks) await out.write(chunk);
      await out.flush();
    }
  }
  out.detach();
  // A reader that went away (`| head`) is its choice: the status stays what was found. A full disk is not.
  if (writeFailed(out, io, 'the report')) return EXIT_USAGE;
  for (const input of report.inputs) {
    if (input.interrupted) io.stderr.write(`gwcheck: ${input.path}: interrupted: the report covers the ${input.packets} packets read until then\n`);
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
