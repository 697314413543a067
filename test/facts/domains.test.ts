// DomainTable: dense stable ids, Domains rebuilt from their keys, bounded by CLOCK eviction (issue 14).
import { describe, expect, it } from 'vitest';
import { DomainTable, domainLabel } from '../../src/facts/domains.js';
import type { Domain } from '../../src/facts/types.js';

function intern(table: DomainTable, d: Domain): number {
  return table.intern(d.vlans, d.vlans.length, d.vni, d.innerVlans, d.innerVlans.length);
}

const domains: Domain[] = [
  { vlans: [], vni: null, innerVlans: [] },
  { vlans: [100], vni: null, innerVlans: [] },
  { vlans: [0], vni: null, innerVlans: [] },
  { vlans: [4095, 4095, 4095], vni: null, innerVlans: [] },
  { vlans: [200, 2001], vni: null, innerVlans: [] },
  { vlans: [1, 2, 3, 4], vni: null, innerVlans: [] },
  { vlans: [], vni: 5001, innerVlans: [] },
  { vlans: [], vni: 0, innerVlans: [] },
  { vlans: [40], vni: 5001, innerVlans: [10] },
  { vlans: [40, 41], vni: 16777215, innerVlans: [10, 20] },
  { vlans: [5000], vni: null, innerVlans: [] }, // not a 12-bit tag: text key
  { vlans: [], vni: 16777215, innerVlans: [4095, 4095] },
  { vlans: [], vni: 7, innerVlans: [0] },
  { vlans: [], vni: 7, innerVlans: [0, 0] },
  { vlans: [], vni: 7, innerVlans: [1, 2, 3] },
  { vlans: [0], vni: 7, innerVlans: [] },
];

describe('DomainTable', () => {
  it('gives dense ids in first-seen order, the same id again, and the Domain back from its key', () => {
    const table = new DomainTable();
    const ids = domains.map((d) => intern(table, d));
    expect(ids).toEqual(domains.map((_, i) => i));
    expect(domains.map((d) => intern(table, d))).toEqual(ids);
    for (const [i, d] of domains.entries()) {
      expect(table.get(i)).toEqual(d);
      expect(table.label(i)).toBe(domainLabel(d));
    }
    expect(table.size).toBe(domains.length);
    expect(table.all()).toEqual(domains);
  });

  it('keeps one id per stack: [1] and [1, 0], [1, 2] and [2, 1] are different domains', () => {
    const table = new DomainTable();
    const stacks = [[1], [1, 0], [0, 1], [1, 2], [2, 1], [1, 2, 0]];
    const ids = stacks.map((vlans) => intern(table, { vlans, vni: null, innerVlans: [] }));
    expect(new Set(ids).size).toBe(stacks.length);
    expect(ids.map((id) => table.get(id).vlans)).toEqual(stacks);
  });

  it('stays within its capacity: the least recently used domain leaves and its id is given to the new one', () => {
    const table = new DomainTable(4);
    const vlan = (v: number) => intern(table, { vlans: [v], vni: null, innerVlans: [] });
    expect([vlan(1), vlan(2), vlan(3), vlan(4)]).toEqual([0, 1, 2, 3]);
    vlan(1); // used again: survives the next eviction
    vlan(3);
    expect(vlan(5)).toBe(1); // vlan 2 was the least recently used
    expect(table.get(1)).toEqual({ vlans: [5], vni: null, innerVlans: [] });
    expect(vlan(1)).toBe(0);
    expect(vlan(3)).toBe(2);
    expect(vlan(4)).toBe(3);
    expect(table.evictedCount).toBe(1);
    // vlan 2 comes back as a new domain; vlan 5, not used since it came, is now the least recently used.
    expect(vlan(2)).toBe(1);
    expect(table.label(1)).toBe('vlan 2');
    expect(table.size).toBe(6);
    expect(table.listed().map((l) => l.label)).toEqual(['vlan 1', 'vlan 2', 'vlan 3', 'vlan 4']);
  });

  it('holds a million distinct domains passing through a small table with every id in range', () => {
    const table = new DomainTable(1024);
    const tags = [0, 0];
    let max = 0;
    for (let i = 0; i < 1_000_000; i++) {
      tags[0] = 1 + Math.floor(i / 4094);
      tags[1] = 1 + (i % 4094);
      const id = table.intern(tags, 2, null, tags, 0);
      if (id > max) max = id;
      if (i % 99_991 === 0) expect(table.get(id).vlans).toEqual(tags);
    }
    expect(max).toBe(1023);
    expect(table.evictedCount).toBe(1_000_000 - 1024);
    expect(table.listed(10)).toHaveLength(10);
  });

  it('lists the first domains in label order, up to a limit', () => {
    const table = new DomainTable();
    for (const d of domains) intern(table, d);
    const labels = domains.map(domainLabel).sort();
    expect(table.listed(3).map((l) => l.label)).toEqual(labels.slice(0, 3));
    expect(table.listed().map((l) => l.domain)).toEqual(table.listed().map((l) => domains[domains.map(domainLabel).indexOf(l.label)]));
  });

  it('refuses an id it never gave out instead of answering undefined', () => {
    const table = new DomainTable();
    intern(table, domains[1]);
    expect(() => table.get(1)).toThrow(RangeError);
    expect(() => table.get(-1)).toThrow(RangeError);
  });
});
