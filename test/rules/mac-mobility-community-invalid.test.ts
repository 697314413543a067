import { macMobilityRegression } from '../../src/rules/mac-mobility-regression.js';
import { evpn, ruleTester } from './helpers.js';

const M = '00:aa:bb:cc:dd:05';

ruleTester('mac-mobility-community-invalid', [macMobilityRegression], {
  valid: [
    { name: 'one MAC Mobility community', facts: [evpn({ t: 0, mac: M, seq: 3 })] },
    { name: 'sticky with sequence 0', facts: [evpn({ t: 0, mac: M, sticky: true, seq: 0 })] },
    { name: 'no MAC Mobility community at all', facts: [evpn({ t: 0, mac: M })] },
  ],
  invalid: [
    {
      name: 'two MAC Mobility communities on one route (RFC 7432 §7.7)',
      facts: [evpn({ t: 0, frame: 3, mac: M, seq: 3, mmCount: 2 })],
      errors: [{ messageId: 'multiple-communities', severity: 'warning', frames: [3], data: { count: 2 } }],
    },
    {
      name: 'the sticky bit with a non-zero sequence (the old every-community-sticky interop trap)',
      facts: [evpn({ t: 0, frame: 4, mac: M, seq: 7, sticky: true })],
      errors: [{ messageId: 'sticky-with-sequence', severity: 'warning', frames: [4], data: { seq: 7 } }],
    },
  ],
});
