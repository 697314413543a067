// `npm run bench:soak [-- --minutes M --rate PPS --sample S]`: the soak test of issue 15. A synthetic capture is
// written to `gwcheck analyze --follow --format ndjson -` at a steady rate (default 5000 packets/s) for M minutes
// (default 30), timestamped with the clock as a live capture is; the RSS of the gwcheck process is sampled every S
// seconds (default 10) from /proc and printed as it goes. At the end gwcheck gets SIGINT and must print its report
// (the input marked interrupted). "Memory stays bounded over days of traffic": the traffic never repeats its hosts
// for long (200 000 hosts resolving the gateway in turn, 50 000 targets that never answer, a new shared MAC failing
// every 10 s), so every rule table fills to its cap and ages; RSS must level off, not climb.
//
// Linux only (/proc/PID/status). Run it niced on a shared machine: `nice npm run bench:soak -- --minutes 10`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arpFrame, hsrpFrame, udpFrame } from '../fixtures/builder/packet.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const minutes = arg('--minutes', 30);
const rate = arg('--rate', 5000);
const sampleSeconds = arg('--sample', 10);
const BATCHES_PER_SECOND = 10;

// Frame templates (VLAN 100), patched in place per packet: building each with the fixture builder would make the
// generator, not gwcheck, the bottleneck.
const VLAN = [{ id: 100 }];
const ARP_AT = 18; // Ethernet 14 + one 802.1Q tag
const arpTemplate = arpFrame({ opcode: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.2', targetIp: '10.0.0.1', vlans: VLAN });
const filler = udpFrame({ srcIp: '10.9.0.1', dstIp: '10.9.0.2', srcPort: 40000, dstPort: 53, payload: Buffer.alloc(200), vlans: VLAN });
const hellos = [1, 2].map((r) =>
  hsrpFrame({ version: 2, state: r === 1 ? 'active' : 'standby', group: 1, identifier: `00:00:0c:00:00:0${r}`, priority: 100 + r, virtualIp: '10.100.0.1', srcIp: `10.100.0.${r + 1}`, src: `00:00:0c:00:00:0${r}`, vlans: VLAN }),
);
const GATEWAY_MAC = 0x00000c9ff001; // HSRPv2 group 1's virtual MAC: the routers' VIP
const GATEWAY_IP = ip(10, 100, 0, 1);
const BROADCAST = 0xffffffffffff;

function ip(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function arpPacket(op: 1 | 2, smac: number, sip: number, tmac: number, tip: number): Buffer {
  const f = Buffer.from(arpTemplate);
  f.writeUIntBE(op === 1 ? BROADCAST : tmac, 0, 6);
  f.writeUIntBE(smac, 6, 6);
  f.writeUInt16BE(op, ARP_AT + 6);
  f.writeUIntBE(smac, ARP_AT + 8, 6);
  f.writeUInt32BE(sip, ARP_AT + 14);
  f.writeUIntBE(op === 1 ? 0 : tmac, ARP_AT + 18, 6);
  f.writeUInt32BE(tip, ARP_AT + 24);
  return f;
}

const pcapHeader = Buffer.alloc(24);
pcapHeader.writeUInt32LE(0xa1b2c3d4, 0);
pcapHeader.writeUInt16LE(2, 4);
pcapHeader.writeUInt16LE(4, 6);
pcapHeader.writeUInt32LE(262144, 16);
pcapHeader.writeUInt32LE(1, 20);

let seq = 0;
const startSeconds = Date.now() / 1000;
function record(frame: Buffer, parts: Buffer[]): void {
  const t = startSeconds + seq++ / rate;
  const head = Buffer.alloc(16);
  const s = Math.floor(t);
  head.writeUInt32LE(s, 0);
  head.writeUInt32LE(Math.min(999_999, Math.round((t - s) * 1e6)), 4);
  head.writeUInt32LE(frame.length, 8);
  head.writeUInt32LE(frame.length, 12);
  parts.push(head, frame);
}

/** One batch: a tenth of a second of traffic. */
let host = 0;
let lost = 0;
let episode = 0;
function batch(index: number): Buffer {
  const parts: Buffer[] = [];
  const n = Math.round(rate / BATCHES_PER_SECOND);
  if (index % BATCHES_PER_SECOND === 0) for (const h of hellos) record(h, parts);
  if (index % (10 * BATCHES_PER_SECOND) === 5) {
    // A shared MAC (new each time) sources ARP for two IPs in turn, and its requests fail: a blackhole finding.
    const mac = 0x001c73000000 + (episode++ % 0xffffff);
    for (let k = 0; k < 4; k++) record(arpPacket(1, mac, ip(10, 100, 1, 2 + (k & 1)), 0, ip(10, 101, (episode >> 8) & 255, episode & 255)), parts);
  }
  for (let i = parts.length / 2; i < n; ) {
    const kind = seq % 10;
    if (kind < 4) {
      // A host resolves the gateway and is answered: 200 000 hosts in turn, so MAC and binding tables age.
      const h = host++ % 200_000;
      const mac = 0x020000000000 + h;
      const addr = ip(10, 200 + (h >> 16), (h >> 8) & 255, h & 255);
      record(arpPacket(1, mac, addr, 0, GATEWAY_IP), parts);
      record(arpPacket(2, GATEWAY_MAC, GATEWAY_IP, mac, addr), parts);
      i += 2;
    } else if (kind === 9) {
      // A request nobody answers, for one of 50 000 targets: pending requests and unanswered-arp findings.
      const t = lost++ % 50_000;
      record(arpPacket(1, 0x020000ff0001, ip(10, 100, 0, 50), 0, ip(10, 150, t >> 8, t & 255)), parts);
      i++;
    } else {
      record(filler, parts);
      i++;
    }
  }
  return Buffer.concat(parts);
}

function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

const child = spawn(process.execPath, [join(repo, 'bin/gwcheck.js'), 'analyze', '--follow', '--format', 'ndjson', '-q', '-'], {
  cwd: repo,
  stdio: ['pipe', 'pipe', 'inherit'],
});
let events = 0;
let tail = '';
child.stdout.setEncoding('utf8').on('data', (d: string) => {
  tail += d;
  const lines = tail.split('\n');
  tail = lines.pop() ?? '';
  for (const line of lines) {
    events++;
    if (line.startsWith('{"event":"report"')) report = line;
  }
});
let report = '';
const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));

process.stdout.write(`follow soak: ${rate} packets/s for ${minutes} min, RSS of gwcheck (pid ${child.pid}) every ${sampleSeconds} s\n`);
process.stdout.write('elapsed_s  packets     rss_MB  peak_MB  events  behind_s\n');
const samples: { t: number; rss: number }[] = [];
child.stdin.on('error', (err) => {
  process.stderr.write(`gwcheck stopped reading: ${err.message}\n`);
  process.exit(1);
});
child.stdin.write(pcapHeader);
const started = Date.now();
const endAt = started + minutes * 60_000;
let nextSample = started + sampleSeconds * 1000;
let index = 0;
let stalled = 0;
while (Date.now() < endAt) {
  const due = started + (index * 1000) / BATCHES_PER_SECOND;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  // Backpressure: a gwcheck slower than the stream shows as "behind", not as memory in this process.
  if (!child.stdin.write(batch(index++))) {
    stalled++;
    await new Promise((r) => child.stdin.once('drain', r));
  }
  if (Date.now() >= nextSample) {
    nextSample += sampleSeconds * 1000;
    const { rss, hwm } = rssOf(child.pid!);
    const elapsed = (Date.now() - started) / 1000;
    samples.push({ t: elapsed, rss });
    const behind = Math.max(0, elapsed - index / BATCHES_PER_SECOND);
    process.stdout.write(
      `${elapsed.toFixed(0).padStart(9)}  ${String(seq).padEnd(10)}  ${rss.toFixed(1).padStart(6)}  ${hwm.toFixed(1).padStart(7)}  ${String(events).padStart(6)}  ${behind.toFixed(1)}\n`,
    );
  }
}
const peak = rssOf(child.pid!).hwm;
child.kill('SIGINT');
const code = await exited;
const parsed = report ? (JSON.parse(report) as { report: { inputs: { interrupted: boolean; packets: number }[]; findings: { rule: string }[] } }).report : null;
const byRule: Record<string, number> = {};
for (const f of parsed?.findings ?? []) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
const after = (s: number) => samples.filter((x) => x.t >= s).map((x) => x.rss);
const warm = after(Math.min(300, (minutes * 60) / 3));
process.stdout.write(
  `\nexit ${code}; ${seq} packets written (${stalled} waits for gwcheck), ${parsed?.inputs[0].packets ?? '?'} read, ` +
    `interrupted=${parsed?.inputs[0].interrupted}; findings ${JSON.stringify(byRule)}\n` +
    `RSS after warm-up: min ${Math.min(...warm).toFixed(1)} MB, max ${Math.max(...warm).toFixed(1)} MB, last ${warm[warm.length - 1]?.toFixed(1)} MB; peak ${peak.toFixed(1)} MB\n`,
);
