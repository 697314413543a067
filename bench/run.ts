// `npm run bench [-- --packets N --runs R --no-tshark --no-pcapng]`: the benchmark of issue 6. Generates the shared
// workload (if missing), then times, in one run on one machine: gwcheck analyze --format json, gwcheck's reader alone,
// pcap-parser, and tshark when installed. Prints median wall time, MB/s, packets/s and peak RSS, and checks that the
// four planted problems are found — a fast wrong answer must not pass. Then (unless --no-pcapng) it converts the
// capture to pcapng (bench/to-pcapng.ts, cached next to it as bench-N.pcapng), analyzes that once and requires the
// same report as the pcap's: issue 6's "same report bytes for pcap and pcapng", on the benchmark capture itself.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertToPcapng } from './to-pcapng.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const packets = arg('--packets', 400_000);
const runs = arg('--runs', 5);
/** The workload mix: v2 (dual-stack, the default of gen-capture.py) or v1 (the first, IPv4-only one). */
const mix = args.includes('--mix') ? args[args.indexOf('--mix') + 1] : 'v2';
if (mix !== 'v1' && mix !== 'v2') fail('--mix is v1 or v2');
const generator = resolve(repo, '../shared/bench/gen-capture.py');
const outDir = join(repo, 'bench', 'out');
const capture = join(outDir, `bench-${mix}-${packets}.pcap`);
const pcapngCopy = join(outDir, `bench-${mix}-${packets}.pcapng`);

