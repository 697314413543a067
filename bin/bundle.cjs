'use strict';
// Loads dist/gwcheck.cjs — the CLI bundled into one script by `npm run build` — with V8's code cache of it
// (dist/gwcheck.cache), so a start deserialises the bytecode of the functions a run uses instead of parsing and
// compiling them: Node 20 has no compile cache for ES modules (module.enableCompileCache came in Node 22), but
// vm.Script takes one for a script. The build makes the cache by running analyses on the shipped fixtures
// (bin/code-cache.js) and keeping the bytecode they compiled; functions no fixture reached compile lazily as usual.
//
// V8 checks the cache against its own version, its flags and the source's length, and rejects it on a mismatch
// (a run with other V8 flags, another Node): the script then compiles as if there were none. A cache older than the
// bundle is not offered at all: the two are written together, so the bundle changed since (same length or not).
const { readFileSync, statSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'gwcheck.cjs');
const CACHE = path.join(DIST, 'gwcheck.cache');

function mtime(file) {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

/**
 * The bundle's exports and what became of the cache: 'used', 'rejected' (by V8), or 'none' (missing, stale, or
 * not asked for). `script` is kept for bin/code-cache.js, which writes its cache after a run.
 */
function load({ cache = true } = {}) {
  const source = readFileSync(BUNDLE, 'utf8');
  const cachedData = cache && mtime(CACHE) >= mtime(BUNDLE) ? readFileSync(CACHE) : undefined;
  // The CommonJS wrapper on the bundle's first line: line numbers in stack traces stay the bundle's.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
  });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(BUNDLE), mod, BUNDLE, DIST);
  const codeCache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return { exports: mod.exports, codeCache, script };
}

module.exports = { load, BUNDLE, CACHE };
