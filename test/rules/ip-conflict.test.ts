import { duplicateGatewayMac } from '../../src/rules/duplicate-gateway-mac.js';
import { describe, expect, it } from 'vitest';
import { announce, evpn, na, ns, probe, reply, request, ruleTester, run } from './helpers.js';

const A = '00:11:22:00:00:0a';
const B = '00:11:22:00:00:0b';
const ASKER = '00:11:22:00:00:99';
const IP = '10.0.100.50';

/** `n` host routes for other IPs of one VNI, from `t` on: traffic that pushes older rows out of small tables. */
const laterRoutes = (t: number, n: number, vni = 10100) =>
  Array.from({ length: n }, (_, i) => evpn({ t: t + i * 0.01, mac: `02:cc:00:00:00:${(i & 255).toString(16).padStart(2, '0')}`, ip: `10.7.0.${i & 255}`, vni }));

/** A and B from two PEs taking turns `n` times (frames 100 …): every advertisement after the first conflicts. */
const takingTurns = (n: number, ip = IP) =>
  Array.from({ length: n }, (_, i) =>
    evpn({ t: i, frame: 100 + i, mac: i % 2 ? B : A, ip, nextHop: i % 2 ? '192.0.2.2' : '192.0.2.1' }),
  );

ruleTester('ip-conflict', [duplicateGatewayMac], {
  valid: [
    {
      name: 'IPv6 DAD: a probe nobody answers, then the address in use',
      facts: [
        ns({ t: 0, smac: A, ip: '::', target: '2001:db8:100::50' }),
        na({ t: 1.5, smac: A, ip: 'ff02::1', target: '2001:db8:100::50' }),
      ],
    },
    {
      name: 'IPv6: an anycast address answered by two MACs without the override flag (RFC 4861 §7.2.7)',
      facts: [
        ns({ t: 0, smac: ASKER, ip: '2001:db8:100::99', target: '2001:db8:100::a' }),
        na({ t: 0.01, smac: A, ip: '2001:db8:100::99', target: '2001:db8:100::a', override: false }),
        na({ t: 0.02, smac: B, ip: '2001:db8:100::99', target: '2001:db8:100::a', override: false }),
      ],
    },
    {
      name: 'ARP probe answered by the prober itself much later (not within dadWindow) is no DAD conflict',
      facts: [probe(0, A, IP), announce(5, B, IP)],
    },
    {
      name: 'a host replaced: the new MAC announces itself and the old one is gone',
      facts: [announce(0, A, IP), request(1, A, IP, '10.0.100.1'), announce(30, B, IP), request(31, B, IP, '10.0.100.1'), request(40, B, IP, '10.0.100.1')],
    },
    {
      name: 'the old MAC comes back only after the window',
      facts: [announce(0, A, IP), announce(100, B, IP), announce(200, A, IP)],
      settings: { duplicateWindow: 60 },
    },
    {
      name: 'duplicate address detection probes (sender 0.0.0.0) are not claims',
      facts: [announce(0, A, IP), probe(1, B, IP), probe(2, B, IP), request(3, A, IP, '10.0.100.1')],
    },
    {
      name: 'one IP used in two VLANs by different hosts',
      facts: [announce(0, A, IP, { domain: 1 }), announce(1, B, IP, { domain: 2 }), announce(2, A, IP, { domain: 1 }), announce(3, B, IP, { domain: 2 })],
    },
    {
      name: 'EVPN: one IP with two MACs in two VNIs (two instances) is no conflict',
      facts: [evpn({ t: 0, mac: A, ip: IP, nextHop: '192.0.2.1', vni: 10100 }), evpn({ t: 1, mac: B, ip: IP, nextHop: '192.0.2.2', vni: 10200 })],
    },
    {
      name: 'EVPN: the first MAC is withdrawn (VLAN-aware bundle: one RD, two VNIs) before the second is advertised',
      facts: [
        evpn({ t: 0, mac: B, ip: IP, nextHop: '192.0.2.1', vni: 10200 }),
        evpn({ t: 0.5, mac: A, ip: IP, nextHop: '192.0.2.1', vni: 10100 }),
        evpn({ t: 1, mac: A, ip: IP, rd: '192.0.2.1:100', action: 'withdraw' }),
        evpn({ t: 2, mac: B, ip: IP, nextHop: '192.0.2.2', vni: 10100 }),
      ],
    },
    {
      name: 'EVPN: conflicts in one IP are not confused when its row leaves a small table (no route of it conflicts)',
      facts: [evpn({ t: 0, mac: A, ip: IP, nextHop: '192.0.2.1' }), ...laterRoutes(1, 20), evpn({ t: 2, mac: A, ip: IP, nextHop: '192.0.2.2' })],
      settings: { maxEvpnRoutes: 4 },
    },
    {
      name: 'EVPN: a route for the IP in another VNI after the first instance table started over',
      facts: [evpn({ t: 0, mac: A, ip: IP, nextHop: '192.0.2.1', vni: 10100 }), ...[1, 2, 3, 4, 5, 6].map((k) => evpn({ t: k, mac: B, ip: IP, nextHop: '192.0.2.2', vni: 10100 + k }))],
      settings: { maxEvpnRoutes: 4 },
    },
  ],
  invalid: [
    {
      name: 'IPv6 DAD: a host probes an address that another host defends with an NA',
      facts: [
        ns({ t: 0, frame: 1, smac: A, ip: '::', target: '2001:db8:100::50' }),
        na({ t: 0.2, frame: 2, smac: B, ip: 'ff02::1', target: '2001:db8:100::50' }),
      ],
      errors: [
        {
          messageId: 'dad-conflict',
          severity: 'warning',
          subject: { ip: '2001:db8:100::50', family: 'ipv6' },
          frames: [1, 2],
          filter: /icmpv6\.nd\.ns\.target_address == 2001:db8:100::50/,
        },
      ],
    },
    {
      name: 'ARP probe (RFC 5227) answered by another MAC',
      facts: [probe(0, A, IP, { frame: 1 }), reply(0.1, B, IP, A, '0.0.0.0', { frame: 2 })],
      errors: [{ messageId: 'dad-conflict', subject: { ip: IP, family: 'ipv4' }, frames: [1, 2] }],
    },
    {
      name: 'IPv6: two MACs advertising one address with the override flag, taking turns',
      facts: [
        na({ t: 0, frame: 1, smac: A, ip: 'ff02::1', target: '2001:db8:100::60' }),
        na({ t: 5, frame: 2, smac: B, ip: 'ff02::1', target: '2001:db8:100::60' }),
        na({ t: 10, frame: 3, smac: A, ip: 'ff02::1', target: '2001:db8:100::60' }),
      ],
      errors: [{ messageId: 'duplicate', subject: { ip: '2001:db8:100::60', family: 'ipv6' }, frames: [1, 2, 3] }],
    },
    {
      name: 'two hosts answer one request',
      facts: [request(0, ASKER, '10.0.100.9', IP, { frame: 1 }), reply(0.01, A, IP, ASKER, '10.0.100.9', { frame: 2 }), reply(0.02, B, IP, ASKER, '10.0.100.9', { frame: 3 })],
      errors: [
        {
          messageId: 'duplicate',
          severity: 'warning',
          confidence: 'confirmed',
          subject: { ip: IP, macs: [A, B] },
          frames: [2, 3],
          data: { twoAnswers: 1, gatewayReason: 'not a gateway' },
        },
      ],
    },
    {
      name: "arpwatch's flip flop: A, B, A within the window",
      facts: [announce(0, A, IP, { frame: 1 }), announce(10, B, IP, { frame: 2 }), request(20, A, IP, '10.0.100.1', { frame: 3 }), request(30, B, IP, '10.0.100.1', { frame: 4 })],
      errors: [{ messageId: 'duplicate', severity: 'warning', frames: [1, 2, 3, 4], count: 2, data: { conflicts: 2 } }],
    },
    {
      name: 'EVPN: one host IP advertised with two MACs, no default-gateway community',
      facts: [evpn({ t: 0, frame: 5, mac: A, ip: IP, nextHop: '192.0.2.1' }), evpn({ t: 1, frame: 6, mac: B, ip: IP, nextHop: '192.0.2.2' })],
      errors: [{ messageId: 'evpn-duplicate', severity: 'warning', frames: [5, 6], domainLabel: 'evi vni 10100' }],
    },
    {
      name: 'EVPN: an IPv6 host address advertised with two MACs; each route is cited once however often it conflicts',
      facts: [
        evpn({ t: 0, frame: 5, mac: A, ip: '2001:db8::50', nextHop: '192.0.2.1' }),
        evpn({ t: 1, frame: 6, mac: B, ip: '2001:db8::50', nextHop: '192.0.2.2' }),
        evpn({ t: 2, frame: 7, mac: B, ip: '2001:db8::50', nextHop: '192.0.2.3' }),
      ],
      errors: [
        {
          messageId: 'evpn-duplicate',
          subject: { ip: '2001:db8::50', macs: [A, B] },
          frames: [5, 6, 7],
          count: 2,
          filter: `bgp.evpn.nlri.ipv6.addr == 2001:db8::50 && (bgp.evpn.nlri.mac_addr == ${A} || bgp.evpn.nlri.mac_addr == ${B})`,
        },
      ],
    },
    {
      name: 'EVPN: a conflict whose row later traffic pushes out of the table is reported then, every conflicting advertisement counted',
      facts: [
        evpn({ t: 0, frame: 5, mac: A, ip: IP, nextHop: '192.0.2.1' }),
        evpn({ t: 1, frame: 6, mac: B, ip: IP, nextHop: '192.0.2.2' }),
        evpn({ t: 2, frame: 7, mac: B, ip: IP, nextHop: '192.0.2.2' }),
        ...laterRoutes(3, 20),
      ],
      settings: { maxEvpnRoutes: 4 },
      errors: [{ messageId: 'evpn-duplicate', subject: { ip: IP, macs: [A, B] }, frames: [5, 6, 7], count: 2, domainLabel: 'evi vni 10100' }],
    },
    {
      name: 'EVPN: a conflict reported when the instance table starts over keeps its instance',
      facts: [
        evpn({ t: 0, frame: 5, mac: A, ip: IP, nextHop: '192.0.2.1', vni: 10100 }),
        evpn({ t: 1, frame: 6, mac: B, ip: IP, nextHop: '192.0.2.2', vni: 10100 }),
        ...[1, 2, 3, 4, 5, 6].map((k) => evpn({ t: 1 + k, mac: A, ip: '10.7.0.1', vni: 10100 + k })),
      ],
      settings: { maxEvpnRoutes: 4 },
      errors: [{ messageId: 'evpn-duplicate', subject: { ip: IP, macs: [A, B] }, frames: [5, 6], count: 1, domainLabel: 'evi vni 10100', data: { instance: 'vni:10100/0' } }],
    },
    {
      name: 'EVPN: an IPv6 conflict reported when the table of IPv6 keys starts over keeps its address',
      facts: [
        evpn({ t: 0, frame: 5, mac: A, ip: '2001:db8::50', nextHop: '192.0.2.1' }),
        evpn({ t: 1, frame: 6, mac: B, ip: '2001:db8::50', nextHop: '192.0.2.2' }),
        ...Array.from({ length: 6 }, (_, i) => evpn({ t: 2 + i, mac: A, ip: `2001:db8::${i + 1}`, nextHop: '192.0.2.1' })),
      ],
      settings: { maxEvpnRoutes: 4 },
      errors: [{ messageId: 'evpn-duplicate', subject: { ip: '2001:db8::50', macs: [A, B] }, frames: [5, 6], count: 1, filter: /ipv6\.addr == 2001:db8::50 / }],
    },
    {
      name: 'EVPN: two MACs taking turns 30 times are one finding that counts 29 conflicting advertisements',
      facts: takingTurns(30),
      errors: [
        {
          messageId: 'evpn-duplicate',
          subject: { ip: IP, macs: [A, B] },
          // The first and the last ten routes cited (the engine's 10 + 10).
          frames: [100, 101, 109, 120, 129],
          count: 29,
          // The words describe the live routes of the latest conflict: A from .1, then B from .2 last.
          data: { routes: `${A} from 192.0.2.1, ${B} from 192.0.2.2`, macCount: 2 },
        },
      ],
    },
  ],
});

describe('ip-conflict: EVPN evidence of a long conflict', () => {
  it('cites the first and the last ten routes, nothing from the middle, and spans the whole conflict', () => {
    const { findings } = run([duplicateGatewayMac], takingTurns(30));
    const [finding] = findings.filter((f) => f.rule === 'ip-conflict');
    expect(finding.evidence.frames).toEqual([...Array.from({ length: 10 }, (_, i) => 100 + i), ...Array.from({ length: 10 }, (_, i) => 120 + i)]);
    expect(finding.evidence.items.map((e) => e.role).slice(0, 2)).toEqual([
      `advertisement: ${IP} is-at ${A} from 192.0.2.1`,
      `advertisement: ${IP} is-at ${B} from 192.0.2.2`,
    ]);
    expect(finding.evidence.firstTime).toBe('2023-11-14T22:13:20.000000000Z');
    expect(finding.evidence.lastTime).toBe('2023-11-14T22:13:49.000000000Z');
  });
});