if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm ci` (or `npm run build`) first');
if (!existsSync(capture)) {
  if (!existsSync(generator)) fail(`the workload generator ${generator} is absent (it lives in ../shared/bench)`);
  mkdirSync(outDir, { recursive: true });
  process.stderr.write(`generating ${capture} (${packets} packets)…\n`);
  const gen = spawnSync('python3', [generator, capture, '--packets', String(packets), '--mix', mix], { stdio: 'inherit' });
  if (gen.status !== 0) fail('gen-capture.py failed');
}
const size = statSync(capture).size;
const planted = JSON.parse(readFileSync(capture + '.planted.json', 'utf8'));
const totalPackets: number = planted.packets;

interface Sample {
  seconds: number;
  rssMb: number;
  stdout: string;
}

function runNode(script: string, scriptArgs: string[]): Sample {
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [join(here, 'measure.mjs'), script, ...scriptArgs], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const match = /__MAXRSS_KB__ (\d+)/.exec(res.stderr);
  if (!match) fail(`${script} failed:\n${res.stderr}`);
  return { seconds, rssMb: Number(match![1]) / 1024, stdout: res.stdout };
}

function runCommand(cmd: string, cmdArgs: string[]): Sample {
  const start = process.hrtime.bigint();
  const res = spawnSync('/usr/bin/time', ['-f', '__MAXRSS_KB__ %M', cmd, ...cmdArgs], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const match = /__MAXRSS_KB__ (\d+)/.exec(res.stderr ?? '');
  return { seconds, rssMb: match ? Number(match[1]) / 1024 : NaN, stdout: '' };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function summary(name: string, samples: Sample[]) {
  const seconds = median(samples.map((s) => s.seconds));
  return { name, seconds, rssMb: Math.max(...samples.map((s) => s.rssMb)), last: samples[samples.length - 1], samples };
}

function measure(name: string, once: () => Sample, n: number) {
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) samples.push(once());
  return summary(name, samples);
}

/**
 * Runs each command once per round, in turn, for `n` rounds. The ratio of gwcheck to its reader is taken within a
 * round (the two ran seconds apart), then its median over the rounds: on a shared machine a block of five runs of
 * one command and then five of the other measures the host's load as much as the programs, and the ratio of the
 * two blocks' medians moved from 7.8x to 9.1x between three runs of the same build in one hour.
 */
function measurePaired(entries: [string, () => Sample][], n: number) {
  const samples: Sample[][] = entries.map(() => []);
  for (let i = 0; i < n; i++) entries.forEach(([, once], k) => samples[k].push(once()));
  return entries.map(([name], k) => summary(name, samples[k]));
}

process.stderr.write(`benchmark: ${capture} — ${(size / 1e6).toFixed(1)} MB, ${totalPackets} packets, ${runs} runs each\n`);
const analyzeArgs = ['analyze', '--format', 'json', '--quiet', '--fail-on', 'none'];
const results = [
  ...measurePaired(
    [
      ['gwcheck analyze --format json', () => runNode('bin/gwcheck.js', [...analyzeArgs, capture])],
      ['gwcheck reader alone (no decoding)', () => runNode('bench/reader-only.mjs', [capture])],
    ],
    runs,
  ),
  measure('pcap-parser 0.2.1 (iterate packets)', () => runNode('bench/pcap-parser-baseline.mjs', [capture]), runs),
];
const tshark = args.includes('--no-tshark') ? { status: -1 } : spawnSync('tshark', ['--version'], { encoding: 'utf8' });
if (tshark.status === 0 && existsSync('/usr/bin/time')) {
  const fields = ['frame.number', 'arp.src.hw_mac', 'arp.src.proto_ipv4', 'arp.dst.proto_ipv4', 'vxlan.vni', 'hsrp2.group', 'bgp.evpn.nlri.mac_addr', 'bgp.ext_com_evpn.mmac.seq'];
  const targs = ['-n', '-r', capture, '-Y', 'arp or vxlan or bgp or hsrp', '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  results.push(measure('tshark (fields of interest)', () => runCommand('sh', ['-c', `tshark ${targs.map((a) => `'${a}'`).join(' ')} > /dev/null`]), Math.min(runs, 2)));
} else {
  process.stderr.write('tshark not installed, /usr/bin/time missing, or --no-tshark: skipping its row\n');
}

const rows = results.map((r) => ({
  what: r.name,
  'median s': r.seconds.toFixed(3),
  'MB/s': (size / 1e6 / r.seconds).toFixed(0),
  'packets/s': `${(totalPackets / r.seconds / 1e6).toFixed(2)} M`,
  'peak RSS MB': Number.isFinite(r.rssMb) ? r.rssMb.toFixed(0) : '-',
}));
console.table(rows);
const gw = results[0];
const reader = results[1];
const ratios = gw.samples.map((s, i) => s.seconds / reader.samples[i].seconds);
console.log(
  `gwcheck / reader alone: ${median(ratios).toFixed(2)}x the reader's time (median of ${ratios.length} rounds, each ` +
    `running both in turn; rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}x; ratio of the medians ` +
    `${(gw.seconds / reader.seconds).toFixed(2)}x)`,
);
const ts = results.find((r) => r.name.startsWith('tshark'));
if (ts) console.log(`gwcheck vs tshark: ${(ts.seconds / gw.seconds).toFixed(1)}x faster`);

