// IPv4, IPv6 (extension headers), UDP and TCP.
import { describe, expect, it } from 'vitest';
import { ethernet, ipv4, ipv6, tcp, tcpFrame, udp } from '../../fixtures/builder/packet.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_BGP } from '../../src/decode/types.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // 0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00
    // 0010  00 3b 00 00 00 00 40 06 f6 b9 c0 00 02 01 c0 00   TTL 64, TCP
    // 0020  02 02 c7 38 00 b3 00 00 03 e8 00 00 07 d0 50 18   51000 → 179, seq 1000, ack 2000, PSH|ACK
    // 0030  ff ff 00 00 00 00 ff ff … ff 00 13 04               a BGP KEEPALIVE-sized payload
    name: 'TCP segment to BGP port',
    hex: '02000000000202000000000108004500003b000000004006f6b9c0000201c0000202c73800b3000003e8000007d05018ffff00000000ffffffffffffffffffffffffffffffff001304',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', src: '192.0.2.1', dst: '192.0.2.2', protocol: 6, ttl: 64 },
        { proto: 'tcp', srcPort: 51000, dstPort: 179, seq: 1000, ack: 2000, flags: 0x18, payloadLength: 19 },
      ],
    },
  },
  {
    // IPv6 with hop-by-hop (8) and destination options (16) before UDP 546 → 547.
    name: 'IPv6 extension headers skipped to UDP',
    hex: '33330000000152540012345686dd600000000025004020010db8000000000000000000000001ff0200000000000000000000000000013c000000000000001101000000000000000000000000000002220223000d000068656c6c6f',
    want: {
      layers: [
        { proto: 'eth', etherType: 0x86dd },
        { proto: 'ipv6', src: '2001:db8::1', dst: 'ff02::1', protocol: 17, ttl: 64 },
        { proto: 'udp', srcPort: 546, dstPort: 547, length: 13 },
      ],
    },
  },
];

const eth = (etherType: number, payload: Buffer) => ethernet({ dst: '02:00:00:00:00:02', src: '02:00:00:00:00:01', etherType, payload });
const udp53 = udp({ srcPort: 1000, dstPort: 53, payload: Buffer.from('query') });

const MALFORMED: { name: string; frame: Buffer; code: string }[] = [
  { name: 'IPv4 IHL 4', frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp53, ihl: 4 })), code: 'ipv4.bad-ihl' },
  {
    name: 'IPv4 IHL 15 past the total length',
    frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Buffer.alloc(60), ihl: 15, totalLength: 40 })),
    code: 'ipv4.bad-total-length',
  },
  {
    name: 'IPv4 total length below the header',
    frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp53, totalLength: 12 })),
    code: 'ipv4.bad-total-length',
  },
  {
    name: 'IPv4 version 5',
    frame: eth(0x0800, Buffer.concat([Buffer.from([0x55]), ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp53 }).subarray(1)])),
    code: 'ipv4.bad-version',
  },
  {
    name: 'UDP length below 8',
    frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp({ srcPort: 1, dstPort: 2, payload: Buffer.alloc(4), length: 4 }) })),
    code: 'udp.bad-length',
  },
  {
    name: 'UDP length past the IP payload',
    frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp({ srcPort: 1, dstPort: 2, payload: Buffer.alloc(4), length: 40 }) })),
    code: 'udp.bad-length',
  },
  {
    name: 'TCP data offset 3',
    frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, payload: tcp({ srcPort: 1, dstPort: 179, seq: 1, dataOffset: 3 }) })),
    code: 'tcp.bad-data-offset',
  },
  {
    name: 'TCP data offset 15 past the IP payload',
    frame: eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, payload: tcp({ srcPort: 1, dstPort: 179, seq: 1, dataOffset: 15 }) })),
    code: 'tcp.bad-data-offset',
  },
  {
    name: 'IPv6 payload length ends inside an extension header',
    frame: eth(0x86dd, ipv6({ src: 'fe80::1', dst: 'ff02::1', protocol: 17, payload: udp53, extensions: [{ type: 60, body: Buffer.alloc(14) }], payloadLength: 6 })),
    code: 'ipv6.extension-overrun',
  },
  {
    name: 'IPv6 version 4 in an IPv6 EtherType',
    frame: eth(0x86dd, Buffer.concat([Buffer.from([0x40]), ipv6({ src: 'fe80::1', dst: 'ff02::1', protocol: 17, payload: udp53 }).subarray(1)])),
    code: 'ipv6.bad-version',
  },
];

