// rogue-ra: an RA from a MAC that is no router or FHRP member of a link whose routers are known (RFC 6104).
import { expect, it } from 'vitest';
import type { FhrpFact, RouterAdvertFact } from '../../src/facts/types.js';
import { routerAdvertInconsistent } from '../../src/rules/router-advert-inconsistent.js';
import { fhrp, ra, ruleTester, run, type FhrpSpec, type RaSpec } from './helpers.js';

const R1 = { smac: '00:11:22:00:01:01', ip: 'fe80::1' };
const R2 = { smac: '00:11:22:00:01:02', ip: 'fe80::2' };
/** A host with connection sharing on: 6to4 prefix, as RFC 6104 §3 describes. */
const HOST = { smac: '02:42:ac:11:00:05', ip: 'fe80::42:acff:fe11:5' };
const SIXTO4 = '2002:c000:201::/64';
/** VRRPv3 for IPv6, VRID 1: virtual MAC 00:00:5e:00:02:01, the master sends from it. */
const VRRP6: FhrpSpec = { t: 0, protocol: 'vrrp', version: 3, group: 1, vip: 'fe80::1:1', vmac: '00:00:5e:00:02:01', srcMac: '00:00:5e:00:02:01', srcIp: 'fe80::a1' };

function ras(router: { smac: string; ip: string }, from: number, to: number, every: number, spec: Partial<RaSpec> = {}): RouterAdvertFact[] {
  const out: RouterAdvertFact[] = [];
  for (let t = from; t <= to; t += every) out.push(ra({ t, ...router, ...spec }));
  return out;
}

function hellos(spec: FhrpSpec, from: number, to: number, every: number): FhrpFact[] {
  const out: FhrpFact[] = [];
  for (let t = from; t <= to; t += every) out.push(fhrp({ ...spec, t }));
  return out;
}

const rules = [routerAdvertInconsistent];

ruleTester('rogue-ra', rules, {
  valid: [
    { name: 'two routers advertising from the start', facts: [...ras(R1, 0, 60, 10), ...ras(R2, 3, 63, 10)] },
    { name: 'a single router, whatever it advertises', facts: ras(HOST, 0, 60, 10, { prefixes: [SIXTO4] }) },
    {
      name: 'the VRRPv3 master\'s virtual MAC sends RAs (by design, RFC 5798)',
      facts: [...hellos(VRRP6, 0, 60, 1), ...ras({ smac: '00:00:5e:00:02:01', ip: 'fe80::1:1' }, 0.5, 60, 10)],
    },
    {
      name: 'an HSRPv2-IPv6 group: RAs from the virtual MAC and from the standby member\'s own MAC',
      facts: [
        ...hellos({ t: 0, version: 2, group: 10, vip: 'fe80::5:73ff:fea0:a', srcMac: '00:05:73:a0:00:0a', srcIp: 'fe80::a1' }, 0, 60, 3),
        ...hellos({ t: 0, version: 2, group: 10, vip: 'fe80::5:73ff:fea0:a', state: 'standby', srcMac: '00:11:22:00:01:02', srcIp: 'fe80::2' }, 1, 61, 3),
        ...ras({ smac: '00:05:73:a0:00:0a', ip: 'fe80::5:73ff:fea0:a' }, 0.5, 60, 10),
        ...ras(R2, 40, 60, 10),
      ],
    },
    {
      name: 'a newcomer that claims nothing (router lifetime 0, no prefix)',
      facts: [...ras(R1, 0, 60, 10), ...ras(HOST, 45, 60, 10, { lifetime: 0, prefixes: [] })],
    },
    {
      name: 'a newcomer that agrees with the established router, soon after it',
      facts: [...ras(R1, 0, 600, 100), ...ras(R2, 450, 600, 100)],
    },
    {
      name: 'an RA from a well-known virtual MAC whose hellos the capture missed',
      facts: [...ras(R1, 0, 60, 10), ...ras({ smac: '00:00:5e:00:02:07', ip: 'fe80::7' }, 45, 60, 10, { prefixes: ['2001:db8:7::/64'] })],
    },
    {
      name: 'a router whose MAC intent.gateways declares is a router of the link from its first RA, whatever it advertises',
      facts: [...ras(R1, 0, 60, 10), ...ras(HOST, 45, 60, 10, { prefixes: [SIXTO4] })],
      intent: { gateways: [{ ip: HOST.ip, macs: [HOST.smac], vlan: 100 }] },
    },
    {
      name: 'an IPv6 FHRP group in another VLAN',
      facts: [...hellos({ ...VRRP6, domain: 2 }, 0, 60, 1), ...ras(HOST, 0, 60, 10, { prefixes: [SIXTO4] })],
    },
    {
      name: 'an IPv4-only HSRP group says nothing about the IPv6 routers',
      facts: [...hellos({ t: 0, srcMac: '00:11:22:00:01:09', srcIp: '10.0.100.2' }, 0, 60, 3), ...ras(R1, 0, 60, 10)],
    },
  ],
  invalid: [
    {
      name: 'a host advertises on a link served by a VRRPv3 IPv6 group',
      facts: [...hellos(VRRP6, 0, 60, 1), ...ras({ smac: '00:00:5e:00:02:01', ip: 'fe80::1:1' }, 0.5, 60, 10), ...ras(HOST, 20, 60, 10, { prefixes: [SIXTO4] })],
      errors: [
        {
          messageId: 'rogue-fhrp',
          severity: 'error',
          confidence: 'inferred',
          subject: { family: 'ipv6', mac: '02:42:ac:11:00:05', ip: 'fe80::42:acff:fe11:5', prefixes: [SIXTO4] },
          data: { protocol: 'VRRP', group: 1, vmac: '00:00:5e:00:02:01', router: 'fe80::42:acff:fe11:5 (02:42:ac:11:00:05)' },
          count: 5,
          filter: 'icmpv6.type == 134 && eth.src == 02:42:ac:11:00:05 && vlan.id == 100',
        },
      ],
    },
    {
      name: 'connection sharing: a 6to4 prefix from a newcomer after the router had advertised',
      facts: [...ras(R1, 0, 60, 10), ...ras(HOST, 35, 60, 10, { prefixes: [SIXTO4] })],
      errors: [
        {
          messageId: 'rogue-prefix',
          severity: 'error',
          subject: { family: 'ipv6', mac: '02:42:ac:11:00:05', prefixes: [SIXTO4] },
          data: { prefix: SIXTO4, routers: 'fe80::1 (00:11:22:00:01:01)' },
        },
      ],
    },
    {
      name: 'a newcomer agreeing with the established router, long after it: possible rogue (warning)',
      facts: [...ras(R1, 0, 2400, 200), ...ras(HOST, 2000, 2400, 200)],
      errors: [{ messageId: 'rogue-new', severity: 'warning', data: { after: 2000 } }],
    },
    {
      name: 'rogueRaEstablished 1: one RA establishes a router',
      settings: { rogueRaEstablished: 1 },
      facts: [ra({ t: 0, ...R1 }), ra({ t: 5, ...HOST, prefixes: [SIXTO4] })],
      errors: [{ messageId: 'rogue-prefix' }],
    },
  ],
});

