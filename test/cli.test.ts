// The real binary end to end: `node bin/gwcheck.js …` is spawned and its stdout, stderr and exit status checked,
// as a user or a CI job sees them. dist/ is rebuilt from src/ once first, so the binary is the source under test.
// Bad inputs are built byte by byte in a temp dir with the fixture builder; nothing is copied from elsewhere.
import { Ajv } from 'ajv';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
function gwcheck(args: string[], opts: { env?: Record<string, string>; input?: Buffer } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  Object.assign(env, opts.env ?? {});
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
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

beforeAll(() => {
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`building dist/ failed:\n${tsc.stdout}${tsc.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'gwcheck-cli-'));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
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

  it('analyze --help lists a flag for every rule threshold', () => {
    const r = gwcheck(['analyze', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--arp-timeout <seconds>');
    for (const rule of ALL_RULES) {
      for (const option of rule.meta.options) {
        expect(r.stdout).toContain('--' + option.name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
      }
    }
    for (const flag of ['--format', '--json', '--output', '--fail-on', '--rules', '--disable', '--vxlan-port', '--no-color']) {
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
    ['a negative threshold', ['analyze', '--arp-timeout', '-1', BLACKHOLE], /not a non-negative number/],
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
    // > 50 MB of minimum-size frames: long enough (about a second) for the progress line's first update.
    const frame = udpFrame({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 1000, dstPort: 2000, payload: Buffer.alloc(10) });
    const one = writePcap([{ bytes: frame, seconds: 1700000000 }]);
    const record = one.subarray(24);
    const count = Math.ceil(120e6 / record.length);
    const big = Buffer.allocUnsafe(24 + count * record.length);
    one.copy(big, 0, 0, 24);
    for (let i = 0, at = 24; i < count; i++, at += record.length) record.copy(big, at);
    const path = join(dir, 'long.pcap');
    writeFileSync(path, big);
    const r = onTty(['analyze', path]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\rgwcheck: [\d.]+ \/ 120\.0 MB \(\d+%\)/);
    expect(r.stdout).toContain('\r\x1b[K'); // cleared before the report
    expect(r.stdout).toContain('No findings');
    const quiet = onTty(['analyze', '-q', path]);
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