// A fast wrong answer must not pass: every planted problem must be among the findings.
const report = JSON.parse(gw.last.stdout);
const findings: { rule: string; subject: Record<string, unknown>; evidence: { frames: number[] } }[] = report.findings;
const checks: [string, (f: (typeof findings)[number]) => boolean][] = [
  ['shared-mac-arp-blackhole', (f) => f.rule === 'shared-mac-arp-blackhole' && JSON.stringify(f.subject).includes(planted['shared-mac-arp-blackhole'].mac)],
  ['duplicate-gateway-mac', (f) => f.rule === 'duplicate-gateway-mac' && JSON.stringify(f.subject).includes(planted['duplicate-gateway-mac'].ip)],
  ['unanswered-arp', (f) => f.rule === 'unanswered-arp' && JSON.stringify(f.subject).includes(planted['unanswered-arp'].target)],
  ['mac-mobility-regression', (f) => f.rule === 'mac-mobility-regression' && JSON.stringify(f.subject).includes(planted['mac-mobility-regression'].mac)],
];
// The v2 mix plants the IPv6 twins: the same rules, with the family in the subject.
const v6 = (f: (typeof findings)[number]) => f.subject.family === 'ipv6';
if (planted['shared-mac-nd-blackhole']) {
  checks.push(['shared-mac-nd-blackhole', (f) => f.rule === 'shared-mac-arp-blackhole' && v6(f) && JSON.stringify(f.subject).includes(planted['shared-mac-nd-blackhole'].mac)]);
}
if (planted['duplicate-gateway-mac-ipv6']) {
  checks.push(['duplicate-gateway-mac-ipv6', (f) => f.rule === 'duplicate-gateway-mac' && v6(f) && JSON.stringify(f.subject).includes(planted['duplicate-gateway-mac-ipv6'].ip)]);
}
if (planted['unanswered-nd']) {
  checks.push(['unanswered-nd', (f) => f.rule === 'unanswered-arp' && v6(f) && JSON.stringify(f.subject).includes(planted['unanswered-nd'].target)]);
}
let missing = 0;
for (const [name, match] of checks) {
  const found = findings.some(match);
  if (!found) missing++;
  console.log(`planted ${name}: ${found ? 'found' : 'MISSING'}`);
}
const byRule = new Map<string, number>();
for (const f of findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
console.log(`findings: ${[...byRule].map(([r, n]) => `${r} ×${n}`).join(', ') || 'none'}`);
const problems: string[] = [];
if (missing) problems.push(`${missing} planted problem(s) not found`);
// Nothing but the planted problems is an error.
const plantedErrors = checks.filter(([name]) => !name.startsWith('unanswered')).map(([, match]) => match);
const strayErrors = findings.filter((f) => (f as { severity?: string }).severity === 'error' && !plantedErrors.some((m) => m(f)));
console.log(`errors besides the planted problems: ${strayErrors.length}`);
if (strayErrors.length) problems.push(`${strayErrors.length} error finding(s) besides the planted problems`);

// The same capture as pcapng must give the same report: every top-level key but `inputs` byte-identical, and of
// the input, everything but what naturally differs (path, format, bytes).
if (!args.includes('--no-pcapng')) {
  if (!existsSync(pcapngCopy) || statSync(pcapngCopy).mtimeMs < statSync(capture).mtimeMs) {
    process.stderr.write(`converting to ${pcapngCopy}…\n`);
    const c = await convertToPcapng(capture, pcapngCopy);
    console.log(`pcapng conversion: ${c.packets} packets, ${(c.bytes / 1e6).toFixed(1)} MB in ${c.seconds.toFixed(2)} s`);
  }
  const run = runNode('bin/gwcheck.js', [...analyzeArgs, pcapngCopy]);
  // Evidence names its input file, and the Wireshark commands open it: the copy's name is the one expected
  // difference outside `inputs`, wherever it is printed.
  const copy = JSON.parse(run.stdout, (_key, value) => (typeof value === 'string' ? value.split(pcapngCopy).join(capture) : value));
  const differ = [...new Set([...Object.keys(report), ...Object.keys(copy)])].filter(
    (key) => key !== 'inputs' && JSON.stringify(report[key]) !== JSON.stringify(copy[key]),
  );
  for (const field of ['packets', 'firstTime', 'lastTime', 'truncated', 'warnings', 'error', 'linkTypes']) {
    if (JSON.stringify(report.inputs[0]?.[field]) !== JSON.stringify(copy.inputs[0]?.[field])) differ.push(`inputs[0].${field}`);
  }
  const pcapngMb = statSync(pcapngCopy).size / 1e6;
  const timing = `analyze ${run.seconds.toFixed(3)} s, ${(pcapngMb / run.seconds).toFixed(0)} MB/s on ${pcapngMb.toFixed(1)} MB, 1 run`;
  if (differ.length === 0) {
    const keys = Object.keys(report).filter((k) => k !== 'inputs');
    console.log(`pcapng copy: same report (${keys.join(', ')}; inputs but path, format, bytes) — ${timing}`);
  } else {
    console.log(`pcapng copy: report DIFFERS in ${differ.join(', ')} — ${timing}`);
    problems.push(`the pcapng copy's report differs from the pcap's (${differ.join(', ')})`);
  }
}
if (problems.length) fail(problems.join('; '));

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
