// Conformance of BGP reassembly + decoding against real captures (../shared/corpus) and tshark 4.0.17's reading:
// - for every capture whose INDEX.tsv protocols column lists `bgp:`, the BGP message types of each frame
//   (truth/<file>.tsv `bgp.type`, reported in the frame holding the message's last byte) must agree;
// - for every capture with truth/<file>.evpn.tsv, every EVPN route tshark sees, gwcheck sees with the same
//   route type, RD, ESI, Ethernet tag, MAC, IP, raw 24-bit labels, MAC Mobility seq/sticky, router MAC, route
//   targets and next hop.
// Where the two legitimately differ, EXCEPTIONS names the file and the reason. Skips visibly without the corpus.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaptureInput } from '../../src/capture/input.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import type { BgpMessageRecord } from '../../src/facts/bgp.js';
import { DomainTable } from '../../src/facts/domains.js';
import { FactExtractor, type FactSink } from '../../src/facts/extract.js';
import type { EvpnRouteFact } from '../../src/facts/types.js';
import { formatMac } from '../../src/util/net.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const present = existsSync(`${CORPUS}INDEX.tsv`);
if (!present) console.warn(`BGP corpus conformance SKIPPED: ${CORPUS} not found`);

/**
 * Files where the per-frame BGP message types legitimately differ from tshark, with the reason.
 * 'all': the file is not compared at all (its link type is out of scope: gwcheck decodes Ethernet, SLL,
 * raw IP, PPP and Cisco HDLC — not Juniper's pseudo-headers).
 */
const TYPE_EXCEPTIONS: Record<string, { frames: number[] | 'all'; reason: string }> = {
  'tcpdump__bgp-aigp.pcap': { frames: 'all', reason: 'JUNIPER_ETHER(178) link type: out of scope' },
  // Fuzzed tcpdump regression captures: garbage between and inside messages. gwcheck resynchronises on every
  // all-ones marker and decodes every message whose header is valid (the brief: the rest of the segment's
  // messages are still decoded); tshark 4.0.17 gives up on the rest of a PDU run at a different point, so
  // the message counts differ. The decoder's job on these files is to not throw and to report anomalies.
  'tcpdump__bgp-aigp-oobr.pcap': { frames: [1], reason: 'fuzzed AIGP: tshark stops after 9 messages of a 65 KB payload, gwcheck decodes every marked message' },
  'tcpdump__bgp-as-path-oobr.pcap': { frames: [1, 2, 3, 4], reason: 'fuzzed AS_PATH: same as above; frame 3 is also reordered/snaplen-cut for tshark' },
  'tcpdump__bgp-ub.pcap': { frames: [1], reason: 'fuzzed: tshark reads a message of type 0 out of garbage and stops; gwcheck resyncs on the next markers' },
  'tcpdump__bgp_mp_reach_nlri-oobr.pcap': { frames: [1], reason: 'fuzzed MP_REACH: more marked messages follow the first; tshark stops at the first malformed one' },
  'tcpdump__bgp_vpn_rt-oobr.pcap': { frames: [1], reason: 'fuzzed RT NLRI: as above' },
  'tcpdump__bgp_mvpn_6_and_7_oobr.pcap': {
    frames: [1],
    reason: 'the 2nd message (type 20) is cut by the snaplen: tshark shows its header, gwcheck cannot complete it (bgp.tcp-truncated-segment)',
  },
  // Synthetic: three SYNs with data, all at seq 0 on the same 4-tuple. tshark takes frames 2 and 3 for
  // retransmissions and does not dissect them; gwcheck restarts the stream on each SYN (ISN+1) as TCP does.
  'tcpdump__bgp-shutdown-msg-variations.pcap': { frames: [2, 3], reason: 'each SYN restarts the stream; tshark calls them retransmissions' },
};

interface IndexRow {
  file: string;
  protocols: string;
}

function readIndex(): IndexRow[] {
  const lines = readFileSync(`${CORPUS}INDEX.tsv`, 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  const fi = header.indexOf('file');
  const pi = header.indexOf('protocols');
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return { file: c[fi], protocols: c[pi] ?? '' };
  });
}

function readTsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    const row: Record<string, string> = {};
    header.forEach((h, i) => (row[h] = c[i] ?? ''));
    return row;
  });
}

interface FileResult {
  typesByFrame: Map<number, number[]>;
  routes: EvpnRouteFact[];
  anomalies: string[];
  unsupported: boolean;
}

function typesOf(records: readonly BgpMessageRecord[], out: FileResult): void {
  for (const rec of records) {
    const list = out.typesByFrame.get(rec.ref.frame) ?? [];
    list.push(rec.message.typeCode);
    out.typesByFrame.set(rec.ref.frame, list);
  }
}

