// `npm run bench:hostile [-- --case NAME[,NAME…] --scale F --keep]`: hostile but valid captures, built on purpose to
// make a capture analyser slow or fat (issue 14), and what gwcheck costs on each. Every case writes its capture
// into bench/out/hostile/ (ignored by git; deleted after the run unless --keep), then runs
// `gwcheck analyze --format json` on it in a child process (bench/measure.mjs reports that process's own peak
// RSS) and prints wall time, peak RSS, the size of the JSON report and a few of its numbers.
//
// Cases (sizes × --scale):
//   interfaces-N   one pcapng section with N interface description blocks, each a distinct link type, no packets
//   interfaces-packets-N   the same, one packet on each interface (N unsupported link types to warn about)
//   domains-N      one ARP request in each of N distinct QinQ stacks (802.1ad outer tag, 802.1Q inner tag)
//   neighbours-N   N ARP requests in one VLAN, each from a distinct requester (MAC and IP) for a distinct target
//   neighbours-answered-N   the same, each request answered by its target (2N packets, 2N bound neighbours)
//   bgp-streams-N  N TCP connections to port 179, each carrying the first half of a BGP OPEN (held for reassembly)
//   vlan-stack-N   N ARP requests each under 64 VLAN tags
//   vxlan-nest-N   N ARP requests each inside 16 nested VXLAN headers
//
// The generators write raw bytes directly (not through fixtures/builder: millions of packets).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const outDir = join(repo, 'bench', 'out', 'hostile');
const args = process.argv.slice(2);
const argValue = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = Number(argValue('--scale') ?? 1);
const only = argValue('--case')?.split(',');
const keep = args.includes('--keep');

