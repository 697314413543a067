import { describe, expect, it } from 'vitest';
import {
  AFI_L2VPN,
  SAFI_EVPN,
  attr,
  attribute,
  cap,
  cat,
  esi,
  evpn,
  evpnUpdate,
  evpnWithdraw,
  ext,
  keepalive,
  message,
  notification,
  open,
  prefix,
  rd,
  routeRefresh,
  u16,
  u8,
  update,
} from '../../fixtures/builder/bgp.js';
import { describeBgpMessage, describeEvpnRouteLine, formatAsPath } from '../../src/decode/bgp/describe.js';
import { decodeExtCommunity } from '../../src/decode/bgp/ext-community.js';
import { formatEsi, formatRd } from '../../src/decode/bgp/fields.js';
import { checkHeader, decodeBgpMessage, HEADER_BAD_LENGTH, HEADER_BAD_MARKER } from '../../src/decode/bgp/message.js';
import { UNKNOWN_SESSION, type BgpMessage, type BgpSessionView, type BgpUpdate } from '../../src/decode/bgp/types.js';

function session(as4: boolean | null, addPath: boolean | null = null): BgpSessionView {
  return { as4, addPath: () => addPath };
}

function decodeUpdateMsg(bytes: Buffer, s: BgpSessionView = session(true, false)): BgpUpdate {
  const m = decodeBgpMessage(bytes, s);
  if (m.type !== 'update') throw new Error(`not an update: ${m.type}`);
  return m;
}

function codes(m: BgpMessage): string[] {
  return m.anomalies.map((a) => a.code);
}

describe('builder bytes are the RFC wire format', () => {
  const table: { name: string; bytes: Buffer; hex: string }[] = [
    { name: 'KEEPALIVE', bytes: keepalive(), hex: 'ff'.repeat(16) + '0013' + '04' },
    { name: 'NOTIFICATION cease/admin shutdown', bytes: notification(6, 2), hex: 'ff'.repeat(16) + '0015' + '03' + '0602' },
    { name: 'ROUTE-REFRESH ipv4/unicast', bytes: routeRefresh(1, 1), hex: 'ff'.repeat(16) + '0017' + '05' + '0001' + '00' + '01' },
    {
      name: 'OPEN AS 65000 hold 180 id 10.0.0.1, MP 25/70 + AS4 4200000000',
      bytes: open({ myAs: 65000, holdTime: 180, capabilities: [cap.multiprotocol(25, 70), cap.as4(4200000000)] }),
      // version 4, AS fde8, hold 00b4, id 0a000001, opt len 0e, param type 2 len 0c, cap 1/4 0019 00 46, cap 65/4 fa56ea00
      hex: 'ff'.repeat(16) + '002b' + '01' + '04fde800b40a000001' + '0e' + '020c' + '01040019' + '0046' + '4104fa56ea00',
    },
    {
      name: 'EVPN type-2 MAC only, RD 172.21.64.17:2, VNI 2',
      bytes: evpn.macIp({ rd: rd.ip('172.21.64.17', 2), mac: '02:00:00:02:13:03', labels: [2] }),
      // type 02 len 21 | rd 0001 ac154011 0002 | esi 0×10 | etag 0 | 30 mac | 00 | label 000002
      hex: '0221' + '0001ac1540110002' + '00'.repeat(10) + '00000000' + '30' + '020000021303' + '00' + '000002',
    },
    { name: 'MAC Mobility seq 46', bytes: ext.macMobility(46), hex: '060000000000002e' },
    { name: 'prefix 10.1.0.0/16 path id 7', bytes: prefix('10.1.0.0/16', 7), hex: '00000007' + '10' + '0a01' },
  ];
  for (const t of table) {
    it(t.name, () => expect(t.bytes.toString('hex')).toBe(t.hex));
  }
});

describe('header', () => {
  it('accepts a good header and returns the length', () => {
    expect(checkHeader(keepalive(), 0, 4096)).toBe(19);
  });
  const bad: { name: string; bytes: Buffer; max: number; want: number }[] = [
    { name: 'marker with one zero byte', bytes: Buffer.from('ff'.repeat(15) + '00' + '001304', 'hex'), max: 4096, want: HEADER_BAD_MARKER },
    { name: 'length 18 < 19', bytes: Buffer.from('ff'.repeat(16) + '001204', 'hex'), max: 4096, want: HEADER_BAD_LENGTH },
    { name: 'length 4097 without extended message', bytes: Buffer.from('ff'.repeat(16) + '100102', 'hex'), max: 4096, want: HEADER_BAD_LENGTH },
    { name: 'length 4097 with extended message', bytes: Buffer.from('ff'.repeat(16) + '100102', 'hex'), max: 65535, want: 4097 },
  ];
  for (const t of bad) it(t.name, () => expect(checkHeader(t.bytes, 0, t.max)).toBe(t.want));
});

