import type { FhrpFact } from '../../src/facts/types.js';
import { hsrpMultipleActive } from '../../src/rules/hsrp-multiple-active.js';
import { describe, expect, it } from 'vitest';
import { fhrp, run, ruleTester, type FhrpSpec } from './helpers.js';

const R1 = { srcMac: '00:11:22:00:00:a1', srcIp: '10.0.100.2' };
const R2 = { srcMac: '00:11:22:00:00:a2', srcIp: '10.0.100.3' };

/** Hellos from a router every `every` seconds from `from` to `to`. */
function hellos(router: { srcMac: string; srcIp: string }, from: number, to: number, every: number, spec: Partial<FhrpSpec> = {}): FhrpFact[] {
  const out: FhrpFact[] = [];
  for (let t = from; t <= to; t += every) out.push(fhrp({ t, ...router, ...spec }));
  return out;
}

ruleTester('hsrp-multiple-active', [hsrpMultipleActive], {
  valid: [
    { name: 'one Active, one Standby', facts: [...hellos(R1, 0, 30, 3), ...hellos(R2, 1, 31, 3, { state: 'standby' })] },
    {
      name: 'a preemption: the new Active takes over, the old one goes Standby within a hello',
      facts: [
        ...hellos(R1, 0, 9, 3),
        fhrp({ t: 10, ...R2, opcode: 1 }),
        ...hellos(R2, 10.5, 30, 3),
        ...hellos(R1, 11, 30, 3, { state: 'standby' }),
      ],
    },
    {
      name: 'Active in different VLANs (different groups of different domains)',
      facts: [...hellos(R1, 0, 30, 3, { domain: 1 }), ...hellos(R2, 1, 31, 3, { domain: 2 })],
    },
    {
      name: 'a failover after the old Active fell silent past its hold time',
      facts: [...hellos(R1, 0, 9, 3), ...hellos(R2, 20, 40, 3)],
    },
    {
      name: 'VRRP: one Master advertising, backups silent',
      facts: hellos(R1, 0, 10, 1, { protocol: 'vrrp' }),
    },
    {
      name: 'GLBP: one Active AVG, one Standby AVG, both forwarding (each forwarder Active is the design)',
      facts: [...hellos(R1, 0, 30, 3, { protocol: 'glbp', group: 10 }), ...hellos(R2, 1, 31, 3, { protocol: 'glbp', group: 10, state: 'standby', forwarders: [2] })],
    },
    {
      name: 'GLBP and HSRP groups with the same number in one VLAN are different groups',
      facts: [...hellos(R1, 0, 30, 3, { protocol: 'glbp', group: 1 }), ...hellos(R2, 1, 31, 3, { group: 1 })],
    },
  ],
  invalid: [
    {
      name: 'two HSRP routers Active at once (split brain, or everyone forced Active for anycast)',
      facts: [...hellos(R1, 0, 30, 3), ...hellos(R2, 1, 31, 3)],
      errors: [
        {
          messageId: 'multiple-active',
          severity: 'warning',
          confidence: 'confirmed',
          subject: { protocol: 'hsrp', group: 1, routers: ['10.0.100.2', '10.0.100.3'] },
          data: { count: 2, group: 1, protocol: 'HSRP' },
          filter: 'hsrp.group == 1 && vlan.id == 100',
        },
      ],
    },
    {
      name: 'two VRRP Masters for one VRID',
      facts: [...hellos(R1, 0, 10, 1, { protocol: 'vrrp', group: 7 }), ...hellos(R2, 0.5, 10.5, 1, { protocol: 'vrrp', group: 7 })],
      errors: [{ messageId: 'multiple-active', data: { protocol: 'VRRP', state: 'Master' }, filter: 'vrrp.virt_rtr_id == 7 && vlan.id == 100' }],
    },
    {
      name: 'two Active AVGs in one GLBP group',
      facts: [...hellos(R1, 0, 30, 3, { protocol: 'glbp', group: 10 }), ...hellos(R2, 1, 31, 3, { protocol: 'glbp', group: 10 })],
      errors: [{ messageId: 'multiple-active', data: { protocol: 'GLBP', state: 'Active', count: 2 }, filter: 'glbp.group == 10 && vlan.id == 100' }],
    },
    {
      name: 'HSRPv2 group in the filter',
      facts: [...hellos(R1, 0, 30, 3, { version: 2, group: 300 }), ...hellos(R2, 1, 31, 3, { version: 2, group: 300 })],
      errors: [{ messageId: 'multiple-active', filter: 'hsrp2.group == 300 && vlan.id == 100' }],
    },
  ],
});

describe('hsrp-multiple-active evidence of a long all-Active run', () => {
  it('cites each hello once: the first report every Active router, then each hello itself', () => {
    // 100 hellos each, interleaved: every one after the first of R2 reports the same set of two Active routers.
    const facts = [...hellos(R1, 0, 297, 3), ...hellos(R2, 1, 298, 3)].sort((a, b) => a.ref.time - b.ref.time);
    const [finding] = run([hsrpMultipleActive], facts).findings.filter((f) => f.rule === 'hsrp-multiple-active');
    const items = finding.evidence.items;
    // Ten first and ten last items, all different frames: no repeats of the other router's hello in the tail.
    expect(items).toHaveLength(20);
    expect(new Set(items.map((e) => e.frame)).size).toBe(20);
    // The tail is the last ten hellos of the capture, in order.
    const lastTen = facts.slice(-10).map((f) => f.ref.frame);
    expect(items.slice(-10).map((e) => e.frame)).toEqual(lastTen);
    expect(finding.evidence.lastTime).toBe(items[items.length - 1].time);
  });
});