it('rogue-ra: a rogue router is not also compared as an inconsistent router', () => {
  const { findings } = run(rules, [...ras(R1, 0, 60, 10), ...ras(HOST, 35, 60, 10, { prefixes: [SIXTO4], hopLimit: 255 })]);
  expect(findings.map((f) => f.rule)).toEqual(['rogue-ra']);
});

it('rogue-ra: state is one link per domain, bounded by maxMacs, at most 16 routers a link', () => {
  const facts = Array.from({ length: 50 }, (_, i) => ra({ t: i, ...R1, domain: i % 5 }));
  const { engine } = run(rules, facts, { maxMacs: 3 });
  expect(engine.stats().rules['ra-inconsistent'].links).toBeLessThanOrEqual(3);
  const many = Array.from({ length: 500 }, (_, i) => ra({ t: i, smac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, ip: `fe80::${i + 1}`, lifetime: 0, prefixes: [] }));
  expect(run(rules, many).engine.stats().rules['ra-inconsistent'].routers).toBe(16);
});

it('rogue-ra: a rogue on a link pushed out of the table by later links is still reported', () => {
  const later = Array.from({ length: 20 }, (_, i) => ra({ t: 100 + i, ...R1, domain: i % 2 === 0 ? 2 : 4 }));
  const { findings } = run(rules, [...ras(R1, 0, 60, 10), ...ras(HOST, 35, 60, 10, { prefixes: [SIXTO4] }), ...later, ...ras(R1, 130, 150, 10, { domain: 3 })], { maxMacs: 1 });
  expect(findings.filter((f) => f.rule === 'rogue-ra').map((f) => f.subject.mac)).toEqual(['02:42:ac:11:00:05']);
});

it('the intent case above is a rogue without the intent (so the case proves the declaration)', () => {
  const facts = [...ras(R1, 0, 60, 10), ...ras(HOST, 45, 60, 10, { prefixes: [SIXTO4] })];
  expect(run(rules, facts).findings.filter((f) => f.rule === 'rogue-ra').map((f) => f.subject.mac)).toEqual([HOST.smac]);
});