describe('simple messages', () => {
  it('KEEPALIVE', () => {
    expect(decodeBgpMessage(keepalive(), UNKNOWN_SESSION)).toEqual({ type: 'keepalive', typeCode: 4, length: 19, anomalies: [] });
  });
  it('KEEPALIVE with a body is an anomaly', () => {
    const m = decodeBgpMessage(message(4, Buffer.from([0])), UNKNOWN_SESSION);
    expect(codes(m)).toEqual(['bgp.keepalive-bad-length']);
  });
  it('NOTIFICATION code/subcode and data length', () => {
    expect(decodeBgpMessage(notification(6, 4, Buffer.from('abcd', 'hex')), UNKNOWN_SESSION)).toMatchObject({
      type: 'notification',
      code: 6,
      subcode: 4,
      dataLength: 2,
      anomalies: [],
    });
  });
  it('NOTIFICATION too short', () => {
    expect(codes(decodeBgpMessage(message(3, u8(6)), UNKNOWN_SESSION))).toEqual(['bgp.notification-too-short']);
  });
  it('ROUTE-REFRESH with enhanced subtype', () => {
    expect(decodeBgpMessage(routeRefresh(25, 70, 2), UNKNOWN_SESSION)).toMatchObject({ type: 'route-refresh', afi: 25, safi: 70, subtype: 2 });
  });
  it('unknown message type is a note', () => {
    const m = decodeBgpMessage(message(9, Buffer.alloc(3)), UNKNOWN_SESSION);
    expect(m).toMatchObject({ type: 'unknown', typeCode: 9 });
    expect(m.anomalies[0].severity).toBe('note');
  });
});

describe('OPEN', () => {
  const full = open({
    myAs: 23456,
    holdTime: 90,
    bgpId: '192.0.2.1',
    capabilities: [
      cap.multiprotocol(1, 1),
      cap.multiprotocol(25, 70),
      cap.routeRefresh(2),
      cap.routeRefresh(128),
      cap.extendedMessage(),
      cap.gracefulRestart(120, [{ afi: 25, safi: 70, flags: 0x80 }]),
      cap.as4(4200000001),
      cap.addPath([
        { afi: 1, safi: 1, sendReceive: 3 },
        { afi: 25, safi: 70, sendReceive: 1 },
      ]),
      cap.enhancedRouteRefresh(),
      Buffer.from('4700', 'hex'), // unknown capability 71, empty
    ],
  });
  it('decodes every capability', () => {
    const m = decodeBgpMessage(full, UNKNOWN_SESSION);
    expect(m).toMatchObject({
      type: 'open',
      version: 4,
      myAs: 23456,
      holdTime: 90,
      bgpId: '192.0.2.1',
      capabilities: {
        multiprotocol: [
          { afi: 1, safi: 1 },
          { afi: 25, safi: 70 },
        ],
        as4: 4200000001,
        addPath: [
          { afi: 1, safi: 1, sendReceive: 3 },
          { afi: 25, safi: 70, sendReceive: 1 },
        ],
        extendedMessage: true,
        routeRefresh: true,
        enhancedRouteRefresh: true,
        gracefulRestart: { restartTime: 120, flags: 0, families: [{ afi: 25, safi: 70, flags: 0x80 }] },
        codes: [1, 1, 2, 128, 6, 64, 65, 69, 70, 71],
      },
      anomalies: [],
    });
  });
  it('an OPEN without capabilities has none (2-byte AS speaker)', () => {
    const m = decodeBgpMessage(open({ myAs: 100 }), UNKNOWN_SESSION);
    expect(m).toMatchObject({ type: 'open', myAs: 100, capabilities: { as4: null, codes: [] } });
  });
  it('RFC 9072 extended optional parameters length', () => {
    const caps = cap.as4(65550);
    const params = cat(u8(2), u16(caps.length), caps);
    const body = cat(Buffer.from('04fde8005a0a000001', 'hex'), u8(255), u8(255), u16(params.length), params);
    const m = decodeBgpMessage(message(1, body), UNKNOWN_SESSION);
    expect(m).toMatchObject({ type: 'open', capabilities: { as4: 65550 }, anomalies: [] });
  });
  const malformed: { name: string; bytes: Buffer; want: string[] }[] = [
    { name: 'too short', bytes: message(1, Buffer.from('04fde8', 'hex')), want: ['bgp.open-too-short'] },
    {
      name: 'optional parameters length past the message',
      bytes: message(1, Buffer.from('04fde8005a0a000001' + '10' + '0200', 'hex')),
      want: ['bgp.open-params-overrun'],
    },
    {
      name: 'capability past its parameter',
      bytes: message(1, Buffer.from('04fde8005a0a000001' + '04' + '0202' + '4104', 'hex')),
      want: ['bgp.capability-overrun'],
    },
    {
      name: '4-octet AS capability of length 2',
      bytes: message(1, Buffer.from('04fde8005a0a000001' + '06' + '0204' + '4102fde8', 'hex')),
      want: ['bgp.capability-bad-length'],
    },
  ];
  for (const t of malformed) it(`malformed: ${t.name}`, () => expect(codes(decodeBgpMessage(t.bytes, UNKNOWN_SESSION))).toEqual(t.want));
});

