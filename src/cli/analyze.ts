// `gwcheck analyze FILE…`: run the analysis, print the report, turn findings into the exit status.
import { appendFileSync, closeSync, openSync, statSync, writeSync } from 'node:fs';
import { analyze, UsageError } from '../analyze.js';
import { loadBaseline, type Baseline } from '../config/baseline.js';
import { ConfigError, loadConfig } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { failsGate } from '../report/gate.js';
import { jsonChunks } from '../report/json.js';
import type { Report } from '../report/types.js';
import type { FailOn, Format, OutputSpec } from './options.js';
import { createProgressLine } from './progress.js';
import { createLiveOutput } from './live.js';
import { BufferedOutput, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, EXIT_USAGE, stdinNamedTwice, stopOnInterrupt, writeFailed, type Io } from './io.js';

export interface AnalyzeCliOptions {
  format: Format;
  json?: boolean;
  follow?: boolean;
  output?: OutputSpec[];
  failOn: FailOn;
  /** True when --fail-on was given (it then wins over the config's failOn). */
  failOnGiven?: boolean;
  rules?: string[];
  disable?: string[];
  vxlanPort?: number[];
  bgpPort?: number[];
  verbose?: boolean;
  /** --inventory: the whole map in the table, not one line per domain. */
  inventory?: boolean;
  quiet?: boolean;
  color?: boolean;
  /** --config FILE, or false for --no-config. */
  config?: string | false;
  baseline?: string;
  /** Thresholds given as flags (the config's and the defaults fill the rest). */
  settings: Record<string, number>;
  /** Directory gwcheck.config.json is looked for in (default: the working directory). */
  cwd?: string;
}

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
  const format: Format = opts.json ? 'json' : opts.format;
  let config: LoadedConfig | null;
  let baseline: Baseline | undefined;
  try {
    config = loadConfig(opts.config, opts.cwd);
    if (opts.baseline) baseline = loadBaseline(opts.baseline);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.message.split('\n')) io.stderr.write(`gwcheck: ${line}\n`);
    return EXIT_USAGE;
  }
  // Flags override the file.
  const failOn: FailOn = opts.failOnGiven || !config?.config.failOn ? opts.failOn : config.config.failOn;
  const outputs = opts.output ?? [];
  const primaryFile = outputs.find((o) => o.format === null)?.file;
  const extra = outputs.filter((o): o is { format: Format; file: string } => o.format !== null);

  const totalBytes = files.every((f) => f !== '-') ? files.reduce((sum, f) => sum + fileSize(f), 0) : undefined;
  // Ctrl-C (or SIGTERM) stops reading and the report of what was read follows; a second one exits at once.
  const stop = stopOnInterrupt(io);
  try {
    return await analyzeAndReport(files, opts, io, format, totalBytes, stop.signal, { failOn, config, baseline, primaryFile, extra, afterAnalysis });
  } finally {
    stop.dispose();
  }
}

/** What runAnalyze settled before reading: the gate, the config and baseline, where the outputs go. */
interface ReportContext {
  failOn: FailOn;
  config: LoadedConfig | null;
  baseline: Baseline | undefined;
  primaryFile: string | undefined;
  extra: { format: Format; file: string }[];
  afterAnalysis?: (report: Report) => Promise<void>;
}

