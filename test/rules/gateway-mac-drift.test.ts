import { describe, expect, it } from 'vitest';
import type { Intent } from '../../src/config/types.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { gatewayMacDrift } from '../../src/rules/gateway-mac-drift.js';
import { messageOf } from '../../src/rules/engine.js';
import { LEARNED_INTENT } from '../../src/rules/shared.js';
import { evpn, fhrp, ipNum, na, ns, probe, reply, request, ruleTester, run, announce, arp } from './helpers.js';

const GW = '10.0.100.1';
const VMAC = '00:00:0c:07:ac:01';
const R1 = '00:1c:73:00:00:01';
const ROGUE = '00:66:66:00:00:66';
const HOST = '00:11:22:00:00:10';
const GW6 = '2001:db8:100::1';

/** Gateway 10.0.100.1 in VLAN 100 (test domain 1) with the HSRP group 1 virtual MAC and router 1's own MAC. */
const INTENT: Intent = { gateways: [{ ip: GW, macs: [VMAC, R1], vlan: 100 }] };
const INTENT6: Intent = { gateways: [{ ip: '2001:DB8:100:0::1', macs: [VMAC] }] };
/** An EVPN distributed anycast gateway: one MAC on every leaf, in VNI 10100. */
const ANYCAST = '00:00:5e:00:01:01';
const INTENT_VNI: Intent = { gateways: [{ ip: GW, macs: [ANYCAST], vni: 10100 }] };

ruleTester('gateway-mac-drift', [gatewayMacDrift], {
  valid: [
    { name: 'no intent: a single foreign claimant is no finding of this rule', facts: [reply(0, ROGUE, GW, HOST, '10.0.100.10')] },
    { name: 'the declared virtual MAC answers', facts: [reply(0, VMAC, GW, HOST, '10.0.100.10')], intent: INTENT },
    {
      name: 'a router’s own declared MAC sends a gratuitous ARP for the gateway (FHRP virtual MAC and router MAC both declared)',
      facts: [announce(0, R1, GW), reply(1, VMAC, GW, HOST, '10.0.100.10')],
      intent: INTENT,
    },
    { name: 'another domain: the declaration is scoped to VLAN 100, the claim is in VLAN 200', facts: [reply(0, ROGUE, GW, HOST, '10.0.100.10', { domain: 2 })], intent: INTENT },
    { name: 'another IP in the same domain answered by any MAC', facts: [reply(0, ROGUE, '10.0.100.66', HOST, '10.0.100.10')], intent: INTENT },
    { name: 'a host asking for the gateway claims nothing about the gateway', facts: [request(0, ROGUE, '10.0.100.10', GW)], intent: INTENT },
    { name: 'an ARP probe for the gateway IP (sender 0.0.0.0) claims nothing', facts: [probe(0, ROGUE, GW)], intent: INTENT },
    { name: 'IPv6: the declared MAC advertises the gateway (config text in another form)', facts: [na({ t: 0, smac: VMAC, ip: '2001:db8:100::10', target: GW6, router: true })], intent: INTENT6 },
    { name: 'EVPN: every leaf advertises the gateway with the declared anycast MAC', facts: [evpn({ t: 0, mac: ANYCAST, ip: GW, nextHop: '192.0.2.1' }), evpn({ t: 1, mac: ANYCAST, ip: GW, nextHop: '192.0.2.2' })], intent: INTENT_VNI },
    { name: 'EVPN: a route in another VNI', facts: [evpn({ t: 0, mac: R1, ip: GW, vni: 10200 })], intent: INTENT_VNI },
    { name: 'EVPN: a declaration scoped by VLAN only cannot be placed on a route', facts: [evpn({ t: 0, mac: R1, ip: GW })], intent: INTENT },
    { name: 'IPv6: a DAD probe for the gateway address (NS from ::) claims nothing', facts: [ns({ t: 0, smac: ROGUE, ip: '::', target: GW6 })], intent: INTENT6 },
  ],
  invalid: [
    {
      name: 'one unsolicited reply from a MAC the declaration does not list: an error at once',
      facts: [reply(0, VMAC, GW, HOST, '10.0.100.10', { frame: 1 }), reply(1, ROGUE, GW, HOST, '10.0.100.10', { frame: 2 })],
      intent: INTENT,
      errors: [
        {
          messageId: 'drift',
          severity: 'error',
          confidence: 'confirmed',
          frames: [2],
          subject: { ip: GW, mac: ROGUE, family: 'ipv4', declaredMacs: [VMAC, R1] },
          data: { index: 0, allowed: `${VMAC}, ${R1}` },
          filter: `arp.src.proto_ipv4 == ${GW} && vlan.id == 100`,
        },
      ],
    },
    {
      name: 'the only MAC ever answering is the wrong one (drift: no second claimant needed), counted per frame',
      facts: [0, 1, 2].map((t) => reply(t, R1.replace('01', '99'), GW, HOST, '10.0.100.10', { frame: 10 + t })),
      intent: INTENT,
      errors: [{ messageId: 'drift', frames: [10, 11, 12], count: 3, data: { mac: '00:1c:73:00:00:99', count: 3 } }],
    },
    {
      name: 'an ARP request sent from the gateway IP by another MAC poisons existing caches too',
      facts: [request(0, ROGUE, GW, '10.0.100.10', { frame: 4 })],
      intent: INTENT,
      errors: [{ messageId: 'drift', frames: [4], data: { message: 'ARP request' } }],
    },
    {
      name: 'IPv6: an NA for the declared gateway from another MAC',
      facts: [na({ t: 0, frame: 7, smac: ROGUE, ip: 'ff02::1', target: GW6, router: true })],
      intent: INTENT6,
      errors: [
        {
          messageId: 'drift',
          subject: { ip: GW6, mac: ROGUE, family: 'ipv6' },
          frames: [7],
          filter: `((icmpv6.type == 136 && icmpv6.nd.na.target_address == ${GW6}) || (icmpv6.type == 135 && ipv6.src == ${GW6})) && vlan.id == 100`,
        },
      ],
    },
    {
      name: 'EVPN: a leaf advertises the declared gateway IP with its own MAC (anycast-gateway MAC missing)',
      facts: [evpn({ t: 0, frame: 3, mac: ANYCAST, ip: GW, nextHop: '192.0.2.1' }), evpn({ t: 1, frame: 5, mac: R1, ip: GW, nextHop: '192.0.2.2' })],
      intent: INTENT_VNI,
      errors: [
        {
          messageId: 'evpn-drift',
          severity: 'error',
          frames: [5],
          domainLabel: 'evi vni 10100',
          subject: { ip: GW, mac: R1, pe: '192.0.2.2' },
          filter: `bgp.evpn.nlri.ip.addr == ${GW} && bgp.evpn.nlri.mac_addr == ${R1}`,
        },
      ],
    },
    {
      name: 'an unscoped declaration holds in every domain',
      facts: [arp({ t: 0, frame: 3, op: 2, smac: ROGUE, sip: GW, tip: '10.0.100.10', tmac: HOST, domain: 2 })],
      intent: { gateways: [{ ip: GW, macs: [VMAC] }] },
      errors: [{ messageId: 'drift', frames: [3], domainLabel: 'vlan 200' }],
    },
  ],
});