describe('UPDATE attributes', () => {
  const msg = update({
    withdrawn: [prefix('192.0.2.0/24')],
    attributes: [
      attr.origin(2),
      attr.asPathSegments([
        { type: 2, asns: [65001, 4200000000] },
        { type: 1, asns: [1, 2] },
      ]),
      attr.nextHop('10.0.0.1'),
      attr.med(50),
      attr.localPref(200),
      attr.communities([
        [65000, 100],
        [0xffff, 0xff01],
      ]),
      attr.originatorId('10.0.0.9'),
      attr.clusterList(['10.0.0.8', '10.0.0.7']),
      attr.extCommunities([ext.rtAs2(65000, 100), ext.encapsulation(8)]),
      attr.largeCommunities([[4200000000, 1, 2]]),
      attr.as4Path([4200000000]),
      attr.pmsiTunnel(0, 6, 10100, Buffer.from([10, 0, 0, 1])),
      attribute(0xc0, 99, Buffer.from('abcdef', 'hex')),
    ],
    nlri: [prefix('10.1.0.0/16'), prefix('10.2.3.0/24'), prefix('0.0.0.0/0')],
  });

  it('decodes every attribute (4-byte AS session)', () => {
    const u = decodeUpdateMsg(msg);
    expect(u.anomalies).toEqual([]);
    expect(u.inferred).toEqual([]);
    expect(u.withdrawn).toEqual([{ prefix: '192.0.2.0/24', pathId: null }]);
    expect(u.nlri.map((p) => p.prefix)).toEqual(['10.1.0.0/16', '10.2.3.0/24', '0.0.0.0/0']);
    expect(u.attributes).toMatchObject({
      origin: 2,
      asPath: [
        { type: 2, asns: [65001, 4200000000] },
        { type: 1, asns: [1, 2] },
      ],
      nextHop: '10.0.0.1',
      med: 50,
      localPref: 200,
      communities: ['65000:100', 'no-export'],
      originatorId: '10.0.0.9',
      clusterList: ['10.0.0.8', '10.0.0.7'],
      largeCommunities: ['4200000000:1:2'],
      as4Path: [{ type: 2, asns: [4200000000] }],
      pmsiTunnel: { flags: 0, tunnelType: 6, label: 10100, tunnelId: '10.0.0.1' },
      other: [{ flags: 0xc0, type: 99, length: 3 }],
    });
    expect(u.attributes.extendedCommunities.map((c) => c.value)).toEqual(['65000:100', 'vxlan(8)']);
    expect(formatAsPath(u.attributes.asPath!)).toBe('65001 4200000000 {1,2}');
  });

  it('2-byte AS_PATH when the session says so', () => {
    const u = decodeUpdateMsg(update({ attributes: [attr.origin(0), attr.asPath([65001, 65002, 23456], false)] }), session(false, false));
    expect(u.attributes.asPath).toEqual([{ type: 2, asns: [65001, 65002, 23456] }]);
    expect(u.inferred).toEqual([]);
  });

  // Decoded paths are remembered by their bytes: the same bytes read with another AS width, a path that differs
  // in one byte, and a malformed path (its anomaly every time) must not come from the memory.
  it('a remembered AS_PATH is reused only for the same bytes and AS width', () => {
    const path4 = update({ attributes: [attr.asPath([65001, 65002], true)] });
    const first = decodeUpdateMsg(path4, session(true, false));
    expect(decodeUpdateMsg(path4, session(true, false)).attributes.asPath).toEqual([{ type: 2, asns: [65001, 65002] }]);
    expect(first.attributes.asPath).toEqual([{ type: 2, asns: [65001, 65002] }]);
    // 02 02 0000fde9 0000fdea as 2-byte ASNs: a segment of 2 (0, 65001), then one that runs past: an anomaly.
    expect(codes(decodeBgpMessage(path4, session(false, false)))).toEqual(['bgp.as-path-overrun']);
    expect(decodeUpdateMsg(update({ attributes: [attr.asPath([65001, 65003], true)] })).attributes.asPath).toEqual([{ type: 2, asns: [65001, 65003] }]);
    const bad = update({ attributes: [attribute(0x40, 2, Buffer.from('0203000000010000', 'hex'))] });
    for (let i = 0; i < 2; i++) expect(codes(decodeBgpMessage(bad, session(true, false)))).toEqual(['bgp.as-path-overrun']);
  });

  const inferTable: { name: string; bytes: Buffer; asns: number[]; inferred: string[] }[] = [
    { name: '4-byte path, OPENs not seen', bytes: update({ attributes: [attr.asPath([65001, 4200000000], true)] }), asns: [65001, 4200000000], inferred: ['as4'] },
    { name: '2-byte path of 3 ASNs (6 bytes: not a 4-byte path)', bytes: update({ attributes: [attr.asPath([1, 2, 3], false)] }), asns: [1, 2, 3], inferred: ['as2'] },
    // 2 ASNs as 2-byte = 02 02 0001 0002 (6 bytes); as 4-byte would need 10: unambiguous.
    { name: '2-byte path of 2 ASNs', bytes: update({ attributes: [attr.asPath([1, 2], false)] }), asns: [1, 2], inferred: ['as2'] },
  ];
  for (const t of inferTable) {
    it(`inference: ${t.name}`, () => {
      const u = decodeUpdateMsg(t.bytes, UNKNOWN_SESSION);
      expect(u.attributes.asPath).toEqual([{ type: 2, asns: t.asns }]);
      expect(u.inferred).toEqual(t.inferred);
      expect(u.anomalies).toEqual([]);
    });
  }

  it('extended-length flag on a short attribute', () => {
    const u = decodeUpdateMsg(update({ attributes: [attribute(0x40, 1, u8(0), true), attr.localPref(7)] }));
    expect(u.attributes.origin).toBe(0);
    expect(u.attributes.localPref).toBe(7);
  });

  it('an attribute longer than 255 bytes uses the extended length', () => {
    const many = Array.from({ length: 40 }, (_, i) => ext.rtAs2(65000, i));
    const a = attr.extCommunities(many);
    expect(a[0] & 0x10).toBe(0x10);
    const u = decodeUpdateMsg(update({ attributes: [a] }));
    expect(u.attributes.extendedCommunities).toHaveLength(40);
    expect(u.attributes.extendedCommunities[39].routeTarget).toBe('65000:39');
  });
});

