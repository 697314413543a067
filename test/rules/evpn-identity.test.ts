// The shared state's reading of each EVPN route (src/rules/evpn-identity.ts): the RD as a number, the advertising
// PE (for a withdrawal: the RD's last next hop, then the RD's address, then the BGP speaker) and the instance, and
// the instances an RD's MAC routes were advertised in, which a withdrawal is looked for in.
import { describe, expect, it } from 'vitest';
import { EvpnIdentity, RD_INSTANCES } from '../../src/rules/evpn-identity.js';
import { rdNumber } from '../../src/rules/rd-numbers.js';
import type { EvpnRouteFact } from '../../src/facts/types.js';
import { evpn } from './helpers.js';

const MAC = '02:00:00:00:00:01';

/** `evpn` with another route type (type 3 carries no MAC). */
function routeType(type: number, f: EvpnRouteFact): EvpnRouteFact {
  return { ...f, routeType: type, mac: type === 2 ? f.mac : null };
}

function instancesOf(id: EvpnIdentity): number[] {
  const n = id.rdInstanceCount();
  return n < 0 ? [n] : Array.from({ length: n }, (_, k) => id.rdInstance(k));
}

describe('EvpnIdentity: who advertised a route', () => {
  const cases: { name: string; before: EvpnRouteFact[]; route: EvpnRouteFact; pe: string; v4: number }[] = [
    { name: 'an advertisement: its next hop', before: [], route: evpn({ t: 0, mac: MAC, nextHop: '192.0.2.7', rd: '65000:1' }), pe: '192.0.2.7', v4: 0xc0000207 },
    {
      name: 'a withdrawal: the next hop its RD was last advertised with',
      before: [evpn({ t: 0, mac: MAC, nextHop: '192.0.2.7', rd: '65000:1' }), evpn({ t: 1, mac: MAC, nextHop: '192.0.2.8', rd: '65000:1' })],
      route: evpn({ t: 2, mac: MAC, action: 'withdraw', rd: '65000:1' }),
      pe: '192.0.2.8',
      v4: 0xc0000208,
    },
    {
      name: "a withdrawal after the RD's inclusive-multicast route only (a capture that starts mid-session)",
      before: [routeType(3, evpn({ t: 0, mac: MAC, nextHop: '192.0.2.9', rd: '65000:1' }))],
      route: evpn({ t: 1, mac: MAC, action: 'withdraw', rd: '65000:1' }),
      pe: '192.0.2.9',
      v4: 0xc0000209,
    },
    {
      name: 'a withdrawal of an RD never advertised, type 1: the RD’s address',
      before: [evpn({ t: 0, mac: MAC, nextHop: '192.0.2.7', rd: '65000:1' })],
      route: evpn({ t: 1, mac: MAC, action: 'withdraw', rd: '192.0.2.44:5' }),
      pe: '192.0.2.44',
      v4: 0xc000022c,
    },
    {
      name: 'a withdrawal of an RD never advertised, type 0: the BGP speaker',
      before: [],
      route: evpn({ t: 1, mac: MAC, action: 'withdraw', rd: '65000:77', speaker: '198.51.100.1' }),
      pe: '198.51.100.1',
      v4: 0xc6336401,
    },
    {
      name: 'an IPv6 next hop: its text, no IPv4 number',
      before: [],
      route: { ...evpn({ t: 0, mac: MAC, rd: '65000:1' }), nextHop: '2001:db8::7', nextHopV4: NaN },
      pe: '2001:db8::7',
      v4: NaN,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const id = new EvpnIdentity(100);
      for (const f of c.before) id.observe(f);
      id.observe(c.route);
      expect(id.pe).toBe(c.pe);
      expect(id.peV4).toBe(c.v4);
      expect(id.rd).toBe(rdNumber(c.route.rd));
    });
  }
});

