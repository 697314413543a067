// HSRP v1/v2 and VRRP v2/v3.
import { describe, expect, it } from 'vitest';
import { ethernet, hsrpFrame, hsrpV1, hsrpV2, ipv4, udp, vrrp, vrrpFrame } from '../../fixtures/builder/packet.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_HSRP, INTEREST_VRRP } from '../../src/decode/types.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // 0000  01 00 5e 00 00 02 00 00 0c 07 ac 0a 81 00 00 0a   vlan 10
    // 0010  08 00 45 00 00 30 00 00 00 00 01 11 cf b9 0a 00   TTL 1, UDP
    // 0020  00 02 e0 00 00 02 07 c1 07 c1 00 1c 00 00 00 00   10.0.0.2 → 224.0.0.2, 1985 → 1985
    // 0030  10 03 0a 6e 0a 00 63 69 73 63 6f 00 00 00 0a 00   v0 hello active hello 3 hold 10 prio 110 group 10 "cisco"
    // 0040  00 fe                                             vip 10.0.0.254
    name: 'HSRPv1 hello, active, in vlan 10',
    hex: '01005e00000200000c07ac0a8100000a080045000030000000000111cfb90a000002e000000207c107c1001c0000000010030a6e0a00636973636f0000000a0000fe',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'vlan', id: 10 },
        { proto: 'ipv4', dst: '224.0.0.2', ttl: 1 },
        { proto: 'udp', srcPort: 1985, dstPort: 1985 },
        {
          proto: 'hsrp',
          version: 1,
          opcode: 0,
          state: 'active',
          group: 10,
          priority: 110,
          helloMs: 3000,
          holdMs: 10000,
          virtualIp: '10.0.0.254',
          virtualMac: '00:00:0c:07:ac:0a',
          auth: 'cisco',
        },
      ],
    },
  },
  {
    // 0000  01 00 5e 00 00 66 00 00 0c 9f f0 64 08 00 45 00
    // 0010  00 6e 00 00 00 00 01 11 cf 16 0a 00 00 03 e0 00   → 224.0.0.102
    // 0020  00 66 07 c1 07 c1 00 5a 00 00 01 28 02 00 06 04   group state TLV: v2 hello active ipv4
    // 0030  00 64 00 11 22 33 44 55 00 00 00 6e 00 00 0b b8   group 100, id 00:11:22:33:44:55, prio 110, hello 3000
    // 0040  00 00 27 10 0a 00 00 fe 00 … 00 03 08 63 69 73   hold 10000, vip; text auth TLV "cisco"
    // 0060  63 6f 00 00 00 04 1c 01 00 …                      MD5 auth TLV
    name: 'HSRPv2 hello with text and MD5 auth TLVs',
    hex: '01005e00006600000c9ff06408004500006e000000000111cf160a000003e000006607c107c1005a000001280200060400640011223344550000006e00000bb8000027100a0000fe0000000000000000000000000308636973636f000000041c010000000a00000300000000abababababababababababababababab',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv4', dst: '224.0.0.102' },
        { proto: 'udp', dstPort: 1985 },
        {
          proto: 'hsrp',
          version: 2,
          opcode: 0,
          state: 'active',
          group: 100,
          priority: 110,
          helloMs: 3000,
          holdMs: 10000,
          virtualIp: '10.0.0.254',
          virtualMac: '00:00:0c:9f:f0:64',
          identifier: '00:11:22:33:44:55',
          auth: 'cisco',
          md5Auth: true,
        },
      ],
    },
  },
  {
    // HSRPv2 for IPv6: UDP 2029 to ff02::66, virtual MAC 0005.73a0.0XXX.
    name: 'HSRPv2 IPv6 group',
    hex: '33330000006600000c00000186dd60000000003211fffe800000000000000000000000000001ff02000000000000000000000000006607ed07ed0032000001280200050600100011223344660000006400000bb800002710fe80000000000000000573fffea00010',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv6', dst: 'ff02::66' },
        { proto: 'udp', dstPort: 2029 },
        { proto: 'hsrp', version: 2, state: 'standby', group: 16, virtualIp: 'fe80::5:73ff:fea0:10', virtualMac: '00:05:73:a0:00:10' },
      ],
    },
  },
  {
    // 0000  01 00 5e 00 00 12 00 00 5e 00 01 07 08 00 45 00
    // 0010  00 2c 00 00 00 00 ff 70 d1 4c 0a 01 00 02 e0 00   TTL 255, protocol 112
    // 0020  00 12 21 07 c8 02 00 01 00 00 0a 01 00 01 0a 01   v2 advert, vrid 7, prio 200, 2 addrs, int 1 s
    // 0030  00 64 00 00 00 00 00 00 00 00
    name: 'VRRPv2 advertisement with two addresses',
    hex: '01005e00001200005e00010708004500002c00000000ff70d14c0a010002e00000122107c802000100000a0100010a0100640000000000000000',
    want: {
      layers: [
        { proto: 'eth', src: '00:00:5e:00:01:07' },
        { proto: 'ipv4', protocol: 112, ttl: 255 },
        { proto: 'vrrp', version: 2, vrid: 7, priority: 200, intervalMs: 1000, addresses: ['10.1.0.1', '10.1.0.100'], virtualMac: '00:00:5e:00:01:07' },
      ],
    },
  },
  {
    // VRRPv3 over IPv6: max adver int 100 cs = 1000 ms, IPv6 addresses, virtual MAC 0000.5e00.02XX.
    name: 'VRRPv3 IPv6 advertisement',
    hex: '33330000001200005e00022486dd60000000002870fffe800000000000000000000000000002ff0200000000000000000000000000123124640200640000fe80000000000000000000000000000120010db8000000000000000000000001',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'ipv6', protocol: 112 },
        { proto: 'vrrp', version: 3, vrid: 36, priority: 100, intervalMs: 1000, addresses: ['fe80::1', '2001:db8::1'], virtualMac: '00:00:5e:00:02:24' },
      ],
    },
  },
];

