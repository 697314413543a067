import { evpnFloodList } from '../../src/rules/evpn-flood-list.js';
import { ruleTester } from './helpers.js';
import { floods, imet, M, V1, V2, vx } from './planes-helpers.js';

ruleTester('evpn-imet-silent', [evpnFloodList], {
  valid: [
    { name: 'the originator sends', facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...[1, 12].flatMap((t) => [vx({ t, from: V1, to: V2, src: M, dst: '02:00:00:00:50:09' }), vx({ t: t + 0.1, from: V2, to: V1, src: '02:00:00:00:50:09', dst: M })])] },
    { name: 'only floods reach it (a VTEP with no hosts yet)', facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...floods(1, 15, V1, [V2])] },
    { name: 'unicast to it for less than imetSilentAfter', facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), vx({ t: 1, from: V1, to: V2, src: M, dst: '02:00:00:00:50:09' })], lastTime: 1_700_000_005 },
  ],
  invalid: [
    {
      name: 'unicast sent to an announced VTEP that never sends',
      facts: [imet({ t: 0, frame: 1, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...[1, 5, 9, 13].map((t) => vx({ t, from: V1, to: V2, src: M, dst: '02:00:00:00:50:09' }))],
      errors: [{ messageId: 'silent', severity: 'info', data: { vtep: V2, vni: 5001, received: 4 } }],
    },
  ],
});
