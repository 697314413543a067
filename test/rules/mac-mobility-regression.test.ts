import { describe, expect, it } from 'vitest';
import { macMobilityRegression } from '../../src/rules/mac-mobility-regression.js';
import { rdNumber } from '../../src/rules/rd-numbers.js';
import { T0, evpn, ruleTester } from './helpers.js';

const M = '00:aa:bb:cc:dd:01';
const PE1 = '192.0.2.1';
const PE2 = '192.0.2.2';
const ESI = '00:11:11:11:11:11:11:11:11:01';

ruleTester('mac-mobility-regression', [macMobilityRegression], {
  valid: [
    {
      name: 'a normal move: absent sequence (0), then 1 from the new PE',
      facts: [evpn({ t: 0, mac: M, nextHop: PE1 }), evpn({ t: 1, mac: M, nextHop: PE2, seq: 1 })],
    },
    {
      name: 'a withdrawn route is not live',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE1, seq: 5 }),
        evpn({ t: 1, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
        evpn({ t: 2, mac: M, nextHop: PE2, seq: 0 }),
      ],
    },
    {
      name: 'wrap-around: 0 after 4294967295 is newer (RFC 1982), though FRR compares plain integers',
      facts: [evpn({ t: 0, mac: M, nextHop: PE1, seq: 4294967295 }), evpn({ t: 1, mac: M, nextHop: PE2, seq: 0 })],
    },
    {
      name: 'multihoming: PEs sharing a non-zero ESI are not a move',
      facts: [evpn({ t: 0, mac: M, nextHop: PE1, seq: 3, esi: ESI }), evpn({ t: 1, mac: M, nextHop: PE2, seq: 1, esi: ESI })],
    },
    {
      name: 'different VNIs are different EVPN instances',
      facts: [evpn({ t: 0, mac: M, nextHop: PE1, seq: 5, vni: 10100 }), evpn({ t: 1, mac: M, nextHop: PE2, seq: 0, vni: 10200 })],
    },
    {
      name: 'a withdrawal with a type-0 RD finds its PE through the RD of the advertisement',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE1, rd: '65000:1', seq: 5 }),
        evpn({ t: 1, mac: M, rd: '65000:1', action: 'withdraw' }),
        evpn({ t: 2, mac: M, nextHop: PE2, rd: '65000:2', seq: 0 }),
      ],
    },
    {
      name: 'race on the wire: PE1 seq 4 arrives after PE2 seq 5, then PE1 withdraws within the grace period (RFC 7432 §15)',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE2, seq: 5 }),
        evpn({ t: 0.2, mac: M, nextHop: PE1, seq: 4 }),
        evpn({ t: 0.4, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'race on the wire: the stale advertisement and its withdrawal in one instant',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE2, seq: 8 }),
        evpn({ t: 1, mac: M, nextHop: PE1, seq: 7 }),
        evpn({ t: 1, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'race: the stale MAC/IP route is followed by the withdrawal of the MAC-only route (one sequence per MAC)',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE2, seq: 1 }),
        evpn({ t: 0.05, mac: M, nextHop: PE1, ip: '10.60.158.33' }),
        evpn({ t: 0.05, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'the lower-sequence PE raises its sequence within the grace period (the MAC moved back)',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE2, seq: 5 }),
        evpn({ t: 0.5, mac: M, nextHop: PE1, seq: 4 }),
        evpn({ t: 2, mac: M, nextHop: PE1, seq: 6 }),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'the higher route is withdrawn within the grace period: the lower one is the only live route',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE2, seq: 5 }),
        evpn({ t: 0.5, mac: M, nextHop: PE1, seq: 4 }),
        evpn({ t: 1, mac: M, rd: `${PE2}:100`, action: 'withdraw' }),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'one MAC in two VNIs: the withdrawal (found through its RD) leaves the VNI it was in',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE1, rd: `${PE1}:100`, seq: 5, vni: 10100 }),
        evpn({ t: 0, mac: M, nextHop: PE1, rd: `${PE1}:200`, seq: 5, vni: 10200 }),
        evpn({ t: 1, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
        evpn({ t: 2, mac: M, nextHop: PE2, rd: `${PE2}:100`, seq: 0, vni: 10100 }),
      ],
      lastTime: T0 + 60,
    },
    {
      name: 'a route reflector repeats the same advertisement',
      facts: [evpn({ t: 0, mac: M, nextHop: PE1, seq: 2 }), evpn({ t: 0.1, mac: M, nextHop: PE1, seq: 2, speaker: '192.0.2.254' })],
    },
  ],
  invalid: [
    {
      name: 'a lower sequence than the live route of another PE',
      facts: [evpn({ t: 0, frame: 1, mac: M, nextHop: PE1, seq: 5 }), evpn({ t: 1, frame: 2, mac: M, nextHop: PE2, seq: 3 })],
      lastTime: T0 + 30,
      errors: [
        {
          messageId: 'regression',
          severity: 'error',
          confidence: 'confirmed',
          subject: { mac: M },
          frames: [1, 2],
          data: { pe: PE2, seq: 3, otherPe: PE1, otherSeq: 5 },
          domainLabel: 'evi vni 10100',
          filter: `bgp.evpn.nlri.mac_addr == ${M} && (bgp.ext_com_evpn.mmac.seq == 3 || bgp.ext_com_evpn.mmac.seq == 5)`,
        },
      ],
    },
    {
      name: 'a stale advertisement still live after the grace period (later traffic shows it was not withdrawn)',
      facts: [
        evpn({ t: 0, frame: 1, mac: M, nextHop: PE2, seq: 5 }),
        evpn({ t: 0.2, frame: 2, mac: M, nextHop: PE1, seq: 4 }),
        evpn({ t: 10, frame: 3, mac: '00:aa:bb:cc:dd:99', nextHop: PE2, seq: 1 }),
      ],
      errors: [{ messageId: 'regression', confidence: 'confirmed', frames: [1, 2], data: { pe: PE1, seq: 4, otherPe: PE2, otherSeq: 5 } }],
    },
    {
      name: 'the capture ends within the grace period of a stale advertisement: inferred',
      facts: [evpn({ t: 0, frame: 1, mac: M, nextHop: PE2, seq: 5 }), evpn({ t: 1, frame: 2, mac: M, nextHop: PE1, seq: 4 })],
      lastTime: T0 + 2,
      errors: [{ messageId: 'regression', confidence: 'inferred', frames: [1, 2] }],
    },
    {
      name: 'a shorter --mobility-grace decides sooner (and a withdrawal after it comes too late)',
      settings: { mobilityGrace: 0.5 },
      facts: [
        evpn({ t: 0, frame: 1, mac: M, nextHop: PE2, seq: 5 }),
        evpn({ t: 0.2, frame: 2, mac: M, nextHop: PE1, seq: 4 }),
        evpn({ t: 1, frame: 3, mac: '00:aa:bb:cc:dd:99', nextHop: PE2, seq: 1 }),
        evpn({ t: 1.5, frame: 4, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
      ],
      errors: [{ messageId: 'regression', confidence: 'confirmed', frames: [1, 2] }],
    },
    {
      name: 'the same PE lowers its own live sequence',
      facts: [evpn({ t: 0, frame: 1, mac: M, nextHop: PE1, seq: 4 }), evpn({ t: 1, frame: 2, mac: M, nextHop: PE1, seq: 2 })],
      errors: [{ messageId: 'same-pe-regression', frames: [1, 2], data: { pe: PE1, seq: 2, otherSeq: 4 } }],
    },
    {
      name: 'wrap-around: 4294967290 is before 10 in serial arithmetic',
      facts: [evpn({ t: 0, frame: 1, mac: M, nextHop: PE1, seq: 10 }), evpn({ t: 1, frame: 2, mac: M, nextHop: PE2, seq: 4294967290 })],
      errors: [{ messageId: 'regression', frames: [1, 2], data: { seq: 4294967290, otherSeq: 10 } }],
    },
    {
      name: 'sequences exactly 2^31 apart have no defined order',
      facts: [evpn({ t: 0, mac: M, nextHop: PE1, seq: 1 }), evpn({ t: 1, mac: M, nextHop: PE2, seq: 2 ** 31 + 1 })],
      errors: [{ messageId: 'serial-ambiguous', confidence: 'inferred' }],
    },
    {
      name: 'one MAC in two VNIs: a withdrawal in one leaves the other live',
      facts: [
        evpn({ t: 0, frame: 1, mac: M, nextHop: PE1, rd: `${PE1}:100`, seq: 5, vni: 10100 }),
        evpn({ t: 0, frame: 2, mac: M, nextHop: PE1, rd: `${PE1}:200`, seq: 5, vni: 10200 }),
        evpn({ t: 1, frame: 3, mac: M, rd: `${PE1}:100`, action: 'withdraw' }),
        evpn({ t: 2, frame: 4, mac: M, nextHop: PE2, rd: `${PE2}:200`, seq: 0, vni: 10200 }),
      ],
      lastTime: T0 + 60,
      errors: [{ messageId: 'regression', frames: [2, 4], domainLabel: 'evi vni 10200', data: { pe: PE2, seq: 0, otherPe: PE1, otherSeq: 5 } }],
    },
    {
      name: 'a PE that withdraws its MAC/IP route but keeps the MAC-only route still has the MAC',
      facts: [
        evpn({ t: 0, frame: 1, mac: M, nextHop: PE1, seq: 5 }),
        evpn({ t: 0.1, frame: 2, mac: M, nextHop: PE1, seq: 5, ip: '10.0.0.5' }),
        evpn({ t: 0.5, frame: 3, mac: M, rd: `${PE1}:100`, ip: '10.0.0.5', action: 'withdraw' }),
        evpn({ t: 1, frame: 4, mac: M, nextHop: PE2, seq: 3 }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'regression', confidence: 'confirmed', frames: [2, 4], data: { pe: PE2, seq: 3, otherPe: PE1, otherSeq: 5 } }],
    },
    {
      name: 'IPv6 next hops are PEs too',
      facts: [
        evpn({ t: 0, frame: 1, mac: M, nextHop: '2001:db8::1', seq: 5 }),
        evpn({ t: 1, frame: 2, mac: M, nextHop: '2001:db8::2', seq: 3 }),
      ],
      lastTime: T0 + 30,
      errors: [{ messageId: 'regression', frames: [1, 2], data: { pe: '2001:db8::2', seq: 3, otherPe: '2001:db8::1', otherSeq: 5 } }],
    },
    {
      name: 'without VXLAN encapsulation the instance is the route targets',
      facts: [
        evpn({ t: 0, mac: M, nextHop: PE1, seq: 5, encapsulation: null, routeTargets: ['65000:100'] }),
        evpn({ t: 1, mac: M, nextHop: PE2, seq: 1, encapsulation: null, routeTargets: ['65000:100'] }),
      ],
      errors: [{ messageId: 'regression', domainLabel: 'evi rt 65000:100 etag 0' }],
    },
  ],
});

describe('rdNumber', () => {
  it('gives each RD text its own number, and one text always the same', () => {
    const texts = ['65000:100', '100:65000', '1:65536', '65536:1', '4200000000:1', '192.0.2.1:100', '192.0.2.100:1', '0:0', 'type5:0001020304ff', 'type5:0001020304fe'];
    const numbers = texts.map(rdNumber);
    expect(new Set(numbers).size).toBe(texts.length);
    for (const n of numbers) expect(Number.isSafeInteger(n)).toBe(true);
    expect(rdNumber(`${'192.0.2.1'}:${100}`)).toBe(rdNumber('192.0.2.1:100'));
  });
});