describe('EvpnIdentity: instances', () => {
  it('a MAC/IP advertisement has its instance; a withdrawal and an inclusive-multicast route have none', () => {
    const id = new EvpnIdentity(100);
    id.observe(evpn({ t: 0, mac: MAC, vni: 10100 }));
    expect(id.instance).toMatchObject({ vni: 10100, ethernetTag: 0, key: 'vni:10100/0' });
    const first = id.instance;
    id.observe(evpn({ t: 1, mac: '02:00:00:00:00:02', vni: 10100 }));
    expect(id.instance).toBe(first);
    id.observe(evpn({ t: 2, mac: MAC, vni: 10100, action: 'withdraw' }));
    expect(id.instance).toBeNull();
    id.observe(routeType(3, evpn({ t: 3, mac: MAC, vni: 10100 })));
    expect(id.instance).toBeNull();
    // Without VXLAN: the route targets name it.
    id.observe(evpn({ t: 4, mac: MAC, encapsulation: null, routeTargets: ['65000:9'] }));
    expect(id.instance).toMatchObject({ vni: null, key: 'rt:65000:9/0' });
  });

  it("a withdrawal is looked for in the instances its RD's MAC routes named, every instance past RD_INSTANCES", () => {
    const id = new EvpnIdentity(100);
    const withdraw = evpn({ t: 99, mac: MAC, action: 'withdraw', rd: '192.0.2.1:100' });
    id.observe(withdraw);
    expect(instancesOf(id)).toEqual([-1]);
    // Only an inclusive-multicast route with the RD so far: no MAC route to look for anywhere.
    id.observe(routeType(3, evpn({ t: 0, mac: MAC, rd: '192.0.2.1:100' })));
    id.observe(withdraw);
    expect(instancesOf(id)).toEqual([]);
    const ids: number[] = [];
    for (let vni = 1; vni <= RD_INSTANCES; vni++) {
      id.observe(evpn({ t: vni, mac: MAC, vni, rd: '192.0.2.1:100' }));
      ids.push((id.instance as { id: number }).id);
      // Again: noted once.
      id.observe(evpn({ t: vni, mac: MAC, vni, rd: '192.0.2.1:100' }));
    }
    id.observe(withdraw);
    expect(instancesOf(id)).toEqual(ids);
    // Another RD's instances are its own.
    id.observe(evpn({ t: 50, mac: MAC, vni: 500, rd: '192.0.2.2:100', nextHop: '192.0.2.2' }));
    const other = id.instance?.id;
    id.observe(evpn({ t: 51, mac: MAC, action: 'withdraw', rd: '192.0.2.2:100' }));
    expect(instancesOf(id)).toEqual([other]);
    id.observe(evpn({ t: 60, mac: MAC, vni: 99, rd: '192.0.2.1:100' }));
    id.observe(withdraw);
    expect(instancesOf(id)).toEqual([-1]);
  });

  it('past the cap of instances they start over, and every listener hears it', () => {
    const id = new EvpnIdentity(4);
    const heard: number[][] = [[], []];
    id.onInstancesReset((below) => heard[0].push(below));
    id.onInstancesReset((below) => heard[1].push(below));
    for (let vni = 1; vni <= 9; vni++) id.observe(evpn({ t: vni, mac: MAC, vni }));
    expect(heard).toEqual([
      [4, 8],
      [4, 8],
    ]);
    expect(id.instances.size).toBe(1);
    expect(id.instance?.id).toBe(8);
  });

  it('keeps at most the cap of RDs, the least recently advertised leaving first', () => {
    const id = new EvpnIdentity(50);
    for (let i = 0; i < 5000; i++) id.observe(evpn({ t: i, mac: MAC, nextHop: `192.0.2.${i % 250}`, rd: `65000:${i}` }));
    expect(id.rdCount).toBeLessThanOrEqual(50);
    // The latest RD is still known: its withdrawal names its PE.
    id.observe(evpn({ t: 5000, mac: MAC, action: 'withdraw', rd: '65000:4999', speaker: '198.51.100.1' }));
    expect(id.pe).toBe('192.0.2.249');
    // The first one left: a type-0 RD names no PE, the BGP speaker stands in.
    id.observe(evpn({ t: 5001, mac: MAC, action: 'withdraw', rd: '65000:0', speaker: '198.51.100.1' }));
    expect(id.pe).toBe('198.51.100.1');
  });
});
