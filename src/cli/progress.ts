// A progress line on stderr for long inputs on a terminal: bytes done / total, packets/s, ETA — at most 4 a second.
import type { Progress } from '../analyze.js';

const MIN_BYTES = 50 * 1024 * 1024;

export interface ProgressLine {
  update(p: Progress): void;
  done(): void;
}

export function createProgressLine(stream: NodeJS.WriteStream, totalBytes: number | undefined, quiet: boolean): ProgressLine | undefined {
  if (quiet || !stream.isTTY || totalBytes === undefined || totalBytes < MIN_BYTES) return undefined;
  let shown = false;
  return {
    update(p) {
      const done = p.bytesDone;
      const total = p.bytesTotal ?? totalBytes;
      const seconds = p.elapsedMs / 1000;
      const rate = seconds > 0 ? p.packets / seconds : 0;
      const eta = done > 0 && seconds > 0 ? ((total - done) * seconds) / done : NaN;
      const pct = total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0;
      const line =
        `gwcheck: ${mb(done)} / ${mb(total)} MB (${pct}%)  ${Math.round(rate / 1000)}k packets/s` +
        (Number.isFinite(eta) ? `  ETA ${eta.toFixed(1)} s` : '');
      stream.write(`\r${line}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}
