#!/usr/bin/env node
// Build step (`npm run build`, after the bundle): runs the bundled CLI over the shipped fixtures, in this process and
// with its output thrown away, then writes V8's code cache of the bundle — the bytecode of every function those runs
// compiled — to dist/gwcheck.cache, which bin/bundle.cjs hands to V8 at every start. Not part of the CLI.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { load, CACHE } = require('./bundle.cjs');
const { exports, script } = load({ cache: false });

const fixtures = new URL('../fixtures/', import.meta.url);
// Without fixtures (a copy of the package that has none) the cache holds what loading the bundle compiled.
const captures = existsSync(fixtures)
  ? readdirSync(fixtures)
      .filter((f) => f.endsWith('.pcapng') || f.endsWith('.pcap'))
      .map((f) => fileURLToPath(new URL(f, fixtures)))
  : [];
const sink = () => Object.assign(new Writable({ write: (_chunk, _encoding, done) => done() }), { isTTY: false, columns: 80 });
const io = { stdout: sink(), stderr: sink(), env: {} };
// The JSON report (CI gates) and the table (a terminal), as the CLI is used; the exit status is the fixtures'.
if (captures.length > 0) {
  await exports.main(['analyze', '--format', 'json', ...captures], io);
  await exports.main(['analyze', '--no-color', captures[0]], io);
}
writeFileSync(CACHE, script.createCachedData());