describe('ADD-PATH', () => {
  const withIds = update({ attributes: [attr.origin(0), attr.nextHop('10.0.0.1')], nlri: [prefix('10.1.0.0/16', 1), prefix('10.2.0.0/16', 2)] });
  const without = update({ attributes: [attr.origin(0), attr.nextHop('10.0.0.1')], nlri: [prefix('10.1.0.0/16'), prefix('10.2.0.0/16')] });
  it('on (negotiated)', () => {
    const u = decodeUpdateMsg(withIds, session(true, true));
    expect(u.nlri).toEqual([
      { prefix: '10.1.0.0/16', pathId: 1 },
      { prefix: '10.2.0.0/16', pathId: 2 },
    ]);
    expect(u.inferred).toEqual([]);
  });
  it('off (negotiated)', () => {
    const u = decodeUpdateMsg(without, session(true, false));
    expect(u.nlri).toEqual([
      { prefix: '10.1.0.0/16', pathId: null },
      { prefix: '10.2.0.0/16', pathId: null },
    ]);
  });
  it('inferred on', () => {
    const u = decodeUpdateMsg(withIds, UNKNOWN_SESSION);
    expect(u.nlri.map((p) => p.pathId)).toEqual([1, 2]);
    expect(u.inferred).toEqual(['addpath']);
  });
  it('inferred off', () => {
    const u = decodeUpdateMsg(without, UNKNOWN_SESSION);
    expect(u.nlri.map((p) => p.pathId)).toEqual([null, null]);
    expect(u.inferred).toEqual(['no-addpath']);
  });
  it('ADD-PATH EVPN routes carry their path id', () => {
    const route = evpn.macIp({ rd: rd.as2(65000, 1), mac: '02:00:00:00:00:01', labels: [100], pathId: 9 });
    const bytes = evpnUpdate('10.0.0.1', [route]);
    const known = decodeUpdateMsg(bytes, session(true, true));
    expect(known.evpn[0].pathId).toBe(9);
    const inferred = decodeUpdateMsg(bytes, UNKNOWN_SESSION);
    expect(inferred.evpn[0]).toMatchObject({ pathId: 9, mac: 0x020000000001 });
    expect(inferred.inferred).toContain('addpath');
    const plain = decodeUpdateMsg(evpnUpdate('10.0.0.1', [evpn.macIp({ rd: rd.as2(65000, 1), mac: '02:00:00:00:00:01', labels: [100] })]), UNKNOWN_SESSION);
    expect(plain.evpn[0].pathId).toBeNull();
    expect(plain.inferred).toContain('no-addpath');
  });
});

