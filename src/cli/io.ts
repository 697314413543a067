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
