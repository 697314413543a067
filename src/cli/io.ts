// The streams and environment a command writes to: process's in production, captured ones in tests.
export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Exit statuses are a contract (README, --help). */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An input could not be read (not a capture, corrupt, missing): same number as usage errors, as documented. */
export const EXIT_INPUT = 2;

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
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

/** Collects output into large writes and waits for 'drain', so a slow pipe holds the producer back instead of memory. */
export class BufferedOutput {
  private pending = '';
  constructor(private readonly stream: NodeJS.WritableStream) {}

  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    // Only a real stream that said "full" (false, not undefined from a test double) is waited for.
    if (this.stream.write(text) === false) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }
}