describe('MP_REACH / MP_UNREACH IPv6', () => {
  it('two next hops (global + link-local) and IPv6 prefixes', () => {
    const u = decodeUpdateMsg(
      update({
        attributes: [
          attr.origin(0),
          attr.asPath([65001]),
          attr.mpReach(2, 1, ['2001:db8::1', 'fe80::1'], cat(prefix('2001:db8:1::/48'), prefix('::/0'))),
          attr.mpUnreach(2, 1, prefix('2001:db8:2::/64')),
        ],
      }),
    );
    expect(u.anomalies).toEqual([]);
    expect(u.attributes.mpReach).toEqual({
      afi: 2,
      safi: 1,
      nextHops: ['2001:db8::1', 'fe80::1'],
      nlri: [
        { prefix: '2001:db8:1::/48', pathId: null },
        { prefix: '::/0', pathId: null },
      ],
      otherNlriBytes: 0,
    });
    expect(u.attributes.mpUnreach?.withdrawn).toEqual([{ prefix: '2001:db8:2::/64', pathId: null }]);
  });
  it('an AFI/SAFI without a decoder keeps its byte count', () => {
    const u = decodeUpdateMsg(update({ attributes: [attr.mpReach(1, 128, ['10.0.0.1'], Buffer.alloc(7))] }));
    expect(u.attributes.mpReach?.otherNlriBytes).toBe(7);
  });
});

