// The real binary end to end: `node bin/gwcheck.js …` is spawned and its stdout, stderr and exit status checked,
// as a user or a CI job sees them. dist/ is rebuilt from src/ once first (`npm run build`: tsc and the bundle), so the binary is the source under test.
// Bad inputs are built byte by byte in a temp dir with the fixture builder; nothing is copied from elsewhere.
import { Ajv } from 'ajv';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writePcap, writePcapng, type PacketSpec } from '../fixtures/builder/capture-file.js';
import * as bgp from '../fixtures/builder/bgp.js';
import { arpFrame, tcpFrame, TCP_FLAGS, udpFrame, vxlanFrame } from '../fixtures/builder/packet.js';
import { CaptureInput } from '../src/capture/input.js';
import { ALL_RULES } from '../src/rules/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin/gwcheck.js');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schema/report.schema.json'), 'utf8')));

const BLACKHOLE = 'fixtures/anycast-shared-mac-blackhole.pcapng';
const HSRP_ALL_ACTIVE = 'fixtures/anycast-hsrp-all-active.pcapng';
const CLEAN = 'fixtures/clean-hsrp-vrrp.pcapng';
const EVPN_OK = 'fixtures/evpn-mac-move-ok.pcapng';
const VXLAN_UNANSWERED = 'fixtures/vxlan-arp-unanswered.pcapng';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/;
const STACK_LINE = /^\s{4}at /m;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the binary from the repo root; colour variables are removed unless the case sets them. */
function gwcheck(args: string[], opts: { env?: Record<string, string>; input?: Buffer; cwd?: string } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  Object.assign(env, opts.env ?? {});
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Non-empty stderr lines. */
function errLines(r: Run): string[] {
  return r.stderr.split('\n').filter((l) => l.length > 0);
}

/** The report of a `--json` run, checked against the published schema. */
function reportOf(r: Run): Record<string, any> {
  const report = JSON.parse(r.stdout);
  expect(validate(report), JSON.stringify(validate.errors, null, 1)).toBe(true);
  return report;
}

async function packetsOf(path: string): Promise<PacketSpec[]> {
  const input = await CaptureInput.open(join(ROOT, path));
  const packets: PacketSpec[] = [];
  for (;;) {
    const r = input.next();
    if (r) {
      packets.push({ bytes: Buffer.from(r.bytes), seconds: r.seconds, nanos: r.nanos, originalLength: r.originalLength });
      continue;
    }
    if (!(await input.fill())) break;
  }
  input.close();
  return packets;
}

let dir = '';

beforeAll(async () => {
  // Asynchronously: on a loaded machine tsc takes longer than vitest's worker RPC timeout (60 s), and a worker
  // blocked in spawnSync that long fails the run with "Timeout calling onTaskUpdate" although every test passed.
  const tsc = await new Promise<{ status: number | null; output: string }>((resolve) => {
    // `npm run build`: tsc, then the bundle bin/gwcheck.js loads (so the bundle is what these tests run).
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
  if (tsc.status !== 0) throw new Error(`building dist/ failed:\n${tsc.output}`);
  dir = mkdtempSync(join(tmpdir(), 'gwcheck-cli-'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Most cases here spawn the binary synchronously. Back to back they keep the worker's event loop busy for minutes
// on a loaded machine, and vitest's worker RPC (answers arrive as I/O) then times out — "Timeout calling
// onTaskUpdate", failing a run in which every test passed. One turn of the event loop after each case lets it through.
afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

describe('bin/gwcheck.js loads the bundle', () => {
  it('npm run build made dist/gwcheck.cjs and its code cache, neither older than what they were made from', () => {
    const bundle = statSync(join(ROOT, 'dist/gwcheck.cjs')).mtimeMs;
    expect(bundle).toBeGreaterThanOrEqual(statSync(join(ROOT, 'dist/cli/main.js')).mtimeMs);
    expect(statSync(join(ROOT, 'dist/gwcheck.cache')).mtimeMs).toBeGreaterThanOrEqual(bundle);
  });

  // In a child: the cache is checked against the V8 flags of the process, and vitest's workers run with others.
  const child = (code: string) => spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  const loadIn = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(join(ROOT, 'bin/gwcheck.js'))});
    const { load } = require('./bundle.cjs');`;

  it('V8 takes the code cache the build wrote', () => {
    const r = child(`${loadIn} process.stdout.write(load().codeCache);`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('used');
  });

  it('keeps what the CLI imports lazily out of the start: a JSON run never loads cli-table3, a table run does', () => {
    // esbuild leaves a lazily imported module's body in a function run on first import, its require()s inside it.
    const run = (format: string) =>
      child(`${loadIn} const { Writable } = await import('node:stream');
        const sink = () => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false, columns: 80 });
        await load().exports.main(['analyze', '--format', '${format}', 'fixtures/clean-dual-stack.pcapng'], { stdout: sink(), stderr: sink(), env: {} });
        process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('cli-table3'))));`);
    expect(run('json').stdout).toBe('false');
    expect(run('table').stdout).toBe('true');
  });

  it('runs the bundle when it is fresh, the modules when it is stale (a bare tsc since the build), and ignores a stale cache', () => {
    // A stand-in package: each entry point's main returns its own exit status.
    const pkg = join(dir, 'shim');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(pkg, 'dist', 'cli'), { recursive: true });
    copyFileSync(join(ROOT, 'bin/gwcheck.js'), join(pkg, 'bin/gwcheck.js'));
    copyFileSync(join(ROOT, 'bin/bundle.cjs'), join(pkg, 'bin/bundle.cjs'));
    writeFileSync(join(pkg, 'package.json'), '{"type":"module"}');
    writeFileSync(join(pkg, 'dist/gwcheck.cjs'), 'exports.main = async () => 3;\nexports.yieldBackgroundThreads = () => {};\n');
    writeFileSync(join(pkg, 'dist/cli/main.js'), 'export async function main() { return 7; }\nexport function yieldBackgroundThreads() {}\n');
    // Not a code cache at all: were it offered to V8, V8 would reject it and say so in codeCache.
    writeFileSync(join(pkg, 'dist/gwcheck.cache'), 'stale');
    const run = () => spawnSync(process.execPath, [join(pkg, 'bin/gwcheck.js')], { encoding: 'utf8' }).status;
    const cacheState = () =>
      spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(join(pkg, 'bin/bundle.cjs'))}).load().codeCache)`], { encoding: 'utf8' }).stdout;
    utimesSync(join(pkg, 'dist/gwcheck.cache'), 1500, 1500);
    utimesSync(join(pkg, 'dist/gwcheck.cjs'), 2000, 2000);
    utimesSync(join(pkg, 'dist/cli/main.js'), 1000, 1000);
    expect(run()).toBe(3);
    expect(cacheState()).toBe('none');
    utimesSync(join(pkg, 'dist/gwcheck.cache'), 2500, 2500);
    expect(cacheState()).toBe('rejected');
    expect(run()).toBe(3);
    utimesSync(join(pkg, 'dist/cli/main.js'), 3000, 3000);
    expect(run()).toBe(7);
    rmSync(join(pkg, 'dist/gwcheck.cjs'));
    expect(run()).toBe(7);
  });

  it('a checkout never built: one line that says to build it, exit 2, no stack trace', () => {
    const pkg = join(dir, 'unbuilt');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin/gwcheck.js'), join(pkg, 'bin/gwcheck.js'));
    copyFileSync(join(ROOT, 'bin/bundle.cjs'), join(pkg, 'bin/bundle.cjs'));
    writeFileSync(join(pkg, 'package.json'), '{"type":"module"}');
    const r = spawnSync(process.execPath, [join(pkg, 'bin/gwcheck.js'), 'analyze', BLACKHOLE], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('gwcheck: not built yet: run `npm ci` (or `npm run build`) in the gwcheck checkout first\n');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('gwcheck --version, --help, usage errors', () => {
  it('--version prints package.json’s version', () => {
    const r = gwcheck(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
    expect(r.stderr).toBe('');
  });

  it('--help names the commands and the exit statuses', () => {
    const r = gwcheck(['--help']);
    expect(r.status).toBe(0);
    for (const word of ['analyze', 'decode', 'rules', 'Exit status', '--fail-on']) expect(r.stdout).toContain(word);
    expect(r.stdout).toMatch(/^\s*0\s+no finding/m);
    expect(r.stdout).toMatch(/^\s*1\s+findings/m);
    expect(r.stdout).toMatch(/^\s*2\s+usage error/m);
    expect(r.stderr).toBe('');
  });

  it('every --help fits an 80-column terminal, and names the environment it reads', () => {
    for (const command of [[], ['analyze'], ['decode'], ['annotate'], ['init'], ['rules']]) {
      const r = gwcheck([...command, '--help']);
      expect(r.status).toBe(0);
      const long = r.stdout.split('\n').filter((line) => [...line].length > 80);
      expect(long, `gwcheck ${command.join(' ')} --help`).toEqual([]);
    }
    const top = gwcheck(['--help']).stdout;
    for (const name of ['NO_COLOR', 'FORCE_COLOR', 'GWCHECK_PROGRESS_DELAY']) expect(top).toContain(name);
  });

  it('analyze --help lists a flag for every rule threshold', () => {
    const r = gwcheck(['analyze', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--arp-timeout <seconds>');
    for (const rule of ALL_RULES) {
      for (const option of rule.meta.options) {
        expect(r.stdout).toContain('--' + option.name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
      }
    }
    for (const flag of ['--format', '--json', '--follow', '--output', '--fail-on', '--rules', '--disable', '--vxlan-port', '--no-color']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('no arguments: the full help on stderr (a usage error), exit 2', () => {
    const r = gwcheck([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: gwcheck');
    for (const word of ['analyze', 'decode', 'rules', 'Exit status']) expect(r.stderr).toContain(word);
  });

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['an unknown option', ['analyze', '--frobnicate', BLACKHOLE], /unknown option '--frobnicate'/],
    ['analyze without files', ['analyze'], /missing required argument/],
    ['a bad --fail-on', ['analyze', '--fail-on', 'fatal', BLACKHOLE], /'fatal' is invalid/],
    ['a bad --format', ['analyze', '--format', 'xml', BLACKHOLE], /'xml' is invalid/],
    ['a negative threshold', ['analyze', '--arp-timeout', '-1', BLACKHOLE], /'-1' must be at least 0/],
    ['a count of 0', ['analyze', '--flap-moves', '0', BLACKHOLE], /'0' must be a whole number of at least 1/],
    ['a fractional count', ['analyze', '--flap-moves', '2.5', BLACKHOLE], /'2.5' must be a whole number of at least 1/],
    ['a table cap of 0', ['analyze', '--max-macs', '0', BLACKHOLE], /'0' must be a whole number of at least 1/],
    ['a threshold that is not a number', ['analyze', '--arp-timeout', 'soon', BLACKHOLE], /'soon' is not a number/],
    ['a bad --output format', ['analyze', '--output', 'xml=out.xml', BLACKHOLE], /'xml' is not a format/],
    ['a bad port', ['analyze', '--vxlan-port', '70000', BLACKHOLE], /not a port number/],
  ])('%s: exit 2 with a hint, nothing on stdout', (_name, args, message) => {
    const r = gwcheck(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('--help');
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('gwcheck analyze: table', () => {
  it('the anycast blackhole: exit 1, the finding and its VLAN in the table, no colour off a TTY', () => {
    const r = gwcheck(['analyze', BLACKHOLE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('shared-mac-arp-blackhole');
    expect(r.stdout).toContain('vlan 100');
    expect(r.stdout).toContain('1 error(s)');
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).toBe('');
  });

  it('--fail-on none: exit 0 with the same finding shown', () => {
    const r = gwcheck(['analyze', '--fail-on', 'none', BLACKHOLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('shared-mac-arp-blackhole');
  });

  it('--disable the rule: exit 0 and the finding is gone', () => {
    const r = gwcheck(['analyze', '--disable', 'shared-mac-arp-blackhole', BLACKHOLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('shared-mac-arp-blackhole');
  });

  it('--rules unanswered-arp: only that rule runs', () => {
    const r = gwcheck(['analyze', '--json', '--rules', 'unanswered-arp', BLACKHOLE]);
    const report = reportOf(r);
    expect(report.settings.rules).toEqual(['unanswered-arp']);
    expect(report.findings.every((f: { rule: string }) => f.rule === 'unanswered-arp')).toBe(true);
    expect(r.stdout).not.toContain('shared-mac-arp-blackhole');
    const table = gwcheck(['analyze', '--rules', 'unanswered-arp', BLACKHOLE]);
    expect(table.stdout).not.toContain('shared-mac-arp-blackhole');
    expect(table.status).toBe(0);
  });

  it('ids a module shares are chosen one by one: --disable duplicate-gateway-mac keeps ip-conflict, --rules ip-conflict drops duplicate-gateway-mac', () => {
    const unique = 'fixtures/anycast-unique-macs-one-gateway.pcapng';
    const off = gwcheck(['analyze', '--json', '--disable', 'duplicate-gateway-mac', unique]);
    expect(off.status).toBe(0);
    expect(reportOf(off).findings.map((f: { rule: string }) => f.rule)).not.toContain('duplicate-gateway-mac');
    expect(reportOf(off).settings.rules).toContain('ip-conflict');
    const only = gwcheck(['analyze', '--json', '--rules', 'ip-conflict', unique]);
    expect(reportOf(only).findings.map((f: { rule: string }) => f.rule)).not.toContain('duplicate-gateway-mac');
    expect(reportOf(only).settings.rules).toEqual(['ip-conflict']);
  });

  it('an id left out folds nothing away: --disable arp-spoofing shows the virtual-MAC finding the spoofing one explained', () => {
    const spoofing = 'fixtures/gateway-arp-spoofing.pcapng';
    // All ids: one arp-spoofing finding, into which duplicate-gateway-mac's "virtual IP answered by another MAC" folds.
    expect(reportOf(gwcheck(['analyze', '--json', spoofing])).findings.map((f: { rule: string }) => f.rule)).toEqual(['arp-spoofing']);
    // Without arp-spoofing the folded finding is the story, not a clean capture (it used to vanish with its host).
    const off = gwcheck(['analyze', '--json', '--disable', 'arp-spoofing', spoofing]);
    const findings = reportOf(off).findings as { rule: string; summary: string }[];
    expect(findings.map((f) => f.rule)).toEqual(['duplicate-gateway-mac']);
    expect(findings[0].summary).toMatch(/^FHRP virtual IP 10\.100\.0\.1 answered by 00:66:66:00:00:66, not the group virtual MAC/);
    expect(off.status).toBe(0);
    // The live stream names no id left out (it printed the arp-spoofing finding, then folded both away).
    const events = gwcheck(['analyze', '--format', 'ndjson', '--disable', 'arp-spoofing', spoofing])
      .stdout.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; rule?: string; report?: { findings: { rule: string }[] } });
    expect(events.filter((e) => e.event !== 'report').map((e) => [e.event, e.rule])).toEqual([
      ['new', 'duplicate-gateway-mac'],
      ['updated', 'duplicate-gateway-mac'],
    ]);
    expect(events.at(-1)?.report?.findings.map((f) => f.rule)).toEqual(['duplicate-gateway-mac']);
  });

  it.each([['--rules'], ['--disable']])('%s with an unknown rule id: exit 2, one line, nothing on stdout', (flag) => {
    const r = gwcheck(['analyze', flag, 'no-such-rule', BLACKHOLE]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(errLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/^gwcheck: unknown rule 'no-such-rule'/);
  });

  it.each([[CLEAN], [EVPN_OK]])('a clean capture (%s): exit 0 and "No findings"', (file) => {
    const r = gwcheck(['analyze', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('No findings');
    expect(r.stderr).toBe('');
  });

  it('--fail-on warning turns the deliberate multiple-Active warning into exit 1; default stays 0', () => {
    expect(gwcheck(['analyze', HSRP_ALL_ACTIVE]).status).toBe(0);
    const r = gwcheck(['analyze', '--fail-on', 'warning', HSRP_ALL_ACTIVE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('hsrp-multiple-active');
    expect(gwcheck(['analyze', '--fail-on', 'info', HSRP_ALL_ACTIVE]).status).toBe(1);
  });

  it('a rule threshold flag changes the outcome (--arp-timeout longer than the capture)', () => {
    const base = reportOf(gwcheck(['analyze', '--json', VXLAN_UNANSWERED]));
    expect(base.findings.map((f: { rule: string }) => f.rule)).toContain('unanswered-arp');
    const r = gwcheck(['analyze', '--json', '--arp-timeout', '3600', VXLAN_UNANSWERED]);
    const report = reportOf(r);
    expect(report.settings.arpTimeout).toBe(3600);
    expect(report.findings.map((f: { rule: string }) => f.rule)).not.toContain('unanswered-arp');
  });

  it('--max-pending-arp 1 on a capture with unanswered requests: the dropped requests name unanswered-arp in findingsCapped', () => {
    const capture = 'fixtures/host-side-capture.pcapng';
    expect(reportOf(gwcheck(['analyze', '--json', capture])).stats.findingsCapped).toEqual([]);
    const r = gwcheck(['analyze', '--json', '--max-pending-arp', '1', capture]);
    expect(reportOf(r).stats.findingsCapped).toEqual(['shared-mac-arp-blackhole', 'unanswered-arp']);
    expect(gwcheck(['analyze', '--max-pending-arp', '1', capture]).stdout).toMatch(/^unanswered-arp: some findings were dropped/m);
  });

  it('-v adds detail, remediation and evidence frames', () => {
    const r = gwcheck(['analyze', '-v', BLACKHOLE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/remediation/);
    expect(r.stdout).toMatch(/frame 4: /);
  });
});

describe('gwcheck analyze: JSON', () => {
  it.each([[['--format', 'json']], [['--json']]])('%j: only schema-valid JSON on stdout, schemaVersion 1', (flags) => {
    const r = gwcheck(['analyze', ...flags, BLACKHOLE]);
    expect(r.status).toBe(1);
    expect(r.stdout.trimStart().startsWith('{')).toBe(true);
    const report = reportOf(r);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toEqual({ name: 'gwcheck', version: PKG.version });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('shared-mac-arp-blackhole');
    expect(report.settings.failOn).toBe('error');
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).toBe('');
  });

  it('is deterministic: two runs give identical bytes, and equal the golden report', () => {
    const a = gwcheck(['analyze', '--json', BLACKHOLE]).stdout;
    const b = gwcheck(['analyze', '--json', BLACKHOLE]).stdout;
    expect(a).toBe(b);
    // The golden report comes from analyze() itself; the CLI only echoes its --fail-on into settings.
    const cli = JSON.parse(a);
    expect(cli.settings.failOn).toBe('error');
    delete cli.settings.failOn;
    expect(cli).toEqual(JSON.parse(readFileSync(join(ROOT, 'fixtures/golden/anycast-shared-mac-blackhole.json'), 'utf8')));
  });

  it('never paints, even when colour is forced', () => {
    for (const env of [{ FORCE_COLOR: '1' }, { FORCE_COLOR: '3' }]) {
      const r = gwcheck(['analyze', '--json', '--color', BLACKHOLE], { env });
      expect(r.stdout).not.toMatch(ANSI);
      reportOf(r);
    }
  });

  it('--output FILE writes the report there and nothing on stdout', () => {
    const out = join(dir, 'report.json');
    const r = gwcheck(['analyze', '--json', '--output', out, BLACKHOLE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(gwcheck(['analyze', '--json', BLACKHOLE]).stdout);
  });

  it('--output FILE with the table: written without colour even when forced', () => {
    const out = join(dir, 'report.txt');
    const r = gwcheck(['analyze', '-o', out, BLACKHOLE], { env: { FORCE_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('shared-mac-arp-blackhole');
    expect(text).not.toMatch(ANSI);
  });

  it('an unwritable --output path: exit 2, one line naming it, nothing on stdout', () => {
    const out = join(dir, 'no-such-dir', 'report.json');
    const r = gwcheck(['analyze', '--json', '--output', out, BLACKHOLE]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(errLines(r)).toHaveLength(1);
    expect(r.stderr.startsWith(`gwcheck: ${out}: `)).toBe(true);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('gwcheck analyze: several inputs and stdin', () => {
  it('two captures at once: both inputs, findings of both, evidence items carry the input index', () => {
    const r = gwcheck(['analyze', '--json', BLACKHOLE, VXLAN_UNANSWERED]);
    expect(r.status).toBe(1);
    const report = reportOf(r);
    expect(report.inputs.map((i: { path: string }) => i.path)).toEqual([BLACKHOLE, VXLAN_UNANSWERED]);
    expect(report.inputs.map((i: { packets: number }) => i.packets)).toEqual([21, 6]);
    expect(report.stats.packets).toBe(27);
    const byRule = new Map<string, { evidence: { items: { input: number }[] } }>();
    for (const f of report.findings) byRule.set(f.rule, f);
    const blackhole = byRule.get('shared-mac-arp-blackhole');
    const unanswered = byRule.get('unanswered-arp');
    expect(blackhole).toBeDefined();
    expect(unanswered).toBeDefined();
    expect(blackhole!.evidence.items.length).toBeGreaterThan(0);
    expect(blackhole!.evidence.items.every((i) => i.input === 0)).toBe(true);
    expect(unanswered!.evidence.items.length).toBeGreaterThan(0);
    expect(unanswered!.evidence.items.every((i) => i.input === 1)).toBe(true);
    // Evidence names the file and the frame, and the table's details say which file each frame is in.
    expect(unanswered!.evidence.items.every((i) => (i as { file?: string }).file === VXLAN_UNANSWERED)).toBe(true);
    const verbose = gwcheck(['analyze', '-v', BLACKHOLE, VXLAN_UNANSWERED]).stdout;
    expect(verbose).toContain(`${VXLAN_UNANSWERED} frame 3:`);
  });

  it('the order of inputs only changes the input indexes', () => {
    const ab = reportOf(gwcheck(['analyze', '--json', BLACKHOLE, VXLAN_UNANSWERED]));
    const ba = reportOf(gwcheck(['analyze', '--json', VXLAN_UNANSWERED, BLACKHOLE]));
    expect(ba.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(ab.findings.map((f: { rule: string }) => f.rule).sort());
    const unanswered = ba.findings.find((f: { rule: string }) => f.rule === 'unanswered-arp');
    expect(unanswered.evidence.items.every((i: { input: number }) => i.input === 0)).toBe(true);
  });

  it('- reads the capture from stdin', () => {
    const bytes = readFileSync(join(ROOT, BLACKHOLE));
    const r = gwcheck(['analyze', '--json', '-'], { input: bytes });
    expect(r.status).toBe(1);
    const report = reportOf(r);
    expect(report.inputs[0]).toMatchObject({ path: '-', format: 'pcapng', compressed: false, packets: 21, error: null });
    const file = reportOf(gwcheck(['analyze', '--json', BLACKHOLE]));
    // The same findings; each cited frame names its input as given: '-' here.
    // The Wireshark commands name the capture as CAPTURE: stdin cannot be opened again.
    const renamed = JSON.parse(
      JSON.stringify(file.findings).replaceAll(`"file":"${BLACKHOLE}"`, '"file":"-"').replaceAll(`wireshark -r ${BLACKHOLE}`, 'wireshark -r CAPTURE'),
    );
    expect(report.findings).toEqual(renamed);
  });

  it('- reads gzip-compressed bytes from stdin', () => {
    const bytes = gzipSync(readFileSync(join(ROOT, BLACKHOLE)));
    const r = gwcheck(['analyze', '--json', '-'], { input: bytes });
    expect(r.status).toBe(1);
    const report = reportOf(r);
    expect(report.inputs[0]).toMatchObject({ path: '-', format: 'pcapng', compressed: true, packets: 21, error: null });
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('shared-mac-arp-blackhole');
    const table = gwcheck(['analyze', '-'], { input: bytes });
    expect(table.status).toBe(1);
    expect(table.stdout).toContain('shared-mac-arp-blackhole');
  });

  it('a .gz file on disk reads like the plain one', () => {
    const gz = join(dir, 'blackhole.pcapng.gz');
    writeFileSync(gz, gzipSync(readFileSync(join(ROOT, BLACKHOLE))));
    const r = gwcheck(['analyze', '--json', gz]);
    expect(r.status).toBe(1);
    expect(reportOf(r).inputs[0].compressed).toBe(true);
  });

  it.each([['analyze'], ['decode']])('%s with - named twice: a usage error, one line, exit 2', (command) => {
    const r = gwcheck([command, '-', '-'], { input: readFileSync(join(ROOT, CLEAN)) });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(errLines(r)).toEqual([expect.stringMatching(/^gwcheck: '-' \(stdin\) is named more than once/)]);
  });

  it('empty stdin: exit 2, one line for -', () => {
    const r = gwcheck(['analyze', '-'], { input: Buffer.alloc(0) });
    expect(r.status).toBe(2);
    expect(errLines(r)).toHaveLength(1);
    expect(r.stderr.startsWith('gwcheck: -: ')).toBe(true);
  });
});

describe('gwcheck analyze: inputs that cannot be read', () => {
  const frame = arpFrame({ opcode: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.2', vlans: [{ id: 100 }] });
  const twoPackets = () => writePcap([{ bytes: frame, seconds: 1700000000 }, { bytes: frame, seconds: 1700000001 }]);

  /** name → how to make the path in the temp dir (returns the path) and what the message says. */
  const cases: { name: string; make: () => string; message: RegExp }[] = [
    { name: 'a missing file', make: () => join(dir, 'missing.pcap'), message: /no such file/ },
    {
      name: 'a directory',
      make: () => {
        const d = join(dir, 'a-directory');
        mkdirSync(d, { recursive: true });
        return d;
      },
      message: /directory/,
    },
    {
      name: 'an empty file',
      make: () => {
        const p = join(dir, 'empty.pcap');
        writeFileSync(p, '');
        return p;
      },
      message: /empty/,
    },
    {
      name: 'a text file',
      make: () => {
        const p = join(dir, 'notes.txt');
        writeFileSync(p, 'interface Vlan100\n ip address 10.100.0.2/24\n');
        return p;
      },
      message: /not a pcap or pcapng/,
    },
    {
      name: 'a pcap record claiming 2 GB',
      make: () => {
        const bytes = Buffer.from(twoPackets());
        bytes.writeUInt32LE(0x80000000, 24 + 8); // incl_len of the first record
        bytes.writeUInt32LE(0x80000000, 24 + 12); // orig_len
        const p = join(dir, 'huge-record.pcap');
        writeFileSync(p, bytes);
        return p;
      },
      message: /2147483648/,
    },
    {
      name: 'a pcapng block whose trailing length disagrees',
      make: () => {
        const bytes = Buffer.from(writePcapng([{ bytes: frame, seconds: 1700000000 }]));
        bytes.writeUInt32LE(bytes.readUInt32LE(bytes.length - 4) + 4, bytes.length - 4); // the EPB's trailing length
        const p = join(dir, 'bad-trailer.pcapng');
        writeFileSync(p, bytes);
        return p;
      },
      message: /trailing length/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: exit 2, exactly one stderr line "gwcheck: PATH: …", no stack trace`, () => {
      const path = c.make();
      for (const format of [[], ['--json']]) {
        const r = gwcheck(['analyze', ...format, path]);
        expect(r.status).toBe(2);
        const lines = errLines(r);
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0].startsWith(`gwcheck: ${path}: `)).toBe(true);
        expect(lines[0]).toMatch(c.message);
        expect(r.stderr).not.toMatch(STACK_LINE);
        if (format.length) {
          const report = reportOf(r);
          expect(report.inputs[0].error).not.toBeNull();
        }
      }
      const d = gwcheck(['decode', path]);
      expect(d.status).toBe(2);
      expect(errLines(d)).toHaveLength(1);
      expect(d.stderr.startsWith(`gwcheck: ${path}: `)).toBe(true);
      expect(d.stderr).not.toMatch(STACK_LINE);
    });
  }

  it('one bad input among good ones: the report still covers the good one, exit 2', () => {
    const missing = join(dir, 'missing-too.pcap');
    const r = gwcheck(['analyze', '--json', BLACKHOLE, missing]);
    expect(r.status).toBe(2);
    const report = reportOf(r);
    expect(report.inputs[0].error).toBeNull();
    expect(report.inputs[1].error).not.toBeNull();
    expect(report.findings.map((f: { rule: string }) => f.rule)).toContain('shared-mac-arp-blackhole');
    expect(errLines(r)).toEqual([expect.stringMatching(new RegExp(`^gwcheck: ${missing}: `))]);
    const table = gwcheck(['analyze', BLACKHOLE, missing]);
    expect(table.status).toBe(2);
    expect(table.stdout).toContain('shared-mac-arp-blackhole');
  });

  it('a pcap cut in the middle of a record: a warning line, the findings before the cut, exit per findings', async () => {
    const bytes = writePcap(await packetsOf(BLACKHOLE));
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, bytes.subarray(0, bytes.length - 10)); // the last record loses its last 10 bytes
    const r = gwcheck(['analyze', path]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('shared-mac-arp-blackhole');
    const lines = errLines(r);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^gwcheck: ${path}: warning: `));
    expect(r.stderr).not.toMatch(STACK_LINE);
    const json = gwcheck(['analyze', '--json', path]);
    expect(json.status).toBe(1);
    const report = reportOf(json);
    expect(report.inputs[0]).toMatchObject({ truncated: true, error: null, packets: 20 });
    expect(errLines(json)).toHaveLength(1);
    const quiet = gwcheck(['analyze', '--fail-on', 'none', path]);
    expect(quiet.status).toBe(0);
  });

  it('a gzip stream cut short: a warning line, the packets before the cut analysed, not exit 2', () => {
    const gz = gzipSync(readFileSync(join(ROOT, BLACKHOLE)));
    const path = join(dir, 'cut.pcapng.gz');
    writeFileSync(path, gz.subarray(0, 200));
    const r = gwcheck(['analyze', '--json', path]);
    expect(r.status).toBe(0);
    const input = reportOf(r).inputs[0];
    expect(input).toMatchObject({ compressed: true, truncated: true, error: null });
    expect(input.packets).toBeGreaterThan(0);
    expect(input.packets).toBeLessThan(21);
    expect(errLines(r)).toEqual([expect.stringMatching(new RegExp(`^gwcheck: ${path}: warning: `))]);
  });

  it('a pcap cut inside its file header is not a capture: exit 2', () => {
    const path = join(dir, 'header-only.pcap');
    writeFileSync(path, twoPackets().subarray(0, 12));
    const r = gwcheck(['analyze', path]);
    expect(r.status).toBe(2);
    expect(errLines(r)).toHaveLength(1);
    expect(r.stderr.startsWith(`gwcheck: ${path}: `)).toBe(true);
  });
});

describe('gwcheck analyze: colour', () => {
  it.each([
    ['FORCE_COLOR=1', [], { FORCE_COLOR: '1' }, true],
    ['NO_COLOR=1 with FORCE_COLOR empty', [], { NO_COLOR: '1', FORCE_COLOR: '' }, false],
    ['FORCE_COLOR=0', [], { FORCE_COLOR: '0' }, false],
    ['--color', ['--color'], {}, true],
    ['--color over NO_COLOR', ['--color'], { NO_COLOR: '1' }, true],
    ['--no-color with FORCE_COLOR=1', ['--no-color'], { FORCE_COLOR: '1' }, false],
    ['nothing set, stdout a pipe', [], {}, false],
  ] as [string, string[], Record<string, string>, boolean][])('%s', (_name, flags, env, painted) => {
    const r = gwcheck(['analyze', ...flags, BLACKHOLE], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('shared-mac-arp-blackhole');
    if (painted) expect(r.stdout).toMatch(ANSI);
    else expect(r.stdout).not.toMatch(ANSI);
  });
});

// util-linux `script` gives the binary a real terminal (stdout and stderr both a pty), where colour and the
// progress line are on by default.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) console.warn('CLI terminal tests SKIPPED: util-linux `script` not found');

describe.skipIf(!hasScript)('on a terminal (run under script(1))', () => {
  function onTty(args: string[], env: Record<string, string> = {}): Run {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    const clean: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
    delete clean.FORCE_COLOR;
    delete clean.NO_COLOR;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...clean, ...env }, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('colour by default; none with NO_COLOR, TERM=dumb or --no-color; never in JSON', () => {
    const tty = onTty(['analyze', BLACKHOLE]);
    expect(tty.status).toBe(1);
    expect(tty.stdout).toContain('shared-mac-arp-blackhole');
    expect(tty.stdout).toMatch(ANSI);
    expect(onTty(['analyze', BLACKHOLE], { NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
    expect(onTty(['analyze', BLACKHOLE], { TERM: 'dumb' }).stdout).not.toMatch(ANSI);
    expect(onTty(['analyze', '--no-color', BLACKHOLE]).stdout).not.toMatch(ANSI);
    const json = onTty(['analyze', '--json', BLACKHOLE]);
    expect(json.stdout).not.toMatch(ANSI);
    expect(JSON.parse(json.stdout).schemaVersion).toBe(1);
  });

  it('a long input shows a progress line on stderr that is cleared at the end; -q shows none', () => {
    // > 50 MB of minimum-size frames: above the size from which a terminal gets a progress line.
    const frame = udpFrame({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1000, dstPort: 2000, payload: Buffer.alloc(10) });
    const one = writePcap([{ bytes: frame, seconds: 1700000000 }]);
    const record = one.subarray(24);
    const count = Math.ceil(120e6 / record.length);
    const big = Buffer.allocUnsafe(24 + count * record.length);
    one.copy(big, 0, 0, 24);
    for (let i = 0, at = 24; i < count; i++, at += record.length) record.copy(big, at);
    const path = join(dir, 'long.pcap');
    writeFileSync(path, big);
    // The first update comes after GWCHECK_PROGRESS_DELAY ms of reading (default 250): at once here, so that the
    // test does not depend on how fast this machine reads the file.
    const r = onTty(['analyze', path], { GWCHECK_PROGRESS_DELAY: '0' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\rgwcheck: [\d.]+ \/ 120\.0 MB \(\d+%\)/);
    expect(r.stdout).toContain('\r\x1b[K'); // cleared before the report
    expect(r.stdout).toContain('No verdict');
    // A run shorter than the delay shows none.
    expect(onTty(['analyze', path], { GWCHECK_PROGRESS_DELAY: '600000' }).stdout).not.toContain(' MB (');
    const quiet = onTty(['analyze', '-q', path], { GWCHECK_PROGRESS_DELAY: '0' });
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain(' MB (');
    rmSync(path);
  }, 60_000);
});

describe('gwcheck decode', () => {
  it('a BGP message held behind a segment that was never captured is still shown, marked, at the end', () => {
    // SYN, then a KEEPALIVE, then a segment of 19 bytes missing, then an UPDATE: the UPDATE waits behind the hole
    // and completes only when the capture ends.
    const seg = (seq: number, flags: number, payload: Buffer) =>
      tcpFrame({ srcIp: '10.0.0.1', dstIp: '10.0.0.254', srcPort: 40001, dstPort: 179, seq, flags, payload });
    const keepalive = bgp.keepalive();
    const update = bgp.evpnUpdate('10.0.0.1', [bgp.evpn.macIp({ rd: bgp.rd.ip('10.0.0.1', 1), mac: '02:00:00:00:00:01', labels: [100] })]);
    const frames = [seg(999, TCP_FLAGS.SYN, Buffer.alloc(0)), seg(1000, TCP_FLAGS.ACK, keepalive), seg(1000 + 19 + 19, TCP_FLAGS.ACK, update)];
    const file = join(dir, 'bgp-hole.pcap');
    writeFileSync(file, writePcap(frames.map((bytes, i) => ({ bytes, seconds: 1_700_000_000 + i }))));
    const r = gwcheck(['decode', '--filter', 'bgp', file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^2 \S+ untagged BGP KEEPALIVE$/);
    expect(lines[lines.length - 1]).toMatch(/^3 \S+ BGP UPDATE \(completed at the end of the capture/);
    const ndjson = gwcheck(['decode', '--format', 'ndjson', '--filter', 'bgp', file]).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const late = ndjson[ndjson.length - 1];
    expect(late).toMatchObject({ frame: 3, completedAtEnd: true });
    expect(late.layers[0].messages[0].type).toBe('update');
  });

  it('text: one line per frame of interest with frame number, time and vlan 100', () => {
    const r = gwcheck(['decode', BLACKHOLE]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(20); // 20 ARP frames; the TCP SYN (frame 3) is not of interest
    expect(lines[0]).toMatch(/^1 2026-03-02T09:00:00\.000000000Z vlan 100 ARP who-has 10\.100\.0\.1 tell 10\.100\.0\.11$/);
    expect(lines[1]).toMatch(/^2 \S+ vlan 100 ARP is-at 00:1c:73:aa:aa:aa \(10\.100\.0\.1\)$/);
    expect(lines.map((l) => Number(l.split(' ')[0]))).not.toContain(3);
    for (const line of lines) expect(line).toMatch(/^\d+ \S+ vlan 100 ARP /);
  });

  it('--all: every frame', () => {
    const r = gwcheck(['decode', '--all', BLACKHOLE]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => Number(l.split(' ')[0]))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(lines[2]).toMatch(/^3 \S+ vlan 100 IPv4 10\.100\.0\.11\.50100 > 198\.51\.100\.80\.443: TCP \[S\]/);
  });

  it('ndjson: every line parses, with frame, ISO time with 9 decimals and layers with proto', () => {
    const r = gwcheck(['decode', '--format', 'ndjson', VXLAN_UNANSWERED]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBe(6);
    for (const line of lines) {
      const o = JSON.parse(line);
      expect(o.frame).toBeTypeOf('number');
      expect(o.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
      expect(o.layers.length).toBeGreaterThan(0);
      for (const layer of o.layers) expect(layer.proto).toBeTypeOf('string');
    }
    const first = JSON.parse(lines[0]);
    expect(first.layers.map((l: { proto: string }) => l.proto)).toEqual(['eth', 'vlan', 'ipv4', 'udp', 'vxlan', 'eth', 'arp']);
    expect(first.layers[1]).toMatchObject({ id: 40, tpid: 0x8100 });
    expect(first.layers[4]).toMatchObject({ vni: 5001 });
    expect(first.layers[6]).toMatchObject({ opcode: 1, senderIp: '10.50.0.10', targetIp: '10.50.0.20' });
  });

  it('--filter arp keeps only ARP frames', () => {
    const all = gwcheck(['decode', '--format', 'ndjson', CLEAN]).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const arp = gwcheck(['decode', '--format', 'ndjson', '--filter', 'arp', CLEAN]).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const hasArp = (o: { layers: { proto: string }[] }) => o.layers.some((l) => l.proto === 'arp');
    expect(arp.length).toBeGreaterThan(0);
    expect(arp.every(hasArp)).toBe(true);
    expect(arp.map((o) => o.frame)).toEqual(all.filter(hasArp).map((o) => o.frame));
    expect(all.length).toBeGreaterThan(arp.length); // HSRP and VRRP frames were left out
    const hsrp = gwcheck(['decode', '--filter', 'hsrp', CLEAN]).stdout.trimEnd().split('\n');
    expect(hsrp.length).toBeGreaterThan(0);
    for (const line of hsrp) expect(line).toContain('HSRPv1');
  });

  it('a BGP capture in ndjson: a bgp layer with UPDATE messages carrying EVPN routes', () => {
    const r = gwcheck(['decode', '--format', 'ndjson', EVPN_OK]);
    expect(r.status).toBe(0);
    const objects = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    const messages = objects.flatMap((o) => o.layers.filter((l: { proto: string }) => l.proto === 'bgp').flatMap((l: { messages: object[] }) => l.messages));
    expect(messages.length).toBeGreaterThan(0);
    const updates = messages.filter((m: { type: string }) => m.type === 'update') as { evpn?: unknown[] }[];
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.some((m) => Array.isArray(m.evpn) && m.evpn.length > 0)).toBe(true);
    expect(messages.map((m: { type: string }) => m.type)).toContain('open');
    const text = gwcheck(['decode', '--filter', 'bgp', EVPN_OK]).stdout;
    expect(text).toContain('BGP OPEN');
  });

  it('--vxlan-port adds a port to the defaults (4789 and 8472 stay decoded), in decode and analyze', () => {
    const inner = (ip: string) => arpFrame({ opcode: 1, senderMac: '02:00:00:50:00:10', senderIp: '10.50.0.10', targetIp: ip });
    const path = join(dir, 'vxlan-ports.pcap');
    writeFileSync(
      path,
      writePcap([4789, 8472, 9999].map((port, i) => ({ bytes: vxlanFrame({ vni: 5001, port, inner: inner(`10.50.0.${20 + i}`) }), seconds: 1700000000 + i }))),
    );
    const vnis = (args: string[]) =>
      gwcheck(['decode', '--all', '--format', 'ndjson', ...args, path])
        .stdout.trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).layers.filter((x: { proto: string }) => x.proto === 'vxlan').length);
    expect(vnis([])).toEqual([1, 1, 0]);
    expect(vnis(['--vxlan-port', '9999'])).toEqual([1, 1, 1]);
    expect(vnis(['--vxlan-port', '8472'])).toEqual([1, 1, 0]);
    const report = reportOf(gwcheck(['analyze', '--json', '--vxlan-port', '9999', path]));
    expect(report.settings.vxlanPorts).toEqual([4789, 8472, 9999]);
    expect(report.stats.vxlan).toBe(3);
    expect(reportOf(gwcheck(['analyze', '--json', '--bgp-port', '1179', path])).settings.bgpPorts).toEqual([179, 1179]);
  });

  it('--filter nope: exit 2, one line', () => {
    const r = gwcheck(['decode', '--filter', 'nope', BLACKHOLE]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(errLines(r)).toHaveLength(1);
    expect(r.stderr).toMatch(/^gwcheck: unknown --filter 'nope'/);
  });

  it('a pcap cut mid-record: the frames before the cut and a warning line, exit 0', async () => {
    const bytes = writePcap(await packetsOf(BLACKHOLE));
    const path = join(dir, 'decode-cut.pcap');
    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    const r = gwcheck(['decode', '--all', path]);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(20);
    expect(errLines(r)).toEqual([expect.stringMatching(new RegExp(`^gwcheck: ${path}: warning: `))]);
  });
});

describe('a reader that stops early (gwcheck … | head)', () => {
  /** Runs `gwcheck ARGS | head -c 200` in bash; returns gwcheck's own exit status and stderr. */
  function intoHead(args: string[]): { status: number; stderr: string } {
    const quoted = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('bash', ['-c', `${quoted} 2>"$0" | head -c 200 >/dev/null; echo "\${PIPESTATUS[0]}"`, join(dir, 'head.err')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { status: Number(r.stdout.trim()), stderr: readFileSync(join(dir, 'head.err'), 'utf8') };
  }

  it('decode into a closed pipe stops quietly: no EPIPE stack trace, exit 0', () => {
    // 20 000 frames: far more text than a pipe buffers, so gwcheck is still writing when head has gone.
    const frame = arpFrame({ opcode: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.2', vlans: [{ id: 100 }] });
    const path = join(dir, 'many-arp.pcap');
    writeFileSync(path, writePcap(Array.from({ length: 20_000 }, (_, i) => ({ bytes: frame, seconds: 1700000000 + i }))));
    for (const format of ['text', 'ndjson']) {
      const r = intoHead(['decode', '--format', format, path]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('help into a closed pipe: no stack trace', () => {
    const r = intoHead(['analyze', '--help']);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.status).toBe(0);
  });
});

describe('gwcheck rules', () => {
  it('lists every rule id with its docs page, and each page exists', () => {
    const r = gwcheck(['rules']);
    expect(r.status).toBe(0);
    const pages = new Set(readdirSync(join(ROOT, 'docs/rules')));
    for (const rule of ALL_RULES) {
      expect(r.stdout).toMatch(new RegExp(`^${rule.meta.id}  \\(${rule.meta.severity}\\)`, 'm'));
      expect(r.stdout).toContain(`docs/rules/${rule.meta.id}.md`);
      expect(pages.has(`${rule.meta.id}.md`)).toBe(true);
    }
  });

  it('every finding id a module also reports is listed with its own docs page', () => {
    const r = gwcheck(['rules']);
    const also = ALL_RULES.flatMap((rule) => rule.meta.alsoReports ?? []);
    expect(also.length).toBeGreaterThan(0);
    for (const a of also) {
      expect(r.stdout).toMatch(new RegExp(`^${a.id}  \\(${a.severity}\\)`, 'm'));
      expect(r.stdout).toContain(`docs/rules/${a.id}.md`);
      expect(readdirSync(join(ROOT, 'docs/rules'))).toContain(`${a.id}.md`);
    }
  });
});

describe('progress', () => {
  it('stderr is not a TTY: no progress line, stderr empty on a clean run (also with -q)', () => {
    for (const flags of [[], ['-q']]) {
      const r = gwcheck(['analyze', ...flags, CLEAN]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
    }
  });
});

describe('the CI gate: config, baseline, outputs, init', () => {
  /** A fresh directory holding a copy of a story capture (and, when given, a gwcheck.config.json). */
  function project(config?: unknown, capture = HSRP_ALL_ACTIVE): { cwd: string; capture: string } {
    const cwd = mkdtempSync(join(dir, 'project-'));
    const name = capture.split('/').pop()!;
    writeFileSync(join(cwd, name), readFileSync(join(ROOT, capture)));
    if (config !== undefined) writeFileSync(join(cwd, 'gwcheck.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return { cwd, capture: name };
  }
  const ALL_ACTIVE_INTENT = { intent: { fhrpAllActive: [{ protocol: 'hsrp', group: 1, vlan: 100, reason: 'anycast without EVPN' }] } };

  it('with no config, analyze behaves as before (the HSRP all-Active lab warns)', () => {
    const { cwd, capture } = project();
    const r = gwcheck(['analyze', '--json', '--fail-on', 'warning', capture], { cwd });
    expect(r.status).toBe(1);
    const report = reportOf(r);
    expect(report.config).toBeUndefined();
    expect(report.findings[0]).toMatchObject({ rule: 'hsrp-multiple-active', severity: 'warning' });
    expect(report.findings[0].adjusted).toBeUndefined();
  });

  it('gwcheck.config.json in the working directory is found; the intent makes the all-Active lab pass as designed', () => {
    const { cwd, capture } = project(ALL_ACTIVE_INTENT);
    const r = gwcheck(['analyze', '--json', '--fail-on', 'warning', capture], { cwd });
    expect(r.status).toBe(0);
    const report = reportOf(r);
    expect(report.config).toMatchObject({ file: 'gwcheck.config.json', intent: ALL_ACTIVE_INTENT.intent });
    expect(report.findings[0]).toMatchObject({ severity: 'info', adjusted: { from: 'warning', by: 'intent.fhrpAllActive[0]' } });
    // The table says so too.
    const table = gwcheck(['analyze', capture], { cwd, env: { COLUMNS: '200' } });
    expect(table.stdout).toContain('(as designed)');
    // --no-config ignores the file.
    expect(gwcheck(['analyze', '--no-config', '--fail-on', 'warning', '-q', capture], { cwd }).status).toBe(1);
  });

  it('--config FILE; flags override the file (fail-on, thresholds); the report echoes the effective settings', () => {
    const { cwd, capture } = project();
    writeFileSync(join(cwd, 'ci.json'), JSON.stringify({ failOn: 'warning', rules: { 'unanswered-arp': { arpTimeout: 4 } } }));
    const fromFile = gwcheck(['analyze', '--config', 'ci.json', '--json', capture], { cwd });
    expect(fromFile.status).toBe(1);
    const report = reportOf(fromFile);
    expect(report.config.file).toBe('ci.json');
    expect(report.settings).toMatchObject({ failOn: 'warning', arpTimeout: 4 });
    const flags = gwcheck(['analyze', '--config', 'ci.json', '--json', '--fail-on', 'error', '--arp-timeout', '2', capture], { cwd });
    expect(flags.status).toBe(0);
    expect(reportOf(flags).settings).toMatchObject({ failOn: 'error', arpTimeout: 2 });
  });

  it.each([
    ['a misspelt finding id', { rules: { 'hsrp-multiple-activ': 'off' } }, 'gwcheck: gwcheck.config.json: rules.hsrp-multiple-activ: no such finding id — did you mean hsrp-multiple-active?'],
    ['an unknown key', { ruels: {} }, 'gwcheck: gwcheck.config.json: ruels: unknown key — did you mean rules? (known: $schema, failOn, rules, suppress, intent)'],
    ['a suppression without reason', { suppress: [{ rule: 'unanswered-arp' }] }, 'gwcheck: gwcheck.config.json: suppress[0].reason: is required: say why this finding is accepted'],
    ['a count of 0', { rules: { 'mac-flapping': { flapMoves: 0 } } }, 'gwcheck: gwcheck.config.json: rules.mac-flapping.flapMoves: 0 must be a whole number of at least 1 (count)'],
    ['not JSON', '{"rules": ', /^gwcheck: gwcheck\.config\.json: not valid JSON/],
  ])('a bad config (%s): exit 2, the path and the problem on stderr, nothing on stdout', (_name, config, message) => {
    const { cwd, capture } = project(config);
    const r = gwcheck(['analyze', '--json', capture], { cwd });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    if (typeof message === 'string') expect(errLines(r)).toEqual([message]);
    else expect(errLines(r)[0]).toMatch(message);
  });

  it('--config naming a missing file is exit 2', () => {
    const r = gwcheck(['analyze', '--config', 'nope.json', HSRP_ALL_ACTIVE]);
    expect(r.status).toBe(2);
    expect(errLines(r)).toEqual(['gwcheck: nope.json: cannot read the config (ENOENT)']);
  });

  it('a suppressed finding does not fail the gate, stays in the JSON with its reason, and is counted in the footer; expired, it counts again', () => {
    const suppress = (until: string) => ({ suppress: [{ rule: 'hsrp-multiple-active', match: { group: 1 }, reason: 'lab', until }] });
    const live = project(suppress('2999-12-31'));
    const r = gwcheck(['analyze', '--json', '--fail-on', 'warning', live.capture], { cwd: live.cwd });
    expect(r.status).toBe(0);
    expect(reportOf(r).findings[0].suppressed).toEqual({ by: 'suppress[0]', reason: 'lab', until: '2999-12-31' });
    expect(gwcheck(['analyze', '--fail-on', 'warning', live.capture], { cwd: live.cwd }).stdout).toContain('0 warning(s), 0 info, 1 suppressed');
    const expired = project(suppress('2000-01-01'));
    const e = gwcheck(['analyze', '--fail-on', 'warning', expired.capture], { cwd: expired.cwd });
    expect(e.status).toBe(1);
    expect(e.stdout).toContain('suppression of hsrp-multiple-active expired on 2000-01-01 ("lab"): its 1 finding(s) count again');
  });

  it('--baseline: unchanged findings do not fail the gate, new ones do, gone ones are listed as fixed', () => {
    const { cwd, capture } = project();
    const first = gwcheck(['analyze', '--json', '-o', 'week1.json', capture], { cwd });
    expect(first.status).toBe(0);
    const same = gwcheck(['analyze', '--json', '--fail-on', 'warning', '--baseline', 'week1.json', capture], { cwd });
    expect(same.status).toBe(0);
    const report = reportOf(same);
    expect(report.findings.every((f: { baseline: string }) => f.baseline === 'unchanged')).toBe(true);
    expect(report.baseline).toEqual({ file: 'week1.json', new: 0, unchanged: 1, fixed: [] });
    // Against a baseline with another finding: ours is new (fails), theirs is fixed.
    const old = JSON.parse(readFileSync(join(cwd, 'week1.json'), 'utf8'));
    old.findings[0].id = '000000000000';
    old.findings[0].subject = { protocol: 'hsrp', group: 99, routers: [] };
    writeFileSync(join(cwd, 'other.json'), JSON.stringify(old));
    const changed = gwcheck(['analyze', '--fail-on', 'warning', '--baseline', 'other.json', capture], { cwd });
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('baseline  other.json: 1 new, 0 unchanged, 1 fixed');
    writeFileSync(join(cwd, 'bad.json'), '{"findings": 3}');
    const bad = gwcheck(['analyze', '--baseline', 'bad.json', capture], { cwd });
    expect(bad.status).toBe(2);
    expect(errLines(bad)[0]).toMatch(/^gwcheck: bad\.json: findings: the baseline must be a gwcheck JSON report/);
  });

  it('several outputs from one pass: the table on stdout, JSON, SARIF, JUnit and Markdown to files; -o FILE still takes the report', () => {
    const { cwd, capture } = project();
    const r = gwcheck(['analyze', '-o', 'json=r.json', '--output', 'sarif=r.sarif', '-o', 'junit=r.xml', '-o', 'markdown=r.md', capture], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hsrp-multiple-active');
    const report = JSON.parse(readFileSync(join(cwd, 'r.json'), 'utf8'));
    expect(validate(report)).toBe(true);
    const sarif = JSON.parse(readFileSync(join(cwd, 'r.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].partialFingerprints['gwcheckFindingId/v1']).toBe(report.findings[0].id);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(capture);
    expect(readFileSync(join(cwd, 'r.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(join(cwd, 'r.md'), 'utf8')).toMatch(/^## gwcheck/);
    const plain = gwcheck(['analyze', '--format', 'sarif', '-o', 'only.sarif', capture], { cwd });
    expect(plain.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(cwd, 'only.sarif'), 'utf8')).version).toBe('2.1.0');
    const two = gwcheck(['analyze', '-o', 'a.txt', '-o', 'b.txt', capture], { cwd });
    expect(two.status).toBe(2);
    expect(two.stderr).toMatch(/only one bare --output FILE/);
  });

  it('--format github: workflow commands on stdout, and the Markdown job summary appended to $GITHUB_STEP_SUMMARY', () => {
    const { cwd, capture } = project();
    const summary = join(cwd, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = gwcheck(['analyze', '--format', 'github', '--fail-on', 'warning', capture], { cwd, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^::error file=anycast-hsrp-all-active\.pcapng,line=1,title=gwcheck hsrp-multiple-active \(vlan 100\)::HSRP group 1/);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# earlier step\n## gwcheck')).toBe(true);
  });

  it('--format junit and markdown on stdout', () => {
    const junit = gwcheck(['analyze', '--format', 'junit', '--fail-on', 'warning', HSRP_ALL_ACTIVE]);
    expect(junit.status).toBe(1);
    expect(junit.stdout).toContain('<failure message="HSRP group 1');
    const md = gwcheck(['analyze', '--format', 'markdown', HSRP_ALL_ACTIVE]);
    expect(md.stdout).toMatch(/^## gwcheck\n/);
  });

  it('gwcheck init writes a starting config from a capture, valid against the schema; with it the lab passes', () => {
    const { cwd, capture } = project();
    const r = gwcheck(['init', capture], { cwd });
    expect(r.status).toBe(0);
    const config = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema/config.schema.json'), 'utf8'));
    expect(new Ajv({ allErrors: true }).validate(schema, config)).toBe(true);
    expect(config.intent.gateways).toEqual([{ ip: '10.100.0.1', macs: ['00:00:0c:9f:f0:01'], vlan: 100 }]);
    expect(config.intent.fhrpAllActive).toEqual([expect.objectContaining({ protocol: 'hsrp', group: 1, vlan: 100, reason: expect.stringMatching(/^REVIEW: 2 routers were Active at once/) })]);
    const w = gwcheck(['init', '-o', 'gwcheck.config.json', capture], { cwd });
    expect(w.status).toBe(0);
    expect(gwcheck(['analyze', '-q', '--fail-on', 'warning', capture], { cwd }).status).toBe(0);
    // It does not overwrite.
    expect(gwcheck(['init', '-o', 'gwcheck.config.json', capture], { cwd }).status).toBe(2);
  });

  it('the inventory: one line per domain in the table, the whole map with --inventory (explained in --help), always in the JSON', () => {
    const compact = gwcheck(['analyze', HSRP_ALL_ACTIVE]).stdout;
    expect(compact).toMatch(/^inventory vlan 100: gateway 10\.100\.0\.1 → 00:00:0c:9f:f0:01; hsrp 1 \(active 10\.100\.0\.2, active 10\.100\.0\.3\); 4 MACs, 4 IPs in ARP\/ND$/m);
    const full = gwcheck(['analyze', '--inventory', HSRP_ALL_ACTIVE]).stdout;
    expect(full).toMatch(/^ {4}gateway 10\.100\.0\.1 {2}\(fhrp-virtual-ip; hsrp group 1\)$/m);
    expect(full).toMatch(/^ {6}10\.100\.0\.3 {2}00:00:0c:9f:f0:01 {2}active {2}priority 110 {2}hello 3 s {2}hold 10 s/m);
    expect(full).not.toMatch(/^inventory vlan/m);
    const report = reportOf(gwcheck(['analyze', '--json', HSRP_ALL_ACTIVE]));
    expect(report.inventory.domains[0].fhrpGroups[0]).toMatchObject({ protocol: 'hsrp', group: 1, activeAtOnce: 2 });
    expect(gwcheck(['analyze', '--help']).stdout).toMatch(/--inventory[\s\S]*?how\s+each\s+was\s+learned/);
  });

  it('intent.gateways: a MAC the declaration does not list is a gateway-mac-drift error from its frame; the inventory marks it', () => {
    const intent = { intent: { gateways: [{ ip: '10.100.0.1', macs: ['00:00:0c:07:ac:0a'], vlan: 100 }] } };
    const { cwd, capture } = project(intent, 'fixtures/gateway-arp-spoofing.pcapng');
    const r = gwcheck(['analyze', '--json', capture], { cwd });
    expect(r.status).toBe(1);
    const report = reportOf(r);
    const drift = report.findings.filter((f: { rule: string }) => f.rule === 'gateway-mac-drift');
    expect(drift.map((f: { subject: { mac: string } }) => f.subject.mac)).toEqual(['00:66:66:00:00:66']);
    expect(report.findings.filter((f: { rule: string }) => f.rule === 'arp-spoofing')).toEqual([]);
    const macs = report.inventory.domains[0].gateways[0].macs.map((m: { mac: string; declared: boolean }) => [m.mac, m.declared]);
    expect(macs).toEqual([['00:00:0c:07:ac:0a', true], ['00:66:66:00:00:66', false]]);
  });

  it('each command has its own --help; analyze --help defines the seen column; flap options are labelled mac-flapping', () => {
    for (const command of ['decode', 'rules', 'init']) {
      const r = gwcheck([command, '--help']);
      expect(r.stdout).toContain(`show help for ${command}`);
      expect(r.stdout).not.toContain('gwcheck help analyze');
    }
    const help = gwcheck(['analyze', '--help']).stdout;
    expect(help).toMatch(/seen\s+how many times the rule observed the problem/);
    expect(help).toMatch(/--flap-moves <n>[\s\S]*?\[mac-flapping\]/);
    expect(help).not.toMatch(/--flap-moves <n>[^[]*\[mac-mobility-regression\]/);
  });

  it('inputs that share no time are merged with a warning', () => {
    const a = writePcapng([{ bytes: arpFrame({ opcode: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.2' }), seconds: 1_600_000_000, nanos: 0 }]);
    const b = writePcapng([{ bytes: arpFrame({ opcode: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.2' }), seconds: 1_700_000_000, nanos: 0 }]);
    writeFileSync(join(dir, 'old.pcapng'), a);
    writeFileSync(join(dir, 'new.pcapng'), b);
    const r = gwcheck(['analyze', '--json', join(dir, 'old.pcapng'), join(dir, 'new.pcapng')]);
    const report = reportOf(r);
    expect(report.inputs[0].warnings[0]).toMatch(/^shares no time with the other inputs \(1157 days from .*new\.pcapng\)/);
    expect(report.inputs[1].warnings[0]).toMatch(/^shares no time with the other inputs/);
  });
});

// Live triage and the output contract (issue 15). The binary is spawned asynchronously: these tests feed stdin
// while it runs, wait for what it prints (never a fixed sleep where an event can be awaited), then signal it.
// Timeouts are generous: the machine running them may be loaded.
interface LiveRun {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches (rejects when the process exits first). */
  waitFor(pattern: RegExp): Promise<void>;
  exited: Promise<number | null>;
}

function gwcheckLive(args: string[]): LiveRun {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  child.stdin.on('error', () => undefined); // the binary may stop reading before the feeder stops writing
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out)) {
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        void exited.then(() => (pattern.test(out) ? resolve() : reject(new Error(`exited before ${pattern}: ${out}${err}`))));
        check();
      }),
  };
}

/** Writes `bytes` in small pieces, a few milliseconds apart: a capture arriving as a live one does. */
async function feedSlowly(stdin: NodeJS.WritableStream, bytes: Buffer, piece = 120, gapMs = 15): Promise<void> {
  for (let at = 0; at < bytes.length; at += piece) {
    await new Promise<void>((resolve) => stdin.write(bytes.subarray(at, at + piece), () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
}

/** 1500 ARP requests for 1500 different targets, none answered: 1000 unanswered-arp findings (the cap). */
function manyUnansweredCapture(): string {
  const path = join(dir, 'many-unanswered.pcap');
  if (existsSync(path)) return path;
  const packets: PacketSpec[] = [];
  for (let i = 0; i < 1500; i++) {
    const target = `10.1.${i >> 8}.${i & 255}`;
    const bytes = arpFrame({ opcode: 1, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetIp: target, vlans: [{ id: 100 }] });
    packets.push({ bytes, seconds: 1_700_000_000 + Math.floor(i / 10), nanos: (i % 10) * 1e8 });
  }
  writeFileSync(path, writePcap(packets));
  return path;
}

describe('live triage: Ctrl-C, --follow, ndjson events', () => {
  it('a capture fed slowly through stdin, then SIGINT: the report of what was read, marked interrupted, exit 1', async () => {
    const run = gwcheckLive(['analyze', '--format', 'ndjson', '-']);
    await feedSlowly(run.child.stdin, readFileSync(join(ROOT, BLACKHOLE)));
    // stdin stays open: the capture is "still running". The finding is printed as soon as it is certain.
    await run.waitFor(/"event":"new".*"rule":"shared-mac-arp-blackhole"/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    const lines = run.stdout().trim().split('\n').map((l) => JSON.parse(l));
    const last = lines[lines.length - 1];
    expect(last.event).toBe('report');
    expect(validate(last.report), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(last.report.inputs[0]).toMatchObject({ path: '-', interrupted: true, packets: 21, error: null });
    expect(last.report.findings.map((f: { rule: string }) => f.rule)).toContain('shared-mac-arp-blackhole');
    for (const l of lines.slice(0, -1)) expect(['new', 'updated', 'resolved-at-end', 'folded']).toContain(l.event);
    expect(run.stderr()).toMatch(/^gwcheck: -: interrupted: the report covers the 21 packets read until then\n$/);
  }, 60_000);

  it('--follow (table): the blackhole line comes before stdin closes; Ctrl-C then prints the table, INTERRUPTED in the header', async () => {
    const run = gwcheckLive(['analyze', '--follow', '-']);
    await feedSlowly(run.child.stdin, readFileSync(join(ROOT, BLACKHOLE)));
    await run.waitFor(/error\s+shared-mac-arp-blackhole\s+vlan 100\s+MAC 00:1c:73:aa:aa:aa/);
    expect(run.stdout()).not.toContain('┌'); // the table comes only at the end
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    expect(run.stdout()).toMatch(/INTERRUPTED/);
    expect(run.stdout()).toMatch(/│ error\s+│ shared-mac-arp-blackhole/);
  }, 60_000);

  it('--follow on a file still being written: findings as packets are appended, the report on SIGTERM', async () => {
    const packets = await packetsOf(BLACKHOLE);
    const path = join(dir, 'growing.pcap');
    writeFileSync(path, writePcap(packets.slice(0, 2)));
    const run = gwcheckLive(['analyze', '--follow', '--format', 'ndjson', path]);
    // The rest arrives packet by packet, as `tcpdump -w file -U` writes it.
    const whole = writePcap(packets);
    const head = writePcap(packets.slice(0, 2)).length;
    for (let at = head; at < whole.length; at += 60) {
      appendFileSync(path, whole.subarray(at, at + 60));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await run.waitFor(/"event":"new".*"rule":"shared-mac-arp-blackhole"/);
    // The finding is certain before the last packets arrive; the reader looks for more every 200 ms (followPollMs):
    // give it a few polls to read the tail that was appended, so the report covers all 21 packets.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(1);
    const last = JSON.parse(run.stdout().trim().split('\n').pop()!);
    expect(last.report.inputs[0]).toMatchObject({ interrupted: true, packets: 21, truncated: false });
  }, 60_000);

  it('several inputs followed, then SIGINT: one report of both, each input marked interrupted', async () => {
    const run = gwcheckLive(['analyze', '--follow', '--format', 'ndjson', BLACKHOLE, VXLAN_UNANSWERED]);
    await run.waitFor(/"event":"new".*"rule":"shared-mac-arp-blackhole"/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    const last = JSON.parse(run.stdout().trim().split('\n').pop()!);
    expect(validate(last.report), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(last.report.inputs.map((i: { interrupted: boolean; packets: number }) => [i.interrupted, i.packets])).toEqual([
      [true, 21],
      [true, 6],
    ]);
  }, 60_000);

  it('a request left unanswered is reported when its timeout passes, not when the input ends (--follow, silent stdin)', async () => {
    const run = gwcheckLive(['analyze', '--follow', '--format', 'ndjson', '-']);
    run.child.stdin.write(readFileSync(join(ROOT, VXLAN_UNANSWERED)));
    // No packet follows: capture time moves on with the clock, and the last request's timeout passes.
    await run.waitFor(/"event":"(new|updated)".*"rule":"unanswered-arp".*"summary":"3 ARP request/);
    run.child.stdin.end();
    expect(await run.exited).toBe(0);
    const last = JSON.parse(run.stdout().trim().split('\n').pop()!);
    expect(last.report.inputs[0].interrupted).toBe(false);
  }, 60_000);

  it('decode interrupted by SIGINT writes out every frame it decoded', async () => {
    const whole = gwcheck(['decode', BLACKHOLE]);
    const run = gwcheckLive(['decode', '-']);
    run.child.stdin.write(readFileSync(join(ROOT, BLACKHOLE)));
    // Nothing is awaitable here (decode writes in 64 KiB pieces): give it a moment, then check consistency.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    const frames = Number(/interrupted after frame (\d+)/.exec(run.stderr())?.[1]);
    expect(frames).toBe(21);
    // Every line a run to the end gives: none was left in the output buffer.
    expect(run.stdout()).toBe(whole.stdout);
  }, 60_000);

  it('a second Ctrl-C exits at once with 130', async () => {
    // stdout is not read past its first piece: the report (larger than a pipe's buffer) cannot be written out, so
    // only a signal ends the process. (No 'data' listener: the stream stays paused.)
    const child = spawn(process.execPath, [BIN, 'analyze', '--json', manyUnansweredCapture()], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    await new Promise<void>((resolve) => child.stdout.once('readable', () => resolve()));
    const run = { child, exited };
    let code: number | null | undefined;
    void run.exited.then((c) => (code = c));
    // Signals sent too close together may arrive as one: repeat until it is gone.
    while (code === undefined) {
      run.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(code).toBe(130);
  }, 60_000);
});

describe('a reader that goes away, a disk that fills', () => {
  /** Reads `bytes` of stdout, then closes the pipe, as `| head -c BYTES` does. */
  async function headC(args: string[], bytes: number): Promise<{ status: number | null; stderr: string; got: number }> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let got = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= bytes) {
          child.stdout.destroy();
          resolve();
        }
      });
      child.stdout.on('close', () => resolve());
    });
    return { status: await exited, stderr, got };
  }

  it('decode … | head -c 100: quiet (no EPIPE message, no stack), exit 0', async () => {
    const r = await headC(['decode', manyUnansweredCapture()], 100);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 60_000);

  it('a JSON report larger than the pipe buffer read by head -c 100 keeps exit 1', async () => {
    const r = await headC(['analyze', '--json', '--fail-on', 'info', manyUnansweredCapture()], 100);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
  }, 60_000);

  it.skipIf(!existsSync('/dev/full'))('stdout on a full disk (> /dev/full): one line and exit 2, for analyze and decode', () => {
    for (const args of [['analyze', BLACKHOLE], ['analyze', '--json', BLACKHOLE], ['decode', BLACKHOLE]]) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        expect(r.status, args.join(' ')).toBe(2);
        expect(errLines({ status: r.status, stdout: '', stderr: r.stderr })).toEqual([expect.stringMatching(/^gwcheck: cannot write .* to stdout \(ENOSPC\)/)]);
        expect(r.stderr).not.toMatch(STACK_LINE);
      } finally {
        closeSync(full);
      }
    }
  });
});
