import { evpnArpSuppressionOff } from '../../src/rules/evpn-arp-suppression-off.js';
import { ruleTester } from './helpers.js';
import type { NeighbourFact, VxlanFrameFact } from '../../src/facts/types.js';
import { arpInVxlan, mac2, V1, V2, vx } from './planes-helpers.js';
import { ns, request, solicitedNode } from './helpers.js';

const A = { mac: '02:00:00:00:50:0a', ip: '10.50.0.10', ip6: '2001:db8::a' };
const B = { mac: '02:00:00:00:50:0b', ip: '10.50.0.11', ip6: '2001:db8::b' };

/** A Neighbour Solicitation carried in VXLAN from VTEP `from` (to the solicited-node group's MAC). */
function nsInVxlan(t: number, from: string, to: string, smac: string, sip: string, target: string): [VxlanFrameFact, NeighbourFact] {
  const group = solicitedNode(target).split(':').slice(-2).join('');
  const dst = ['33', '33', 'ff', group.slice(-6, -4), group.slice(-4, -2), group.slice(-2)].join(':');
  const f = vx({ t, from, to, src: smac, dst, etherType: 0x86dd });
  return [f, ns({ t, smac, ip: sip, target, domain: 3, frame: f.frame })];
}

ruleTester('evpn-arp-suppression-off', [evpnArpSuppressionOff], {
  valid: [
    { name: 'the request came before the MAC/IP route', facts: [...arpInVxlan(1, V1, V2, A.mac, A.ip, B.ip), mac2({ t: 2, mac: B.mac, ip: B.ip, vtep: V2 })] },
    { name: 'the route is MAC only (no IP binding to answer from)', facts: [mac2({ t: 0, mac: B.mac, vtep: V2 }), ...arpInVxlan(5, V1, V2, A.mac, A.ip, B.ip)] },
    { name: 'the route arrived within the grace before the request', facts: [mac2({ t: 4.5, mac: B.mac, ip: B.ip, vtep: V2 }), ...arpInVxlan(5, V1, V2, A.mac, A.ip, B.ip)] },
    { name: 'the route was withdrawn', facts: [mac2({ t: 0, mac: B.mac, ip: B.ip, vtep: V2 }), mac2({ t: 1, mac: B.mac, ip: B.ip, vtep: V2, action: 'withdraw' }), ...arpInVxlan(5, V1, V2, A.mac, A.ip, B.ip)] },
    { name: 'a request outside VXLAN (a local VLAN)', facts: [mac2({ t: 0, mac: B.mac, ip: B.ip, vtep: V2 }), vx({ t: 4, from: V1, to: V2, src: A.mac, dst: B.mac }), request(5, A.mac, A.ip, B.ip, { domain: 1 })] },
    { name: 'a gratuitous ARP (announcement) is not a resolution', facts: [mac2({ t: 0, mac: B.mac, ip: B.ip, vtep: V2 }), ...arpInVxlan(5, V1, V2, B.mac, B.ip, B.ip)] },
    { name: 'a Neighbour Solicitation while only IPv4 MAC/IP routes are live', facts: [mac2({ t: 0, mac: B.mac, ip: B.ip, vtep: V2 }), ...nsInVxlan(5, V1, V2, A.mac, A.ip6, B.ip6)] },
    {
      name: 'a Neighbour Solicitation after the IPv6 MAC/IP route was withdrawn',
      facts: [mac2({ t: 0, mac: B.mac, ip: B.ip6, vtep: V2 }), mac2({ t: 1, mac: B.mac, ip: B.ip6, vtep: V2, action: 'withdraw' }), ...nsInVxlan(5, V1, V2, A.mac, A.ip6, B.ip6)],
    },
  ],
  invalid: [
    {
      name: 'requests flooded for an address with a live MAC/IP route',
      facts: [mac2({ t: 0, frame: 1, mac: B.mac, ip: B.ip, vtep: V2 }), ...arpInVxlan(5, V1, V2, A.mac, A.ip, B.ip, 2), ...arpInVxlan(15, V1, V2, A.mac, A.ip, B.ip)],
      errors: [
        {
          messageId: 'flooded',
          severity: 'info',
          confidence: 'confirmed',
          frames: [1, 2],
          data: { vtep: V1, vni: 5001, target: B.ip, mac: B.mac, routeVtep: V2, kind: 'ARP requests' },
          subject: { vtep: V1, vni: 5001 },
          count: 2,
          filter: /vxlan\.vni == 5001 && ip\.src == 192\.0\.2\.1 && \(arp\.opcode == 1 \|\| icmpv6\.type == 135\)/,
        },
      ],
    },
    {
      name: 'two VTEPs flooding: one finding each',
      facts: [mac2({ t: 0, mac: B.mac, ip: B.ip, vtep: V2 }), ...arpInVxlan(5, V1, V2, A.mac, A.ip, B.ip), ...arpInVxlan(6, '192.0.2.3', V2, '02:00:00:00:50:0c', '10.50.0.12', B.ip)],
      errors: [{ messageId: 'flooded', data: { vtep: V1 } }, { messageId: 'flooded', data: { vtep: '192.0.2.3' } }],
    },
    {
      name: 'Neighbour Solicitations flooded for an IPv6 address with a live MAC/IP route (its text in any case)',
      facts: [mac2({ t: 0, mac: B.mac, ip: B.ip6.toUpperCase(), vtep: V2 }), ...nsInVxlan(5, V1, V2, A.mac, A.ip6, B.ip6)],
      errors: [{ messageId: 'flooded', data: { vtep: V1, vni: 5001, target: B.ip6, mac: B.mac, routeVtep: V2, kind: 'Neighbour Solicitations' } }],
    },
  ],
});