describe('EVPN routes', () => {
  const esi1 = esi('00:11:22:33:44:55:66:77:88:99');
  const table: { name: string; route: Buffer; want: Record<string, unknown> }[] = [
    {
      name: 'type 1 Ethernet A-D, RD type 0',
      route: evpn.ethernetAd({ rd: rd.as2(65000, 100), esi: esi1, ethernetTag: 0xffffffff, label: 0 }),
      want: { routeType: 1, rd: '65000:100', esi: '00:11:22:33:44:55:66:77:88:99', esiZero: false, ethernetTag: 4294967295, labels: [0] },
    },
    {
      name: 'type 2 MAC only, RD type 1',
      route: evpn.macIp({ rd: rd.ip('172.21.64.17', 2), mac: '02:00:00:02:13:03', labels: [2] }),
      want: { routeType: 2, rd: '172.21.64.17:2', esiZero: true, mac: 0x020000021303, ip: null, labels: [2] },
    },
    {
      name: 'type 2 MAC + IPv4, two labels, RD type 2',
      route: evpn.macIp({ rd: rd.as4(4200000000, 1), mac: '02:00:00:00:00:05', ip: '10.0.0.5', labels: [10100, 50000] }),
      want: { routeType: 2, rd: '4200000000:1', ip: '10.0.0.5', labels: [10100, 50000] },
    },
    {
      name: 'type 2 MAC + IPv6',
      route: evpn.macIp({ rd: rd.ip('10.0.0.1', 3), mac: '02:00:00:00:00:06', ip: '2a02:238:f030:1c2::10df', labels: [3] }),
      want: { routeType: 2, ip: '2a02:238:f030:1c2::10df', labels: [3] },
    },
    {
      name: 'type 3 inclusive multicast, IPv4 originator',
      route: evpn.inclusiveMulticast({ rd: rd.ip('172.21.64.17', 4), ethernetTag: 0, originator: '172.21.64.17' }),
      want: { routeType: 3, rd: '172.21.64.17:4', esi: '', originatorIp: '172.21.64.17', labels: [] },
    },
    {
      name: 'type 3 inclusive multicast, IPv6 originator',
      route: evpn.inclusiveMulticast({ rd: rd.as2(1, 1), originator: '2001:db8::7' }),
      want: { routeType: 3, originatorIp: '2001:db8::7' },
    },
    {
      name: 'type 4 Ethernet segment',
      route: evpn.ethernetSegment({ rd: rd.ip('10.0.0.2', 0), esi: esi1, originator: '10.0.0.2' }),
      want: { routeType: 4, esi: '00:11:22:33:44:55:66:77:88:99', originatorIp: '10.0.0.2' },
    },
    {
      name: 'type 5 IPv4 prefix',
      route: evpn.ipPrefix({ rd: rd.ip('10.0.0.3', 5), prefix: '10.9.0.0/16', gateway: '0.0.0.0', label: 5001 }),
      want: { routeType: 5, prefix: '10.9.0.0/16', gatewayIp: '0.0.0.0', labels: [5001] },
    },
    {
      name: 'type 5 IPv6 prefix',
      route: evpn.ipPrefix({ rd: rd.ip('10.0.0.3', 6), prefix: '2001:db8:5::/64', gateway: '2001:db8::1', label: 5002 }),
      want: { routeType: 5, prefix: '2001:db8:5::/64', gatewayIp: '2001:db8::1', labels: [5002] },
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const u = decodeUpdateMsg(evpnUpdate('172.21.64.17', [t.route], [ext.encapsulation(8)]));
      expect(u.anomalies).toEqual([]);
      expect(u.evpn).toHaveLength(1);
      expect(u.evpn[0]).toMatchObject({ action: 'advertise', pathId: null, nextHop: '172.21.64.17', encapsulation: 8, ...t.want });
    });
  }

  it('unknown route type is skipped by its length (note), the next route is kept', () => {
    const u = decodeUpdateMsg(evpnUpdate('10.0.0.1', [evpn.raw(9, Buffer.alloc(5)), evpn.ethernetAd({ rd: rd.as2(1, 1), label: 7 })]));
    expect(u.evpn.map((r) => r.routeType)).toEqual([1]);
    expect(u.anomalies.map((a) => [a.code, a.severity])).toEqual([['bgp.evpn-unknown-route-type', 'note']]);
  });

  it('MP_UNREACH type 2 withdrawal carries the route key', () => {
    const u = decodeUpdateMsg(evpnWithdraw([evpn.macIp({ rd: rd.ip('172.21.64.17', 2), mac: '02:00:00:02:1b:94', labels: [0] })]));
    expect(u.evpn[0]).toMatchObject({ action: 'withdraw', routeType: 2, rd: '172.21.64.17:2', mac: 0x020000021b94, nextHop: null });
  });

  it('MAC mobility, route targets and router MAC are copied into each route and described', () => {
    const u = decodeUpdateMsg(
      evpnUpdate(
        '172.21.64.17',
        [evpn.macIp({ rd: rd.ip('172.21.64.17', 2), mac: '02:00:00:02:13:03', ip: '10.0.0.5', labels: [10100] })],
        [ext.rtAs2(65000, 10100), ext.encapsulation(8), ext.macMobility(3), ext.routerMac('02:aa:bb:cc:dd:ee')],
      ),
    );
    expect(u.evpn[0].macMobility).toEqual({ sequence: 3, sticky: false });
    expect(describeEvpnRouteLine(u.evpn[0])).toBe('EVPN type-2 advertise rd 172.21.64.17:2 mac 02:00:00:02:13:03 ip 10.0.0.5 vni 10100 seq 3 nh 172.21.64.17');
    const json = describeBgpMessage({ message: u, frames: [4, 5] });
    expect(json).toMatchObject({
      type: 'update',
      nextHop: '172.21.64.17',
      asPath: '65001',
      origin: 'igp',
      macMobility: { sequence: 3, sticky: false },
      routeTargets: ['65000:10100'],
      frames: [4, 5],
      inferred: [],
      evpn: [{ routeType: 2, rd: '172.21.64.17:2', mac: '02:00:00:02:13:03', ip: '10.0.0.5', labels: [10100], vni: 10100, action: 'advertise', pathId: null }],
    });
  });
});

