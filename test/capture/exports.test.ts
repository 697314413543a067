// Wireshark in both directions: exports in (JSON, EK, plain text, hex dumps) give the capture's own findings, ids
// and frame numbers; annotated captures out keep every frame and carry the findings as packet comments.
// Committed exports (fixtures/exports/, made once by make.sh with tshark) test the readers everywhere; with tshark
// installed, every story fixture is also exported in every format here and read back.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../../fixtures/builder/capture-file.js';
import { STORIES } from '../../fixtures/stories.js';
import { commentsByInput } from '../../src/cli/annotate.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';
import { copyWithComments } from '../../src/capture/pcapng-writer.js';
import { CaptureInput } from '../../src/capture/input.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { DEFAULT_BGP_PORTS, DEFAULT_VXLAN_PORTS } from '../../src/decode/types.js';
import { DomainTable } from '../../src/facts/domains.js';
import { FactExtractor } from '../../src/facts/extract.js';
import { analyze, type Report } from '../../src/index.js';
import { domainFilter } from '../../src/rules/wireshark.js';
import { readEveryWay, snapshot, type RecordSnapshot } from './helpers.js';

const EXPORTS = 'fixtures/exports';
const CORPUS = '../shared/corpus/captures';
const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
const hasCorpus = spawnSync('test', ['-d', CORPUS]).status === 0;
if (!hasTshark) console.warn('exports.test: tshark is not installed — the round trips through tshark and the filter checks are skipped (committed exports are still read)');

/** Findings as comparable across inputs: no file names, no commands (they name the file), optionally no times. */
function comparable(report: Report, withTimes = true): unknown {
  /** Words that print an instant (a state change "at 2026-…Z"): without absolute times only their shape compares. */
  const instants = (text: string) => (withTimes ? text : text.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, 'TIME'));
  return report.findings.map((f) => ({
    ...f,
    summary: instants(f.summary),
    detail: instants(f.detail),
    evidence: {
      ...f.evidence,
      items: f.evidence.items.map((i) => ({ input: i.input, frame: i.frame, role: i.role, ...(withTimes ? { time: i.time } : {}) })),
      ...(withTimes ? {} : { firstTime: '', lastTime: '' }),
    },
    wireshark: f.wireshark?.files.map((v) => ({ frames: v.frames, exactFilter: v.exactFilter })),
  }));
}

async function records(path: string): Promise<RecordSnapshot[]> {
  const input = await CaptureInput.open(path);
  const out: RecordSnapshot[] = [];
  for (;;) {
    const r = input.next();
    if (r) {
      out.push(snapshot(r));
      continue;
    }
    if (!(await input.fill())) break;
  }
  input.close();
  if (input.info.error) throw input.info.error;
  return out;
}

function fakeIo(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(String(s)), true), columns: 140, isTTY: false }) as unknown as NodeJS.WriteStream;
  return {
    io: { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), env: { NO_COLOR: '1' } },
    out: () => out,
    err: () => err,
  };
}