/** Appends bytes to a file through one reused 4 MiB buffer. */
class FileWriter {
  private readonly fd: number;
  private readonly buf = Buffer.alloc(4 * 1024 * 1024);
  private at = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  /** Room for `n` more bytes at `this.pos`: flushes first if needed. */
  reserve(n: number): Buffer {
    if (this.at + n > this.buf.length) this.flush();
    return this.buf;
  }
  get pos(): number {
    return this.at;
  }
  advance(n: number): void {
    this.at += n;
  }
  flush(): void {
    if (this.at) writeSync(this.fd, this.buf, 0, this.at);
    this.at = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Classic pcap, Ethernet, µs; `frame(i, buf, at)` writes packet i at `at` and returns its length. */
function writePcap(path: string, count: number, maxLength: number, frame: (i: number, buf: Buffer, at: number) => number, spacingUs = 10): void {
  const w = new FileWriter(path);
  const header = w.reserve(24);
  let at = w.pos;
  header.writeUInt32LE(0xa1b2c3d4, at);
  header.writeUInt16LE(2, at + 4);
  header.writeUInt16LE(4, at + 6);
  header.writeUInt32LE(0, at + 8);
  header.writeUInt32LE(0, at + 12);
  header.writeUInt32LE(262144, at + 16);
  header.writeUInt32LE(1, at + 20);
  w.advance(24);
  const start = 1_700_000_000;
  for (let i = 0; i < count; i++) {
    const buf = w.reserve(16 + maxLength);
    at = w.pos;
    const length = frame(i, buf, at + 16);
    const us = i * spacingUs;
    buf.writeUInt32LE(start + Math.floor(us / 1e6), at);
    buf.writeUInt32LE(us % 1e6, at + 4);
    buf.writeUInt32LE(length, at + 8);
    buf.writeUInt32LE(length, at + 12);
    w.advance(16 + length);
  }
  w.close();
}

function writeMac(buf: Buffer, at: number, mac: number): void {
  buf.writeUIntBE(mac, at, 6);
}

/** ARP request body (28 bytes) at `at`. */
function writeArpRequest(buf: Buffer, at: number, senderMac: number, senderIp: number, targetIp: number): number {
  buf.writeUInt16BE(1, at);
  buf.writeUInt16BE(0x0800, at + 2);
  buf[at + 4] = 6;
  buf[at + 5] = 4;
  buf.writeUInt16BE(1, at + 6);
  writeMac(buf, at + 8, senderMac);
  buf.writeUInt32BE(senderIp >>> 0, at + 14);
  writeMac(buf, at + 18, 0);
  buf.writeUInt32BE(targetIp >>> 0, at + 24);
  return 28;
}

/** Ethernet header with `tags` VLAN tags (first TPID 0x88a8 when qinq, then 0x8100), ending in etherType. */
function writeEthernet(buf: Buffer, at: number, dst: number, src: number, tags: ArrayLike<number>, etherType: number, qinq: boolean): number {
  writeMac(buf, at, dst);
  writeMac(buf, at + 6, src);
  let p = at + 12;
  for (let t = 0; t < tags.length; t++) {
    buf.writeUInt16BE(qinq && t === 0 ? 0x88a8 : 0x8100, p);
    buf.writeUInt16BE(tags[t] & 0x0fff, p + 2);
    p += 4;
  }
  buf.writeUInt16BE(etherType, p);
  return p + 2 - at;
}

const BROADCAST = 0xffffffffffff;
const IP_10 = 10 << 24;

/** IPv4 header (20 bytes, checksum 0: gwcheck does not check it) then UDP header; returns bytes written. */
function writeIpv4Udp(buf: Buffer, at: number, src: number, dst: number, srcPort: number, dstPort: number, payload: number): number {
  buf[at] = 0x45;
  buf[at + 1] = 0;
  buf.writeUInt16BE(20 + 8 + payload, at + 2);
  buf.writeUInt32BE(0, at + 4);
  buf[at + 8] = 64;
  buf[at + 9] = 17;
  buf.writeUInt16BE(0, at + 10);
  buf.writeUInt32BE(src >>> 0, at + 12);
  buf.writeUInt32BE(dst >>> 0, at + 16);
  buf.writeUInt16BE(srcPort, at + 20);
  buf.writeUInt16BE(dstPort, at + 22);
  buf.writeUInt16BE(8 + payload, at + 24);
  buf.writeUInt16BE(0, at + 26);
  return 28;
}

type Generator = (path: string, n: number) => string; // returns the file written (path or path with extension)

const generators: Record<string, Generator> = {
  interfaces(path, n) {
    return writeInterfaces(path + '.pcapng', n, false);
  },
  'interfaces-packets'(path, n) {
    return writeInterfaces(path + '.pcapng', n, true);
  },
  domains(path, n) {
    const file = path + '.pcap';
    const tags = [0, 0];
    writePcap(file, n, 64, (i, buf, at) => {
      tags[0] = 1 + Math.floor(i / 4094);
      tags[1] = 1 + (i % 4094);
      const eth = writeEthernet(buf, at, BROADCAST, 0x020000000001, tags, 0x0806, true);
      return eth + writeArpRequest(buf, at + eth, 0x020000000001, IP_10 + 1, IP_10 + 2);
    });
    return file;
  },
  neighbours(path, n) {
    const file = path + '.pcap';
    const tags = [10];
    writePcap(file, n, 64, (i, buf, at) => {
      const mac = 0x020000000000 + i + 1;
      const eth = writeEthernet(buf, at, BROADCAST, mac, tags, 0x0806, false);
      // Requesters in 10.0.0.0/9, targets in 10.128.0.0/9: 2N distinct neighbours.
      return eth + writeArpRequest(buf, at + eth, mac, IP_10 + i + 1, IP_10 + 0x800000 + i + 1);
    });
    return file;
  },
  'neighbours-answered'(path, n) {
    // N requests, each answered by its target: N requesters and N targets, all bound to MACs (2N neighbours).
    const file = path + '.pcap';
    const tags = [10];
    writePcap(file, 2 * n, 64, (j, buf, at) => {
      const i = j >> 1;
      const requesterMac = 0x020000000000 + i + 1;
      const targetMac = 0x020000800000 + i + 1;
      const requesterIp = IP_10 + i + 1;
      const targetIp = IP_10 + 0x800000 + i + 1;
      if ((j & 1) === 0) {
        const eth = writeEthernet(buf, at, BROADCAST, requesterMac, tags, 0x0806, false);
        return eth + writeArpRequest(buf, at + eth, requesterMac, requesterIp, targetIp);
      }
      const eth = writeEthernet(buf, at, requesterMac, targetMac, tags, 0x0806, false);
      writeArpRequest(buf, at + eth, targetMac, targetIp, requesterIp);
      buf.writeUInt16BE(2, at + eth + 6); // reply
      writeMac(buf, at + eth + 18, requesterMac);
      return eth + 28;
    });
    return file;
  },
  'bgp-streams'(path, n) {
    const file = path + '.pcap';
    writePcap(file, n, 14 + 20 + 20 + 29, (i, buf, at) => {
      const eth = writeEthernet(buf, at, 0x020000000002, 0x020000000001, [], 0x0800, false);
      let p = at + eth;
      const payload = 29; // the first 29 bytes of an OPEN that claims 58
      buf[p] = 0x45;
      buf[p + 1] = 0;
      buf.writeUInt16BE(20 + 20 + payload, p + 2);
      buf.writeUInt32BE(0x40000000, p + 4); // DF
      buf[p + 8] = 64;
      buf[p + 9] = 6;
      buf.writeUInt16BE(0, p + 10);
      buf.writeUInt32BE((IP_10 + 0x10000 + i) >>> 0, p + 12); // distinct source per stream
      buf.writeUInt32BE((IP_10 + 1) >>> 0, p + 16);
      p += 20;
      buf.writeUInt16BE(1024 + (i % 60000), p);
      buf.writeUInt16BE(179, p + 2);
      buf.writeUInt32BE(1000, p + 4); // seq
      buf.writeUInt32BE(0, p + 8);
      buf[p + 12] = 5 << 4;
      buf[p + 13] = 0x18; // PSH ACK
      buf.writeUInt16BE(65535, p + 14);
      buf.writeUInt32BE(0, p + 16);
      p += 20;
      buf.fill(0xff, p, p + 16);
      buf.writeUInt16BE(58, p + 16); // claims a 58-byte OPEN; only 29 bytes come
      buf[p + 18] = 1;
      buf[p + 19] = 4;
      buf.writeUInt16BE(65000, p + 20);
      buf.writeUInt16BE(180, p + 22);
      buf.writeUInt32BE((IP_10 + 0x10000 + i) >>> 0, p + 24);
      buf[p + 28] = 29;
      return p + payload - at;
    });
    return file;
  },
  'vlan-stack'(path, n) {
    const file = path + '.pcap';
    const tags = Array.from({ length: 64 }, (_, t) => 100 + t);
    writePcap(file, n, 14 + 64 * 4 + 28, (i, buf, at) => {
      const mac = 0x020000000000 + (i % 1000) + 1;
      const eth = writeEthernet(buf, at, BROADCAST, mac, tags, 0x0806, false);
      return eth + writeArpRequest(buf, at + eth, mac, IP_10 + (i % 1000) + 1, IP_10 + 0x800000 + (i % 5000));
    });
    return file;
  },
  'vxlan-nest'(path, n) {
    const file = path + '.pcap';
    const depth = 16;
    const layer = 14 + 28 + 8; // Ethernet + IPv4/UDP + VXLAN
    writePcap(file, n, depth * layer + 14 + 28, (i, buf, at) => {
      let p = at;
      for (let d = 0; d < depth; d++) {
        const remaining = (depth - d) * layer + 14 + 28;
        p += writeEthernet(buf, p, 0x020000000100 + d, 0x020000000200 + d, [], 0x0800, false);
        p += writeIpv4Udp(buf, p, IP_10 + 0x100 + d, IP_10 + 0x200 + d, 49152 + d, 4789, remaining - layer);
        buf[p] = 0x08;
        buf[p + 1] = 0;
        buf[p + 2] = 0;
        buf[p + 3] = 0;
        buf.writeUIntBE(5000 + d, p + 4, 3);
        buf[p + 7] = 0;
        p += 8;
      }
      const mac = 0x020000000000 + (i % 1000) + 1;
      p += writeEthernet(buf, p, BROADCAST, mac, [], 0x0806, false);
      p += writeArpRequest(buf, p, mac, IP_10 + (i % 1000) + 1, IP_10 + 0x800000 + (i % 5000));
      return p - at;
    });
    return file;
  },
};

/** pcapng: SHB, then N IDBs of distinct link types (0 … N-1 mod 65536), each followed by one EPB when `packets`. */
function writeInterfaces(file: string, n: number, packets: boolean): string {
  const w = new FileWriter(file);
  let buf = w.reserve(28);
  let at = w.pos;
  buf.writeUInt32LE(0x0a0d0d0a, at);
  buf.writeUInt32LE(28, at + 4);
  buf.writeUInt32LE(0x1a2b3c4d, at + 8);
  buf.writeUInt16LE(1, at + 12);
  buf.writeUInt16LE(0, at + 14);
  buf.writeBigInt64LE(-1n, at + 16);
  buf.writeUInt32LE(28, at + 24);
  w.advance(28);
  for (let i = 0; i < n; i++) {
    buf = w.reserve(20 + 32 + 64);
    at = w.pos;
    buf.writeUInt32LE(1, at);
    buf.writeUInt32LE(20, at + 4);
    buf.writeUInt16LE(i % 65536, at + 8);
    buf.writeUInt16LE(0, at + 10);
    buf.writeUInt32LE(0, at + 12);
    buf.writeUInt32LE(20, at + 16);
    w.advance(20);
    if (!packets) continue;
    at = w.pos;
    const data = 60;
    const total = 32 + data;
    buf.writeUInt32LE(6, at);
    buf.writeUInt32LE(total, at + 4);
    buf.writeUInt32LE(i, at + 8);
    buf.writeUInt32LE(0, at + 12);
    buf.writeUInt32LE(i, at + 16);
    buf.writeUInt32LE(data, at + 20);
    buf.writeUInt32LE(data, at + 24);
    buf.fill(0, at + 28, at + 28 + data);
    buf.writeUInt32LE(total, at + 28 + data);
    w.advance(total);
  }
  w.close();
  return file;
}

interface Case {
  name: string;
  generator: string;
  n: number;
}

const CASES: Case[] = [
  ...[8192, 16384, 32768, 65536, 100_000].map((n) => ({ name: `interfaces-${n}`, generator: 'interfaces', n })),
  { name: 'interfaces-packets-32768', generator: 'interfaces-packets', n: 32768 },
  ...[50_000, 100_000, 200_000, 400_000].map((n) => ({ name: `domains-${n}`, generator: 'domains', n })),
  ...[250_000, 1_000_000, 2_000_000].map((n) => ({ name: `neighbours-${n}`, generator: 'neighbours', n })),
  ...[125_000, 1_000_000].map((n) => ({ name: `neighbours-answered-${n}`, generator: 'neighbours-answered', n })),
  ...[100_000, 400_000].map((n) => ({ name: `bgp-streams-${n}`, generator: 'bgp-streams', n })),
  { name: 'vlan-stack-200000', generator: 'vlan-stack', n: 200_000 },
  { name: 'vxlan-nest-200000', generator: 'vxlan-nest', n: 200_000 },
];

function fail(message: string): never {
  process.stderr.write(`bench:hostile: ${message}\n`);
  process.exit(2);
}

if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) fail('dist/ is missing: run `npm run build` first');
mkdirSync(outDir, { recursive: true });

const rows: string[] = ['| case | capture MB | gen s | analyze s | peak RSS MiB | report KB | packets | domains | findings | warnings |', '|---|---|---|---|---|---|---|---|---|---|'];
process.stdout.write(`${rows.join('\n')}\n`);
for (const c of CASES) {
  if (only && !only.some((o) => c.name === o || c.generator === o)) continue;
  const n = Math.max(1, Math.round(c.n * scale));
  const base = join(outDir, `${c.generator}-${n}`);
  const genStart = process.hrtime.bigint();
  const file = generators[c.generator](base, n);
  const genSeconds = Number(process.hrtime.bigint() - genStart) / 1e9;
  const size = statSync(file).size;
  const start = process.hrtime.bigint();
  const res = spawnSync(
    process.execPath,
    [join(here, 'measure.mjs'), join(repo, 'bin', 'gwcheck.js'), 'analyze', '--format', 'json', '--quiet', '--fail-on', 'none', file],
    { cwd: repo, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rss = /__MAXRSS_KB__ (\d+)/.exec(res.stderr ?? '');
  let packets = '?';
  let domains = '?';
  let findings = '?';
  let warnings = '?';
  try {
    const report = JSON.parse(res.stdout);
    packets = String(report.stats.packets);
    domains = String(report.stats.domains);
    findings = String(report.findings.length);
    warnings = String(report.inputs[0].warnings.length);
  } catch {
    process.stderr.write(`${c.name}: no JSON report (exit ${res.status}): ${(res.stderr ?? '').slice(0, 400)}\n`);
  }
  const name = scale === 1 ? c.name : `${c.generator}-${n}`;
  const row = `| ${name} | ${(size / 1e6).toFixed(1)} | ${genSeconds.toFixed(1)} | ${seconds.toFixed(2)} | ${rss ? (Number(rss[1]) / 1024).toFixed(0) : '?'} | ${((res.stdout ?? '').length / 1024).toFixed(0)} | ${packets} | ${domains} | ${findings} | ${warnings} |`;
  rows.push(row);
  process.stdout.write(`${row}\n`);
  if (!keep) rmSync(file, { force: true });
}
