import { evpnFloodList } from '../../src/rules/evpn-flood-list.js';
import { ruleTester } from './helpers.js';
import { BROADCAST, imet, M, V1, V2, V3, vx } from './planes-helpers.js';

const floods = (t0: number, t1: number, from: string, to: string[]) =>
  [...Array(Math.floor(t1 - t0) + 1).keys()].flatMap((i) => to.map((d) => vx({ t: t0 + i, from, to: d, src: M, dst: BROADCAST })));

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

ruleTester('evpn-flood-to-unannounced', [evpnFloodList], {
  valid: [
    { name: 'replication to announced VTEPs only', facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...floods(1, 5, V1, [V2])] },
    { name: 'no type-3 route in the capture', facts: [...floods(1, 5, V1, [V2, V3])] },
    { name: 'a multicast underlay group is no VTEP', facts: [imet({ t: 0, vtep: V1 }), ...floods(1, 5, V1, ['239.1.1.1'])] },
  ],
  invalid: [
    {
      name: 'a static flood-list entry for an unannounced VTEP',
      facts: [imet({ t: 0, vtep: V1 }), imet({ t: 0, vtep: V2 }), ...floods(1, 5, V1, [V2, V3])],
      errors: [{ messageId: 'unannounced-receiver', severity: 'warning', data: { vtep: V3, sender: V1, frames: 5 }, count: 5, filter: /ip\.dst == 192\.0\.2\.3/ }],
    },
  ],
});

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
