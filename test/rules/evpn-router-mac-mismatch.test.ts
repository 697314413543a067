import { evpnRouterMacMismatch } from '../../src/rules/evpn-router-mac-mismatch.js';
import { ruleTester } from './helpers.js';
import { L3VNI, mac2, prefix5, V1, V2, vx } from './planes-helpers.js';

const R1 = '00:1c:73:aa:00:01';
const R2 = '00:1c:73:aa:00:02';
const OTHER = '00:1c:73:bb:00:01';
const routes = [prefix5({ t: 0, frame: 1, vtep: V1, routerMac: R1 }), prefix5({ t: 0, frame: 2, vtep: V2, routerMac: R2 })];
const routed = (t: number, from: string, to: string, src: string, dst: string, vni = L3VNI) => vx({ t, from, to, src, dst, vni });

ruleTester('evpn-router-mac-mismatch', [evpnRouterMacMismatch], {
  valid: [
    { name: 'routed traffic between the advertised router MACs', facts: [...routes, routed(2, V1, V2, R1, R2), routed(3, V2, V1, R2, R1)] },
    { name: 'a VNI not known as an L3 VNI (bridged traffic)', facts: [...routes, routed(2, V1, V2, OTHER, R2, 5001)] },
    { name: 'no router MAC advertised for the sender', facts: [prefix5({ t: 0, vtep: V2, routerMac: R2 }), routed(2, '192.0.2.9', V2, OTHER, R2)] },
    { name: 'the router MAC changed within the grace', facts: [...routes, prefix5({ t: 1.8, vtep: V1, routerMac: OTHER }), routed(2, V1, V2, R1, R2)] },
    { name: 'symmetric IRB: the router MAC from a two-label type-2 route', facts: [mac2({ t: 0, mac: '02:00:00:00:50:01', vtep: V1, l3vni: L3VNI, routerMac: R1 }), routed(2, V1, V2, R1, R2)] },
  ],
  invalid: [
    {
      name: 'the sender routes with another MAC than it advertises',
      facts: [...routes, routed(2, V1, V2, OTHER, R2), routed(3, V1, V2, OTHER, R2)],
      errors: [
        {
          messageId: 'source',
          severity: 'warning',
          frames: [1],
          data: { vtep: V1, vni: L3VNI, mac: OTHER, routerMac: R1 },
          count: 2,
          filter: `(vxlan.vni == 50000 && ip.src == ${V1} && eth.src == ${OTHER}) || (bgp.ext_com_evpn.esi.router_mac == ${R1} && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == ${V1})`,
        },
      ],
    },
    {
      name: 'traffic to a VTEP addressed to a stale router MAC',
      facts: [...routes, routed(2, V1, V2, R1, OTHER)],
      errors: [{ messageId: 'destination', data: { vtep: V2, sender: V1, mac: OTHER, routerMac: R2 } }],
    },
  ],
});