describe('IP, UDP and TCP decoders', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  for (const m of MALFORMED) {
    it(`malformed: ${m.name} → ${m.code}`, () => {
      const result = new FrameDecoder().decode(m.frame, 1);
      expect(codes(result)).toEqual([m.code]);
      expect(result.anomalies[0].severity).toBe('error');
    });
  }

  it('marks BGP-port segments, either direction, and not others', () => {
    const decoder = new FrameDecoder();
    const seg = (src: number, dst: number) => tcpFrame({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: src, dstPort: dst, seq: 1 });
    expect(decoder.decode(seg(179, 40000), 1).root.interest & INTEREST_BGP).toBe(INTEREST_BGP);
    expect(decoder.decode(seg(40000, 179), 1).root.interest & INTEREST_BGP).toBe(INTEREST_BGP);
    expect(decoder.decode(seg(40000, 80), 1).root.interest).toBe(0);
    const custom = new FrameDecoder({ bgpPorts: [1179] });
    expect(custom.decode(seg(40000, 179), 1).root.interest).toBe(0);
    expect(custom.decode(seg(40000, 1179), 1).root.interest).toBe(INTEREST_BGP);
  });

  it('clips the IPv4 payload to the total length, ignoring Ethernet padding', () => {
    const frame = eth(0x0800, Buffer.concat([ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, payload: tcp({ srcPort: 1, dstPort: 2, seq: 5 }) }), Buffer.alloc(6)]));
    const result = new FrameDecoder().decode(frame, 1);
    expect(result.root.tcp.payloadEnd - result.root.tcp.payloadOffset).toBe(0);
    expect(result.root.ip.truncated).toBe(false);
    expect(result.anomalies).toEqual([]);
  });

  it('snaplen-cut TCP payload: payloadTruncated and tcp.truncated', () => {
    const full = tcpFrame({ srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 179, dstPort: 40000, seq: 7, payload: Buffer.alloc(100, 0xff) });
    const result = new FrameDecoder().decode(full.subarray(0, 80), 1);
    expect(result.root.tcp.payloadTruncated).toBe(true);
    expect(result.root.ip.truncated).toBe(true);
    expect(result.root.tcp.payloadEnd).toBe(80);
    expect(codes(result)).toEqual(['tcp.truncated']);
  });

  it('decodes only first fragments further', () => {
    const decoder = new FrameDecoder();
    const first = eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, moreFragments: true, payload: udp({ srcPort: 1, dstPort: 2, payload: Buffer.alloc(16), length: 1000 }) }));
    const r1 = decoder.decode(first, 1);
    expect(r1.root.udp.present).toBe(true);
    expect(r1.root.ip.moreFragments).toBe(true);
    expect(r1.anomalies).toEqual([]);
    const later = eth(0x0800, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, fragmentOffset: 1480, payload: Buffer.alloc(16) }));
    const r2 = decoder.decode(later, 1);
    expect(r2.root.ip.fragmentOffset).toBe(1480);
    expect(r2.root.udp.present).toBe(false);
    const v6later = eth(0x86dd, ipv6({ src: 'fe80::1', dst: 'fe80::2', protocol: 17, extensions: [{ type: 44, fragmentOffset: 1448 }], payload: Buffer.alloc(16) }));
    const r3 = decoder.decode(v6later, 1);
    expect(r3.root.ip.fragmentOffset).toBe(1448);
    expect(r3.root.ip.protocol).toBe(17);
    expect(r3.root.udp.present).toBe(false);
  });

  it('skips an AH header by its 4-byte length unit', () => {
    const frame = eth(0x86dd, ipv6({ src: 'fe80::1', dst: 'fe80::2', protocol: 6, extensions: [{ type: 51, body: Buffer.alloc(22) }], payload: tcp({ srcPort: 179, dstPort: 2, seq: 1 }) }));
    const result = new FrameDecoder().decode(frame, 1);
    expect(result.root.tcp.present).toBe(true);
    expect(result.root.tcp.srcPort).toBe(179);
  });
});

describe('UDP dispatch', () => {
  it('does not decode an empty datagram on a registered port as that protocol', () => {
    const frame = ethernet({
      dst: '02:00:00:00:00:02',
      src: '02:00:00:00:00:01',
      etherType: 0x0800,
      payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: udp({ srcPort: 40000, dstPort: 1985, payload: Buffer.alloc(0) }) }),
    });
    const result = new FrameDecoder().decode(frame, 1);
    expect(result.root.udp.present).toBe(true);
    expect(result.root.hsrp.present).toBe(false);
    expect(result.anomalies).toEqual([]);
  });
});
