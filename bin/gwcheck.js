#!/usr/bin/env node
// Thin shim: the CLI lives in src/cli (compiled to dist/ by `npm run build`, which `npm ci` runs via `prepare`).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
