import { evpnFloodList } from '../../src/rules/evpn-flood-list.js';
import { ruleTester } from './helpers.js';
import { floods, imet, V1, V2, V3 } from './planes-helpers.js';

ruleTester('evpn-flood-to-unannounced', [evpnFloodList], {
  valid: [
    { name: 'replication to announced VTEPs only', facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...floods(1, 5, V1, [V2])] },
    { name: 'no type-3 route in the capture', facts: [...floods(1, 5, V1, [V2, V3])] },
    { name: 'a multicast underlay group is no VTEP', facts: [imet({ t: 0, vtep: V1 }), ...floods(1, 5, V1, ['239.1.1.1'])] },
    { name: 'the receiver announces itself within the grace', facts: [imet({ t: 0, vtep: V1 }), ...floods(1, 1, V1, [V3]), imet({ t: 1.5, vtep: V3 }), ...floods(2, 5, V1, [V3])] },
  ],
  invalid: [
    {
      name: 'a static flood-list entry for an unannounced VTEP',
      facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...floods(1, 5, V1, [V2, V3])],
      errors: [{ messageId: 'unannounced-receiver', severity: 'warning', data: { vtep: V3, sender: V1, frames: 5 }, count: 5, filter: /ip\.dst == 192\.0\.2\.3/ }],
    },
    {
      name: 'replication goes on after the receiver withdrew its type-3 route',
      facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V3 }), ...floods(1, 3, V1, [V3]), imet({ t: 3.5, vtep: V3, action: 'withdraw' }), ...floods(4, 8, V1, [V3])],
      errors: [{ messageId: 'unannounced-receiver', data: { vtep: V3, sender: V1 } }],
    },
  ],
});