describe('committed exports give the findings, ids and frame numbers of the capture itself', () => {
  const cases: { file: string; capture: string; format: string; times: 'absolute' | 'relative' | 'none' }[] = [
    { file: 'vxlan-arp-unanswered.json.gz', capture: 'vxlan-arp-unanswered', format: 'tshark-json', times: 'absolute' },
    { file: 'vxlan-arp-unanswered.ek.gz', capture: 'vxlan-arp-unanswered', format: 'tshark-ek', times: 'absolute' },
    { file: 'vxlan-arp-unanswered.V-x.txt.gz', capture: 'vxlan-arp-unanswered', format: 'text-export', times: 'absolute' },
    { file: 'vxlan-arp-unanswered.P-V-x.txt.gz', capture: 'vxlan-arp-unanswered', format: 'text-export', times: 'absolute' },
    { file: 'vxlan-arp-unanswered.P-x.txt', capture: 'vxlan-arp-unanswered', format: 'text-export', times: 'relative' },
    { file: 'anycast-shared-mac-blackhole.ek.gz', capture: 'anycast-shared-mac-blackhole', format: 'tshark-ek', times: 'absolute' },
  ];
  for (const c of cases) {
    it(`${c.file} (${c.format}, ${c.times} times)`, async () => {
      const capture = await analyze([`fixtures/${c.capture}.pcapng`]);
      const exported = await analyze([`${EXPORTS}/${c.file}`]);
      expect(exported.inputs[0]).toMatchObject({ format: c.format, timestamps: c.times, error: null, packets: capture.inputs[0].packets });
      expect(comparable(exported, c.times === 'absolute')).toEqual(comparable(capture, c.times === 'absolute'));
      expect(exported.stats).toEqual(capture.stats);
      expect(exported.findings.length).toBeGreaterThan(0);
    });
  }

  it('every record of an export is the capture’s record: number, time, lengths, link type and bytes', async () => {
    const want = await records('fixtures/vxlan-arp-unanswered.pcapng');
    for (const file of ['vxlan-arp-unanswered.json.gz', 'vxlan-arp-unanswered.ek.gz', 'vxlan-arp-unanswered.V-x.txt.gz', 'vxlan-arp-unanswered.P-V-x.txt.gz']) {
      expect(await records(`${EXPORTS}/${file}`), file).toEqual(want);
    }
  });

  it('reads the same whole and in 1-, 7- and 4096-byte chunks (JSON, EK, text)', async () => {
    const want = await records('fixtures/vxlan-arp-unanswered.pcapng');
    for (const file of ['vxlan-arp-unanswered.json.gz', 'vxlan-arp-unanswered.ek.gz', 'vxlan-arp-unanswered.V-x.txt.gz']) {
      const got = readEveryWay(gunzipSync(readFileSync(`${EXPORTS}/${file}`)));
      expect(got.error, file).toBeUndefined();
      expect(got.records, file).toEqual(want);
    }
  });
});

describe('a filtered export keeps the original frame numbers and times', () => {
  it('ARP requests only (tshark -Y "arp.opcode == 1" -T json -x): each record is the capture’s frame of that number', async () => {
    const all = new Map((await records('fixtures/anycast-shared-mac-blackhole.pcapng')).map((r) => [r.frame, r]));
    const filtered = await records(`${EXPORTS}/anycast-shared-mac-blackhole.requests.json.gz`);
    expect(filtered.length).toBeGreaterThan(3);
    expect(filtered.length).toBeLessThan(all.size);
    expect(filtered.map((r) => r.frame)).not.toEqual(filtered.map((_, i) => i + 1));
    for (const r of filtered) expect(r).toEqual(all.get(r.frame));
  });
});

describe('exports without bytes end with exit 2 and the re-export command', () => {
  for (const [file, hint] of [
    ['no-bytes.json', 'tshark -r CAPTURE -T json -x > export.json'],
    ['no-bytes.V.txt', 'tshark -r CAPTURE -V -x > export.txt'],
  ] as const) {
    it(file, async () => {
      const report = await analyze([`${EXPORTS}/${file}`]);
      expect(report.inputs[0].error).toMatchObject({ code: 'no-bytes' });
      expect(report.inputs[0].error!.message).toContain(hint);
      const run = fakeIo();
      expect(await main(['analyze', '-q', `${EXPORTS}/${file}`], run.io)).toBe(2);
      expect(run.err()).toContain(hint);
    });
  }

  it('PSML (summaries only) says no bytes; PDML is named and refused with the command that works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
    writeFileSync(join(dir, 'x.psml'), '<?xml version="1.0"?>\n<psml version="0" creator="wireshark/4.0.17">\n</psml>\n');
    writeFileSync(join(dir, 'x.pdml'), '<?xml version="1.0"?>\n<pdml version="0" creator="wireshark/4.0.17">\n</pdml>\n');
    expect((await analyze([join(dir, 'x.psml')])).inputs[0].error).toMatchObject({ code: 'no-bytes' });
    const pdml = (await analyze([join(dir, 'x.pdml')])).inputs[0].error!;
    expect(pdml.code).toBe('unsupported-export');
    expect(pdml.message).toContain('tshark -r CAPTURE -T json -x');
  });
});

