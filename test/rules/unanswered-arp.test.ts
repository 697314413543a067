import { describe, expect, it } from 'vitest';
import { sharedMacArpBlackhole } from '../../src/rules/shared-mac-arp-blackhole.js';
import { unansweredArp } from '../../src/rules/unanswered-arp.js';
import { T0, announce, arp, na, ns, probe, reply, request, ruleTester, run } from './helpers.js';

const RTR = '00:11:22:00:00:01';
const HOST = '00:11:22:00:00:10';
const HOST2 = '00:11:22:00:00:20';
const HOST3 = '00:11:22:00:00:30';

ruleTester('unanswered-arp', [unansweredArp], {
  valid: [
    {
      name: 'IPv6: a solicitation answered by a solicited NA',
      facts: [
        ns({ t: 0, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
        na({ t: 0.01, smac: HOST, ip: '2001:db8:100::20', target: '2001:db8:100::10', solicited: true }),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'IPv6: DAD probes (NS from ::) expect silence',
      facts: [0, 1, 2].map((t) => ns({ t, smac: HOST, ip: '::', target: '2001:db8:100::10' })),
      lastTime: T0 + 30,
    },
    {
      name: 'IPv6: a unicast NUD probe that fails, then a multicast solicitation that is answered: one resolution, answered',
      facts: [
        ns({ t: 0, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10', ethDst: HOST }),
        ns({ t: 1, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10', ethDst: HOST }),
        ns({ t: 2, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
        na({ t: 2.01, smac: HOST, ip: '2001:db8:100::20', target: '2001:db8:100::10', solicited: true }),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'IPv6: an unsolicited NA (to all-nodes) from the target answers a pending solicitation',
      facts: [
        ns({ t: 0, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
        na({ t: 0.2, smac: HOST, ip: 'ff02::1', target: '2001:db8:100::10' }),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'request answered within the timeout',
      facts: [request(0, RTR, '10.0.100.2', '10.0.100.10'), reply(0.01, HOST, '10.0.100.10', RTR, '10.0.100.2')],
      lastTime: T0 + 30,
    },
    {
      name: 'gratuitous announcement expects no reply',
      facts: [announce(0, HOST, '10.0.100.10'), announce(1, HOST, '10.0.100.10'), announce(2, HOST, '10.0.100.10')],
      lastTime: T0 + 30,
    },
    {
      name: 'ARP probes (sender 0.0.0.0, duplicate address detection) expect no reply',
      facts: [probe(0, HOST, '10.0.100.10'), probe(1, HOST, '10.0.100.10'), probe(2, HOST, '10.0.100.10')],
      lastTime: T0 + 30,
    },
    {
      name: 'gratuitous request with a target MAC is not a question',
      facts: [arp({ t: 0, op: 1, smac: HOST, sip: '10.0.100.10', tip: '10.0.100.10', tmac: 'ff:ff:ff:ff:ff:ff' })],
      lastTime: T0 + 30,
    },
    {
      name: 'a request too close to the end of the capture is pending',
      facts: [request(0, RTR, '10.0.100.2', '10.0.100.10'), reply(0.1, HOST, '10.0.100.10', RTR, '10.0.100.2'), request(8.7, RTR, '10.0.100.2', '10.0.100.11')],
      lastTime: T0 + 10,
    },
    {
      name: 'two requesters, each answered',
      facts: [
        request(0, RTR, '10.0.100.2', '10.0.100.10'),
        request(0.1, HOST2, '10.0.100.20', '10.0.100.10'),
        reply(0.2, HOST, '10.0.100.10', RTR, '10.0.100.2'),
        reply(0.3, HOST, '10.0.100.10', HOST2, '10.0.100.20'),
      ],
      lastTime: T0 + 30,
    },
    {
      name: 'a slow reply within a raised --arp-timeout',
      facts: [request(0, RTR, '10.0.100.2', '10.0.100.10'), reply(2, HOST, '10.0.100.10', RTR, '10.0.100.2')],
      settings: { arpTimeout: 3 },
      lastTime: T0 + 30,
    },
    {
      name: 'retries answered by the last one',
      facts: [
        request(0, RTR, '10.0.100.2', '10.0.100.10'),
        request(0.5, RTR, '10.0.100.2', '10.0.100.10'),
        reply(0.6, HOST, '10.0.100.10', RTR, '10.0.100.2'),
      ],
      lastTime: T0 + 30,
    },
  ],
  invalid: [
    {
      name: 'three retries 1 s apart, no reply: warning, confirmed by the retries',
      facts: [
        request(0, RTR, '10.0.100.2', '10.0.100.99', { frame: 11 }),
        request(1, RTR, '10.0.100.2', '10.0.100.99', { frame: 12 }),
        request(2, RTR, '10.0.100.2', '10.0.100.99', { frame: 13 }),
      ],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'unanswered',
          severity: 'warning',
          confidence: 'confirmed',
          subject: { ip: '10.0.100.99' },
          frames: [11, 12, 13],
          count: 3,
          data: { target: '10.0.100.99', attempts: 3, requesters: '10.0.100.2' },
          domainLabel: 'vlan 100',
          filter: 'arp.opcode == 1 && arp.dst.proto_ipv4 == 10.0.100.99 && vlan.id == 100',
        },
      ],
    },
    {
      name: 'one unanswered request: info',
      facts: [request(0, RTR, '10.0.100.2', '10.0.100.99', { frame: 5 })],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', severity: 'info', confidence: 'inferred', frames: [5], count: 1 }],
    },
    {
      name: 'a reply in another VLAN does not answer',
      facts: [
        request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1 }),
        reply(0.01, HOST, '10.0.100.10', RTR, '10.0.100.2', { frame: 2, domain: 2 }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', frames: [1], domainLabel: 'vlan 100' }],
    },
    {
      name: 'a reply later than the timeout does not answer',
      facts: [request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1 }), reply(1.5, HOST, '10.0.100.10', RTR, '10.0.100.2')],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', severity: 'info', frames: [1] }],
    },
    {
      name: 'aggregated per target, requesters listed; two targets are two findings',
      facts: [
        request(0, RTR, '10.0.100.2', '10.0.100.98', { frame: 1 }),
        request(0.1, HOST2, '10.0.100.20', '10.0.100.98', { frame: 2 }),
        request(0.2, RTR, '10.0.100.2', '10.0.100.99', { frame: 3 }),
      ],
      lastTime: T0 + 30,
      errors: [
        { messageId: 'unanswered', subject: { ip: '10.0.100.98' }, data: { requesters: '10.0.100.2, 10.0.100.20', attempts: 2 }, frames: [1, 2] },
        { messageId: 'unanswered', subject: { ip: '10.0.100.99' }, frames: [3] },
      ],
    },
    {
      name: 'the reply goes to one requester; the other stays unanswered',
      facts: [
        // HOST2 got a reply earlier: the capture sees unicast to it, so its unanswered request is evidence.
        request(-5, HOST2, '10.0.100.20', '10.0.100.30', { frame: 90 }),
        reply(-4.99, HOST3, '10.0.100.30', HOST2, '10.0.100.20', { frame: 91 }),
        request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1 }),
        request(0.1, HOST2, '10.0.100.20', '10.0.100.10', { frame: 2 }),
        reply(0.2, HOST, '10.0.100.10', RTR, '10.0.100.2', { frame: 3 }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', data: { requesters: '10.0.100.20', attempts: 1 }, frames: [2] }],
    },
    {
      name: 'host-side capture: replies seen only to the capturing host; another host retrying is not evidence',
      facts: [
        request(0, HOST, '10.0.100.10', '10.0.100.1', { frame: 1 }),
        reply(0.001, RTR, '10.0.100.1', HOST, '10.0.100.10', { frame: 2 }),
        ...[0.2, 0.4, 0.6].map((t, i) => reply(t, HOST, '10.0.100.10', `00:11:22:00:01:0${i}`, `10.0.100.${40 + i}`, { frame: 80 + i })),
        request(1, HOST2, '10.0.100.20', '10.0.100.1', { frame: 3 }),
        request(2, HOST2, '10.0.100.20', '10.0.100.1', { frame: 4 }),
        request(3, HOST2, '10.0.100.20', '10.0.100.1', { frame: 5 }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unobservable', severity: 'info', confidence: 'inferred', frames: [3, 4, 5] }],
    },
    {
      name: 'host-side capture: the capturing host\'s own unanswered requests are still judged',
      facts: [
        request(0, HOST, '10.0.100.10', '10.0.100.1', { frame: 1 }),
        reply(0.001, RTR, '10.0.100.1', HOST, '10.0.100.10', { frame: 2 }),
        // HOST answers other hosts too: it is the one MAC at an end of every reply, the capturing host.
        ...[0.2, 0.4, 0.6].map((t, i) => reply(t, HOST, '10.0.100.10', `00:11:22:00:01:0${i}`, `10.0.100.${40 + i}`, { frame: 80 + i })),
        request(1, HOST, '10.0.100.10', '10.0.100.99', { frame: 3 }),
        request(2, HOST, '10.0.100.10', '10.0.100.99', { frame: 4 }),
        request(3, HOST, '10.0.100.10', '10.0.100.99', { frame: 5 }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', severity: 'warning', frames: [3, 4, 5] }],
    },
    {
      name: 'IPv6: three solicitations, no advertisement: warning, with the ND filter',
      facts: [0, 1, 2].map((t, i) => ns({ t, frame: 10 + i, smac: HOST2, ip: '2001:db8:300::10', target: '2001:db8:300::99' })),
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'unanswered',
          severity: 'warning',
          subject: { ip: '2001:db8:300::99', family: 'ipv6' },
          data: { requestName: 'Neighbour Solicitation', attempts: 3 },
          frames: [10, 11, 12],
          filter: /^icmpv6\.type == 135 && icmpv6\.nd\.ns\.target_address == 2001:db8:300::99 && vlan\.id == 100$/,
        },
      ],
    },
    {
      name: 'IPv6: failed unicast NUD probes then failed multicast solicitations are one resolution (3 attempts, not 5)',
      facts: [
        ns({ t: 0, frame: 1, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10', ethDst: HOST }),
        ns({ t: 0.5, frame: 2, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10', ethDst: HOST }),
        ns({ t: 0.9, frame: 3, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
        ns({ t: 1.8, frame: 4, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
        ns({ t: 2.7, frame: 5, smac: HOST2, ip: '2001:db8:100::20', target: '2001:db8:100::10' }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', data: { attempts: 3 }, frames: [3, 4, 5] }],
    },
    {
      name: 'inside VXLAN the filter names the VNI',
      facts: [request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1, domain: 3 })],
      lastTime: T0 + 30,
      errors: [{ messageId: 'unanswered', domainLabel: 'vni 5001 (vlan 40)', filter: /vlan\.id == 40 && vxlan\.vni == 5001$/ }],
    },
  ],
});

describe('the shared pending table cap names what it may have dropped (stats.findingsCapped)', () => {
  // Two targets asked for within the timeout: with --max-pending-arp 1 the first is pushed out before its timeout.
  const twoTargets = [
    request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1 }),
    request(0.2, RTR, '10.0.100.2', '10.0.100.11', { frame: 2 }),
    request(0.4, RTR, '10.0.100.2', '10.0.100.10', { frame: 3 }),
  ];

  it('a request pushed out before its timeout names the ids of every rule judging unanswered requests', () => {
    const { engine } = run([sharedMacArpBlackhole, unansweredArp], twoTargets, { maxPendingArp: 1 }, T0 + 30);
    expect(engine.capped()).toEqual(['shared-mac-arp-blackhole', 'unanswered-arp']);
    expect(engine.shared.pending?.undecided).toBeGreaterThan(0);
  });

  it('only the rules that listen: unanswered-arp alone names only itself', () => {
    expect(run([unansweredArp], twoTargets, { maxPendingArp: 1 }, T0 + 30).engine.capped()).toEqual(['unanswered-arp']);
  });

  it('true negative: the same requests under the default cap', () => {
    expect(run([sharedMacArpBlackhole, unansweredArp], twoTargets, {}, T0 + 30).engine.capped()).toEqual([]);
  });

  it('true negative: targets pushed out after they were answered lose nothing', () => {
    const answered = [
      request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1 }),
      reply(0.01, HOST, '10.0.100.10', RTR, '10.0.100.2', { frame: 2 }),
      request(0.2, RTR, '10.0.100.2', '10.0.100.11', { frame: 3 }),
      reply(0.21, HOST2, '10.0.100.11', RTR, '10.0.100.2', { frame: 4 }),
      request(0.4, RTR, '10.0.100.2', '10.0.100.12', { frame: 5 }),
      reply(0.41, HOST3, '10.0.100.12', RTR, '10.0.100.2', { frame: 6 }),
    ];
    expect(run([unansweredArp], answered, { maxPendingArp: 1 }, T0 + 30).engine.capped()).toEqual([]);
  });

  it('true negative: a target pushed out after its timeout was decided (and reported) first', () => {
    const late = [request(0, RTR, '10.0.100.2', '10.0.100.10', { frame: 1 }), request(5, RTR, '10.0.100.2', '10.0.100.11', { frame: 2 })];
    const { findings, engine } = run([unansweredArp], late, { maxPendingArp: 1 }, T0 + 30);
    expect(engine.capped()).toEqual([]);
    expect(findings.map((f) => f.subject.ip)).toEqual(['10.0.100.10', '10.0.100.11']);
  });
});

describe('a gateway declared in intent.gateways that does not answer', () => {
  const GW = '10.0.100.1';
  const intent = { gateways: [{ ip: GW, macs: ['00:00:0c:07:ac:01'], vlan: 100 }] };
  const asks = (n: number) => Array.from({ length: n }, (_, i) => request(i, HOST, '10.0.100.10', GW, { frame: i + 1 }));

  it('is an error once the retries confirm it, and the detail says why', () => {
    const [f] = run([unansweredArp], asks(3), {}, T0 + 30, intent).findings;
    expect(f.severity).toBe('error');
    expect(f.detail).toContain('a gateway the config declares (intent.gateways)');
  });

  it('true negative: a single miss stays info (it may be the capture point)', () => {
    expect(run([unansweredArp], asks(1), {}, T0 + 30, intent).findings.map((f) => f.severity)).toEqual(['info']);
  });

  it('true negative: without the intent, or declared in another VLAN, the same requests are a warning', () => {
    expect(run([unansweredArp], asks(3), {}, T0 + 30).findings.map((f) => f.severity)).toEqual(['warning']);
    const elsewhere = { gateways: [{ ip: GW, macs: ['00:00:0c:07:ac:01'], vlan: 200 }] };
    expect(run([unansweredArp], asks(3), {}, T0 + 30, elsewhere).findings.map((f) => f.severity)).toEqual(['warning']);
  });
});