describe('extended communities', () => {
  const table: { name: string; bytes: Buffer; want: Record<string, unknown> }[] = [
    { name: 'RT 2-byte AS', bytes: ext.rtAs2(65000, 100), want: { kind: 'route-target', routeTarget: '65000:100' } },
    { name: 'RT IPv4', bytes: ext.rtIp('10.0.0.1', 5), want: { kind: 'route-target', routeTarget: '10.0.0.1:5' } },
    { name: 'RT 4-byte AS', bytes: ext.rtAs4(4200000000, 1), want: { kind: 'route-target', routeTarget: '4200000000:1' } },
    { name: 'encapsulation VXLAN', bytes: ext.encapsulation(8), want: { kind: 'encapsulation', tunnelType: 8, value: 'vxlan(8)' } },
    { name: 'default gateway', bytes: ext.defaultGateway(), want: { kind: 'default-gateway' } },
    { name: 'MAC mobility', bytes: ext.macMobility(46), want: { kind: 'mac-mobility', sequence: 46, sticky: false } },
    { name: 'MAC mobility sticky', bytes: ext.macMobility(0, true), want: { kind: 'mac-mobility', sequence: 0, sticky: true, value: 'seq 0 sticky' } },
    { name: 'ESI label', bytes: ext.esiLabel(300, true), want: { kind: 'esi-label', label: 300, flags: 1 } },
    { name: 'ES-import RT', bytes: ext.esImport('00:11:22:33:44:55'), want: { kind: 'es-import', mac: 0x001122334455 } },
    { name: "EVPN Router's MAC", bytes: ext.routerMac('02:aa:bb:cc:dd:ee'), want: { kind: 'router-mac', value: '02:aa:bb:cc:dd:ee' } },
    { name: 'non-transitive RT-looking 0x40/0x02 is other', bytes: ext.raw('4002fde800000064'), want: { kind: 'other', value: '4002fde800000064' } },
    { name: 'link bandwidth is other', bytes: ext.raw('4004fde84b3ebc20'), want: { kind: 'other', raw: '4004fde84b3ebc20' } },
  ];
  for (const t of table) it(t.name, () => expect(decodeExtCommunity(t.bytes, 0)).toMatchObject(t.want));

  // Decodings are cached by value: every byte must be part of the key, and a full cache must start over correctly.
  it('the cache tells apart communities that differ in any one byte', () => {
    const base = Buffer.from('0002fde8000186a0', 'hex'); // RT 65000:100000
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const b = Buffer.from(base);
      b[i] ^= 1;
      const c = decodeExtCommunity(b, 0);
      expect(c.raw).toBe(b.toString('hex'));
      seen.add(c.raw);
    }
    expect(seen.size).toBe(8);
    expect(decodeExtCommunity(base, 0).routeTarget).toBe('65000:100000');
  });
  it('the cache stays right past its size (MAC mobility sequences 0…9999)', () => {
    for (let seq = 0; seq < 10_000; seq++) expect(decodeExtCommunity(ext.macMobility(seq), 0).sequence).toBe(seq);
    expect(decodeExtCommunity(ext.macMobility(7), 0)).toMatchObject({ sequence: 7, value: 'seq 7' });
  });
});

describe('route distinguishers', () => {
  const rd = (hex: string) => Buffer.from(hex, 'hex');
  it('print as Wireshark does, cached or not, past the cache size', () => {
    for (let i = 0; i < 5000; i++) {
      expect(formatRd(rd('0000fde8' + i.toString(16).padStart(8, '0')), 0)).toBe(`65000:${i}`);
      expect(formatRd(rd('0001ac154011' + (i & 0xffff).toString(16).padStart(4, '0')), 0)).toBe(`172.21.64.17:${i & 0xffff}`);
    }
    expect(formatRd(rd('0002fa56ea000001'), 0)).toBe('4200000000:1');
    expect(formatRd(rd('0003010203040506'), 0)).toBe('type3:010203040506');
    // Type 0 and type 2 with the same six value bytes are different RDs.
    expect(formatRd(rd('00000001000186a0'), 0)).toBe('1:100000');
    expect(formatRd(rd('00020001000186a0'), 0)).toBe('65537:34464');
  });
  it('an all-zero ESI is the shared constant text', () => {
    expect(formatEsi(Buffer.alloc(10), 0)).toBe('00:00:00:00:00:00:00:00:00:00');
    expect(formatEsi(Buffer.from('00112233445566778899', 'hex'), 0)).toBe('00:11:22:33:44:55:66:77:88:99');
  });
});