describe('hex dumps: numbered from 1, times unknown, and the rules that need time say they could not judge', () => {
  it('tshark -x (the Copy → as Hex Dump layout) of the blackhole story', async () => {
    const report = await analyze([`${EXPORTS}/anycast-shared-mac-blackhole.hexdump.txt`]);
    const input = report.inputs[0];
    expect(input).toMatchObject({ format: 'hex-dump', timestamps: 'none', packets: 21, firstTime: null, error: null });
    expect(input.warnings.join('\n')).toMatch(/no timestamps .*shared-mac-arp-blackhole.* could not judge/);
    expect(report.findings.filter((f) => f.rule === 'shared-mac-arp-blackhole')).toEqual([]);
    const recs = await records(`${EXPORTS}/anycast-shared-mac-blackhole.hexdump.txt`);
    const capture = await records('fixtures/anycast-shared-mac-blackhole.pcapng');
    expect(recs.map((r) => r.frame)).toEqual(capture.map((_, i) => i + 1));
    expect(recs.map((r) => r.hex)).toEqual(capture.map((r) => r.hex));
  });

  it('text2pcap-style dumps: offsets, several packets without blank lines, a time line, an ASCII column', () => {
    const text = [
      '2026-03-02T09:00:00.5Z',
      '000000 ff ff ff ff ff ff 02 00 00 50 00 10 08 06 00 01  |.........P......|',
      '000010 08 00 06 04 00 01 02 00 00 50 00 10 0a 32 00 0a  |.........P...2..|',
      '000020 00 00 00 00 00 00 0a 32 00 14                    |.......2..|',
      '000000 ff ff ff ff ff ff 02 00 00 50 00 10 08 06 00 01',
      '000010 08 00 06 04 00 01 02 00 00 50 00 10 0a 32 00 0a',
      '000020 00 00 00 00 00 00 0a 32 00 15',
    ].join('\n');
    const got = readEveryWay(Buffer.from(text));
    expect(got.error).toBeUndefined();
    expect(got.format).toBe('hex-dump');
    expect(got.records.map((r) => [r.frame, r.capturedLength, r.hasTimestamp])).toEqual([
      [1, 42, true],
      [2, 42, false],
    ]);
    expect(got.records[0].seconds).toBe(Date.UTC(2026, 2, 2, 9) / 1000);
    expect(got.records[0].nanos).toBe(500_000_000);
  });
});

describe('malformed exports: an error with the line and byte offset, never a stack trace', () => {
  it('JSON cut short inside a packet', () => {
    const json = gunzipSync(readFileSync(`${EXPORTS}/vxlan-arp-unanswered.json.gz`));
    const got = readEveryWay(json.subarray(0, Math.floor(json.length / 2)));
    expect(got.error?.code).toBe('malformed-export');
    expect(got.error?.message).toMatch(/line \d+, byte offset \d+: the export ends inside a packet/);
    expect(got.records.length).toBeGreaterThan(0);
  });

  it('JSON with a broken token names its line', () => {
    const got = readEveryWay(Buffer.from('[\n  {\n    "_source": {\n      "layers": {\n        "frame_raw": ["00zz", 0, 2, 0, 1]\n'));
    expect(got.error).toMatchObject({ code: 'malformed-export' });
    expect(got.error!.message).toContain('line 5');
    expect(got.error!.message).toContain("not hex ('z')");
  });

  it('a hex dump line that skips bytes', () => {
    const got = readEveryWay(Buffer.from('0000  ff ff ff ff\n0010  00 01\n'));
    expect(got.error).toMatchObject({ code: 'malformed-export' });
    expect(got.error!.message).toContain('at line 2');
  });
});

