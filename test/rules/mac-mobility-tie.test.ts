import { macMobilityRegression } from '../../src/rules/mac-mobility-regression.js';
import { evpn, ruleTester } from './helpers.js';

const M = '00:aa:bb:cc:dd:02';
const ESI = '00:11:11:11:11:11:11:11:11:01';

ruleTester('mac-mobility-tie', [macMobilityRegression], {
  valid: [
    {
      name: 'different sequences',
      facts: [evpn({ t: 0, mac: M, nextHop: '192.0.2.1', seq: 1 }), evpn({ t: 1, mac: M, nextHop: '192.0.2.2', seq: 2 })],
    },
    {
      name: 'all-active multihoming: both PEs on one ESI with sequence 0',
      facts: [evpn({ t: 0, mac: M, nextHop: '192.0.2.1', esi: ESI }), evpn({ t: 1, mac: M, nextHop: '192.0.2.2', esi: ESI })],
    },
    {
      name: 'the first route was withdrawn',
      facts: [
        evpn({ t: 0, mac: M, nextHop: '192.0.2.1', seq: 2 }),
        evpn({ t: 0.5, mac: M, rd: '192.0.2.1:100', action: 'withdraw' }),
        evpn({ t: 1, mac: M, nextHop: '192.0.2.2', seq: 2 }),
      ],
    },
  ],
  invalid: [
    {
      name: 'two PEs live with the same sequence: the lowest next hop wins (numerically, .9 before .10)',
      facts: [evpn({ t: 0, frame: 1, mac: M, nextHop: '192.0.2.10', seq: 2 }), evpn({ t: 1, frame: 2, mac: M, nextHop: '192.0.2.9', seq: 2 })],
      errors: [
        {
          messageId: 'tie',
          severity: 'warning',
          confidence: 'confirmed',
          frames: [1, 2],
          data: { seq: 2, winner: '192.0.2.9' },
          filter: `bgp.evpn.nlri.mac_addr == ${M} && bgp.ext_com_evpn.mmac.seq == 2`,
        },
      ],
    },
    {
      name: 'two PEs without the MAC Mobility community (both 0), single-homed',
      facts: [evpn({ t: 0, mac: M, nextHop: '192.0.2.1' }), evpn({ t: 1, mac: M, nextHop: '192.0.2.2' })],
      errors: [{ messageId: 'tie', data: { seq: 0, winner: '192.0.2.1' }, filter: `bgp.evpn.nlri.mac_addr == ${M}` }],
    },
  ],
});
