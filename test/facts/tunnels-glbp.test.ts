// Facts from frames inside tunnels and from GLBP: ARP/HSRP in ERSPAN, GRE, MPLS, Geneve and PBB reach the sink;
// a GLBP hello becomes an FhrpFact with its forwarders' virtual MACs; packets not opened are counted by reason.
import { describe, expect, it } from 'vitest';
import { arpFrame, hsrpFrame } from '../../fixtures/builder/packet.js';
import { erspanFrame, geneveFrame, glbpFrame, glbpVirtualMac, greFrame, mplsFrame, pbbFrame } from '../../fixtures/builder/tunnels.js';
import type { CaptureRecord } from '../../src/capture/types.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { NOT_OPENED_ETHER_TYPE, NOT_OPENED_FRAGMENT, NOT_OPENED_LINK_TYPE, NOT_OPENED_TUNNEL } from '../../src/decode/types.js';
import { DomainTable } from '../../src/facts/domains.js';
import { FactExtractor } from '../../src/facts/extract.js';
import type { NeighbourFact, FhrpFact } from '../../src/facts/types.js';
import { ethernet, ipv4 } from '../../fixtures/builder/packet.js';

function run(frames: { bytes: Buffer; linkType?: number }[]) {
  const arps: NeighbourFact[] = [];
  const fhrps: FhrpFact[] = [];
  const extractor = new FactExtractor({ neighbour: (f) => arps.push({ ...f }), routerAdvert() {}, fhrp: (f) => fhrps.push(f), evpn() {}, anomaly() {} }, new DomainTable(), { bgpPorts: [179] });
  const decoder = new FrameDecoder();
  frames.forEach((frame, i) => {
    const record = { frame: i + 1, seconds: 1_700_000_000 + i, nanos: 0, bytes: frame.bytes, linkType: frame.linkType ?? 1 } as unknown as CaptureRecord;
    extractor.frame(decoder.decode(frame.bytes, frame.linkType ?? 1), record, 0);
  });
  return { arps, fhrps, counters: extractor.counters };
}

const arpReq = arpFrame({ opcode: 1, senderMac: '52:54:00:00:00:01', senderIp: '10.0.0.1', targetIp: '10.0.0.254' });