describe('malformed UPDATEs', () => {
  const table: { name: string; bytes: Buffer; want: string[] }[] = [
    { name: 'withdrawn length past the message', bytes: message(2, Buffer.from('00ff0000', 'hex')), want: ['bgp.withdrawn-overrun'] },
    { name: 'total attribute length past the message', bytes: message(2, Buffer.from('000000ff', 'hex')), want: ['bgp.attr-length-overrun'] },
    { name: 'attribute length past the attributes', bytes: message(2, cat(u16(0), u16(4), Buffer.from('40010501', 'hex'))), want: ['bgp.attr-length-overrun'] },
    { name: 'attribute header cut', bytes: message(2, cat(u16(0), u16(2), Buffer.from('4001', 'hex'))), want: ['bgp.attr-length-overrun'] },
    { name: 'NLRI prefix runs past the message', bytes: update({ nlri: [Buffer.from('180a01', 'hex')] }), want: ['bgp.nlri-overrun'] },
    { name: 'prefix length 33', bytes: update({ nlri: [Buffer.from('210a0a0a0a0a', 'hex')] }), want: ['bgp.nlri-bad-prefix-length'] },
    { name: 'ORIGIN of length 2', bytes: update({ attributes: [attribute(0x40, 1, Buffer.from('0000', 'hex'))] }), want: ['bgp.attr-bad-length'] },
    { name: 'COMMUNITIES not a multiple of 4', bytes: update({ attributes: [attribute(0xc0, 8, Buffer.alloc(5))] }), want: ['bgp.attr-bad-length'] },
    {
      name: 'AS_PATH segment past the attribute (session says 4-byte)',
      bytes: update({ attributes: [attribute(0x40, 2, Buffer.from('0203000000010000', 'hex'))] }),
      want: ['bgp.as-path-overrun'],
    },
    {
      name: 'MP_REACH next hop past the attribute',
      bytes: update({ attributes: [attribute(0x80, 14, Buffer.from('0019461004', 'hex'))] }),
      want: ['bgp.attr-length-overrun'],
    },
    {
      name: 'EVPN route length past MP_REACH',
      bytes: update({ attributes: [attr.mpReach(AFI_L2VPN, SAFI_EVPN, ['10.0.0.1'], Buffer.from('0221000000', 'hex'))] }),
      want: ['bgp.nlri-overrun'],
    },
    {
      name: 'EVPN type 2 with a wrong IP length',
      bytes: update({
        attributes: [attr.mpReach(AFI_L2VPN, SAFI_EVPN, ['10.0.0.1'], cat(u8(2), u8(33), Buffer.alloc(22), u8(48), Buffer.alloc(6), u8(24), Buffer.alloc(3)))],
      }),
      want: ['bgp.evpn-bad-length'],
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      const m = decodeBgpMessage(t.bytes, session(true, false));
      expect(codes(m)).toEqual(t.want);
    });
  }

  it('an overrun attribute stops attribute parsing but the attributes before it are kept', () => {
    const bytes = message(2, cat(u16(0), u16(4 + 4), attr.origin(1), Buffer.from('40050401', 'hex')));
    const u = decodeUpdateMsg(bytes);
    expect(u.attributes.origin).toBe(1);
    expect(codes(u)).toEqual(['bgp.attr-length-overrun']);
  });
});

describe('truncation sweep', () => {
  const good = evpnUpdate(
    '172.21.64.17',
    [
      evpn.macIp({ rd: rd.ip('172.21.64.17', 2), mac: '02:00:00:02:13:03', ip: '10.0.0.5', labels: [10100] }),
      evpn.inclusiveMulticast({ rd: rd.ip('172.21.64.17', 2), originator: '172.21.64.17' }),
    ],
    [ext.rtAs2(65000, 10100), ext.encapsulation(8), ext.macMobility(3)],
  );
  it('the full message decodes cleanly', () => {
    expect(decodeUpdateMsg(good).anomalies).toEqual([]);
  });
  it('every shorter message (header length adjusted) gives an anomaly, never a throw', () => {
    for (let len = 19; len < good.length; len++) {
      const cut = Buffer.from(good.subarray(0, len));
      cut.writeUInt16BE(len, 16);
      for (const s of [session(true, false), UNKNOWN_SESSION]) {
        const m = decodeBgpMessage(cut, s);
        expect(m.anomalies.length, `length ${len}`).toBeGreaterThan(0);
      }
    }
  });
  it('every prefix of an OPEN decodes without throwing', () => {
    const o = open({ capabilities: [cap.multiprotocol(25, 70), cap.as4(65001), cap.addPath([{ afi: 25, safi: 70, sendReceive: 3 }])] });
    for (let len = 19; len < o.length; len++) {
      const cut = Buffer.from(o.subarray(0, len));
      cut.writeUInt16BE(len, 16);
      expect(decodeBgpMessage(cut, UNKNOWN_SESSION).anomalies.length, `length ${len}`).toBeGreaterThan(0);
    }
  });
});
