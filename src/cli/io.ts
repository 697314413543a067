// The streams and environment a command writes to: process's in production, captured ones in tests.
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /**
   * SIGINT / SIGTERM (the process's only; absent in tests that call main() in-process): subscribes `onSignal`
   * and returns the unsubscribe.
   */
  interrupts?: (onSignal: () => void) => () => void;
  /** Ends the process now with `code`: only for a second Ctrl-C, which must not wait for anything. */
  exitNow?: (code: number) => never;
}

/** Exit statuses are a contract (README, --help). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An input could not be read (not a capture, corrupt, missing): same number as usage errors, as documented. */
export const EXIT_INPUT = 2;
/** A second Ctrl-C: 128 + SIGINT, as a shell reports a program the signal ended. */
export const EXIT_INTERRUPTED = 130;

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    interrupts: (onSignal) => {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
    },
    exitNow: (code) => process.exit(code),
  };
}

/**
 * The first SIGINT/SIGTERM aborts `signal` (reading stops, the report of what was read follows); the second exits
 * at once with 130. `dispose` gives the signals back to Node's default.
 */
export function stopOnInterrupt(io: Io): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const unsubscribe = io.interrupts?.(() => {
    if (controller.signal.aborted) io.exitNow?.(EXIT_INTERRUPTED);
    controller.abort();
  });
  return { signal: controller.signal, dispose: () => unsubscribe?.() };
}

/**
 * `-` (stdin) named twice: the second would read an already-consumed stream and be reported as an empty file.
 * Says so on one line and returns true (the caller exits with EXIT_USAGE).
 */
export function stdinNamedTwice(files: readonly string[], io: Io): boolean {
  if (files.filter((f) => f === '-').length < 2) return false;
  io.stderr.write("gwcheck: '-' (stdin) is named more than once; stdin can be read only once\n");
  return true;
}

/**
 * Collects output into large writes and waits for 'drain', so a slow pipe holds the producer back instead of memory.
 * A reader that goes away (`| head`, `| less` quit: EPIPE) closes it quietly — later writes are dropped and the
 * command keeps its exit status, as Unix tools do; any other write error (ENOSPC on `> /dev/full`) closes it too
 * and is kept in `error`, for the command to say on one line (writeFailed) and exit 2.
 */
export class BufferedOutput {
  private pending = '';
  /** No more output goes out: the reader went away, or a write failed (`error`). */
  closed = false;
  error: NodeJS.ErrnoException | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly stream: NodeJS.WritableStream) {
    // Test doubles may be plain objects with a write method.
    if (typeof stream.on === 'function') stream.on('error', this.failed);
  }

  async write(text: string): Promise<void> {
    if (this.closed) return;
    this.pending += text;
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  /** Writes `text` now, without waiting for the reader (live lines, a few a second at most). */
  writeNow(text: string): void {
    if (this.closed) return;
    this.pending += text;
    const all = this.pending;
    this.pending = '';
    this.stream.write(all);
  }

  async flush(): Promise<void> {
    if (!this.pending || this.closed) return;
    const text = this.pending;
    this.pending = '';
    // Only a real stream that said "full" (false, not undefined from a test double) is waited for — until it drains
    // or fails: a pipe whose reader went away never drains.
    if (this.stream.write(text) === false && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.removeListener('drain', done);
          this.wake = null;
          resolve();
        };
        this.wake = done;
        this.stream.once('drain', done);
      });
    }
  }

  /** Stops listening to the stream (the command is done with it). */
  detach(): void {
    if (typeof this.stream.removeListener === 'function') this.stream.removeListener('error', this.failed);
  }

  private readonly failed = (err: NodeJS.ErrnoException): void => {
    this.closed = true;
    if (err.code !== 'EPIPE') this.error ??= err;
    this.wake?.();
  };
}

/** A write error other than a reader that went away: one line on stderr; true when there was one (exit 2). */
export function writeFailed(out: BufferedOutput, io: Io, what: string): boolean {
  if (!out.error) return false;
  io.stderr.write(`gwcheck: cannot write ${what} to stdout (${out.error.code ?? out.error.message}); check the disk or the redirection\n`);
  return true;
}
