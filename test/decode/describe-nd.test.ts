// `gwcheck decode` for neighbour discovery: the text summary (who solicits whom from which MAC) and the NDJSON
// icmpv6 layer.
import { describe, expect, it } from 'vitest';
import { icmpv6Raw, naFrame, ndFrame, ndNa, ndRedirect, ndRs, nsFrame, raFrame } from '../../fixtures/builder/nd.js';
import { vxlanFrame } from '../../fixtures/builder/packet.js';
import { describeLayers, summarizeFrame } from '../../src/decode/describe.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { MAX_ND_PREFIXES } from '../../src/decode/types.js';

const HOST = '00:11:22:33:44:55';
const GW = '00:00:5e:00:01:01';
const decoder = new FrameDecoder();
const summary = (bytes: Buffer) => summarizeFrame(decoder.decode(bytes, 1));
const ndLayer = (bytes: Buffer) => describeLayers(decoder.decode(bytes, 1)).find((l) => (l as { proto: string }).proto === 'icmpv6');

const LINES: [string, Buffer, string][] = [
  [
    'address resolution',
    nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1' }),
    'NS who has 2001:db8::1? tell 2001:db8::2 (00:11:22:33:44:55)',
  ],
  ['DAD probe (MAC from Ethernet: no SLLA)', nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::2' }), 'NS who has 2001:db8::2? tell :: (00:11:22:33:44:55) DAD'],
  [
    'unicast NUD probe',
    nsFrame({ srcMac: HOST, srcIp: 'fe80::2', target: 'fe80::1', dstIp: 'fe80::1', dst: GW }),
    'NS who has fe80::1? tell fe80::2 (00:11:22:33:44:55) NUD',
  ],
  [
    'solicited NA from a router',
    naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: '2001:db8::2', dst: HOST, router: true }),
    'NA 2001:db8::1 is at 00:00:5e:00:01:01 [R S O]',
  ],
  ['unsolicited NA, no flags, no TLLA', ndFrame({ src: GW, srcIp: 'fe80::1', dstIp: 'ff02::1', message: ndNa({ target: 'fe80::1' }) }), 'NA fe80::1 is at 00:00:5e:00:01:01 [-]'],
  [
    'RA',
    raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, managed: true, other: true, prefixes: [{ prefix: '2001:db8:1::', length: 64 }] }),
    'RA from fe80::1 (00:00:5e:00:01:01) lifetime 1800s M O prefixes 2001:db8:1::/64',
  ],
  ['RA lifetime 0 with MTU', raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 0, mtu: 1500 }), 'RA from fe80::1 (00:00:5e:00:01:01) lifetime 0s mtu 1500'],
  ['RS', ndFrame({ src: HOST, srcIp: 'fe80::2', dstIp: 'ff02::2', message: ndRs({ sourceLinkAddr: HOST }) }), 'RS from fe80::2 (00:11:22:33:44:55)'],
  [
    'Redirect',
    ndFrame({ src: GW, dst: HOST, srcIp: 'fe80::1', dstIp: '2001:db8::2', message: ndRedirect({ target: 'fe80::3', destination: '2001:db8:5::5', targetLinkAddr: '00:aa:bb:cc:dd:ee' }) }),
    'Redirect 2001:db8:5::5 via fe80::3 (00:aa:bb:cc:dd:ee) from fe80::1',
  ],
  [
    'an invalid message is marked',
    nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1', hopLimit: 64 }),
    'NS who has 2001:db8::1? tell 2001:db8::2 (00:11:22:33:44:55) (invalid)',
  ],
  [
    'ND inside VXLAN',
    vxlanFrame({ vni: 10100, inner: nsFrame({ srcMac: HOST, srcIp: '2001:db8::2', target: '2001:db8::1' }) }),
    'VXLAN vni 10100: NS who has 2001:db8::1? tell 2001:db8::2 (00:11:22:33:44:55)',
  ],
  [
    'echo request (not ND)',
    ndFrame({ src: HOST, dst: GW, srcIp: '2001:db8::2', dstIp: '2001:db8::1', hopLimit: 64, message: icmpv6Raw({ type: 128, body: Buffer.alloc(4) }) }),
    'IPv6 2001:db8::2 > 2001:db8::1: ICMPv6 echo-request',
  ],
];

describe('decode: neighbour discovery summary lines', () => {
  for (const [name, bytes, line] of LINES) it(name, () => expect(summary(bytes)).toBe(line));

  it('an RA with more prefixes than kept says how many more', () => {
    const prefixes = Array.from({ length: MAX_ND_PREFIXES + 2 }, (_, i) => ({ prefix: `2001:db8:${i + 1}::`, length: 64 }));
    expect(summary(raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, prefixes }))).toMatch(/2001:db8:8::\/64,… 2 more$/);
  });
});

describe('decode: the NDJSON icmpv6 layer', () => {
  it('NS', () => {
    expect(ndLayer(nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::2', nonce: '0102030405ff' }))).toEqual({
      proto: 'icmpv6',
      type: 135,
      code: 0,
      name: 'ns',
      target: '2001:db8::2',
      sourceLinkAddr: null,
      targetLinkAddr: null,
      mtu: null,
      nonce: '0102030405ff',
      valid: true,
    });
  });

  it('NA', () => {
    expect(ndLayer(naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: 'ff02::1', override: false }))).toMatchObject({
      name: 'na',
      target: '2001:db8::1',
      flags: { router: false, solicited: false, override: false },
      targetLinkAddr: GW,
      valid: true,
    });
  });

  it('RA', () => {
    const bytes = raFrame({
      srcMac: GW,
      srcIp: 'fe80::1',
      routerLifetime: 1800,
      other: true,
      mtu: 9000,
      prefixes: [{ prefix: '2001:db8:1::', length: 64, autonomous: false, valid: 86400, preferred: 14400 }],
    });
    expect(ndLayer(bytes)).toEqual({
      proto: 'icmpv6',
      type: 134,
      code: 0,
      name: 'ra',
      curHopLimit: 64,
      routerLifetime: 1800,
      managed: false,
      other: true,
      reachableTime: 0,
      retransTimer: 0,
      prefixes: [{ prefix: '2001:db8:1::', length: 64, onLink: true, autonomous: false, valid: 86400, preferred: 14400 }],
      sourceLinkAddr: GW,
      targetLinkAddr: null,
      mtu: 9000,
      nonce: null,
      valid: true,
    });
  });

  it('Redirect and a non-ND type', () => {
    const rd = ndFrame({ src: GW, dst: HOST, srcIp: 'fe80::1', dstIp: '2001:db8::2', message: ndRedirect({ target: 'fe80::3', destination: '2001:db8:5::5' }) });
    expect(ndLayer(rd)).toMatchObject({ name: 'redirect', target: 'fe80::3', destination: '2001:db8:5::5', valid: true });
    const echo = ndFrame({ src: HOST, dst: GW, srcIp: '2001:db8::2', dstIp: '2001:db8::1', message: icmpv6Raw({ type: 129 }) });
    expect(ndLayer(echo)).toEqual({ proto: 'icmpv6', type: 129, code: 0, name: 'echo-reply' });
  });
});
