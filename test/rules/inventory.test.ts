// The inventory: what the capture showed of gateways, FHRP groups, EVPN PEs and hosts, per domain. Cases are facts;
// each "is listed" case has a "is not" twin, since a map that lists guesses is worse than none.
import { describe, expect, it } from 'vitest';
import type { Intent } from '../../src/config/types.js';
import type { Fact } from '../../src/facts/types.js';
import { INVENTORY_GATEWAYS, type InventoryReport } from '../../src/rules/inventory.js';
import { compactLines, fullInventory } from '../../src/report/inventory.js';
import { TestDomains, announce, evpn, fhrp, na, ns, ra, reply, request, run } from './helpers.js';

const VMAC = '00:00:0c:07:ac:01';
const R1 = '00:1c:73:00:00:01';
const R2 = '00:1c:73:00:00:02';
const HOST = '00:11:22:00:00:10';
const HOST2 = '00:11:22:00:00:20';

function inventoryOf(facts: Fact[], settings: Record<string, number> = {}, intent?: Intent): InventoryReport {
  return run([], facts, settings, undefined, intent).engine.inventory.report(new TestDomains());
}

const hsrp = (t: number, srcMac: string, srcIp: string, state: 'active' | 'standby', priority: number, frame?: number) =>
  fhrp({ t, frame, srcMac, srcIp, state, priority, vip: '10.0.100.1', vmac: VMAC });

