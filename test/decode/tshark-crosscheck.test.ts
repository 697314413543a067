// Cross-checks that need tshark itself (skipped, visibly, where it is not installed — CI has none):
//  - the ND fixture builder's frames: tshark finds the ICMPv6 checksums correct, reports no malformed packet, and
//    reads the same type, target and link-layer options as gwcheck;
//  - HSRP advertise messages on ../shared/corpus: state and active/passive group counts as tshark reads them
//    (hsrp.adv.*, hsrp2.*_groups — fields the truth files do not carry).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePcap } from '../../fixtures/builder/capture-file.js';
import { naFrame, ndFrame, ndRedirect, ndRs, nsFrame, raFrame } from '../../fixtures/builder/nd.js';
import { vxlanFrame } from '../../fixtures/builder/packet.js';
import { CaptureInput } from '../../src/capture/input.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { formatIpv6, formatMac } from '../../src/util/net.js';
import { CORPUS, corpusPresent } from '../corpus.js';

function hasTshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const tshark = hasTshark();
if (!tshark) console.warn('tshark cross-checks SKIPPED: tshark not installed');

function fields(path: string, names: string[], extra: string[] = []): string[][] {
  const out = execFileSync('tshark', ['-n', '-r', path, ...extra, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...names.flatMap((n) => ['-e', n])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l !== '').map((l) => {
    const cells = l.split('\t');
    return names.map((_, i) => cells[i] ?? '');
  });
}

describe.skipIf(!tshark)('tshark cross-check: ND fixture builder', () => {
  const HOST = '00:11:22:33:44:55';
  const GW = '00:00:5e:00:01:01';
  const frames = [
    nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1', vlans: [{ id: 100 }] }),
    nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::1:2:3', nonce: '010203040506' }),
    naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST, router: true }),
    raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, managed: true, mtu: 1500, prefixes: [{ prefix: '2001:db8:1::', length: 64 }] }),
    ndFrame({ src: HOST, srcIp: 'fe80::2', dstIp: 'ff02::2', message: ndRs({ sourceLinkAddr: HOST }), vlans: [{ id: 100, tpid: 0x88a8 }, { id: 200 }] }),
    ndFrame({ src: GW, dst: HOST, srcIp: 'fe80::1', dstIp: '2001:db8::2', message: ndRedirect({ target: 'fe80::3', destination: '2001:db8:5::5', targetLinkAddr: GW }) }),
    vxlanFrame({ vni: 5000, inner: naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: 'ff02::1' }) }),
  ];

  it('checksums good, nothing malformed, same reading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwcheck-nd-'));
    try {
      const path = join(dir, 'nd.pcap');
      writeFileSync(path, writePcap(frames.map((bytes, i) => ({ bytes, seconds: 1_700_000_000 + i }))));
      const rows = fields(path, ['icmpv6.checksum.status', '_ws.malformed', 'icmpv6.type', 'icmpv6.nd.ns.target_address', 'icmpv6.nd.na.target_address', 'icmpv6.opt.linkaddr']);
      expect(rows.length).toBe(frames.length);
      const decoder = new FrameDecoder();
      frames.forEach((bytes, i) => {
        let f = decoder.decode(bytes, 1).root;
        while (f.inner) f = f.inner;
        const nd = f.nd;
        const [status, malformed, type, nsTarget, naTarget, lla] = rows[i];
        expect(status, `frame ${i + 1} checksum`).toBe('1'); // 1 = good (tshark verifies ICMPv6 checksums by default)
        expect(malformed).toBe('');
        expect(type).toBe(String(nd.type));
        const target = nd.targetOffset ? formatIpv6(f.bytes, nd.targetOffset) : '';
        if (nd.type === 135) expect(nsTarget).toBe(target);
        if (nd.type === 136) expect(naTarget).toBe(target);
        const ours = [nd.sourceLinkAddr, nd.targetLinkAddr].filter((m) => m >= 0).map(formatMac);
        expect(lla.split(',').filter(Boolean).sort()).toEqual(ours.sort());
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const HSRP_FILES = ['tcpdump__HSRP_coup.pcap', 'tcpdump__HSRP_election.pcap', 'tcpdump__HSRP_failover.pcap', 'ndpi__hsrp2_ipv6.pcapng'];

describe.skipIf(!tshark || !corpusPresent)('tshark cross-check: HSRP advertise messages on the corpus', () => {
  it('every advertise frame: state, active and passive groups as tshark reads them', async () => {
    let compared = 0;
    const mismatches: string[] = [];
    for (const file of HSRP_FILES) {
      const path = `${CORPUS}captures/${file}`;
      if (!existsSync(path)) continue;
      const rows = fields(path, ['frame.number', 'hsrp.adv.state', 'hsrp.adv.activegrp', 'hsrp.adv.passivegrp', 'hsrp2.active_groups', 'hsrp2.passive_groups']);
      const truth = new Map(rows.map((r) => [Number(r[0]), r.slice(1)]));
      const input = await CaptureInput.open(path);
      const decoder = new FrameDecoder();
      for (;;) {
        const record = input.next();
        if (!record) {
          if (await input.fill()) continue;
          break;
        }
        const h = decoder.decode(record.bytes, record.linkType).root.hsrp;
        const t = truth.get(record.frame) ?? [];
        const want = t[0] ? `${t[0]} ${t[1]} ${t[2]}` : t[3] ? `0 ${t[3]} ${t[4]}` : '';
        const got = h.present && h.advertise ? `${h.advertiseState} ${h.activeGroups} ${h.passiveGroups}` : '';
        if (want === '' && got === '') continue;
        compared++;
        if (want !== got) mismatches.push(`${file} #${record.frame}: tshark "${want}" gwcheck "${got}"`);
      }
      input.close();
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(30);
  });
});
