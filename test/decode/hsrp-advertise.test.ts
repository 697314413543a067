// HSRP advertise messages (issue 10 §1): v1 opcode 3 and the v2 Interface State TLV (type 2) are decoded as what
// they are — interface state with active/passive group counts — never as a group-0 hello with state "unknown",
// and the fact extractor never makes an FHRP hello of them. Real frames from ../shared/corpus with tshark 4.0.17's
// reading (on the corpus all 30 advertise frames agree with tshark's hsrp.adv.* / hsrp2.*_groups).
import { describe, expect, it } from 'vitest';
import { ethernet, hsrpFrame, ipv4, udp } from '../../fixtures/builder/packet.js';
import type { CaptureRecord } from '../../src/capture/types.js';
import { describeLayers, summarizeFrame } from '../../src/decode/describe.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_HSRP } from '../../src/decode/types.js';
import { DomainTable } from '../../src/facts/domains.js';
import { FactExtractor, type FactSink } from '../../src/facts/extract.js';
import { checkGolden, codes, fromHex, type Golden } from './helpers.js';

const REAL: Golden[] = [
  {
    // tcpdump__HSRP_coup.pcap #8 — tshark: Version 0, Op Code Advertise (3), Adv type 1, Adv length 14,
    // Adv state Passive (2), active groups 0, passive groups 1.
    // 002a  00 03 00 01 00 0e 02 00 00 00 00 01 6f 00 00 00 00 00
    name: 'real: HSRPv1 advertise, passive (tcpdump HSRP_coup #8)',
    hex: '01005e000002c20234770000080045c0002c0000000001111843c0a80014e000000207c107c10018de6900030001000e0200000000016f0000000000',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', dst: '224.0.0.2' },
        { proto: 'udp', dstPort: 1985 },
        { proto: 'hsrp', version: 1, opcode: 3, advertise: true, activeGroups: 0, passiveGroups: 1, interfaceState: 'passive' },
      ],
    },
  },
  {
    // ndpi__hsrp2_ipv6.pcapng #1 — tshark: Interface State TLV, Active Groups 0, Passive Groups 1 (no group TLV).
    // 003e  07 ed 07 ed 00 0e f0 08 02 04 00 00 00 01
    name: 'real: HSRPv2 interface state TLV only (ndpi hsrp2_ipv6 #1)',
    hex: '333300000066aabbcc0001208100001086dd6e000000000e11fffe800000000000000000000000000001ff02000000000000000000000000006607ed07ed000ef008020400000001',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'vlan', id: 16 },
        { proto: 'ipv6', dst: 'ff02::66' },
        { proto: 'udp', dstPort: 2029 },
        { proto: 'hsrp', version: 2, opcode: 3, advertise: true, activeGroups: 0, passiveGroups: 1 },
      ],
    },
  },
];

/** A v1 advertise message (Wireshark's layout): type 1, length 14, state, reserved, active, passive, reserved. */
function v1Advertise(spec: { state?: number; active?: number; passive?: number; advType?: number; advLength?: number; cut?: number }): Buffer {
  const body = Buffer.alloc(16);
  body[1] = 3;
  body.writeUInt16BE(spec.advType ?? 1, 2);
  body.writeUInt16BE(spec.advLength ?? 14, 4);
  body[6] = spec.state ?? 3;
  body.writeUInt16BE(spec.active ?? 2, 8);
  body.writeUInt16BE(spec.passive ?? 1, 10);
  const payload = udp({ srcPort: 1985, dstPort: 1985, payload: body.subarray(0, spec.cut ?? 16) });
  return ethernet({
    dst: '01:00:5e:00:00:02',
    src: '00:00:0c:00:00:01',
    etherType: 0x0800,
    payload: ipv4({ src: '10.0.0.2', dst: '224.0.0.2', protocol: 17, ttl: 1, payload }),
  });
}

const decoder = new FrameDecoder();

