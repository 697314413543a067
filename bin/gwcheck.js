#!/usr/bin/env node
// Thin shim: the CLI lives in src/cli (compiled to dist/ by `npm run build`, which `npm ci` runs via `prepare`).
// The build also bundles dist/ into the one script dist/gwcheck.cjs, loaded with V8's code cache of it (bundle.cjs):
// Node 20's ES module loader resolves, reads and compiles each of the ~140 modules on its own (~100 ms of every
// start), and even one ES-module bundle is parsed and compiled anew at each start (Node 20 has no compile cache for
// ES modules). A bundle older than dist/cli/main.js (a bare `tsc` since the last `npm run build`) is stale, and the
// modules are loaded instead.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

const mtime = (file) => statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
if (mtime('../dist/gwcheck.cjs') < 0 && mtime('../dist/cli/main.js') < 0) {
  // A checkout that was never built (`git clone` without `npm ci`, or a `dist/` removed): say so, not a stack trace.
  process.stderr.write('gwcheck: not built yet: run `npm ci` (or `npm run build`) in the gwcheck checkout first\n');
  process.exit(2);
}
const bundled = mtime('../dist/gwcheck.cjs') >= mtime('../dist/cli/main.js');
const { main, yieldBackgroundThreads } = bundled
  ? createRequire(import.meta.url)('./bundle.cjs').load().exports
  : await import('../dist/cli/main.js');
// Node's compiler and GC threads at a lower priority than this one (src/cli/threads.ts): on a 2-core machine they
// took a third of the main thread's core while the analysis warmed up.
yieldBackgroundThreads();

// Write errors on stdout are the commands' to report (src/cli/io.ts BufferedOutput): a reader that went away
// (`| head`) ends the output quietly and keeps the exit status, a full disk is one line and exit 2. This listener
// only keeps a late error event from becoming an uncaught exception with a stack trace.
process.stdout.on('error', () => {});

try {
  process.exitCode = await main(process.argv.slice(2));
  // Done: everything is written (stdout and stderr are synchronous for files, terminals and, on Linux, pipes).
  // Exiting here skips tearing the heap down page by page (30–40 ms after the benchmark's 400k-packet capture).
  // Where a write is still queued (a pipe on macOS), Node's own exit drains it first.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
} catch (err) {
  // Input problems are reported by the commands themselves; reaching this is a bug in gwcheck.
  process.stderr.write(`gwcheck: internal error: ${err?.message ?? err} (set GWCHECK_DEBUG=1 for the stack; please report it)\n`);
  if (process.env.GWCHECK_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  process.exitCode = 2;
}
