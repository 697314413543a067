#!/usr/bin/env node
// Thin shim: the CLI lives in src/cli (compiled to dist/ by `npm run build`, which `npm ci` runs via `prepare`).
import { main } from '../dist/cli/main.js';

// `gwcheck decode big.pcap | head`: a closed pipe is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Input problems are reported by the commands themselves; reaching this is a bug in gwcheck.
  process.stderr.write(`gwcheck: internal error: ${err?.message ?? err} (set GWCHECK_DEBUG=1 for the stack; please report it)\n`);
  if (process.env.GWCHECK_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
  process.exitCode = 2;
}
