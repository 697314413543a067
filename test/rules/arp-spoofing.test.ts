// arp-spoofing: one MAC sends unsolicited replies (or NAs) claiming an IP that its owner still answers for.
import { duplicateGatewayMac } from '../../src/rules/duplicate-gateway-mac.js';
import { describe, expect, it } from 'vitest';
import { fhrp, na, ns, reply, request, ruleTester, run } from './helpers.js';

const GW_MAC = '00:11:22:00:00:01';
const ATTACKER = '00:66:66:00:00:66';
const VICTIM = '00:11:22:00:00:10';
const OTHER = '00:11:22:00:00:11';
const GW = '10.0.100.1';
const GW6 = '2001:db8:100::1';

/** The victim asks for the gateway every 10 s and the gateway answers; the attacker poisons in between. */
const asksAndAnswers = (times: number[]) =>
  times.flatMap((t) => [request(t, VICTIM, '10.0.100.10', GW), reply(t + 0.001, GW_MAC, GW, VICTIM, '10.0.100.10')]);
const poison = (times: number[], frame0 = 100) =>
  times.map((t, i) => reply(t, ATTACKER, GW, VICTIM, '10.0.100.10', { frame: frame0 + i, ethDst: VICTIM }));

ruleTester('arp-spoofing', [duplicateGatewayMac], {
  valid: [
    {
      name: 'the gateway answering requests, again and again',
      facts: asksAndAnswers([0, 10, 20, 30]),
    },
    {
      name: 'a gratuitous reply from the owner itself (failover announcement) is no spoofing',
      facts: [...asksAndAnswers([0, 10]), reply(15, GW_MAC, GW, 'ff:ff:ff:ff:ff:ff', GW), ...asksAndAnswers([20])],
    },
    {
      name: 'a clean move: the new MAC announces itself with unsolicited replies and the old one is never heard again',
      facts: [...asksAndAnswers([0, 10]), ...poison([20, 22, 24]), request(30, VICTIM, '10.0.100.10', GW), reply(30.001, ATTACKER, GW, VICTIM, '10.0.100.10')],
    },
    {
      name: 'one unsolicited reply is below spoofReplies',
      facts: [...asksAndAnswers([0, 10]), ...poison([12]), ...asksAndAnswers([20])],
    },
    {
      name: 'IPv6: unsolicited NAs from the router itself (after a failover) are no spoofing',
      facts: [
        ns({ t: 0, smac: VICTIM, ip: '2001:db8:100::10', target: GW6 }),
        na({ t: 0.01, smac: GW_MAC, ip: '2001:db8:100::10', target: GW6, router: true, solicited: true }),
        na({ t: 5, smac: GW_MAC, ip: 'ff02::1', target: GW6, router: true }),
        na({ t: 6, smac: GW_MAC, ip: 'ff02::1', target: GW6, router: true }),
      ],
    },
  ],
  invalid: [
    {
      name: 'arpspoof against an FHRP virtual IP: one finding — the spoofing explains the wrong-virtual-MAC answer',
      facts: [
        fhrp({ t: 0, srcMac: '00:11:22:00:00:02', srcIp: '10.0.100.2', vip: GW }),
        request(1, VICTIM, '10.0.100.10', GW),
        reply(1.001, '00:00:0c:07:ac:01', GW, VICTIM, '10.0.100.10'),
        ...poison([3, 5, 7], 400),
        request(9, VICTIM, '10.0.100.10', GW),
        reply(9.001, '00:00:0c:07:ac:01', GW, VICTIM, '10.0.100.10'),
      ],
      errors: [{ messageId: 'spoofing', severity: 'error', frames: [400, 401, 402] }],
    },
    {
      name: 'arpspoof: unsolicited replies claiming the gateway every 2 s while the gateway keeps answering',
      facts: [
        fhrp({ t: 0, srcMac: GW_MAC, srcIp: '10.0.100.2', vip: GW, vmac: GW_MAC }),
        ...asksAndAnswers([1, 11, 21]),
        ...poison([3, 5, 7, 9, 13, 15]),
      ],
      errors: [
        {
          messageId: 'spoofing',
          severity: 'error',
          subject: { ip: GW, spoofer: ATTACKER, owner: GW_MAC, family: 'ipv4' },
          data: { unsolicited: 6, solicited: 3 },
          frames: [100],
          filter: 'arp.src.proto_ipv4 == 10.0.100.1 && (arp.src.hw_mac == 00:66:66:00:00:66 || arp.src.hw_mac == 00:11:22:00:00:01) && vlan.id == 100',
        },
      ],
    },
    {
      name: 'a host, not a gateway: warning',
      facts: [
        request(1, OTHER, '10.0.100.11', '10.0.100.10'),
        reply(1.001, VICTIM, '10.0.100.10', OTHER, '10.0.100.11'),
        reply(3, ATTACKER, '10.0.100.10', OTHER, '10.0.100.11', { frame: 200, ethDst: OTHER }),
        reply(5, ATTACKER, '10.0.100.10', OTHER, '10.0.100.11', { frame: 201, ethDst: OTHER }),
        request(6, OTHER, '10.0.100.11', '10.0.100.10'),
        reply(6.001, VICTIM, '10.0.100.10', OTHER, '10.0.100.11'),
      ],
      errors: [{ messageId: 'spoofing', severity: 'warning', data: { gatewayReason: 'not a gateway' }, frames: [200, 201] }],
    },
    {
      name: 'IPv6: unsolicited override NAs for the router address from another MAC while the router answers NS',
      facts: [
        ns({ t: 0, smac: VICTIM, ip: '2001:db8:100::10', target: GW6 }),
        na({ t: 0.01, smac: GW_MAC, ip: '2001:db8:100::10', target: GW6, router: true, solicited: true }),
        na({ t: 2, frame: 300, smac: ATTACKER, ip: '2001:db8:100::10', target: GW6, router: true, solicited: false }),
        na({ t: 4, frame: 301, smac: ATTACKER, ip: '2001:db8:100::10', target: GW6, router: true, solicited: false }),
        ns({ t: 5, smac: VICTIM, ip: '2001:db8:100::10', target: GW6 }),
        na({ t: 5.01, smac: GW_MAC, ip: '2001:db8:100::10', target: GW6, router: true, solicited: true }),
      ],
      errors: [
        {
          messageId: 'spoofing',
          severity: 'error',
          subject: { ip: GW6, spoofer: ATTACKER, owner: GW_MAC, family: 'ipv6' },
          frames: [300, 301],
          filter: /icmpv6\.nd\.na\.target_address == 2001:db8:100::1/,
        },
      ],
    },
  ],
});

describe('arp-spoofing and the FHRP virtual-MAC check', () => {
  it('leave no duplicate-gateway-mac finding beside the spoofing one', () => {
    const { findings } = run([duplicateGatewayMac], [
      fhrp({ t: 0, srcMac: '00:11:22:00:00:02', srcIp: '10.0.100.2', vip: GW }),
      request(1, VICTIM, '10.0.100.10', GW),
      reply(1.001, '00:00:0c:07:ac:01', GW, VICTIM, '10.0.100.10'),
      ...poison([3, 5, 7], 400),
      request(9, VICTIM, '10.0.100.10', GW),
      reply(9.001, '00:00:0c:07:ac:01', GW, VICTIM, '10.0.100.10'),
    ]);
    expect(findings.map((f) => f.rule)).toEqual(['arp-spoofing']);
  });
});
