import { SharedState } from '../../src/rules/shared.js';
import { describe, expect, it } from 'vitest';
import { duplicateGatewayMac } from '../../src/rules/duplicate-gateway-mac.js';
import { defaultSettings, MAX_FINDINGS_PER_RULE, messageOf } from '../../src/rules/engine.js';
import type { ReportDescriptor } from '../../src/rules/types.js';
import type { EvpnRouteFact } from '../../src/facts/types.js';
import { announce, evpn, fhrp, reply, request, ruleTester, run, T0, TEST_ADDRESSES, TestDomains } from './helpers.js';

const R1 = '00:11:22:00:00:a1';
const R2 = '00:11:22:00:00:a2';
const H1 = '00:11:22:00:00:10';
const H2 = '00:11:22:00:00:11';
const H3 = '00:11:22:00:00:12';
const VMAC = '00:00:0c:07:ac:01';
const GW = '10.0.100.1';

/** Three hosts ARP for GW: it is a gateway by the requester count. */
const askers = [
  request(10, H1, '10.0.100.10', GW),
  request(11, H2, '10.0.100.11', GW),
  request(12, H3, '10.0.100.12', GW),
];

ruleTester('duplicate-gateway-mac', [duplicateGatewayMac], {
  valid: [
    {
      name: 'a clean move: the new MAC announces itself and the old one is never seen again',
      facts: [
        ...askers,
        reply(10.01, R1, GW, H1, '10.0.100.10'),
        announce(20, R2, GW),
        reply(21.01, R2, GW, H2, '10.0.100.11'),
        reply(22.01, R2, GW, H3, '10.0.100.12'),
      ],
    },
    {
      name: 'one MAC answering again and again',
      facts: [...askers, ...askers.map((a, i) => reply(10.01 + i, R1, GW, H1, '10.0.100.10'))],
    },
    {
      name: 'an HSRP virtual IP always answered by its virtual MAC, across a failover',
      facts: [
        fhrp({ t: 0, srcMac: R1, srcIp: '10.0.100.2' }),
        announce(0.1, VMAC, GW),
        fhrp({ t: 5, srcMac: R2, srcIp: '10.0.100.3' }),
        announce(5.1, VMAC, GW),
        reply(6, VMAC, GW, H1, '10.0.100.10'),
      ],
    },
    {
      name: 'a GLBP virtual IP answered with each forwarder\'s virtual MAC in turn (the design, not a duplicate)',
      facts: [
        fhrp({ t: 0, srcMac: R1, srcIp: '10.0.100.2', protocol: 'glbp', group: 10, vip: GW }),
        ...askers,
        reply(10.01, '00:07:b4:00:0a:01', GW, H1, '10.0.100.10'),
        reply(11.01, '00:07:b4:00:0a:02', GW, H2, '10.0.100.11'),
        reply(12.01, '00:07:b4:00:0a:01', GW, H3, '10.0.100.12'),
        reply(13.01, '00:07:b4:00:0a:02', GW, H1, '10.0.100.10'),
      ],
    },
    {
      name: 'the same gateway IP in two VLANs with different MACs (different domains)',
      facts: [
        ...askers,
        reply(10.01, R1, GW, H1, '10.0.100.10', { domain: 1 }),
        reply(10.02, R2, GW, H1, '10.0.100.10', { domain: 2 }),
        reply(11.01, R1, GW, H2, '10.0.100.11', { domain: 1 }),
        reply(11.02, R2, GW, H2, '10.0.100.11', { domain: 2 }),
      ],
    },
    {
      name: 'a non-gateway IP with two MACs is ip-conflict, not this',
      facts: [request(0, H1, '10.0.100.10', '10.0.100.50'), reply(0.01, R1, '10.0.100.50', H1, '10.0.100.10'), reply(0.02, R2, '10.0.100.50', H1, '10.0.100.10')],
    },
    {
      name: 'EVPN anycast gateway: every PE advertises the same gateway MAC',
      facts: [
        evpn({ t: 0, mac: VMAC, ip: GW, nextHop: '192.0.2.1', defaultGateway: true }),
        evpn({ t: 0.1, mac: VMAC, ip: GW, nextHop: '192.0.2.2', defaultGateway: true }),
      ],
    },
    {
      name: 'EVPN: the old MAC/IP route is withdrawn before the new MAC is advertised',
      facts: [
        evpn({ t: 0, mac: R1, ip: GW, nextHop: '192.0.2.1', defaultGateway: true }),
        evpn({ t: 1, mac: R1, ip: GW, rd: '192.0.2.1:100', action: 'withdraw' }),
        evpn({ t: 2, mac: R2, ip: GW, nextHop: '192.0.2.2', defaultGateway: true }),
      ],
    },
  ],
  invalid: [
    {
      name: 'EVPN: an IPv6 gateway whose routes carry the RFC 9047 ARP/ND community with the router flag, with two MACs',
      facts: [
        evpn({ t: 0, frame: 1, mac: R1, ip: '2001:db8:100::1', nextHop: '192.0.2.1', arpNdRouter: true }),
        evpn({ t: 1, frame: 2, mac: R2, ip: '2001:db8:100::1', nextHop: '192.0.2.2', arpNdRouter: true }),
      ],
      errors: [{ messageId: 'evpn-duplicate', severity: 'error', frames: [1, 2] }],
    },
    {
      name: 'two routers answer one request for an IP that many hosts use as gateway',
      facts: [
        request(10, H1, '10.0.100.10', GW, { frame: 1 }),
        reply(10.001, R1, GW, H1, '10.0.100.10', { frame: 2 }),
        reply(10.002, R2, GW, H1, '10.0.100.10', { frame: 3 }),
        request(11, H2, '10.0.100.11', GW),
        request(12, H3, '10.0.100.12', GW),
      ],
      errors: [
        {
          messageId: 'duplicate',
          severity: 'error',
          confidence: 'confirmed',
          subject: { ip: GW, macs: [R1, R2] },
          frames: [2, 3],
          data: { twoAnswers: 1, gatewayReason: 'ARPed for by 3 hosts' },
          filter: `arp.src.proto_ipv4 == ${GW} && (arp.src.hw_mac == ${R1} || arp.src.hw_mac == ${R2}) && vlan.id == 100`,
        },
      ],
    },
    {
      name: 'an HSRP virtual IP claimed by its virtual MAC and by another MAC, taking turns',
      facts: [
        fhrp({ t: 0, srcMac: R1, srcIp: '10.0.100.2' }),
        announce(1, VMAC, GW, { frame: 10 }),
        announce(2, H3, GW, { frame: 11 }),
        announce(3, VMAC, GW, { frame: 12 }),
      ],
      errors: [
        {
          messageId: 'duplicate',
          severity: 'error',
          frames: [10, 11, 12],
          data: { conflicts: 1, gatewayReason: 'hsrp group 1 virtual IP' },
        },
      ],
    },
    {
      name: 'an HSRP virtual IP answered by a MAC that is not the virtual MAC (use-bia or a rogue)',
      facts: [fhrp({ t: 0, srcMac: R1, srcIp: '10.0.100.2' }), request(1, H1, '10.0.100.10', GW), reply(1.01, R1, GW, H1, '10.0.100.10', { frame: 7 })],
      errors: [
        {
          messageId: 'fhrp-vip-wrong-mac',
          severity: 'warning',
          confidence: 'inferred',
          frames: [7],
          data: { ip: GW, mac: R1, virtualMac: VMAC, protocol: 'HSRP', group: 1 },
        },
      ],
    },
    {
      name: 'a GLBP virtual IP answered by a forwarder MAC and by a router\'s own MAC: still a duplicate',
      facts: [
        fhrp({ t: 0, srcMac: R1, srcIp: '10.0.100.2', protocol: 'glbp', group: 10, vip: GW }),
        request(1, H1, '10.0.100.10', GW),
        reply(1.001, '00:07:b4:00:0a:01', GW, H1, '10.0.100.10', { frame: 2 }),
        reply(1.002, R2, GW, H1, '10.0.100.10', { frame: 3 }),
      ],
      errors: [
        { messageId: 'duplicate', frames: [2, 3], data: { gatewayReason: 'glbp group 10 virtual IP' } },
        { messageId: 'fhrp-vip-wrong-mac', frames: [3], data: { protocol: 'GLBP', group: 10, mac: R2 } },
      ],
    },
    {
      name: 'answered with an FHRP virtual MAC and another MAC, no hello seen',
      facts: [
        request(1, H1, '10.0.100.10', GW),
        reply(1.001, VMAC, GW, H1, '10.0.100.10', { frame: 2 }),
        reply(1.002, R2, GW, H1, '10.0.100.10', { frame: 3 }),
      ],
      errors: [{ messageId: 'duplicate', frames: [2, 3], data: { gatewayReason: 'answered with an FHRP virtual MAC' } }],
    },
    {
      name: 'EVPN distributed anycast gateway with an inconsistent MAC (RFC 9135)',
      facts: [
        evpn({ t: 0, frame: 20, mac: VMAC, ip: GW, nextHop: '192.0.2.1', defaultGateway: true }),
        evpn({ t: 0.1, frame: 21, mac: R2, ip: GW, nextHop: '192.0.2.2', defaultGateway: true }),
      ],
      errors: [
        {
          messageId: 'evpn-duplicate',
          severity: 'error',
          frames: [20, 21],
          domainLabel: 'evi vni 10100',
          subject: { ip: GW, macs: [VMAC, R2] },
          filter: `bgp.evpn.nlri.ip.addr == ${GW} && (bgp.evpn.nlri.mac_addr == ${VMAC} || bgp.evpn.nlri.mac_addr == ${R2})`,
        },
      ],
    },
    {
      name: 'EVPN: host routes conflict, then a route with the default-gateway community: one finding of each id',
      facts: [
        evpn({ t: 0, frame: 30, mac: R1, ip: GW, nextHop: '192.0.2.1' }),
        evpn({ t: 1, frame: 31, mac: R2, ip: GW, nextHop: '192.0.2.2' }),
        evpn({ t: 2, frame: 32, mac: VMAC, ip: GW, nextHop: '192.0.2.3', defaultGateway: true }),
        evpn({ t: 3, frame: 33, mac: VMAC, ip: GW, nextHop: '192.0.2.3', defaultGateway: true }),
      ],
      // The routes of frames 30 and 31 are cited by the ip-conflict finding (each route once per row).
      errors: [{ messageId: 'evpn-duplicate', severity: 'error', subject: { ip: GW, macs: [VMAC, R1, R2] }, frames: [32, 33], count: 2 }],
    },
  ],
});

