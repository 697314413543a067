import { evpnVniMismatch } from '../../src/rules/evpn-vni-mismatch.js';
import { ruleTester } from './helpers.js';
import { L3VNI, M, mac2, stream, V1, V2, V3 } from './planes-helpers.js';

ruleTester('evpn-vni-mismatch', [evpnVniMismatch], {
  valid: [
    { name: 'traffic in the VNI of the route', facts: [mac2({ t: 0, mac: M, vtep: V1 }), ...stream(1, 10, V1, V3, M)] },
    { name: 'the MAC is advertised in both VNIs (a trunked host)', facts: [mac2({ t: 0, mac: M, vtep: V1, vni: 7000 }), mac2({ t: 0, mac: M, vtep: V1 }), ...stream(1, 10, V1, V3, M)] },
    { name: 'another VTEP advertises the MAC in the other VNI (not its own route)', facts: [mac2({ t: 0, mac: M, vtep: V2, vni: 7000 }), ...stream(1, 10, V1, V3, M)] },
    { name: 'the traffic VNI is the route\'s L3 VNI (routed traffic)', facts: [mac2({ t: 0, mac: M, vtep: V1, l3vni: L3VNI, routerMac: M }), ...stream(1, 10, V1, V3, M, '02:00:00:00:50:09', L3VNI)] },
    { name: 'no route at all: one plane only', facts: [...stream(1, 10, V1, V3, M)] },
    { name: 'within the grace after the first frame', facts: [mac2({ t: 0, mac: M, vtep: V1, vni: 7000 }), ...stream(1, 1.5, V1, V3, M)] },
  ],
  invalid: [
    {
      name: 'traffic in VNI 5001, route label 7000',
      facts: [mac2({ t: 0, frame: 1, mac: M, vtep: V1, vni: 7000 }), ...stream(1, 10, V1, V3, M)],
      errors: [
        {
          messageId: 'mismatch',
          severity: 'warning',
          frames: [1],
          data: { vtep: V1, mac: M, dataVni: 5001, routeVni: '7000' },
          count: 9,
          domainLabel: 'evi vni 7000',
          filter: /vxlan\.vni == 5001 && ip\.src == 192\.0\.2\.1/,
        },
      ],
    },
    {
      name: 'the route arrives while traffic already runs in the other VNI',
      facts: [...stream(0, 3, V1, V3, M), mac2({ t: 3.2, mac: M, vtep: V1, vni: 7000 }), ...stream(4, 6, V1, V3, M)],
      errors: [{ messageId: 'mismatch', data: { dataVni: 5001, routeVni: '7000' } }],
    },
  ],
});
