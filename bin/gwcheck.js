#!/usr/bin/env node
// Thin shim: the CLI lives in src/cli (compiled to dist/ by `npm run build`, which `npm ci` runs via `prepare`).
// The build also bundles dist/ into the one file dist/gwcheck.js: Node 20's ES module loader resolves, reads and
// compiles each of the ~140 modules on its own: ~100 ms of every start, the bundle ~60 ms. A bundle older than dist/cli/main.js (a bare
// `tsc` since the last `npm run build`) is stale, and the modules are loaded instead.
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Half V8's default budget for inlining into one optimised function (920 bytes of bytecode): two fifths of a run's
// instructions are TurboFan compiling the rules' handlers, and smaller inlining trees compile in less. Measured on the
// v2 400k benchmark: −4.5% instructions for one run and −4% over three runs in one process (so the optimised code is
// no slower once warm), ×0.92 wall on one core, ×0.96 CPU on two. Set before any of gwcheck's code is compiled; a
// compile reads it when it starts, so setting it here is the same as passing it to node.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=460');

const mtime = (file) => statSync(new URL(file, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = mtime('../dist/gwcheck.js') >= mtime('../dist/cli/main.js');
const { main } = await import(bundled ? '../dist/gwcheck.js' : '../dist/cli/main.js');

// Write errors on stdout are the commands' to report (src/cli/io.ts BufferedOutput): a reader that went away
// (`| head`) ends the output quietly and keeps the exit status, a full disk is one line and exit 2. This listener
// only keeps a late error event from becoming an uncaught exception with a stack trace.
process.stdout.on('error', () => {});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Input problems are reported by the commands themselves; reaching this is a bug in gwcheck.
  process.stderr.write(`gwcheck: internal error: ${err?.message ?? err} (set GWCHECK_DEBUG=1 for the stack; please report it)\n`);
  if (process.env.GWCHECK_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  process.exitCode = 2;
}