describe('inventory: gateways', () => {
  it('an FHRP virtual IP is a gateway; its virtual MAC learned from the hello and from the ARP reply, first frame cited', () => {
    const inv = inventoryOf([hsrp(0, VMAC, '10.0.100.2', 'active', 110, 1), reply(1, VMAC, '10.0.100.1', HOST, '10.0.100.10', { frame: 2 })]);
    expect(inv.domains[0].domain).toBe('vlan 100');
    expect(inv.domains[0].gateways).toEqual([
      {
        ip: '10.0.100.1',
        family: 'ipv4',
        basis: ['fhrp-virtual-ip'],
        macs: [{ mac: VMAC, learned: ['arp-reply', 'fhrp-hello'], input: 0, frame: 1 }],
        macsMore: 0,
        fhrp: 'hsrp group 1',
      },
    ]);
  });

  it('not a gateway: an IPv4 address answered for and asked for by many hosts, without FHRP, RA, router NA, EVPN or intent', () => {
    const facts = [HOST, HOST2, '00:11:22:00:00:30'].flatMap((m, i) => [
      request(i, m, `10.0.100.${10 + i}`, '10.0.100.1'),
      reply(i + 0.01, R1, '10.0.100.1', m, `10.0.100.${10 + i}`),
    ]);
    const inv = inventoryOf(facts);
    expect(inv.domains[0].gateways).toEqual([]);
    expect(compactLines(inv).lines[0]).toContain('no gateway evidence');
  });

  it('a repeated reply from the first MAC adds nothing; the same MAC another way, or another MAC, still counts', () => {
    // Replies repeat (most of the ARP and ND facts are the same hosts answering again): a repeat must change
    // nothing, while a new way of learning, a router flag or a second MAC must be kept.
    const gw = '2001:db8:100::1';
    const inv = inventoryOf([
      na({ t: 0, frame: 1, smac: R1, ip: '2001:db8:100::10', target: gw }),
      na({ t: 1, frame: 2, smac: R1, ip: '2001:db8:100::10', target: gw }),
      na({ t: 2, frame: 3, smac: R1, ip: '2001:db8:100::10', target: gw, router: true }),
      na({ t: 3, frame: 4, smac: R1, ip: '2001:db8:100::10', target: gw, router: true }),
      na({ t: 4, frame: 5, smac: R2, ip: '2001:db8:100::10', target: gw, router: true }),
      na({ t: 5, frame: 6, smac: R2, ip: '2001:db8:100::10', target: gw, router: true }),
      na({ t: 6, frame: 7, smac: R1, ip: 'ff02::1', target: gw }),
    ]);
    expect(inv.domains[0].gateways.map((g) => [g.ip, g.basis, g.macs.map((m) => [m.mac, m.learned, m.frame])])).toEqual([
      [
        gw,
        ['na-router-flag'],
        [
          [R1, ['na', 'na-router'], 1],
          [R2, ['na-router'], 5],
        ],
      ],
    ]);
    expect(inv.domains[0].hosts).toMatchObject({ macs: 2, ips: 1 });
  });

  it('gratuitous ARP for a virtual IP is learned as such (a failover announcement)', () => {
    const inv = inventoryOf([hsrp(0, R2, '10.0.100.3', 'active', 100), announce(1, VMAC, '10.0.100.1')]);
    expect(inv.domains[0].gateways[0].macs[0].learned).toEqual(['gratuitous-arp', 'fhrp-hello']);
  });

  it('IPv6: an NA with the R flag makes its target a gateway (na-router); an RA source too (ra)', () => {
    const inv = inventoryOf([
      na({ t: 0, frame: 1, smac: R1, ip: '2001:db8:100::10', target: '2001:db8:100::1', router: true }),
      ra({ t: 1, frame: 2, smac: R2, ip: 'fe80::2' }),
    ]);
    expect(inv.domains[0].gateways.map((g) => [g.ip, g.basis, g.macs.map((m) => [m.mac, m.learned])])).toEqual([
      ['2001:db8:100::1', ['na-router-flag'], [[R1, ['na-router']]]],
      ['fe80::2', ['ra-source'], [[R2, ['ra']]]],
    ]);
  });

  it('IPv6, not a gateway: an NA without the R flag, and an NS from a host', () => {
    const inv = inventoryOf([
      na({ t: 0, smac: HOST, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
      ns({ t: 1, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
    ]);
    expect(inv.domains[0].gateways).toEqual([]);
    expect(inv.domains[0].hosts).toEqual({ macs: 2, ips: 2, approximate: false });
  });

  it('intent: declared MACs are marked, an undeclared one is marked false, and a silent declared gateway in its VLAN is listed', () => {
    const intent: Intent = { gateways: [{ ip: '10.0.100.1', macs: [VMAC], vlan: 100 }, { ip: '10.0.100.254', macs: [R2], vlan: 100 }] };
    const inv = inventoryOf([reply(0, VMAC, '10.0.100.1', HOST, '10.0.100.10'), reply(1, R1, '10.0.100.1', HOST, '10.0.100.10')], {}, intent);
    const [gw, silent] = inv.domains[0].gateways;
    expect(gw.basis).toEqual(['intent']);
    expect(gw.declaredMacs).toEqual([VMAC]);
    expect(gw.macs.map((m) => [m.mac, m.learned, m.declared])).toEqual([
      [VMAC, ['arp-reply', 'intent'], true],
      [R1, ['arp-reply'], false],
    ]);
    expect(silent).toEqual({ ip: '10.0.100.254', family: 'ipv4', basis: ['intent'], macs: [], macsMore: 0, declaredMacs: [R2] });
    expect(fullInventory(inv, ['a.pcapng']).join('\n')).toMatch(/00:1c:73:00:00:01 {2}arp-reply {2}\(first frame \d+\) {2}NOT DECLARED/);
  });

  it('intent in another VLAN declares nothing here', () => {
    const inv = inventoryOf([reply(0, R1, '10.0.100.1', HOST, '10.0.100.10')], {}, { gateways: [{ ip: '10.0.100.1', macs: [VMAC], vlan: 200 }] });
    expect(inv.domains.map((d) => [d.domain, d.gateways.length])).toEqual([['vlan 100', 0]]);
  });

  it('capped: gateways past the cap are counted, not listed', () => {
    const n = INVENTORY_GATEWAYS + 3;
    const inv = inventoryOf(Array.from({ length: n }, (_, i) => ra({ t: i, smac: `00:1c:73:00:01:${(i + 16).toString(16)}`, ip: `fe80::${i + 1}` })));
    expect(inv.domains[0].gateways).toHaveLength(INVENTORY_GATEWAYS);
    expect(inv.domains[0].gatewaysMore).toBe(3);
  });
});

describe('inventory: FHRP groups', () => {
  it('each router with its state, priority and timers; two Active at once is counted', () => {
    const inv = inventoryOf([
      hsrp(0, VMAC, '10.0.100.2', 'active', 110, 1),
      hsrp(1, R2, '10.0.100.3', 'standby', 100, 2),
      hsrp(3, VMAC, '10.0.100.2', 'active', 110, 3),
    ]);
    const [g] = inv.domains[0].fhrpGroups;
    expect(g).toMatchObject({ protocol: 'hsrp', version: 1, group: 1, virtualIps: ['10.0.100.1'], virtualMac: VMAC, activeAtOnce: 1, routersMore: 0 });
    expect(g.routers).toEqual([
      { ip: '10.0.100.2', mac: VMAC, helloMacs: [VMAC], state: 'active', priority: 110, helloMs: 3000, holdMs: 10000, hellos: 2, input: 0, firstFrame: 1, lastFrame: 3 },
      { ip: '10.0.100.3', mac: R2, helloMacs: [R2], state: 'standby', priority: 100, helloMs: 3000, holdMs: 10000, hellos: 1, input: 0, firstFrame: 2, lastFrame: 2 },
    ]);
    const both = inventoryOf([hsrp(0, VMAC, '10.0.100.2', 'active', 110), hsrp(1, VMAC, '10.0.100.3', 'active', 110)]);
    expect(both.domains[0].fhrpGroups[0].activeAtOnce).toBe(2);
  });

  it('not two at once: an Active router whose last hello is older than the hold time, then another Active', () => {
    const inv = inventoryOf([hsrp(0, VMAC, '10.0.100.2', 'active', 110), hsrp(20, VMAC, '10.0.100.3', 'active', 110)]);
    expect(inv.domains[0].fhrpGroups[0].activeAtOnce).toBe(1);
  });

  it('GLBP: every forwarder MAC of the one virtual IP', () => {
    const inv = inventoryOf([fhrp({ t: 0, protocol: 'glbp', group: 10, vip: '10.0.100.1', srcMac: R1, srcIp: '10.0.100.2' })]);
    expect(inv.domains[0].fhrpGroups[0].forwarderMacs).toEqual(['00:07:b4:00:0a:01', '00:07:b4:00:0a:02']);
    expect(inv.domains[0].gateways[0].macs.map((m) => m.mac)).toEqual(['00:07:b4:00:0a:01', '00:07:b4:00:0a:02']);
  });
});

describe('inventory: EVPN PEs', () => {
  it('per instance and PE: advertisements, withdrawals (placed by their RD), distinct MACs, highest MAC Mobility sequence', () => {
    const inv = inventoryOf([
      evpn({ t: 0, mac: '02:00:00:aa:00:01', nextHop: '192.0.2.1', seq: 0 }),
      evpn({ t: 1, mac: '02:00:00:aa:00:02', nextHop: '192.0.2.1', seq: 4 }),
      evpn({ t: 2, mac: '02:00:00:aa:00:01', nextHop: '192.0.2.2', seq: 1 }),
      evpn({ t: 3, action: 'withdraw', mac: '02:00:00:aa:00:01', rd: '192.0.2.1:100', routeTargets: [], encapsulation: null }),
    ]);
    expect(inv.evpn).toHaveLength(1);
    expect(inv.evpn[0]).toMatchObject({ instance: 'evi vni 10100', vni: 10100, routeTargets: ['65000:100'] });
    expect(inv.evpn[0].pes).toEqual([
      { pe: '192.0.2.1', advertisements: 2, withdrawals: 1, macs: 2, highestSequence: 4 },
      { pe: '192.0.2.2', advertisements: 1, withdrawals: 0, macs: 1, highestSequence: 1 },
    ]);
  });

  it('a type-3 route with the same RD (no VNI label: another instance) does not pull the MAC/IP withdrawal away from its instance', () => {
    const imet = { ...evpn({ t: 1, mac: '00:00:00:00:00:00', nextHop: '192.0.2.1', encapsulation: null }), routeType: 3, mac: null, labels: [] };
    const inv = inventoryOf([
      evpn({ t: 0, mac: '02:00:00:aa:00:01', nextHop: '192.0.2.1' }),
      imet,
      evpn({ t: 2, action: 'withdraw', mac: '02:00:00:aa:00:01', rd: '192.0.2.1:100', routeTargets: [], encapsulation: null }),
    ]);
    expect(inv.evpn.map((e) => [e.instance, e.pes.map((p) => [p.advertisements, p.withdrawals])])).toEqual([
      ['evi rt 65000:100 etag 0', [[1, 0]]],
      ['evi vni 10100', [[1, 1]]],
    ]);
  });

  it('a default-gateway route (RFC 7432 §10.1) and an ARP/ND community with R (RFC 9047) are gateway routes; a plain route is not', () => {
    const inv = inventoryOf([
      evpn({ t: 0, frame: 5, mac: '00:00:5e:00:01:01', ip: '10.0.100.1', nextHop: '192.0.2.1', defaultGateway: true }),
      evpn({ t: 1, frame: 6, mac: '00:00:5e:00:01:01', ip: '10.0.100.1', nextHop: '192.0.2.2', arpNdRouter: true }),
      evpn({ t: 2, mac: '02:00:00:aa:00:01', ip: '10.0.100.10', nextHop: '192.0.2.2', arpNdRouter: false }),
    ]);
    expect(inv.evpn[0].gateways).toEqual([
      { ip: '10.0.100.1', mac: '00:00:5e:00:01:01', pe: '192.0.2.1', learned: ['evpn-default-gateway'], input: 0, frame: 5 },
      { ip: '10.0.100.1', mac: '00:00:5e:00:01:01', pe: '192.0.2.2', learned: ['evpn-arp-nd-router'], input: 0, frame: 6 },
    ]);
  });
});

describe('inventory: hosts and bounds', () => {
  it('hosts are distinct sender MACs and IPs, counted once however often they speak', () => {
    const inv = inventoryOf([0, 1, 2].flatMap((t) => [request(t, HOST, '10.0.100.10', '10.0.100.20'), reply(t + 0.01, HOST2, '10.0.100.20', HOST, '10.0.100.10')]));
    expect(inv.domains[0].hosts).toEqual({ macs: 2, ips: 2, approximate: false });
  });

  it('past --max-macs the counts say approximate, and every table stays under its cap', () => {
    const facts = Array.from({ length: 200 }, (_, i) => request(i / 10, `00:11:22:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, `10.0.${i >> 8}.${i & 255}`, '10.0.100.1'));
    const inv = inventoryOf(facts, { maxMacs: 50 });
    expect(inv.domains[0].hosts.approximate).toBe(true);
    expect(inv.domains[0].hosts.macs).toBe(200);
    expect(inventoryOf(facts).domains[0].hosts.approximate).toBe(false);
  });

  it('the compact lines are capped with a count; the full map says where each thing was seen', () => {
    const facts = Array.from({ length: 12 }, (_, d) => request(d, HOST, '10.0.100.10', '10.0.100.20', { domain: d % 5 }));
    const { lines, more } = compactLines(inventoryOf(facts));
    expect(lines.length + more).toBe(5);
    const inv = inventoryOf([hsrp(0, VMAC, '10.0.100.2', 'active', 110, 1)]);
    expect(fullInventory(inv, ['a.pcapng', 'b.pcapng']).join('\n')).toContain('a.pcapng frame 1');
    expect(fullInventory(inventoryOf([]), [])).toEqual(['(nothing: no ARP, ND, FHRP or EVPN was read)']);
  });
});

describe('inventory: bounded whatever the capture claims', () => {
  it('20k distinct ARP senders, 20k EVPN routes and 10k FHRP groups keep every table under its cap', () => {
    const CAP = 200;
    const facts: Fact[] = [];
    for (let i = 0; i < 20_000; i++) {
      const mac = `00:11:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:01`;
      facts.push(reply(i / 100, mac, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, HOST, '10.0.0.1', { domain: i % 5 }));
      facts.push(evpn({ t: i / 100, mac, nextHop: `192.0.2.${i % 200}`, rd: `192.0.2.${i % 200}:${i % 1000}`, seq: i % 3 }));
    }
    for (let i = 0; i < 10_000; i++) facts.push(fhrp({ t: 200 + i / 100, group: i % 4096, domain: i % 5, srcMac: R1, srcIp: `10.0.0.${i % 250}` }));
    const { engine } = run([], facts, { maxMacs: CAP, maxEvpnRoutes: CAP });
    const sizes = engine.inventory.sizes();
    for (const table of ['addresses', 'hostMacs', 'evpnMacs', 'rds']) expect(sizes[table], table).toBeLessThanOrEqual(CAP);
    expect(sizes.groups).toBeLessThanOrEqual(4096);
    const inv = engine.inventory.report(new TestDomains());
    expect(inv.domains.every((d) => d.hosts.approximate)).toBe(true);
    expect(inv.evpnApproximate).toBe(true);
    expect(inv.domains.every((d) => d.fhrpGroups.length <= 16 && d.fhrpGroupsMore > 0)).toBe(true);
    expect(inv.evpn.every((e) => e.pes.length <= 32)).toBe(true);
    expect(JSON.stringify(inv).length).toBeLessThan(1_000_000);
  });

  it('EVPN MAC counts are approximate only once the cap pushed a MAC out', () => {
    const routes = (n: number) =>
      Array.from({ length: n }, (_, i) => evpn({ t: i, mac: `02:00:00:aa:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, nextHop: '192.0.2.1' }));
    // A table of MACs: capped by maxMacs, whatever the EVPN route cap.
    const report = (n: number) => run([], routes(n), { maxMacs: 50, maxEvpnRoutes: 100_000 }).engine.inventory.report(new TestDomains());
    expect(report(50).evpnApproximate).toBe(false);
    expect(report(50).evpn[0].pes[0].macs).toBe(50);
    expect(report(51).evpnApproximate).toBe(true);
  });
});