/** `n` (instance, IP)s whose two PEs advertise different MACs, one after another (two facts each). */
function conflicts(n: number, from = 0): ReturnType<typeof evpn>[] {
  return Array.from({ length: 2 * n }, (_, k) => {
    const i = from + (k >> 1);
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    return evpn({ t: k * 0.001, mac: k & 1 ? R2 : R1, ip, nextHop: k & 1 ? '192.0.2.2' : '192.0.2.1' });
  });
}

describe('duplicate-gateway-mac: EVPN conflicts are reported from their row', () => {
  function direct(settings: Record<string, number> = {}) {
    const reports: ReportDescriptor[] = [];
    const all = { ...defaultSettings([duplicateGatewayMac]), ...settings };
    const shared = new SharedState(all, TEST_ADDRESSES);
    const rule = duplicateGatewayMac.create({
      settings: all,
      domains: new TestDomains(),
      addresses: TEST_ADDRESSES,
      shared,
      report: (d) => reports.push(d),
    });
    // As the engine does: the shared state reads each route first (its RD, PE and instance).
    const handlers = {
      ...rule,
      evpn: (f: EvpnRouteFact) => {
        shared.evpn(f);
        rule.evpn?.(f);
      },
    };
    return { handlers, reports };
  }

  it('one report per conflict at the end, not one per conflicting advertisement', () => {
    const { handlers, reports } = direct();
    for (let i = 0; i < 50; i++) {
      handlers.evpn?.(evpn({ t: i, frame: 200 + i, mac: i % 2 ? R2 : VMAC, ip: GW, nextHop: i % 2 ? '192.0.2.2' : '192.0.2.1', defaultGateway: true }));
    }
    expect(reports).toEqual([]);
    expect(handlers.sizes?.().evpnConflicts).toBe(1);
    handlers.end?.(T0 + 50);
    expect(reports.length).toBe(1);
    const [report] = reports;
    expect(report.rule).toBe('duplicate-gateway-mac');
    expect(report.count).toBe(49);
    // The first ten and the last ten routes cited, not fifty.
    expect(report.evidence.map((e) => e.ref.frame)).toEqual([...Array.from({ length: 10 }, (_, i) => 200 + i), ...Array.from({ length: 10 }, (_, i) => 240 + i)]);
    expect(report.evidence[1]).toEqual({
      ref: { input: 0, frame: 201, seconds: T0 + 1, nanos: 0, time: T0 + 1 },
      role: `advertisement: ${GW} is-at ${R2} from 192.0.2.2`,
    });
    expect(handlers.sizes?.().evpnConflicts).toBe(0);
  });

  it('a row that leaves the table reports at once and its state goes with it', () => {
    const { handlers, reports } = direct({ maxEvpnRoutes: 8 });
    for (const f of conflicts(1)) handlers.evpn?.(f);
    for (let i = 0; i < 20; i++) handlers.evpn?.(evpn({ t: 1 + i, mac: R1, ip: `10.9.0.${i}` }));
    expect(reports.map((r) => [r.rule, r.identifier, r.count])).toEqual([['ip-conflict', 'evpn:vni:10100/0|10.0.0.0', 1]]);
    expect(handlers.sizes?.().evpnConflicts).toBe(0);
    handlers.end?.(T0 + 30);
    expect(reports.length).toBe(1);
  });

  it('past the cap of findings per id, only the first (instance, IP)s to conflict keep state and are reported', () => {
    const extra = 5;
    const { findings, engine } = run([duplicateGatewayMac], conflicts(MAX_FINDINGS_PER_RULE + extra), {}, T0 + 100);
    expect(findings.length).toBe(MAX_FINDINGS_PER_RULE);
    const reported = new Set(findings.map((f) => messageOf(f)?.identifier));
    expect(reported.has('evpn:vni:10100/0|10.0.0.0')).toBe(true);
    // The last ones conflicted after the cap was taken: not kept, not reported.
    const last = MAX_FINDINGS_PER_RULE + extra - 1;
    expect(reported.has(`evpn:vni:10100/0|10.0.${(last >> 8) & 255}.${last & 255}`)).toBe(false);
    expect(engine.stats().rules['duplicate-gateway-mac'].evpnConflicts).toBe(0);
  });

  it('conflict state stays within the cap of findings while the conflicts are pending', () => {
    const { handlers } = direct();
    for (const f of conflicts(MAX_FINDINGS_PER_RULE + 100)) handlers.evpn?.(f);
    expect(handlers.sizes?.().evpnConflicts).toBe(MAX_FINDINGS_PER_RULE);
  });
});

