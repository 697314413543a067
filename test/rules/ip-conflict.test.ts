import { duplicateGatewayMac } from '../../src/rules/duplicate-gateway-mac.js';
import { announce, evpn, probe, reply, request, ruleTester } from './helpers.js';

const A = '00:11:22:00:00:0a';
const B = '00:11:22:00:00:0b';
const ASKER = '00:11:22:00:00:99';
const IP = '10.0.100.50';

ruleTester('ip-conflict', [duplicateGatewayMac], {
  valid: [
    {
      name: 'a host replaced: the new MAC announces itself and the old one is gone',
      facts: [announce(0, A, IP), request(1, A, IP, '10.0.100.1'), announce(30, B, IP), request(31, B, IP, '10.0.100.1'), request(40, B, IP, '10.0.100.1')],
    },
    {
      name: 'the old MAC comes back only after the window',
      facts: [announce(0, A, IP), announce(100, B, IP), announce(200, A, IP)],
      settings: { duplicateWindow: 60 },
    },
    {
      name: 'duplicate address detection probes (sender 0.0.0.0) are not claims',
      facts: [announce(0, A, IP), probe(1, B, IP), probe(2, B, IP), request(3, A, IP, '10.0.100.1')],
    },
    {
      name: 'one IP used in two VLANs by different hosts',
      facts: [announce(0, A, IP, { domain: 1 }), announce(1, B, IP, { domain: 2 }), announce(2, A, IP, { domain: 1 }), announce(3, B, IP, { domain: 2 })],
    },
    {
      name: 'EVPN: one IP with two MACs in two VNIs (two instances) is no conflict',
      facts: [evpn({ t: 0, mac: A, ip: IP, nextHop: '192.0.2.1', vni: 10100 }), evpn({ t: 1, mac: B, ip: IP, nextHop: '192.0.2.2', vni: 10200 })],
    },
    {
      name: 'EVPN: the first MAC is withdrawn (VLAN-aware bundle: one RD, two VNIs) before the second is advertised',
      facts: [
        evpn({ t: 0, mac: B, ip: IP, nextHop: '192.0.2.1', vni: 10200 }),
        evpn({ t: 0.5, mac: A, ip: IP, nextHop: '192.0.2.1', vni: 10100 }),
        evpn({ t: 1, mac: A, ip: IP, rd: '192.0.2.1:100', action: 'withdraw' }),
        evpn({ t: 2, mac: B, ip: IP, nextHop: '192.0.2.2', vni: 10100 }),
      ],
    },
  ],
  invalid: [
    {
      name: 'two hosts answer one request',
      facts: [request(0, ASKER, '10.0.100.9', IP, { frame: 1 }), reply(0.01, A, IP, ASKER, '10.0.100.9', { frame: 2 }), reply(0.02, B, IP, ASKER, '10.0.100.9', { frame: 3 })],
      errors: [
        {
          messageId: 'duplicate',
          severity: 'warning',
          confidence: 'confirmed',
          subject: { ip: IP, macs: [A, B] },
          frames: [2, 3],
          data: { twoAnswers: 1, gatewayReason: 'not a gateway' },
        },
      ],
    },
    {
      name: "arpwatch's flip flop: A, B, A within the window",
      facts: [announce(0, A, IP, { frame: 1 }), announce(10, B, IP, { frame: 2 }), request(20, A, IP, '10.0.100.1', { frame: 3 }), request(30, B, IP, '10.0.100.1', { frame: 4 })],
      errors: [{ messageId: 'duplicate', severity: 'warning', frames: [1, 2, 3, 4], count: 2, data: { conflicts: 2 } }],
    },
    {
      name: 'EVPN: one host IP advertised with two MACs, no default-gateway community',
      facts: [evpn({ t: 0, frame: 5, mac: A, ip: IP, nextHop: '192.0.2.1' }), evpn({ t: 1, frame: 6, mac: B, ip: IP, nextHop: '192.0.2.2' })],
      errors: [{ messageId: 'evpn-duplicate', severity: 'warning', frames: [5, 6], domainLabel: 'evi vni 10100' }],
    },
    {
      name: 'EVPN: an IPv6 host address advertised with two MACs; each route is cited once however often it conflicts',
      facts: [
        evpn({ t: 0, frame: 5, mac: A, ip: '2001:db8::50', nextHop: '192.0.2.1' }),
        evpn({ t: 1, frame: 6, mac: B, ip: '2001:db8::50', nextHop: '192.0.2.2' }),
        evpn({ t: 2, frame: 7, mac: B, ip: '2001:db8::50', nextHop: '192.0.2.3' }),
      ],
      errors: [
        {
          messageId: 'evpn-duplicate',
          subject: { ip: '2001:db8::50', macs: [A, B] },
          frames: [5, 6, 7],
          count: 2,
          filter: `bgp.evpn.nlri.ipv6_addr == 2001:db8::50 && (bgp.evpn.nlri.mac_addr == ${A} || bgp.evpn.nlri.mac_addr == ${B})`,
        },
      ],
    },
  ],
});
