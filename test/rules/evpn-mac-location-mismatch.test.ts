import { evpnMacLocationMismatch } from '../../src/rules/evpn-mac-location-mismatch.js';
import { ruleTester } from './helpers.js';
import { M, mac2, stream, V1, V2, V3, vx } from './planes-helpers.js';

const ESI = '00:11:11:11:11:11:11:11:11:01';

ruleTester('evpn-mac-location-mismatch', [evpnMacLocationMismatch], {
  valid: [
    { name: 'data from the VTEP the route names', facts: [mac2({ t: 0, mac: M, vtep: V1 }), ...stream(1, 10, V1, V3, M)] },
    {
      name: 'a move done right: data from the new VTEP 200 ms before its route, then the old route withdrawn',
      facts: [
        mac2({ t: 0, mac: M, vtep: V1 }),
        ...stream(1, 4, V1, V3, M),
        vx({ t: 5, from: V2, to: V3, src: M, dst: '02:00:00:00:50:09' }),
        mac2({ t: 5.2, mac: M, vtep: V2, seq: 1 }),
        mac2({ t: 5.25, mac: M, vtep: V1, action: 'withdraw' }),
        ...stream(5.5, 12.5, V2, V3, M),
      ],
    },
    {
      name: 'a move whose route comes 0.9 s after the first data (within the 1 s grace)',
      facts: [mac2({ t: 0, mac: M, vtep: V1 }), vx({ t: 5, from: V2, to: V3, src: M, dst: '02:00:00:00:50:09' }), mac2({ t: 5.9, mac: M, vtep: V2, seq: 1 }), ...stream(6, 9, V2, V3, M)],
    },
    { name: 'no route for the MAC: nothing to compare (one plane only)', facts: [...stream(1, 10, V2, V3, M)] },
    { name: 'the route is in another VNI: not this comparison', facts: [mac2({ t: 0, mac: M, vtep: V1, vni: 7000 }), ...stream(1, 10, V2, V3, M)] },
    { name: 'a multihomed MAC (non-zero ESI): any VTEP of the segment may forward', facts: [mac2({ t: 0, mac: M, vtep: V1, esi: ESI }), ...stream(1, 10, V2, V3, M)] },
    { name: 'an anycast gateway MAC (default-gateway community) is sourced by every VTEP', facts: [mac2({ t: 0, mac: M, vtep: V1, defaultGateway: true }), ...stream(1, 10, V2, V3, M)] },
    { name: 'the stale route was withdrawn', facts: [mac2({ t: 0, mac: M, vtep: V1 }), mac2({ t: 0.5, mac: M, vtep: V1, action: 'withdraw' }), ...stream(1, 10, V2, V3, M)] },
    {
      name: 'a larger grace (planesGrace 20) covers a 10 s disagreement',
      facts: [mac2({ t: 0, mac: M, vtep: V1 }), ...stream(1, 10, V2, V3, M)],
      settings: { planesGrace: 20 },
    },
  ],
  invalid: [
    {
      name: 'a stale route while the traffic comes from elsewhere',
      facts: [mac2({ t: 0, frame: 1, mac: M, vtep: V1 }), ...stream(1, 10, V2, V3, M)],
      errors: [
        {
          messageId: 'mismatch',
          severity: 'warning',
          confidence: 'inferred',
          frames: [1],
          data: { mac: M, vni: 5001, dataVtep: V2, routeVtep: V1, grace: 1 },
          subject: { dataVtep: V2, routeVtep: [V1], rd: `${V1}:100` },
          count: 9,
          domainLabel: 'evi vni 5001',
          filter: `(vxlan.vni == 5001 && ip.src == ${V2} && eth.src == ${M}) || (bgp.evpn.nlri.rt == 2 && bgp.evpn.nlri.mac_addr == ${M} && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == ${V1})`,
        },
      ],
    },
    {
      name: 'the route for the old VTEP is re-advertised while data comes from the new one',
      facts: [...stream(0, 3, V2, V3, M), mac2({ t: 3.5, mac: M, vtep: V1 }), ...stream(4, 6, V2, V3, M)],
      errors: [{ messageId: 'mismatch', data: { dataVtep: V2, routeVtep: V1 } }],
    },
    {
      name: 'a move whose route never comes: the old route still live 2 s later',
      facts: [mac2({ t: 0, mac: M, vtep: V1 }), ...stream(1, 4, V1, V3, M), ...stream(5, 7, V2, V3, M)],
      errors: [{ messageId: 'mismatch', data: { dataVtep: V2, routeVtep: V1, seconds: 2 } }],
    },
  ],
});