function fhrpFacts(frames: Buffer[]): number {
  let count = 0;
  // Any other fact kind the extractor grows is ignored (a Proxy answers every method with a no-op).
  const sink = new Proxy({ fhrp: () => void count++ } as Record<string, unknown>, {
    get: (target, key) => target[key as string] ?? (() => {}),
  }) as unknown as FactSink;
  const extractor = new FactExtractor(sink, new DomainTable(), { bgpPorts: [179] });
  frames.forEach((bytes, i) => {
    const record = { bytes, frame: i + 1, seconds: i, nanos: 0, linkType: 1, hasTimestamp: true } as unknown as CaptureRecord;
    extractor.frame(decoder.decode(bytes, 1), record, 0);
  });
  extractor.finish();
  return count;
}

describe('HSRP advertise messages', () => {
  for (const g of REAL) it(g.name, () => checkGolden(g));

  it('v1 advertise: state, counts; no group, state or virtual IP, and no hello fields in the NDJSON layer', () => {
    const r = decoder.decode(v1Advertise({ state: 3, active: 2, passive: 1 }), 1);
    const h = r.root.hsrp;
    expect([h.advertise, h.advertiseState, h.activeGroups, h.passiveGroups]).toEqual([true, 3, 2, 1]);
    expect([h.group, h.state, h.virtualIp4, h.virtualMac]).toEqual([0, 'unknown', 0, 0]);
    expect(r.root.interest).toBe(INTEREST_HSRP);
    const layer = describeLayers(r).at(-1) as Record<string, unknown>;
    expect(layer).toEqual({ proto: 'hsrp', version: 1, opcode: 3, advertise: true, activeGroups: 2, passiveGroups: 1, interfaceState: 'active' });
    expect(summarizeFrame(r)).toBe('HSRPv1 advertise active: 2 active, 1 passive groups');
  });

  it('v2 interface state TLV only: an advertisement', () => {
    const r = decoder.decode(fromHex(REAL[1].hex), 1);
    expect(summarizeFrame(r)).toBe('HSRPv2 advertise: 0 active, 1 passive groups');
    expect(codes(r)).toEqual([]);
  });

  it('v2 hello that also carries an interface state TLV stays a hello (counts kept)', () => {
    const bytes = hsrpFrame({
      version: 2,
      srcIp: '10.0.0.3',
      state: 'active',
      group: 100,
      identifier: '00:11:22:33:44:55',
      virtualIp: '10.0.0.254',
      extraTlvs: [Buffer.from([2, 4, 0, 3, 0, 1])],
    });
    const h = decoder.decode(bytes, 1).root.hsrp;
    expect([h.advertise, h.group, h.state, h.activeGroups, h.passiveGroups]).toEqual([false, 100, 'active', 3, 1]);
  });

  it('malformed and odd advertise messages', () => {
    expect(codes(decoder.decode(v1Advertise({ advLength: 6 }), 1))).toEqual(['hsrp.bad-advertise-length']);
    expect(codes(decoder.decode(v1Advertise({ cut: 12 }), 1))).toEqual(['hsrp.overrun']);
    const other = decoder.decode(v1Advertise({ advType: 9 }), 1);
    expect(codes(other)).toEqual(['hsrp.unknown-advertise-type']);
    expect(other.root.hsrp.advertise).toBe(true);
    const shortTlv = decoder.decode(fromHex(REAL[1].hex.replace('07ed07ed000ef008020400000001', '07ed07ed000cf00802020000')), 1);
    expect(codes(shortTlv)).toEqual(['hsrp.bad-tlv-length']);
    expect(shortTlv.root.hsrp.present).toBe(false);
  });

  it('the fact extractor makes no FHRP hello of an advertise message (v1 and v2), and still makes one of a hello', () => {
    const hello = hsrpFrame({ version: 1, srcIp: '10.0.0.2', state: 'active', group: 10, virtualIp: '10.0.0.254' });
    expect(fhrpFacts([v1Advertise({}), fromHex(REAL[0].hex), fromHex(REAL[1].hex)])).toBe(0);
    expect(fhrpFacts([hello, v1Advertise({})])).toBe(1);
  });
});
