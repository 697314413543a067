// `gwcheck annotate INPUT… -o OUT`: analyse as `analyze` does (every analyze option applies, the report is printed
// the same way), then write a pcapng copy of each input in which every frame a finding cites carries a packet
// comment — `gwcheck: <severity> <rule> — <summary> [finding <id>] (<role>)`, one per finding that cites it — so
// Wireshark's Expert Info lists them and `frame.comment contains "gwcheck"` isolates them.
//
// One input: -o names the output file. Several inputs: -o names a directory and each input gets its own copy
// (NAME.annotated.pcapng), because the findings cite frames by file and a merged copy would renumber every frame.
import { mkdirSync, openSync, closeSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { copyWithComments, type AnnotateStats } from '../capture/pcapng-writer.js';
import { CaptureError } from '../capture/types.js';
import type { Report } from '../report/types.js';
import { VERSION } from '../version.js';
import { runAnalyze, type AnalyzeCliOptions } from './analyze.js';
import { EXIT_INPUT, EXIT_USAGE, type Io } from './io.js';

export interface AnnotateCliOptions extends Omit<AnalyzeCliOptions, 'output'> {
  /** The output capture (one input) or directory (several). */
  output?: string;
}

/** The packet comments for each input: frame number → comments, in the report's finding order. */
export function commentsByInput(report: Report): Map<number, string[]>[] {
  const out = report.inputs.map(() => new Map<number, string[]>());
  for (const f of report.findings) {
    // One comment per finding per frame; a frame cited in several roles names them all.
    const roles = new Map<string, string[]>();
    for (const item of f.evidence.items) {
      const key = `${item.input}/${item.frame}`;
      const list = roles.get(key) ?? [];
      if (!list.includes(item.role)) list.push(item.role);
      roles.set(key, list);
    }
    for (const [key, list] of roles) {
      const [input, frame] = key.split('/').map(Number);
      const text = `gwcheck: ${f.severity} ${f.rule} — ${f.summary} [finding ${f.id}] (${list.join('; ')})`;
      const map = out[input];
      const existing = map.get(frame) ?? [];
      existing.push(text);
      map.set(frame, existing);
    }
  }
  return out;
}

/** Where input `index` of `files` is written. */
export function outputPath(files: readonly string[], index: number, output: string): string {
  if (files.length === 1) return output;
  const base = basename(files[index]).replace(/\.gz$/i, '').replace(/\.[^.]*$/, '');
  const clash = files.some((other, j) => j !== index && basename(other).replace(/\.gz$/i, '').replace(/\.[^.]*$/, '') === base);
  return join(output, `${base}${clash ? `-${index + 1}` : ''}.annotated.pcapng`);
}

export async function runAnnotate(files: string[], opts: AnnotateCliOptions, io: Io): Promise<number> {
  if (!opts.output) {
    io.stderr.write('gwcheck: annotate needs -o OUT.pcapng (with several inputs: -o DIR)\n');
    return EXIT_USAGE;
  }
  if (files.includes('-')) {
    io.stderr.write('gwcheck: annotate reads each input twice (analyse, then copy): save stdin to a file first\n');
    return EXIT_USAGE;
  }
  const output = opts.output;
  if (files.length > 1) {
    try {
      mkdirSync(output, { recursive: true });
      if (!statSync(output).isDirectory()) throw new Error('not a directory');
    } catch {
      io.stderr.write(`gwcheck: ${output}: with several inputs -o names a directory (one annotated copy per input)\n`);
      return EXIT_USAGE;
    }
  }
  let writeStatus: number | undefined;
  const status = await runAnalyze(files, { ...opts, output: undefined }, io, async (report) => {
    if (report.inputs.some((i) => i.error !== null)) return; // nothing is written for an input that could not be read
    const comments = commentsByInput(report);
    for (let i = 0; i < files.length; i++) {
      const target = outputPath(files, i, output);
      let stats: AnnotateStats;
      let fd: number;
      try {
        fd = openSync(target, 'w');
      } catch (err) {
        io.stderr.write(`gwcheck: ${target}: cannot write (${(err as NodeJS.ErrnoException).code ?? err})\n`);
        writeStatus = EXIT_USAGE;
        return;
      }
      try {
        stats = await copyWithComments(files[i], comments[i], { write: async (block) => void writeSync(fd, block) }, `gwcheck ${VERSION} annotate`);
      } catch (err) {
        if (!(err instanceof CaptureError)) throw err;
        io.stderr.write(`gwcheck: ${files[i]}: ${err.message}\n`);
        writeStatus = EXIT_INPUT;
        return;
      } finally {
        closeSync(fd);
      }
      const skipped = stats.uncommentable.length ? `; ${stats.uncommentable.length} cited frame(s) in simple packet blocks cannot hold a comment` : '';
      if (!opts.quiet) {
        io.stderr.write(`gwcheck: wrote ${target}: ${stats.frames} frames, ${stats.comments} comment(s) on ${stats.commented} frame(s)${skipped}\n`);
      }
    }
  });
  return writeStatus ?? status;
}
