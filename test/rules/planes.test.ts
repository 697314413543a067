// The shared control/data-plane tables (src/rules/planes.ts): bounded, and the open-addressing index agrees with a
// plain model of what it should hold (FIFO reuse of rows past the cap, backward-shift deletion on reuse).
import { describe, expect, it } from 'vitest';
import type { VxlanFrameFact } from '../../src/facts/types.js';
import { MacLocations, Planes } from '../../src/rules/planes.js';
import { imet, mac2, VNI, V1, V2, vx } from './planes-helpers.js';
import { T0 } from './helpers.js';

function frame(vni: number, mac: number, vtep: number, time: number): VxlanFrameFact {
  return { kind: 'vxlan', input: 0, frame: 1, seconds: Math.floor(time), nanos: 0, time, vni, vtepSrc: vtep, vtepDst: 0x0a0000fe, innerSrc: mac, innerDst: 0x020000ffffff, innerEtherType: 0x800, bum: false };
}

describe('MacLocations', () => {
  it('holds at most its cap, drops the oldest row made, and finds every row it holds', () => {
    const cap = 16;
    const table = new MacLocations(cap);
    const model: string[] = [];
    let seed = 7;
    const random = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    for (let i = 0; i < 5000; i++) {
      const vni = 5000 + random(3);
      const mac = 0x020000000000 + random(40);
      const row = table.observe(frame(vni, mac, 0x0a000001 + random(2), 1000 + i * 0.001));
      expect(table.rows.vni[row]).toBe(vni);
      expect(table.rows.key[row]).toBe(mac);
      const key = `${vni}|${mac}`;
      if (!model.includes(key)) {
        model.push(key);
        if (model.length > cap) model.shift();
      }
      expect(table.rows.size).toBeLessThanOrEqual(cap);
    }
    for (const key of model) {
      const [vni, mac] = key.split('|').map(Number);
      expect(table.rows.find(vni, mac, 1005), key).toBeGreaterThanOrEqual(0);
    }
    // And nothing else: every absent pair is not found.
    let found = 0;
    for (let v = 5000; v < 5003; v++) for (let m = 0; m < 40; m++) if (table.rows.find(v, 0x020000000000 + m, 1005) >= 0) found++;
    expect(found).toBe(model.length);
  });

  it('a MAC unseen for longer than the aging time starts over', () => {
    const table = new MacLocations(4);
    table.observe(frame(1, 2, 3, 0));
    expect(table.rows.find(1, 2, 100)).toBe(0);
    expect(table.rows.find(1, 2, 1000)).toBe(-1);
    const row = table.observe(frame(1, 2, 4, 1000));
    expect(table.since[row]).toBe(1000);
    expect(table.previousVtep[row]).toBe(0);
  });
});