describe('facts through tunnels', () => {
  it('ARP inside ERSPAN II and III, GRE, MPLS pseudowire, Geneve and PBB becomes an ArpFact', () => {
    const frames = [
      erspanFrame({ type: 2, session: 7, inner: arpReq }),
      erspanFrame({ type: 3, session: 8, inner: arpReq }),
      erspanFrame({ type: 1, inner: arpReq }),
      greFrame({ protocol: 0x6558, payload: arpReq }),
      mplsFrame({ labels: [24, 1001], controlWord: true, payload: arpReq }),
      geneveFrame({ vni: 5001, inner: arpReq }),
      pbbFrame({ bvlan: 4051, isid: 2014011, inner: arpReq }),
    ].map((bytes) => ({ bytes }));
    const { arps } = run(frames);
    expect(arps.map((a) => a.senderIp)).toEqual(Array(7).fill(0x0a000001));
    expect(arps.map((a) => a.ref.frame)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reuses one neighbour fact: a sink copies what it keeps, and no field of one message leaks into the next', () => {
    const seen: NeighbourFact[] = [];
    const copies: NeighbourFact[] = [];
    const sink = { neighbour: (f: NeighbourFact) => (seen.push(f), copies.push({ ...f })), routerAdvert() {}, fhrp() {}, evpn() {}, anomaly() {} };
    const extractor = new FactExtractor(sink, new DomainTable(), { bgpPorts: [179] });
    const decoder = new FrameDecoder();
    const reply = arpFrame({ opcode: 2, senderMac: '52:54:00:00:00:02', senderIp: '10.0.0.254', targetMac: '52:54:00:00:00:01', targetIp: '10.0.0.1' });
    [arpReq, reply, arpReq].forEach((bytes, i) => {
      const record = { frame: i + 1, seconds: 1_700_000_000 + i, nanos: 0, bytes, linkType: 1 } as unknown as CaptureRecord;
      extractor.frame(decoder.decode(bytes, 1), record, 0);
    });
    expect(seen[0]).toBe(seen[1]);
    expect(copies.map((f) => [f.opcode, f.arpClass, f.senderIp, f.targetIp, f.ref.frame])).toEqual([
      [1, 'request', 0x0a000001, 0x0a0000fe, 1],
      [2, 'reply', 0x0a0000fe, 0x0a000001, 2],
      [1, 'request', 0x0a000001, 0x0a0000fe, 3],
    ]);
    expect(copies[2]).toEqual({ ...copies[0], ref: copies[2].ref });
  });

  it('HSRP inside ERSPAN becomes an FhrpFact', () => {
    const hello = hsrpFrame({ version: 1, srcIp: '10.0.0.2', state: 'active', group: 10, priority: 110, virtualIp: '10.0.0.254' });
    const { fhrps } = run([{ bytes: erspanFrame({ type: 2, session: 1, inner: hello }) }]);
    expect(fhrps.map((f) => [f.protocol, f.group, f.state])).toEqual([['hsrp', 10, 'active']]);
  });
});

describe('GLBP facts', () => {
  it('a hello is an FhrpFact with the AVG state and every forwarder virtual MAC', () => {
    const bytes = glbpFrame({
      group: 10,
      src: '00:11:22:33:44:01',
      srcIp: '10.0.0.2',
      hello: { state: 'active', priority: 110, virtualIp: '10.0.0.1' },
      forwarders: [
        { number: 1, state: 'active', mac: glbpVirtualMac(10, 1) },
        { number: 2, state: 'listen', mac: glbpVirtualMac(10, 2) },
      ],
    });
    const { fhrps, counters } = run([{ bytes }]);
    expect(counters.glbp).toBe(1);
    const f = fhrps[0];
    expect([f.protocol, f.group, f.state, f.priority, f.virtualIps, f.helloMs, f.holdMs]).toEqual(['glbp', 10, 'active', 110, ['10.0.0.1'], 3000, 10000]);
    expect(f.forwarderMacs).toEqual([0x0007b4000a01, 0x0007b4000a02]);
    expect(f.forwarders?.map((x) => x.state)).toEqual(['active', 'listen']);
    expect(f.virtualMac).toBe(0x0007b4000a01);
  });

  it('a packet without a hello TLV is counted, not made a fact', () => {
    const { fhrps, counters } = run([{ bytes: glbpFrame({ group: 10, srcIp: '10.0.0.2', forwarders: [{ number: 1, state: 'active', mac: glbpVirtualMac(10, 1) }] }) }]);
    expect([fhrps.length, counters.glbp]).toEqual([0, 1]);
  });
});

describe('not opened, counted by reason', () => {
  it('counts undecoded tunnels, unknown EtherTypes, later fragments and unsupported link types', () => {
    const lldp = ethernet({ dst: '01:80:c2:00:00:0e', src: '52:54:00:00:00:01', etherType: 0x88cc, payload: Buffer.alloc(20) });
    const pptp = greFrame({ protocol: 0x880b, version: 1, payload: Buffer.alloc(8) });
    const fragment = ethernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', etherType: 0x0800, payload: ipv4({ src: '1.1.1.1', dst: '2.2.2.2', protocol: 17, fragmentOffset: 1480, payload: Buffer.alloc(16) }) });
    const { counters } = run([{ bytes: lldp }, { bytes: pptp }, { bytes: pptp }, { bytes: fragment }, { bytes: arpReq }]);
    expect(counters.notOpened[NOT_OPENED_ETHER_TYPE]).toBe(1);
    expect(counters.notOpened[NOT_OPENED_TUNNEL]).toBe(2);
    expect(counters.notOpened[NOT_OPENED_FRAGMENT]).toBe(1);
    expect(new FrameDecoder().decode(arpReq, 105).notOpened).toBe(NOT_OPENED_LINK_TYPE);
  });
});
