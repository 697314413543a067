// `npm run bench:rules [-- CAPTURE --runs R --rules ID,ID --each]` (after `npm run build`: it runs dist/): the rules alone, without reading or decoding. The
// capture is read and decoded once and its facts recorded in order (with the capture clock the engine was told);
// then a fresh RuleEngine is fed those facts R times and each pass is timed in one warm process. This isolates
// src/rules from everything upstream, so a change to a rule or to the shared state is measured without the
// reader's and the decoder's noise. Prints the median pass, and with --each the same for every rule module alone
// (the shared state and the inventory are part of every pass: the engine always feeds them).
import { existsSync } from 'node:fs';
import { ALL_RULES, RuleEngine, defaultSettings } from '../dist/rules/index.js';
import { FactExtractor } from '../dist/facts/extract.js';
import { FrameDecoder } from '../dist/decode/frame.js';
import { DomainTable } from '../dist/facts/domains.js';
import { AddressBook } from '../dist/facts/addresses.js';
import { CaptureInput } from '../dist/capture/input.js';
import { toSeconds } from '../dist/util/time.js';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
/** Options followed by a value; the capture is the argument that is neither an option nor such a value. */
const VALUED = ['--runs', '--rules'];
const capture = args.find((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1])) ?? 'bench/out/bench-v2-400000.pcap';
if (!existsSync(capture)) {
  process.stderr.write(`bench:rules: ${capture} does not exist: give a capture, or run \`npm run bench\` once to make the v2 workload (it needs ../shared/bench)\n`);
  process.exit(2);
}
const runs = Number(opt('--runs') ?? 5);

// Fact calls and clock steps ({ kind, fact } or { kind: 'advance', now }): the engine sees the calls analyze() made.
const calls = [];
const recorder = {
  // The extractor refills one object per ARP/NS/NA and per VXLAN frame: keep copies.
  neighbour: (fact) => calls.push({ kind: 'neighbour', fact: { ...fact } }),
  routerAdvert: (fact) => calls.push({ kind: 'routerAdvert', fact }),
  fhrp: (fact) => calls.push({ kind: 'fhrp', fact }),
  evpn: (fact) => calls.push({ kind: 'evpn', fact }),
  anomaly: (fact) => calls.push({ kind: 'anomaly', fact }),
  vxlan: (fact) => calls.push({ kind: 'vxlan', fact: { ...fact } }),
};
const domains = new DomainTable();
const addresses = new AddressBook();
// As analyze() makes it (BGP messages decoded into the scratch, only their facts kept).
const extractor = new FactExtractor(recorder, domains, { bgpPorts: [179], addresses, bgpMessages: false });
const decoder = new FrameDecoder({ vxlanPorts: [4789, 8472], bgpPorts: [179] });
const input = await CaptureInput.open(capture);
let lastTime = -Infinity;
let packets = 0;
for (;;) {
  const record = input.next();
  if (!record) {
    if (!(await input.fill())) break;
    continue;
  }
  packets++;
  const result = decoder.decode(record.bytes, record.linkType);
  if (!result.unsupportedLinkType) extractor.frame(result, record, 0);
  const t = toSeconds(record.seconds, record.nanos);
  if (t > lastTime) lastTime = t;
  calls.push({ kind: 'advance', now: lastTime });
}
extractor.finish();

function pass(rules) {
  const engine = new RuleEngine(rules, defaultSettings(ALL_RULES), domains, [{ path: capture }], addresses);
  const start = process.cpuUsage();
  for (const c of calls) {
    if (c.kind === 'advance') engine.advance(c.now);
    else engine[c.kind](c.fact);
  }
  engine.finish(lastTime);
  engine.inventory.report(domains);
  // CPU time, not wall: on a shared machine waiting for a core is not the rules' cost (the GC's threads are).
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e3;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(rules) {
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(pass(rules));
  return median(ms);
}

const only = opt('--rules')?.split(',');
const chosen = only ? ALL_RULES.filter((r) => only.includes(r.meta.id)) : ALL_RULES;
const facts = calls.filter((c) => c.kind !== 'advance').length;
process.stdout.write(`${capture}: ${packets} packets, ${facts} facts recorded\n`);
pass(chosen); // warm-up
const all = time(chosen);
process.stdout.write(`rules (${chosen.length} modules): median ${all.toFixed(0)} ms CPU of ${runs} passes, ${((all * 1e3) / facts).toFixed(2)} µs per fact\n`);
if (args.includes('--each')) {
  const none = time([]);
  process.stdout.write(`  no rule (shared state, inventory): ${none.toFixed(0)} ms\n`);
  for (const rule of chosen) process.stdout.write(`  ${rule.meta.id}: +${(time([rule]) - none).toFixed(0)} ms\n`);
}