const v1States = [
  ['initial', 0],
  ['learn', 1],
  ['listen', 2],
  ['speak', 4],
  ['standby', 8],
  ['active', 16],
] as const;
const v2States = [
  ['initial', 1],
  ['learn', 2],
  ['listen', 3],
  ['speak', 4],
  ['standby', 5],
  ['active', 6],
] as const;

function hsrpOverUdp(payload: Buffer, dst = '224.0.0.102', port = 1985): Buffer {
  return ethernet({
    dst: '01:00:5e:00:00:66',
    src: '00:00:0c:00:00:01',
    etherType: 0x0800,
    payload: ipv4({ src: '10.0.0.1', dst, protocol: 17, ttl: 1, payload: udp({ srcPort: port, dstPort: port, payload }) }),
  });
}

const v2base = { state: 'active' as const, group: 1, identifier: '00:11:22:33:44:55', virtualIp: '10.0.0.1' };

describe('HSRP and VRRP decoders', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  const decoder = new FrameDecoder();
  for (const [name, code] of v1States) {
    it(`HSRPv1 state ${code} is ${name}`, () => {
      const r = decoder.decode(hsrpFrame({ version: 1, srcIp: '10.0.0.2', state: code, group: 1, virtualIp: '10.0.0.1' }), 1);
      expect(r.root.hsrp.state).toBe(name);
      expect(r.root.hsrp.stateCode).toBe(code);
    });
  }
  for (const [name, code] of v2States) {
    it(`HSRPv2 state ${code} is ${name}`, () => {
      const r = decoder.decode(hsrpFrame({ version: 2, srcIp: '10.0.0.2', ...v2base, state: code }), 1);
      expect(r.root.hsrp.state).toBe(name);
    });
  }

  it('derives virtual MACs: v1 low byte, v2 12-bit group', () => {
    const v1 = decoder.decode(hsrpFrame({ version: 1, srcIp: '10.0.0.2', state: 'active', group: 255, virtualIp: '10.0.0.1' }), 1);
    expect(v1.root.hsrp.virtualMac).toBe(0x00000c07acff);
    const v2 = decoder.decode(hsrpFrame({ version: 2, srcIp: '10.0.0.2', ...v2base, group: 4095 }), 1);
    expect(v2.root.hsrp.virtualMac).toBe(0x00000c9fffff);
    expect(v2.root.interest).toBe(INTEREST_HSRP);
  });

  it('decides the version from the bytes when the destination is unicast', () => {
    const v1 = decoder.decode(hsrpOverUdp(hsrpV1({ state: 'speak', group: 3, virtualIp: '10.0.0.1' }), '10.0.0.9'), 1);
    expect(v1.root.hsrp.version).toBe(1);
    const v2 = decoder.decode(hsrpOverUdp(hsrpV2(v2base), '10.0.0.9'), 1);
    expect(v2.root.hsrp.version).toBe(2);
    expect(v2.anomalies).toEqual([]);
  });

  it('notes a v1 message sent to the v2 group and still decodes it', () => {
    const r = decoder.decode(hsrpOverUdp(hsrpV1({ state: 'speak', group: 3, virtualIp: '10.0.0.1' })), 1);
    expect(r.root.hsrp.version).toBe(1);
    expect(codes(r)).toEqual(['hsrp.version-address-mismatch']);
  });

  it('skips unknown TLVs by length with a note', () => {
    const r = decoder.decode(hsrpOverUdp(hsrpV2({ ...v2base, extraTlvs: [Buffer.from([9, 2, 0xaa, 0xbb])] })), 1);
    expect(r.root.hsrp.present).toBe(true);
    expect(r.anomalies.map((a) => [a.code, a.severity])).toEqual([['hsrp.unknown-tlv', 'note']]);
  });

  it('is not HSRP on other ports (true negative)', () => {
    const r = decoder.decode(hsrpOverUdp(hsrpV2(v2base), '224.0.0.102', 1986), 1);
    expect(r.root.hsrp.present).toBe(false);
    expect(r.root.interest).toBe(0);
  });

  const MALFORMED: { name: string; frame: Buffer; code: string }[] = [
    { name: 'TLV length past the UDP payload', frame: hsrpOverUdp(hsrpV2({ ...v2base, extraTlvs: [Buffer.from([9, 40, 0])] })), code: 'hsrp.tlv-overrun' },
    { name: 'group state TLV shorter than 40', frame: hsrpOverUdp(hsrpV2({ ...v2base, tlvLength: 20 })), code: 'hsrp.bad-tlv-length' },
    { name: 'group state TLV version 3', frame: hsrpOverUdp(hsrpV2({ ...v2base, version: 3 })), code: 'hsrp.bad-version' },
    { name: 'first byte 7', frame: hsrpOverUdp(Buffer.alloc(20, 7)), code: 'hsrp.unknown-version' },
    {
      name: 'VRRP version 4',
      frame: vrrpFrame({ vrid: 1, srcIp: '10.0.0.2', addresses: ['10.0.0.1'], version: 4 as 2 }),
      code: 'vrrp.bad-version',
    },
    { name: 'VRRP count past the packet', frame: vrrpFrame({ version: 3, vrid: 1, srcIp: '10.0.0.2', addresses: ['10.0.0.1'], count: 9 }), code: 'vrrp.bad-count' },
  ];
  for (const m of MALFORMED) {
    it(`malformed: ${m.name} → ${m.code}`, () => {
      expect(codes(new FrameDecoder().decode(m.frame, 1))).toContain(m.code);
    });
  }

  it('VRRP count past the packet reads only the addresses present', () => {
    const r = new FrameDecoder().decode(vrrpFrame({ version: 3, vrid: 1, srcIp: '10.0.0.2', addresses: ['10.0.0.1', '10.0.0.3'], count: 9 }), 1);
    expect(r.root.vrrp.addressCount).toBe(9);
    expect(r.root.vrrp.addressesRead).toBe(2);
    expect(r.root.interest).toBe(INTEREST_VRRP);
  });

  it('VRRPv2 interval is seconds, v3 centiseconds', () => {
    const d = new FrameDecoder();
    expect(d.decode(vrrpFrame({ vrid: 1, srcIp: '10.0.0.2', addresses: ['10.0.0.1'], interval: 3 }), 1).root.vrrp.intervalMs).toBe(3000);
    expect(d.decode(vrrpFrame({ version: 3, vrid: 1, srcIp: '10.0.0.2', addresses: ['10.0.0.1'], interval: 50 }), 1).root.vrrp.intervalMs).toBe(500);
    expect(vrrp({ vrid: 1, addresses: [] }).length).toBe(16);
  });
});
