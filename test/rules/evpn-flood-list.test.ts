import { evpnFloodList } from '../../src/rules/evpn-flood-list.js';
import { ruleTester } from './helpers.js';
import { floods, imet, M, V1, V2, V3, vx } from './planes-helpers.js';

ruleTester('evpn-flood-list', [evpnFloodList], {
  valid: [
    { name: 'every sender announced', facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...floods(1, 5, V1, [V2]), ...floods(1, 5, V2, [V1])] },
    { name: 'no type-3 route in the capture: the flood list is not visible', facts: [...floods(1, 5, V3, [V1, V2])] },
    { name: 'type-3 routes for another VNI only', facts: [imet({ t: 0, vtep: V1, vni: 7000 }), ...floods(1, 5, V3, [V1])] },
    { name: 'the sender\'s type-3 route arrives within the grace', facts: [imet({ t: 0, vtep: V1 }), ...floods(1, 1, V3, [V1]), imet({ t: 1.5, vtep: V3 }), ...floods(2, 5, V3, [V1])] },
    { name: 'unicast traffic from an unannounced VTEP is no flood', facts: [imet({ t: 0, vtep: V1 }), ...[1, 2, 3, 4].map((t) => vx({ t, from: V3, to: V1, src: M, dst: '02:00:00:00:50:09' }))] },
  ],
  invalid: [
    {
      name: 'a static peer flooding without a type-3 route',
      facts: [imet({ t: 0, frame: 1, vtep: V1 }), imet({ t: 0, frame: 2, vtep: V2 }), ...floods(1, 5, V3, [V1, V2])],
      errors: [
        {
          messageId: 'unannounced-sender',
          severity: 'warning',
          frames: [1, 2],
          data: { vtep: V3, vni: 5001, announced: `${V1}, ${V2}`, frames: 10 },
          count: 10,
          filter: `(vxlan.vni == 5001 && ip.src == ${V3} && eth.dst.ig == 1) || (bgp.evpn.nlri.rt == 3 && (bgp.evpn.nlri.ip.addr == ${V1} || bgp.evpn.nlri.ip.addr == ${V2}))`,
        },
      ],
    },
    {
      name: 'a sender whose type-3 route was withdrawn',
      facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V3 }), imet({ t: 0.5, vtep: V3, action: 'withdraw' }), ...floods(1, 5, V3, [V1])],
      errors: [{ messageId: 'unannounced-sender', data: { vtep: V3 } }],
    },
    {
      name: 'a single flood, the capture going on past the grace',
      facts: [imet({ t: 0, vtep: V1 }), ...floods(1, 1, V3, [V1])],
      lastTime: 1_700_000_010,
      errors: [{ messageId: 'unannounced-sender', data: { vtep: V3, frames: 1 }, count: 1 }],
    },
  ],
});