async function analyzeAndReport(
  files: string[],
  opts: AnalyzeCliOptions,
  io: Io,
  format: Format,
  totalBytes: number | undefined,
  signal: AbortSignal,
  ctx: ReportContext,
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
      // As git's GIT_PROGRESS_DELAY: how long a run reads before its progress line appears (ms; 0 at once).
      progressDelayMs: progressDelay(io.env.GWCHECK_PROGRESS_DELAY),
      echoSettings: { failOn: ctx.failOn },
      ...(ctx.config ? { config: ctx.config } : {}),
      ...(ctx.baseline ? { baseline: ctx.baseline } : {}),
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
  if (ctx.afterAnalysis) await ctx.afterAnalysis(report);

  const inputFailed = report.inputs.some((i) => i.error !== null);
  const anythingRead = report.stats.packets > 0 || report.inputs.some((i) => i.error === null);
  if (format !== 'table' || anythingRead) {
    // JSON goes out piece by piece (a report can hold thousands of findings); the others are one string.
    // ndjson ends with the report as one line, unless -o takes it (as JSON).
    const chunks: Iterable<string> =
      format === 'ndjson'
        ? ctx.primaryFile !== undefined
          ? jsonChunks(report)
          : [`{"event":"report","report":${JSON.stringify(report)}}\n`]
        : await render(format, report, opts, ctx.failOn, io, ctx.primaryFile !== undefined);
    if (ctx.primaryFile !== undefined) {
      if (!writeFile(ctx.primaryFile, chunks, io)) return EXIT_USAGE;
    } else {
      for (const chunk of chunks) await out.write(chunk);
      await out.flush();
    }
  }
  // Several outputs from the one pass: each FORMAT=FILE.
  for (const o of ctx.extra) {
    if (!writeFile(o.file, await render(o.format, report, opts, ctx.failOn, io, true), io)) return EXIT_USAGE;
  }
  if (format === 'github' || ctx.extra.some((o) => o.format === 'github')) {
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      const { renderMarkdown } = await import('../report/markdown.js');
      try {
        appendFileSync(summaryFile, renderMarkdown(report, ctx.failOn));
      } catch (err) {
        io.stderr.write(`gwcheck: $GITHUB_STEP_SUMMARY (${summaryFile}): cannot append the job summary (${(err as NodeJS.ErrnoException).code ?? err})\n`);
      }
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
  return report.findings.some((f) => failsGate(f, ctx.failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

async function render(format: Format, report: Report, opts: AnalyzeCliOptions, failOn: FailOn, io: Io, toFile: boolean): Promise<Iterable<string>> {
  switch (format) {
    case 'json':
    case 'ndjson': // an extra ndjson output is the report itself (events go to stdout only)
      return jsonChunks(report);
    case 'table':
      return [await table(report, opts, failOn, io, toFile)];
    case 'sarif': {
      const { renderSarif } = await import('../report/sarif.js');
      return [renderSarif(report, { cwd: opts.cwd })];
    }
    case 'junit': {
      const { renderJunit } = await import('../report/junit.js');
      return [renderJunit(report, failOn)];
    }
    case 'github': {
      const { renderGithub } = await import('../report/github.js');
      return [renderGithub(report, failOn, opts.cwd)];
    }
    case 'markdown': {
      const { renderMarkdown } = await import('../report/markdown.js');
      return [renderMarkdown(report, failOn)];
    }
    case 'html':
      return html(report);
  }
}

function writeFile(path: string, chunks: Iterable<string>, io: Io): boolean {
  try {
    const fd = openSync(path, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    io.stderr.write(`gwcheck: ${path}: cannot write the report (${(err as NodeJS.ErrnoException).code ?? err}); check the path\n`);
    return false;
  }
}

/**
 * The table report. Its modules (cli-table3, chalk) are loaded only here: a JSON run — the CI gate — starts
 * without them (about 5 ms of the 50 ms gwcheck takes to load).
 */
async function table(report: Report, opts: AnalyzeCliOptions, failOn: FailOn, io: Io, toFile: boolean): Promise<string> {
  const [{ renderTable }, { colorWanted, createPainter }] = await Promise.all([import('../report/table.js'), import('../report/paint.js')]);
  // A terminal's width when it has one; COLUMNS (as shells export it) otherwise; 140 for files and pipes.
  const columns = Number(io.env.COLUMNS);
  const width = toFile ? 140 : io.stdout.columns || (Number.isInteger(columns) && columns > 0 ? columns : 140);
  return renderTable(report, {
    verbose: Boolean(opts.verbose),
    inventory: Boolean(opts.inventory),
    width,
    painter: createPainter(toFile ? false : colorWanted(io.stdout, io.env, opts.color)),
    failOn,
  });
}

/** The HTML page: its modules load only here; the inputs are read once more for the pictures (report/html/collect.ts). */
async function html(report: Report): Promise<Iterable<string>> {
  const [{ htmlChunks }, { collectScenes }] = await Promise.all([import('../report/html.js'), import('../report/html/collect.js')]);
  return htmlChunks(report, await collectScenes(report));
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** GWCHECK_PROGRESS_DELAY as ms, or undefined when unset or not a number ≥ 0. */
function progressDelay(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const ms = Number(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
