import { macMobilityRegression } from '../../src/rules/mac-mobility-regression.js';
import { evpn, ruleTester } from './helpers.js';

const M = '00:aa:bb:cc:dd:04';
const ESI = '00:11:11:11:11:11:11:11:11:01';

ruleTester('sticky-mac-moved', [macMobilityRegression], {
  valid: [
    { name: 'a sticky MAC on one PE only', facts: [evpn({ t: 0, mac: M, nextHop: '192.0.2.1', sticky: true }), evpn({ t: 5, mac: M, nextHop: '192.0.2.1', sticky: true })] },
    {
      name: 'a sticky MAC on a multihomed ESI, advertised by both PEs of the segment',
      facts: [evpn({ t: 0, mac: M, nextHop: '192.0.2.1', sticky: true, esi: ESI }), evpn({ t: 1, mac: M, nextHop: '192.0.2.2', sticky: true, esi: ESI })],
    },
    {
      name: 'the sticky route was withdrawn before another PE learned the MAC',
      facts: [
        evpn({ t: 0, mac: M, nextHop: '192.0.2.1', sticky: true }),
        evpn({ t: 1, mac: M, rd: '192.0.2.1:100', action: 'withdraw' }),
        evpn({ t: 2, mac: M, nextHop: '192.0.2.2', seq: 1 }),
      ],
    },
  ],
  invalid: [
    {
      name: 'a MAC advertised as sticky by one PE is advertised by another (RFC 7432 §15.2)',
      facts: [evpn({ t: 0, frame: 1, mac: M, nextHop: '192.0.2.1', sticky: true }), evpn({ t: 1, frame: 2, mac: M, nextHop: '192.0.2.2', seq: 1 })],
      errors: [
        {
          messageId: 'sticky-moved',
          severity: 'error',
          confidence: 'confirmed',
          frames: [1, 2],
          data: { pe: '192.0.2.2', otherPe: '192.0.2.1' },
        },
      ],
    },
  ],
});