describe('annotate: a pcapng copy with the findings as packet comments, every frame unchanged', () => {
  for (const story of STORIES) {
    it(story.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
      const capture = `fixtures/${story.name}.pcapng`;
      const asPcap = join(dir, `${story.name}.pcap`);
      writeFileSync(asPcap, writePcap((await records(capture)).map((r) => ({ seconds: r.seconds, nanos: r.nanos, bytes: Buffer.from(r.hex, 'hex') })) as never));
      for (const input of [capture, asPcap]) {
        const report = await analyze([input]);
        const comments = commentsByInput(report)[0];
        const out = join(dir, 'out.pcapng');
        const chunks: Buffer[] = [];
        const stats = await copyWithComments(input, comments, { write: async (b) => void chunks.push(b) }, 'test');
        writeFileSync(out, Buffer.concat(chunks));
        const before = await records(input);
        const after = await records(out);
        expect(stats.frames).toBe(before.length);
        expect(after.map((r) => ({ ...r, comment: undefined }))).toEqual(before.map((r) => ({ ...r, comment: undefined })));
        const cited = [...new Set(report.findings.flatMap((f) => f.evidence.frames))].sort((a, b) => a - b);
        expect(after.filter((r) => r.comment?.includes('gwcheck: ')).map((r) => r.frame)).toEqual(cited);
        for (const f of report.findings) {
          for (const frame of f.evidence.frames) expect(after[frame - 1].comment).toContain(`gwcheck: ${f.severity} ${f.rule} — ${f.summary} [finding ${f.id}] (`);
        }
        if (hasTshark && cited.length) {
          const listed = execFileSync('tshark', ['-r', out, '-Y', 'frame.comment contains "gwcheck"', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
          expect(listed.trim().split('\n').map(Number)).toEqual(cited);
        }
      }
    });
  }

  it.skipIf(!hasTshark)('keeps a comment the capture already had (editcap -a), and shows it in the evidence and in decode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
    const commented = join(dir, 'commented.pcapng');
    execFileSync('editcap', ['-a', '3:blackhole?', 'fixtures/vxlan-arp-unanswered.pcapng', commented]);
    const report = await analyze([commented]);
    const item = report.findings[0].evidence.items.find((i) => i.frame === 3)!;
    expect(item.comment).toBe('blackhole?');
    const run = fakeIo();
    await main(['decode', commented], run.io);
    expect(run.out()).toContain('3   comment: blackhole?');
    const chunks: Buffer[] = [];
    await copyWithComments(commented, commentsByInput(report)[0], { write: async (b) => void chunks.push(b) }, 'test');
    writeFileSync(join(dir, 'out.pcapng'), Buffer.concat(chunks));
    const after = await records(join(dir, 'out.pcapng'));
    expect(after[2].comment?.startsWith('blackhole?\ngwcheck: warning unanswered-arp')).toBe(true);
  });

  it('the CLI: one input to -o FILE, stdin refused (it is read twice)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
    const run = fakeIo();
    expect(await main(['annotate', 'fixtures/vxlan-arp-unanswered.pcapng', '-o', join(dir, 'a.pcapng')], run.io)).toBe(0);
    expect(run.err()).toMatch(/wrote .*a\.pcapng: 6 frames, 3 comment\(s\) on 3 frame\(s\)/);
    const stdin = fakeIo();
    expect(await main(['annotate', '-', '-o', join(dir, 'b.pcapng')], stdin.io)).toBe(2);
  });
});

describe.skipIf(!hasTshark)('with tshark: every story fixture in every export format gives the same findings', () => {
  const formats: { name: string; args: string[]; withTimes: boolean }[] = [
    { name: 'json', args: ['-T', 'json', '-x'], withTimes: true },
    { name: 'json-no-duplicate-keys', args: ['-T', 'json', '-x', '--no-duplicate-keys'], withTimes: true },
    { name: 'ek', args: ['-T', 'ek', '-x'], withTimes: true },
    { name: 'V-x', args: ['-V', '-x'], withTimes: true },
    { name: 'P-V-x', args: ['-P', '-V', '-x'], withTimes: true },
    { name: 'P-x', args: ['-P', '-x'], withTimes: false },
  ];
  for (const story of STORIES) {
    it(story.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
      const capture = `fixtures/${story.name}.pcapng`;
      const want = await analyze([capture]);
      for (const format of formats) {
        const file = join(dir, `${story.name}.${format.name}`);
        writeFileSync(file, execFileSync('tshark', ['-r', capture, ...format.args], { maxBuffer: 64 * 1024 * 1024 }));
        const got = await analyze([file]);
        expect(got.inputs[0].error, format.name).toBeNull();
        expect(comparable(got, format.withTimes), format.name).toEqual(comparable(want, format.withTimes));
        expect(got.stats, format.name).toEqual(want.stats);
      }
    });
  }
});