describe('Planes', () => {
  it('counts data frames without noting them until a VXLAN EVPN route exists, then notes them', () => {
    const planes = new Planes(100, 100);
    expect(planes.vxlan(vx({ t: 1, from: V1, to: '192.0.2.2', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }))).toBe(false);
    expect(planes.sizes().macLocations).toBe(0);
    planes.evpn(mac2({ t: 2, mac: '02:00:00:00:00:01', vtep: V1 }));
    expect(planes.vxlan(vx({ t: 3, from: V1, to: '192.0.2.2', src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }))).toBe(true);
    expect(planes.sizes()).toMatchObject({ macLocations: 1, liveRoutes: 1 });
    expect(planes.dataFrames).toBe(2);
  });

  it('a withdrawal removes the route; a type-3 route is keyed by its PMSI label VNI', () => {
    const planes = new Planes(100, 100);
    planes.evpn(imet({ t: 0, vtep: V1 }));
    expect(planes.control.imetsFor(VNI)).toBe(1);
    planes.evpn(imet({ t: 1, vtep: V1, action: 'withdraw' }));
    expect(planes.control.imetsFor(VNI)).toBe(0);
    expect(planes.control.imetChangedAt(VNI)).toBeGreaterThan(0);
    planes.evpn(mac2({ t: 2, mac: '02:00:00:00:00:01', vtep: V1 }));
    planes.evpn(mac2({ t: 3, mac: '02:00:00:00:00:01', vtep: V1, action: 'withdraw' }));
    expect(planes.control.macRoutes(VNI, 0x020000000001)?.routes).toEqual([]);
    expect(planes.control.size).toBe(0);
  });

  it('the live-route table is capped', () => {
    const planes = new Planes(100, 10);
    for (let i = 0; i < 50; i++) planes.evpn(mac2({ t: i, mac: `02:00:00:00:01:${i.toString(16).padStart(2, '0')}`, vtep: V1 }));
    expect(planes.control.size).toBeLessThanOrEqual(10);
    expect(planes.control.dropped).toBe(40);
  });

  it('a re-advertised type-2 route replaces itself (found by RD, tag, MAC, IP and path id; no key string)', () => {
    const planes = new Planes(100, 10);
    for (let t = 0; t < 30; t++) planes.evpn(mac2({ t, mac: '02:00:00:00:00:01', ip: '10.0.0.1', vtep: V1 }));
    expect(planes.control.size).toBe(1);
    expect(planes.control.dropped).toBe(0);
    planes.evpn(mac2({ t: 31, mac: '02:00:00:00:00:01', ip: '10.0.0.2', vtep: V1 }));
    planes.evpn(mac2({ t: 32, mac: '02:00:00:00:00:01', ip: '10.0.0.1', vtep: V2 }));
    expect(planes.control.size).toBe(3);
    expect(planes.control.macRoutes(VNI, 0x020000000001)?.routes.map((r) => [r.ip, r.vtepText])).toEqual([
      ['10.0.0.1', V1],
      ['10.0.0.2', V1],
      ['10.0.0.1', V2],
    ]);
  });

  it('an IPv6 MAC/IP route is found by its text (routes keep text ids, not strings): replaced, withdrawn, and in the IP index by lowercase', () => {
    const planes = new Planes(100, 10);
    const mac = '02:00:00:00:00:01';
    planes.evpn(mac2({ t: 0, mac, ip: '2001:db8::1', vtep: V1 }));
    planes.evpn(mac2({ t: 1, mac, ip: '2001:db8::1', vtep: V1 }));
    planes.evpn(mac2({ t: 2, mac, ip: '2001:DB8::1', vtep: V1 }));
    expect(planes.control.size).toBe(2);
    expect(planes.control.macRoutes(VNI, 0x020000000001)?.routes.map((r) => [r.ip, r.rd, r.routeTargets, r.ref.time])).toEqual([
      ['2001:db8::1', `${V1}:100`, ['65000:5001'], T0 + 1],
      ['2001:DB8::1', `${V1}:100`, ['65000:5001'], T0 + 2],
    ]);
    // Both texts are one address to the IP index (the first route live for the age is the one cited).
    expect(planes.control.describe(planes.control.ipRouteLiveFor(VNI, '2001:db8::1', T0 + 10, 5)).ip).toBe('2001:db8::1');
    planes.evpn(mac2({ t: 3, mac, ip: '2001:db8::1', vtep: V1, action: 'withdraw' }));
    expect(planes.control.describe(planes.control.ipRouteLiveFor(VNI, '2001:DB8::1', T0 + 10, 5)).ip).toBe('2001:DB8::1');
    planes.evpn(mac2({ t: 4, mac, ip: '2001:DB8::1', vtep: V1, action: 'withdraw' }));
    expect(planes.control.ipRouteLiveFor(VNI, '2001:db8::1', T0 + 10, 0)).toBe(0);
    expect(planes.control.size).toBe(0);
  });

  it('MAC routes past the cap push out the oldest MAC routes, never the flood lists', () => {
    const planes = new Planes(100, 5);
    planes.evpn(imet({ t: 0, vtep: V1 }));
    planes.evpn(imet({ t: 0, vtep: V2 }));
    for (let i = 0; i < 5000; i++) planes.evpn(mac2({ t: 1 + i, mac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, vtep: V1 }));
    expect(planes.control.imetsFor(VNI)).toBe(2);
    expect(planes.control.size).toBe(5 + 2);
    expect(planes.control.dropped).toBe(5000 - 5);
    // The newest five are the live ones.
    expect(planes.control.macRoutes(VNI, 0x020000001387)?.routes.length).toBe(1);
    expect(planes.control.macRoutes(VNI, 0x020000000000)?.routes.length ?? 0).toBe(0);
  });
});
