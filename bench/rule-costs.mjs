// `npm run bench:rule-costs [-- CAPTURE --pairs N --modules ID,ID --group ID,ID …]` (after `npm run build`): what
// each rule module costs a whole cold run — the figure #10's ratio is made of. For every rule module (its finding
// ids together), the CLI runs `analyze CAPTURE --format json` in a fresh process with the module left out
// (--disable) and without, the two in turn (A B A B …), N pairs; the median of the per-pair wall-time ratios is the
// module's cost. Pairing keeps the ratio meaningful while the machine's speed drifts.
//
// Why beside bench:rules (a warm pass of the rules in one process): a cold run is a second of interpreted and
// baseline code while TurboFan catches up, and a module's cost there is its code's warm-up and garbage as well as
// its work — measured, about its CPU-profile share, up to twice it. Leaving a module out also leaves out its
// findings and everything they cost at the end (1,000 EVPN ip-conflict findings in the benchmark's workload), and
// the shared state that only it asks for (the neighbour table is made for duplicate-gateway-mac; the planes for
// the evpn-* data-plane rules). A pair takes about 2.5 s on the benchmark's 400k capture: 15 pairs for each of
// the 13 modules are ~8 minutes. On a 2-core VM a single pair varies by ±10%; 15 pairs give a median
// to about ±3%. `--group a,b,c` (repeatable) adds a row for modules left out together — those that share state no
// other module asks for (the evpn-* data-plane rules and their planes) cost it only together.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ALL_RULES } from '../dist/rules/index.js';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const VALUED = ['--pairs', '--modules', '--group'];
const capture = args.find((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1])) ?? 'bench/out/bench-v2-400000.pcap';
if (!existsSync(capture)) {
  process.stderr.write(`bench:rule-costs: ${capture} does not exist: give a capture, or run \`npm run bench\` once to make the v2 workload (it needs ../shared/bench)\n`);
  process.exit(2);
}
const pairs = Math.max(1, Number(opt('--pairs') ?? 15));
const only = opt('--modules')?.split(',');

const idsOf = (r) => [r.meta.id, ...(r.meta.alsoReports ?? []).map((a) => a.id)];
const modules = ALL_RULES.map((r) => ({ name: r.meta.id, ids: idsOf(r) })).filter((m) => !only || only.includes(m.name));
args.forEach((a, i) => {
  if (a !== '--group') return;
  const names = (args[i + 1] ?? '').split(',').filter(Boolean);
  const rules = names.map((n) => ALL_RULES.find((r) => r.meta.id === n));
  if (rules.some((r) => !r)) {
    process.stderr.write(`bench:rule-costs: --group ${args[i + 1]}: name rule modules (gwcheck rules lists them)\n`);
    process.exit(2);
  }
  modules.push({ name: names.length > 1 ? `${names[0]} +${names.length - 1}` : names[0], ids: rules.flatMap(idsOf) });
});

/** Wall seconds of one analyze run (its output is thrown away, as the benchmark's is). */
function run(extra) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['bin/gwcheck.js', 'analyze', capture, '--format', 'json', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // 0 (no finding at --fail-on) and 1 (findings) are results; anything else is a failed run.
  if (r.status !== 0 && r.status !== 1) throw new Error(`analyze ${extra.join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

run([]); // warm the page cache and the code cache's file
process.stdout.write(`rule costs: ${capture}, ${pairs} pairs per module (without / with, in turn)\n`);
/** Per module: its name, the ratio, the cost, the spread, the full run's time (texts, for the table). */
const rows = [];
for (const { name, ids } of modules) {
  const ratios = [];
  const full = [];
  for (let i = 0; i < pairs; i++) {
    const without = run(['--disable', ids.join(',')]);
    const all = run([]);
    ratios.push(without / all);
    full.push(all);
  }
  const m = median(ratios);
  rows.push([`${name} (${ids.length} id${ids.length > 1 ? 's' : ''})`, `×${m.toFixed(3)}`, `${((1 - m) * 100).toFixed(1)}%`, `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`, median(full).toFixed(3)]);
  process.stderr.write(`${name}: ×${m.toFixed(3)}\n`);
}
// One line per module, in 80 columns: the module (and how many finding ids it reports), the median ratio of a run
// without it to a run with it, the cost that is, the pairs' spread, and the full run's median wall time.
const header = ['module', 'without', 'cost', 'spread', 'full s'];
const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
for (const r of [header, ...rows]) process.stdout.write(`${r.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ')}\n`);
