import { sharedMacArpBlackhole } from '../../src/rules/shared-mac-arp-blackhole.js';
import { T0, announce, fhrp, na, ns, reply, request, ruleTester } from './helpers.js';

const SHARED = '00:1c:73:00:00:99';
const H1 = '00:11:22:00:00:10';
const H2 = '00:11:22:00:00:11';
const VMAC = '00:00:5e:00:01:01';

/** The IPv6 twin of the story: two gateways with one MAC solicit host ::11 (its NAs go to the shared MAC). */
const gw6 = ['2001:db8:100::2', '2001:db8:100::5'];

ruleTester('shared-mac-arp-blackhole', [sharedMacArpBlackhole], {
  valid: [
    {
      name: 'IPv6: a dual-stack host (one MAC, link-local, global and temporary addresses) soliciting and answered',
      facts: [
        ns({ t: 0, smac: H1, ip: 'fe80::10', target: 'fe80::1' }),
        na({ t: 0.01, smac: H2, ip: 'fe80::10', target: 'fe80::1', router: true }),
        ns({ t: 1, smac: H1, ip: '2001:db8:100::10', target: '2001:db8:100::1' }),
        na({ t: 1.01, smac: H2, ip: '2001:db8:100::10', target: '2001:db8:100::1', router: true }),
        ns({ t: 2, smac: H1, ip: '2001:db8:100::a:b:c:d', target: '2001:db8:100::1' }),
        na({ t: 2.01, smac: H2, ip: '2001:db8:100::a:b:c:d', target: '2001:db8:100::1', router: true }),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'IPv6: a host with two global addresses whose solicitations for one dead neighbour fail from one address',
      facts: [
        ns({ t: 0, smac: H1, ip: '2001:db8:100::10', target: '2001:db8:100::1' }),
        na({ t: 0.01, smac: H2, ip: '2001:db8:100::10', target: '2001:db8:100::1', router: true }),
        ns({ t: 0.5, smac: H1, ip: '2001:db8:100::a:b:c:d', target: '2001:db8:100::1' }),
        na({ t: 0.51, smac: H2, ip: '2001:db8:100::a:b:c:d', target: '2001:db8:100::1', router: true }),
        ...[1, 2, 3].map((t) => ns({ t, smac: H1, ip: '2001:db8:100::10', target: '2001:db8:100::99' })),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'a dual-stack host: one IPv4 and one IPv6 address on one MAC are not two devices',
      facts: [
        request(0, H1, '10.0.100.10', '10.0.100.1'),
        request(1, H1, '10.0.100.10', '10.0.100.99'),
        ns({ t: 0.5, smac: H1, ip: '2001:db8:100::10', target: '2001:db8:100::1' }),
        ns({ t: 1.5, smac: H1, ip: '2001:db8:100::10', target: '2001:db8:100::99' }),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'one gateway, one IP, failing ARP: not a shared MAC (that is unanswered-arp)',
      facts: [
        request(0, SHARED, '10.0.100.2', '10.0.100.10'),
        request(1, SHARED, '10.0.100.2', '10.0.100.10'),
        request(2, SHARED, '10.0.100.2', '10.0.100.10'),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'a host that changed its IP (old address never used again)',
      facts: [
        request(0, H1, '10.0.100.50', '10.0.100.1'),
        request(5, H1, '10.0.100.50', '10.0.100.1'),
        announce(10, H1, '10.0.100.51'),
        request(11, H1, '10.0.100.51', '10.0.100.9'),
        request(20, H1, '10.0.100.51', '10.0.100.9'),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'proxy ARP: a router answering for many addresses with its own MAC',
      facts: [
        request(0, H1, '10.0.100.50', '10.0.200.1'),
        reply(0.01, SHARED, '10.0.200.1', H1, '10.0.100.50'),
        request(1, H1, '10.0.100.50', '10.0.200.2'),
        reply(1.01, SHARED, '10.0.200.2', H1, '10.0.100.50'),
        request(2, H1, '10.0.100.50', '10.0.200.1'),
        reply(2.01, SHARED, '10.0.200.1', H1, '10.0.100.50'),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'a VRRP virtual MAC announcing the two virtual IPs of its group',
      facts: [
        fhrp({ t: 0, protocol: 'vrrp', srcMac: '00:11:22:00:00:a1', srcIp: '10.0.100.2', vip: ['10.0.100.1', '10.0.100.254'] }),
        announce(0.1, VMAC, '10.0.100.1'),
        announce(0.2, VMAC, '10.0.100.254'),
        announce(5, VMAC, '10.0.100.1'),
        announce(5.1, VMAC, '10.0.100.254'),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'one router MAC on several VLANs (subinterfaces): different domains never mix',
      facts: [
        request(0, SHARED, '10.0.100.2', '10.0.100.10', { domain: 1 }),
        request(0.5, SHARED, '10.0.200.2', '10.0.200.10', { domain: 2 }),
        request(1, SHARED, '10.0.100.2', '10.0.100.10', { domain: 1 }),
        request(1.5, SHARED, '10.0.200.2', '10.0.200.10', { domain: 2 }),
      ],
      lastTime: T0 + 60,
    },
  ],
  invalid: [
    {
      name: 'IPv6: two gateways solicit a host from one MAC, and their solicitations fail',
      facts: [
        ...[0, 1, 2].flatMap((t) =>
          gw6.map((ip, i) => ns({ t: t + i * 0.3, frame: 10 + t * 2 + i, smac: SHARED, ip, target: '2001:db8:100::11' })),
        ),
      ],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'blackhole',
          severity: 'error',
          subject: { mac: SHARED, ips: gw6, family: 'ipv6' },
          data: { protocol: 'IPv6 ND', ipCount: 2 },
          filter: new RegExp(`^\\(icmpv6\\.opt\\.linkaddr == ${SHARED} \\|\\| eth\\.addr == ${SHARED}\\) && \\(icmpv6\\.type == 135 \\|\\| icmpv6\\.type == 136\\) && vlan\\.id == 100$`),
        },
      ],
    },
    {
      name: 'a MAC whose state is reused from MACs that left the table (failures, IPs, replies) starts afresh',
      settings: { maxMacs: 4 },
      facts: [
        // Four hosts fail once each and see a reply, then four more push them out of the table.
        ...[1, 2, 3, 4].map((i) => request(i / 10, `00:11:22:00:01:0${i}`, `10.0.100.${50 + i}`, '10.0.100.99')),
        ...[1, 2, 3, 4].map((i) => reply(1 + i / 10, `00:11:22:00:02:0${i}`, `10.0.100.${10 + i}`, `00:11:22:00:01:0${i}`, `10.0.100.${50 + i}`)),
        ...[1, 2, 3, 4].map((i) => request(2 + i / 10, `00:11:22:00:01:0${i}`, `10.0.100.${50 + i}`, '10.0.100.10')),
        ...[5, 6, 7, 8].map((i) => request(3 + i / 10, `00:11:22:00:01:0${i}`, `10.0.100.${50 + i}`, '10.0.100.10')),
        request(4, SHARED, '10.0.100.2', '10.0.100.20', { frame: 101 }),
        request(4.5, SHARED, '10.0.100.3', '10.0.100.21', { frame: 102 }),
        request(5, SHARED, '10.0.100.2', '10.0.100.20', { frame: 103 }),
      ],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'blackhole',
          subject: { mac: SHARED, ips: ['10.0.100.2', '10.0.100.3'] },
          frames: [101, 102],
          data: { unanswered: 3, retried: 0, ipCount: 2, targets: '10.0.100.20, 10.0.100.21' },
        },
      ],
    },
    {
      name: 'anycast without EVPN: two gateways share a MAC, one cannot resolve the host',
      facts: [
        request(0, SHARED, '10.0.100.2', '10.0.100.10', { frame: 1 }),
        request(0.5, SHARED, '10.0.100.3', '10.0.100.11', { frame: 2 }),
        reply(0.51, H2, '10.0.100.11', SHARED, '10.0.100.3', { frame: 3 }),
        request(1, SHARED, '10.0.100.2', '10.0.100.10', { frame: 4 }),
        request(1.5, SHARED, '10.0.100.3', '10.0.100.12', { frame: 5 }),
        request(2, SHARED, '10.0.100.2', '10.0.100.10', { frame: 6 }),
      ],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'blackhole',
          severity: 'error',
          confidence: 'confirmed',
          subject: { mac: SHARED, ips: ['10.0.100.2', '10.0.100.3'] },
          frames: [1, 2, 4, 6],
          data: { unanswered: 4, retried: 0, ipCount: 2, targets: '10.0.100.10, 10.0.100.12' },
          filter: `(arp.src.hw_mac == ${SHARED} || arp.dst.hw_mac == ${SHARED}) && vlan.id == 100`,
        },
      ],
    },
    {
      name: "captured at the host's port: the reply to the shared MAC is seen, yet the request is repeated",
      facts: [
        request(0, SHARED, '10.0.100.2', '10.0.100.10', { frame: 1 }),
        reply(0.01, H1, '10.0.100.10', SHARED, '10.0.100.2', { frame: 2 }),
        request(0.5, SHARED, '10.0.100.3', '10.0.100.11', { frame: 3 }),
        reply(0.51, H2, '10.0.100.11', SHARED, '10.0.100.3', { frame: 4 }),
        request(1, SHARED, '10.0.100.2', '10.0.100.10', { frame: 5 }),
        reply(1.01, H1, '10.0.100.10', SHARED, '10.0.100.2', { frame: 6 }),
      ],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'blackhole',
          severity: 'error',
          confidence: 'confirmed',
          frames: [1, 2, 3, 5],
          data: { unanswered: 0, retried: 1, targets: '10.0.100.10' },
        },
      ],
    },
    {
      name: 'shared MAC seen, every ARP answered so far: latent risk, warning, inferred (also a router with secondaries)',
      facts: [
        request(0, SHARED, '10.0.100.2', '10.0.100.10', { frame: 1 }),
        reply(0.01, H1, '10.0.100.10', SHARED, '10.0.100.2'),
        request(0.5, SHARED, '10.0.100.3', '10.0.100.11', { frame: 3 }),
        reply(0.51, H2, '10.0.100.11', SHARED, '10.0.100.3'),
        request(40, SHARED, '10.0.100.2', '10.0.100.10', { frame: 5 }),
        reply(40.01, H1, '10.0.100.10', SHARED, '10.0.100.2'),
      ],
      lastTime: T0 + 60,
      errors: [{ messageId: 'latent', severity: 'warning', confidence: 'inferred', frames: [1, 3] }],
    },
    {
      name: 'QinQ domain: label and filter name both tags',
      facts: [
        request(0, SHARED, '10.0.100.2', '10.0.100.10', { domain: 4 }),
        request(0.5, SHARED, '10.0.100.3', '10.0.100.11', { domain: 4 }),
        request(1, SHARED, '10.0.100.2', '10.0.100.10', { domain: 4 }),
      ],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'blackhole',
          domainLabel: 'vlan 300.30',
          filter: /\(ieee8021ad\.id == 300 \|\| vlan\.id == 300\) && vlan\.id == 30$/,
        },
      ],
    },
  ],
});