describe('intent.gateways seeds the shared gateway knowledge', () => {
  it('a declared IP and its MACs are router ones (LEARNED_INTENT) before any packet; others and other domains are not', () => {
    const { engine } = run([], [], {}, undefined, INTENT);
    const g = engine.shared.gateways;
    expect(g.routerIp(1, ipNum(GW)) & LEARNED_INTENT).toBe(LEARNED_INTENT);
    expect(g.routerMac(1, Number.parseInt(VMAC.replace(/:/g, ''), 16)) & LEARNED_INTENT).toBe(LEARNED_INTENT);
    expect(g.routerIp(2, ipNum(GW))).toBe(0);
    expect(g.routerIp(1, ipNum('10.0.100.2'))).toBe(0);
    expect(run([], []).engine.shared.gateways.routerIp(1, ipNum(GW))).toBe(0);
  });

  it('with every rule: the foreign claim is one error, and the duplicate-gateway-mac / arp-spoofing reports of the same IP fold into it', () => {
    const facts = [
      fhrp({ t: 0, frame: 1, srcMac: R1, srcIp: '10.0.100.2', vip: GW, vmac: VMAC }),
      ...[1, 2, 3].flatMap((t) => [
        request(t, HOST, '10.0.100.10', GW, { frame: 10 * t }),
        reply(t + 0.001, VMAC, GW, HOST, '10.0.100.10', { frame: 10 * t + 1 }),
        reply(t + 0.5, ROGUE, GW, HOST, '10.0.100.10', { frame: 10 * t + 2 }),
      ]),
    ];
    const { findings } = run(ALL_RULES, facts, {}, undefined, INTENT);
    const aboutGateway = findings.filter((f) => f.subject.ip === GW);
    expect(aboutGateway.map((f) => f.rule)).toEqual(['gateway-mac-drift']);
    expect(aboutGateway[0].evidence.frames).toEqual(expect.arrayContaining([12, 22, 32]));
    // Without the intent the same capture is what gwcheck said before: the other rules report it.
    const without = run(ALL_RULES, facts).findings.filter((f) => f.subject.ip === GW).map((f) => f.rule);
    expect(without).not.toContain('gateway-mac-drift');
    expect(without.length).toBeGreaterThan(0);
    expect(messageOf(aboutGateway[0])?.folded.length).toBeGreaterThan(0);
  });
});
