// src/cli/threads.ts: the background threads of the process get the niceness asked, the main thread keeps its own.
// Run in a child (the function renices the calling process's threads); Linux with /proc and 2+ cores only, skipped
// visibly elsewhere.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const threadsModule = fileURLToPath(new URL('../../dist/cli/threads.js', import.meta.url));
const canRenice = process.platform === 'linux' && existsSync('/proc/self/task') && availableParallelism() >= 2;

/** Calls yieldBackgroundThreads in a fresh Node with `env`, then reads every thread's niceness from /proc. */
function niceness(env: Record<string, string>): { changed: number; main: number; others: number[] } {
  const code = `
    const { readdirSync, readFileSync } = await import('node:fs');
    const { yieldBackgroundThreads } = await import(${JSON.stringify(threadsModule)});
    const changed = yieldBackgroundThreads();
    // Field 19 of /proc/.../stat is the nice value; the command name (field 2) may hold spaces, so count from ')'.
    const nice = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(')')[1].trim().split(' ')[16]);
    const tids = readdirSync('/proc/self/task').map(Number);
    console.log(JSON.stringify({ changed, main: nice(process.pid), others: tids.filter((t) => t !== process.pid).map(nice) }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out);
}

describe.skipIf(!canRenice)('yieldBackgroundThreads (Linux, 2+ cores)', () => {
  // The test runner may itself run niced: everything is relative to the main thread's niceness.
  it('makes every thread but the main one 10 nicer than the main one by default', () => {
    const r = niceness({ GWCHECK_BACKGROUND_NICE: '' });
    expect(r.changed).toBeGreaterThan(0);
    expect(r.changed).toBe(r.others.length);
    expect(new Set(r.others)).toEqual(new Set([Math.min(19, r.main + 10)]));
  });

  it('takes the difference from GWCHECK_BACKGROUND_NICE, niceness bounded to 19', () => {
    const five = niceness({ GWCHECK_BACKGROUND_NICE: '5' });
    expect(new Set(five.others)).toEqual(new Set([Math.min(19, five.main + 5)]));
    expect(new Set(niceness({ GWCHECK_BACKGROUND_NICE: '40' }).others)).toEqual(new Set([19]));
  });

  it('leaves every thread alone with GWCHECK_BACKGROUND_NICE=0 (or a value that is no number)', () => {
    for (const value of ['0', 'off']) {
      const r = niceness({ GWCHECK_BACKGROUND_NICE: value });
      expect(r.changed).toBe(0);
      expect(new Set(r.others)).toEqual(new Set([r.main]));
    }
  });
});
