// Only V8's natives syntax (%HaveSameMap, %IsSmi) can see a hidden class or a number's representation: the tests
// that check them run a child node with it, and read the JSON the child prints.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** Runs a test's companion module (`new URL('./x.mjs', import.meta.url)`) or, with `code`, that module source,
 *  under `node --allow-natives-syntax --import tsx`; returns what it printed, parsed. Its stderr must be empty. */
export function runWithNatives(script: URL | { code: string }): unknown {
  const args = script instanceof URL ? [fileURLToPath(script)] : ['--input-type=module', '-e', script.code];
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', ...args], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}
