// The main thread first: V8's platform workers (TurboFan compile jobs, concurrent marking, parallel scavenges) run
// at a lower scheduling priority than the thread that reads and judges the capture.
//
// Why: Node starts four platform workers whatever the machine. On a 2-core machine (a CI runner, the benchmark's
// VM) the main thread and up to four compile jobs are five runnable threads for two cores, and during the first
// half-second of an analysis — when most functions are being optimised — the main thread got only 50–80% of a
// core (perf, per thread, 100 ms bins: docs/performance.md, eighth round). At nice 10 the workers still have the
// other core to themselves and any time the main thread waits; they only stop taking the main thread's core.
//
// Linux only (a thread id is a pid there, and /proc/self/task lists them); elsewhere, on one core (where the workers
// would get almost nothing and the code would stay unoptimised), or with GWCHECK_BACKGROUND_NICE=0 it does nothing.
// Threads started later (libuv's file-reading pool) keep the normal priority.
import { readdirSync } from 'node:fs';
import { availableParallelism, getPriority, setPriority } from 'node:os';

/** How much nicer than the main thread the background threads are made (0: leave them; niceness stops at 19). */
export const BACKGROUND_NICE = 10;

/** Makes every thread of this process but the main one `GWCHECK_BACKGROUND_NICE` (default 10) nicer than the main
 *  one; returns how many it changed. */
export function yieldBackgroundThreads(env: NodeJS.ProcessEnv = process.env): number {
  if (process.platform !== 'linux' || availableParallelism() < 2) return 0;
  const asked = env.GWCHECK_BACKGROUND_NICE;
  const nice = asked === undefined || asked === '' ? BACKGROUND_NICE : Math.min(19, Math.max(0, Math.trunc(Number(asked)) || 0));
  if (nice === 0) return 0;
  // Relative to the main thread's own niceness: under `nice 15 gwcheck …` the workers go to 19, never back up.
  const target = Math.min(19, getPriority() + nice);
  let changed = 0;
  try {
    for (const name of readdirSync('/proc/self/task')) {
      const tid = Number(name);
      if (!Number.isInteger(tid) || tid === process.pid) continue;
      try {
        setPriority(tid, target);
        changed++;
      } catch {
        // A thread that ended meanwhile, or a sandbox that forbids it: nothing to do.
      }
    }
  } catch {
    // No /proc (a container without it): nothing to do.
  }
  return changed;
}