/** Frame numbers a display filter selects in a capture. */
function tsharkFrames(capture: string, filter: string, decodeAs: readonly string[]): number[] {
  const out = execFileSync('tshark', ['-r', capture, ...decodeAs.flatMap((d) => ['-d', d]), '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean).map(Number);
}

describe.skipIf(!hasTshark)('with tshark: every filter the fixtures produce selects its cited frames', () => {
  for (const story of STORIES) {
    it(story.name, async () => {
      const capture = `fixtures/${story.name}.pcapng`;
      const report = await analyze([capture]);
      for (const f of report.findings) {
        const view = f.wireshark!;
        const cited = f.evidence.frames;
        const semantic = tsharkFrames(capture, f.wiresharkFilter, view.decodeAs);
        // At least every cited frame (the semantic filter may show more: the replies, the other hellos).
        expect(cited.filter((n) => !semantic.includes(n)), `${f.rule}: ${f.wiresharkFilter}`).toEqual([]);
        expect(tsharkFrames(capture, view.files[0].exactFilter, []), view.files[0].exactFilter).toEqual(cited);
      }
    });
  }
});

describe.skipIf(!hasTshark || !hasCorpus)('with tshark and the corpus: S-tags and VXLAN on 8472', () => {
  it('a single 802.1ad S-tag filters as ieee8021ad.id (vlan.id selects nothing) on tcpdump__QinQpacket.pcap', async () => {
    const capture = `${CORPUS}/tcpdump__QinQpacket.pcap`;
    const domains = new DomainTable();
    const extractor = new FactExtractor({ neighbour() {}, routerAdvert() {}, fhrp() {}, evpn() {}, anomaly() {} }, domains, { bgpPorts: DEFAULT_BGP_PORTS });
    const decoder = new FrameDecoder({ vxlanPorts: DEFAULT_VXLAN_PORTS, bgpPorts: DEFAULT_BGP_PORTS });
    const input = await CaptureInput.open(capture);
    for (;;) {
      const r = input.next();
      if (r) {
        extractor.frame(decoder.decode(r.bytes, r.linkType), r, 0);
        continue;
      }
      if (!(await input.fill())) break;
    }
    input.close();
    const sTagged = domains.all().find((d) => d.vlans.length === 1 && d.tpids?.[0] === 0x88a8);
    expect(sTagged).toBeDefined();
    const filter = domainFilter(sTagged!);
    expect(filter).toBe(`ieee8021ad.id == ${sTagged!.vlans[0]}`);
    expect(tsharkFrames(capture, filter, []).length).toBeGreaterThan(0);
    expect(tsharkFrames(capture, `vlan.id == ${sTagged!.vlans[0]} && !ieee8021ad`, []).length).toBe(0);
  });

  it('VXLAN on 8472 needs -d udp.port==8472,vxlan, and the findings say so', async () => {
    const capture = `${CORPUS}/vxlan_port_8472.pcap`;
    const found = spawnSync('ls', [capture]).status === 0 ? capture : undefined;
    const file = found ?? execFileSync('sh', ['-c', `ls ${CORPUS}/*vxlan_port_8472* | head -1`], { encoding: 'utf8' }).trim();
    expect(tsharkFrames(file, 'vxlan', []).length).toBe(0);
    expect(tsharkFrames(file, 'vxlan', ['udp.port==8472,vxlan']).length).toBeGreaterThan(0);
    const report = await analyze([file]);
    for (const f of report.findings.filter((x) => x.wiresharkFilter.includes('vxlan.'))) expect(f.wireshark!.decodeAs).toContain('udp.port==8472,vxlan');
  });
});

describe.skipIf(!hasTshark || !hasCorpus)('with tshark and the corpus: real captures read the same from their exports', () => {
  // Link types and pcapng shapes the story fixtures lack: Linux SLL and SLL2, raw IP, QinQ, several interfaces,
  // big-endian sections, custom blocks Wireshark numbers as frames (the records skip them, the numbers agree).
  const captures = [
    'tcpdump__bgp-enhanced-route-refresh-subtype.pcapng',
    'tcpdump__bgp-addpath.pcap',
    'suricata-verify__decode-sll2-01__input.pcap',
    'tcpdump__QinQpacket.pcap',
    'arthurcadore__BGP-FullCapture.pcapng',
    'pcapng-testgen__le__test018.pcapng',
    'pcapng-testgen__be__test202.pcapng',
  ];
  for (const name of captures) {
    it(name, async () => {
      const capture = `${CORPUS}/${name}`;
      const want = await records(capture);
      const dir = mkdtempSync(join(tmpdir(), 'gwcheck-'));
      for (const args of [['-T', 'json', '-x'], ['-T', 'ek', '-x'], ['-V', '-x'], ['-P', '-V', '-x']]) {
        const file = join(dir, 'export');
        writeFileSync(file, execFileSync('tshark', ['-r', capture, ...args], { maxBuffer: 256 * 1024 * 1024 }));
        const got = (await records(file)).map((r) => ({ ...r, comment: undefined, interfaceId: 0 }));
        expect(got, args.join(' ')).toEqual(want.map((r) => ({ ...r, comment: undefined, interfaceId: 0 })));
      }
    });
  }
});
