#!/usr/bin/env node
// Thin shim: the CLI lives in src/cli (compiled to dist/ by `npm run build`, which `npm ci` runs via `prepare`).
import { main } from '../dist/cli/main.js';

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
