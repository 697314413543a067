import { hsrpMultipleActive } from '../../src/rules/hsrp-multiple-active.js';
import { fhrp, ruleTester } from './helpers.js';

const R1 = { srcMac: '00:11:22:00:00:a1', srcIp: '10.0.100.2' };
const R2 = { srcMac: '00:11:22:00:00:a2', srcIp: '10.0.100.3' };

ruleTester('fhrp-mismatch', [hsrpMultipleActive], {
  valid: [
    { name: 'routers agree', facts: [fhrp({ t: 0, ...R1 }), fhrp({ t: 1, ...R2, state: 'standby' })] },
    {
      name: 'a router that has not learned the virtual IP yet (0.0.0.0)',
      facts: [fhrp({ t: 0, ...R1 }), fhrp({ t: 1, ...R2, state: 'speak', vip: '0.0.0.0' })],
    },
    { name: 'a single router', facts: [fhrp({ t: 0, ...R1 }), fhrp({ t: 3, ...R1 })] },
    {
      name: 'the same group number in two VLANs with different virtual IPs',
      facts: [fhrp({ t: 0, ...R1, domain: 1, vip: '10.0.100.1' }), fhrp({ t: 1, ...R2, domain: 2, vip: '10.0.200.1' })],
    },
    {
      name: 'a router changed its own timers (one router, latest value)',
      facts: [fhrp({ t: 0, ...R1, helloMs: 1000 }), fhrp({ t: 1, ...R1, helloMs: 3000 }), fhrp({ t: 2, ...R2, state: 'standby' })],
    },
    {
      name: 'GLBP members that agree (AVG and standby AVG, different forwarders)',
      facts: [fhrp({ t: 0, ...R1, protocol: 'glbp', group: 10 }), fhrp({ t: 1, ...R2, protocol: 'glbp', group: 10, state: 'standby', forwarders: [2] })],
    },
  ],
  invalid: [
    {
      name: 'GLBP members that disagree on the virtual IP',
      facts: [
        fhrp({ t: 0, frame: 1, ...R1, protocol: 'glbp', group: 10, vip: '10.0.100.1' }),
        fhrp({ t: 1, frame: 2, ...R2, protocol: 'glbp', group: 10, state: 'standby', vip: '10.0.100.254' }),
      ],
      errors: [{ messageId: 'mismatch', data: { protocol: 'GLBP', group: 10, attribute: 'virtual IP' }, frames: [1, 2] }],
    },
    {
      name: 'different virtual IPs in one group',
      facts: [fhrp({ t: 0, frame: 1, ...R1, vip: '10.0.100.1' }), fhrp({ t: 1, frame: 2, ...R2, state: 'standby', vip: '10.0.100.254' })],
      errors: [
        {
          messageId: 'mismatch',
          severity: 'warning',
          confidence: 'confirmed',
          frames: [1, 2],
          subject: { protocol: 'hsrp', group: 1, attribute: 'vip' },
          data: { values: '10.0.100.1 from 10.0.100.2; 10.0.100.254 from 10.0.100.3' },
        },
      ],
    },
    {
      name: 'different authentication strings',
      facts: [fhrp({ t: 0, ...R1, auth: 'text:cisco' }), fhrp({ t: 1, ...R2, auth: 'text:c1sco' })],
      errors: [{ messageId: 'mismatch', subject: { protocol: 'hsrp', group: 1, attribute: 'auth' } }],
    },
    {
      name: 'HSRP v1 and v2 for one group number, and their timers',
      facts: [fhrp({ t: 0, ...R1, version: 1 }), fhrp({ t: 1, ...R2, version: 2, state: 'standby', helloMs: 1000, holdMs: 3000 })],
      errors: [
        { messageId: 'mismatch', subject: { protocol: 'hsrp', group: 1, attribute: 'timers' } },
        { messageId: 'mismatch', subject: { protocol: 'hsrp', group: 1, attribute: 'version' }, filter: '(hsrp.group == 1 || hsrp2.group == 1) && vlan.id == 100' },
      ],
    },
  ],
});
