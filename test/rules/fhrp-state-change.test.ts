import type { FhrpFact } from '../../src/facts/types.js';
import { fhrpStateChange } from '../../src/rules/fhrp-state-change.js';
import { fhrp, ruleTester, type FhrpSpec } from './helpers.js';

const A = { srcMac: '00:11:22:00:00:a1', srcIp: '10.0.100.2' };
const B = { srcMac: '00:11:22:00:00:a2', srcIp: '10.0.100.3' };

/** Hellos from a router every `every` seconds from `from` to `to`. */
function hellos(router: { srcMac: string; srcIp: string }, from: number, to: number, every: number, spec: Partial<FhrpSpec> = {}): FhrpFact[] {
  const out: FhrpFact[] = [];
  for (let t = from; t <= to; t += every) out.push(fhrp({ t, ...router, ...spec }));
  return out;
}

ruleTester('fhrp-state-change', [fhrpStateChange], {
  valid: [
    { name: 'one Active, one Standby throughout', facts: [...hellos(A, 0, 30, 3), ...hellos(B, 1, 31, 3, { state: 'standby' })] },
    { name: 'two routers Active together throughout (hsrp-multiple-active, not a change)', facts: [...hellos(A, 0, 30, 3), ...hellos(B, 1, 31, 3)] },
    { name: 'Active routers of different VLANs', facts: [...hellos(A, 0, 30, 3, { domain: 1 }), ...hellos(B, 20, 40, 3, { domain: 2 })] },
    { name: 'a router learning the group (Speak) that never becomes Active', facts: [...hellos(A, 0, 30, 3), ...hellos(B, 1, 31, 3, { state: 'speak' })] },
    { name: 'VRRP: one master, backups silent', facts: hellos(A, 0, 30, 1, { protocol: 'vrrp' }) },
    { name: 'GLBP: one Active AVG, one Standby AVG', facts: [...hellos(A, 0, 30, 3, { protocol: 'glbp', group: 10 }), ...hellos(B, 1, 31, 3, { protocol: 'glbp', group: 10, state: 'standby' })] },
    { name: 'the Active router misses a few hellos but stays within its hold time', facts: [...hellos(A, 0, 9, 3), ...hellos(A, 17, 30, 3), ...hellos(B, 1, 31, 3, { state: 'standby' })] },
    {
      name: 'a second router claiming Active for one hello while the Active one goes on (no takeover)',
      facts: [...hellos(A, 0, 30, 3), fhrp({ t: 10.5, ...B }), ...hellos(B, 13.5, 31, 3, { state: 'standby' })],
    },
  ],
  invalid: [
    {
      name: 'failover: the Active router falls silent, the Standby becomes Active after the hold time',
      facts: [...hellos(A, 0, 9, 3, { frame: undefined }), ...hellos(B, 1, 16, 3, { state: 'standby' }), ...hellos(B, 19.5, 40, 3)],
      errors: [
        {
          messageId: 'changed',
          severity: 'info',
          confidence: 'confirmed',
          subject: { protocol: 'hsrp', group: 1, changes: ['failover:10.0.100.2>10.0.100.3'] },
          data: { protocol: 'HSRP', group: 1, count: 1, kinds: 'failover' },
          filter: 'hsrp.group == 1 && vlan.id == 100',
        },
      ],
    },
    {
      name: 'coup: a higher-priority router sends a coup and takes over; the old one goes Speak',
      facts: [
        ...hellos(A, 0, 9, 3),
        ...hellos(B, 1, 10, 3, { state: 'standby' }),
        fhrp({ t: 10, ...B, opcode: 1, state: 'speak', priority: 200 }),
        fhrp({ t: 10.01, ...A, state: 'speak' }),
        ...hellos(B, 10.02, 30, 3, { priority: 200 }),
      ],
      errors: [{ messageId: 'changed', data: { kinds: 'coup', count: 1 } }],
    },
    {
      name: 'resign: the Active router resigns, the Standby takes over',
      facts: [...hellos(A, 0, 9, 3), ...hellos(B, 1, 10, 3, { state: 'standby' }), fhrp({ t: 10, ...A, opcode: 2, state: 'active' }), ...hellos(B, 10.5, 30, 3)],
      errors: [{ messageId: 'changed', data: { kinds: 'resign' } }],
    },
    {
      name: 'HSRP preemption: a higher priority router Active, the old one drops to Standby',
      facts: [...hellos(A, 0, 9, 3), ...hellos(B, 10, 30, 3, { priority: 150 }), ...hellos(A, 11, 30, 3, { state: 'standby' })],
      errors: [{ messageId: 'changed', data: { kinds: 'preemption' } }],
    },
    {
      name: 'VRRP preemption: the new master advertises, the old one falls silent at once (backups do not advertise)',
      facts: [...hellos(A, 0, 10, 1, { protocol: 'vrrp', group: 7, priority: 100 }), ...hellos(B, 10.5, 20, 1, { protocol: 'vrrp', group: 7, priority: 200 })],
      errors: [{ messageId: 'changed', data: { protocol: 'VRRP', group: 7, kinds: 'preemption', word: 'Master' }, filter: 'vrrp.virt_rtr_id == 7 && vlan.id == 100' }],
    },
    {
      name: 'GLBP: the Active AVG fails over, twice (a flap)',
      facts: [
        ...hellos(A, 0, 9, 3, { protocol: 'glbp', group: 10 }),
        ...hellos(B, 20, 29, 3, { protocol: 'glbp', group: 10 }),
        ...hellos(A, 40, 50, 3, { protocol: 'glbp', group: 10 }),
      ],
      errors: [{ messageId: 'changed', data: { protocol: 'GLBP', group: 10, count: 2, kinds: 'failover' }, filter: 'glbp.group == 10 && vlan.id == 100' }],
    },
  ],
});