/** The capture through the real pipeline's BGP path: FrameDecoder → FactExtractor (TCP reassembly, EVPN facts). */
async function run(file: string): Promise<FileResult> {
  const out: FileResult = { typesByFrame: new Map(), routes: [], anomalies: [], unsupported: false };
  const decoder = new FrameDecoder({ bgpPorts: [179] });
  const sink: FactSink = {
    neighbour() {},
    routerAdvert() {},
    fhrp() {},
    evpn: (route) => out.routes.push(route),
    anomaly: (a) => {
      if (a.layer === 'bgp' || a.layer === 'tcp') out.anomalies.push(`#${a.ref.frame} ${a.code}`);
    },
  };
  const extractor = new FactExtractor(sink, new DomainTable(), { bgpPorts: [179] });
  const input = await CaptureInput.open(`${CORPUS}captures/${file}`);
  for (;;) {
    const record = input.next();
    if (!record) {
      if (await input.fill()) continue;
      break;
    }
    const result = decoder.decode(record.bytes, record.linkType);
    if (result.unsupportedLinkType) {
      out.unsupported = true;
      continue;
    }
    extractor.frame(result, record, 0);
    typesOf(extractor.lastBgpMessages, out);
  }
  input.close();
  extractor.finish();
  typesOf(extractor.lastBgpMessages, out);
  return out;
}

const bgpFiles = present ? readIndex().filter((r) => r.protocols.includes('bgp:') && existsSync(`${CORPUS}captures/${r.file}`)) : [];

describe.skipIf(!present)('BGP corpus conformance (tshark 4.0.17)', () => {
  it('BGP message types per frame agree with truth/<file>.tsv bgp.type', async () => {
    const mismatches: string[] = [];
    let frames = 0;
    let messages = 0;
    for (const { file } of bgpFiles) {
      const except = TYPE_EXCEPTIONS[file];
      if (except?.frames === 'all') continue;
      const got = await run(file);
      const truth = readTsv(`${CORPUS}truth/${file}.tsv`);
      for (const row of truth) {
        const frame = Number(row['frame.number']);
        if (Array.isArray(except?.frames) && except.frames.includes(frame)) continue;
        const want = row['bgp.type'] ?? '';
        const mine = (got.typesByFrame.get(frame) ?? []).join(',');
        frames++;
        if (want) messages += want.split(',').length;
        if (want !== mine) mismatches.push(`${file} #${frame}: tshark "${want}" gwcheck "${mine}"`);
      }
    }
    console.log(`BGP corpus: ${bgpFiles.length} files, ${frames} frames, ${messages} tshark messages compared; mismatches: ${mismatches.length}`);
    expect(frames).toBeGreaterThan(1000);
    expect(mismatches).toEqual([]);
  });

  const evpnFiles = bgpFiles.filter((r) => existsSync(`${CORPUS}truth/${r.file}.evpn.tsv`));
  for (const { file } of evpnFiles) {
    it(`every EVPN route of ${file} matches tshark`, async () => {
      const got = await run(file);
      const truth = readTsv(`${CORPUS}truth/${file}.evpn.tsv`);
      const mine = got.routes.map((r) => ({
        frame: String(r.ref.frame),
        reach: r.action === 'advertise' ? 'reach' : 'unreach',
        nextHop: r.nextHop ?? '',
        routeType: String(r.routeType),
        rd: r.rd,
        esi: r.esi,
        etag: String(r.ethernetTag),
        mac: r.mac === null ? '' : formatMac(r.mac),
        ip: r.ip ?? '',
        label1: r.labels.length ? r.labels[0].toString(16).padStart(6, '0') : '',
        label2: r.labels.length > 1 ? r.labels[1].toString(16).padStart(6, '0') : '',
        seq: r.macMobility ? String(r.macMobility.sequence) : '',
        sticky: r.macMobility ? (r.macMobility.sticky ? '1' : '0') : '',
        routerMac: r.routerMac === null ? '' : formatMac(r.routerMac),
        routeTargets: r.routeTargets.join(','),
      }));
      const want = truth.map((t) => ({
        frame: t['frame.number'],
        reach: t.reach_or_unreach,
        nextHop: t.next_hop,
        routeType: t.route_type,
        rd: t.rd,
        esi: t.esi,
        etag: t.etag,
        mac: t.mac,
        // tshark shows a type-3 route's originating router IP in the ip column.
        ip: t.ip,
        // With VXLAN tshark files the label under "VNI" or "MPLS Label" depending on what it saw before.
        label1: t.label1_raw24 || t.vni_raw24,
        label2: t.label2_raw24,
        seq: t.mac_mobility_seq,
        sticky: t.mac_mobility_sticky,
        routerMac: t.router_mac,
        routeTargets: t.route_targets.split(',').filter(Boolean).sort().join(','),
      }));
      // Type-3 routes: our originator IP is tshark's ip column.
      for (let i = 0; i < mine.length; i++) {
        const r = got.routes[i];
        if (r.routeType === 3) mine[i].ip = '';
      }
      for (let i = 0; i < want.length; i++) if (want[i].routeType === '3') want[i].ip = '';
      const originators = got.routes.filter((r) => r.routeType === 3).length;
      expect(mine).toEqual(want);
      expect(originators).toBe(truth.filter((t) => t.route_type === '3').length);
    });
  }
});
