// GLBP (Cisco, UDP 3222): hello and request/response TLVs as Wireshark's packet-glbp.c lays them out. The corpus has
// no GLBP capture, so the golden frame is built, with the layout checked byte by byte in the hexdump below against
// packet-glbp.c (header 12 bytes; hello TLV type 1 length 28 with an IPv4 virtual IP; request/response TLVs type 2
// length 20). Truncation sweeps run on it in truncation.test.ts (frames.ts).
import { describe, expect, it } from 'vitest';
import { glbp, glbpFrame, glbpVirtualMac } from '../../fixtures/builder/tunnels.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { summarizeFrame } from '../../src/decode/describe.js';
import { INTEREST_GLBP } from '../../src/decode/types.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const avgHello = glbpFrame({
  group: 10,
  src: '00:11:22:33:44:01',
  srcIp: '10.0.0.2',
  hello: { state: 'active', priority: 110, virtualIp: '10.0.0.1' },
  forwarders: [
    { number: 1, state: 'active', mac: glbpVirtualMac(10, 1) },
    { number: 2, state: 'listen', mac: glbpVirtualMac(10, 2) },
  ],
});

const GOLDEN: Golden[] = [
  {
    // 002a  01 00 00 0a 00 00 00 11 22 33 44 01          version 1, group 10, owner id 00:11:22:33:44:01
    // 0036  01 1c 00 20 00 6e 00 00 00 00 0b b8 00 00 27 10 02 58 38 40 00 00 01 04 0a 00 00 01
    //       hello: VG state 0x20 active, priority 110, hello 3000 ms, hold 10000 ms, redirect 600, timeout 14400, IPv4 10.0.0.1
    // 0052  02 14 01 20 00 a7 64 00 … 00 07 b4 00 0a 01  forwarder 1 active, virtual MAC 00:07:b4:00:0a:01
    // 0066  02 14 02 04 00 a7 64 00 … 00 07 b4 00 0a 02  forwarder 2 listen
    name: 'AVG hello with two forwarders (built)',
    hex: avgHello.toString('hex'),
    want: {
      layers: [
        { proto: 'eth', src: '00:11:22:33:44:01' },
        { proto: 'ipv4', dst: '224.0.0.102' },
        { proto: 'udp', srcPort: 3222, dstPort: 3222 },
        {
          proto: 'glbp',
          version: 1,
          group: 10,
          ownerId: '00:11:22:33:44:01',
          state: 'active',
          priority: 110,
          helloMs: 3000,
          holdMs: 10000,
          redirectS: 600,
          timeoutS: 14400,
          virtualIp: '10.0.0.1',
          forwarders: [
            { forwarder: 1, state: 'active', weight: 100, virtualMac: '00:07:b4:00:0a:01' },
            { forwarder: 2, state: 'listen', virtualMac: '00:07:b4:00:0a:02' },
          ],
        },
      ],
    },
  },
];

describe('GLBP decoder', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('the layout matches packet-glbp.c byte for byte', () => {
    expect(avgHello.subarray(42, 54).toString('hex')).toBe('0100000a0000001122334401');
    expect(avgHello.subarray(54, 82).toString('hex')).toBe('011c0020006e000000000bb80000271002583840000001040a000001');
    expect(avgHello.subarray(82, 102).toString('hex')).toBe('02140120' + '00a764' + '00000000000000' + '0007b4000a01');
  });

  it('sets INTEREST_GLBP and summarises', () => {
    const result = new FrameDecoder().decode(avgHello, 1);
    expect(result.root.interest & INTEREST_GLBP).toBe(INTEREST_GLBP);
    expect(summarizeFrame(result)).toBe(
      'GLBP group 10 hello active prio 110 vip 10.0.0.1, vf 1 active 00:07:b4:00:0a:01, vf 2 listen 00:07:b4:00:0a:02',
    );
  });

  it('a request/response-only packet (no hello) keeps its forwarders', () => {
    const result = new FrameDecoder().decode(glbpFrame({ group: 1020, srcIp: '10.0.0.3', forwarders: [{ number: 1, state: 'active', mac: glbpVirtualMac(1020, 1) }] }), 1);
    const g = result.root.glbp;
    expect([g.present, g.hasHello, g.forwarderCount, g.forwarderMacs[0]]).toEqual([true, false, 1, 0x0007b403fc01]);
  });

  const header = (group: number) => Buffer.concat([Buffer.from([1, 0, group >> 8, group & 0xff, 0, 0]), Buffer.from('001122334401', 'hex')]);
  const MALFORMED: [string, Buffer, string[]][] = [
    ['TLV length 1', Buffer.concat([header(1), Buffer.from('0101', 'hex')]), ['glbp.bad-tlv-length']],
    ['hello TLV too short', Buffer.concat([header(1), Buffer.from('010a0000000000000000', 'hex')]), ['glbp.bad-tlv-length']],
    ['request/response TLV too short', Buffer.concat([header(1), Buffer.from('02060000000000', 'hex').subarray(0, 6)]), ['glbp.bad-tlv-length']],
    ['TLV past the datagram', Buffer.concat([header(1), Buffer.from('0230', 'hex')]), ['glbp.tlv-overrun']],
    ['IPv4 address type with length 16', glbp({ group: 1, ownerId: '00:11:22:33:44:01', hello: { state: 'active', virtualIp: '10.0.0.1' } }).fill(16, 12 + 2 + 21, 12 + 2 + 22), ['glbp.bad-address-length']],
    ['unknown TLV type, skipped by length', Buffer.concat([header(1), Buffer.from('09040000', 'hex')]), ['glbp.unknown-tlv']],
    ['version 2', Buffer.concat([Buffer.from([2]), header(1).subarray(1)]), ['glbp.bad-version']],
  ];
  for (const [name, payload, want] of MALFORMED) {
    it(`malformed: ${name} → ${want.join(', ')}`, () => {
      const result = new FrameDecoder().decode(glbpFrameRaw(payload), 1);
      expect(codes(result)).toEqual(want);
    });
  }
});

/** A GLBP payload as given (malformed cases) in UDP 3222 / IPv4 / Ethernet. */
function glbpFrameRaw(payload: Buffer): Buffer {
  const frame = glbpFrame({ group: 1, srcIp: '10.0.0.2' });
  const head = frame.subarray(0, 42);
  const out = Buffer.concat([head, payload]);
  out.writeUInt16BE(20 + 8 + payload.length, 16); // IPv4 total length (checksum not verified)
  out.writeUInt16BE(8 + payload.length, 38); // UDP length
  return out;
}
