// ra-inconsistent: routers of one link whose RAs disagree on what RFC 4861 §6.2.7 says they SHOULD check.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouterAdvertFact } from '../../src/facts/types.js';
import { routerAdvertInconsistent } from '../../src/rules/router-advert-inconsistent.js';
import { ra, ruleTester, run, type RaSpec } from './helpers.js';

const R1 = { smac: '00:11:22:00:01:01', ip: 'fe80::1' };
const R2 = { smac: '00:11:22:00:01:02', ip: 'fe80::2' };
const R3 = { smac: '00:11:22:00:01:03', ip: 'fe80::3' };

/** RAs from a router every `every` seconds from `from` to `to`; `extra` sets fields the helper has no spec for. */
function ras(router: { smac: string; ip: string }, from: number, to: number, every: number, spec: Partial<RaSpec> = {}, extra: Partial<RouterAdvertFact> = {}): RouterAdvertFact[] {
  const out: RouterAdvertFact[] = [];
  for (let t = from; t <= to; t += every) out.push({ ...ra({ t, ...router, ...spec }), ...extra });
  return out;
}

/** One RA whose single prefix has these lifetimes. */
function withLifetimes(t: number, router: { smac: string; ip: string }, valid: number, preferred: number): RouterAdvertFact {
  const f = ra({ t, ...router });
  return { ...f, prefixes: f.prefixes.map((p) => ({ ...p, validLifetime: valid, preferredLifetime: preferred })) };
}

const PAIR = '(eth.src == 00:11:22:00:01:01 || eth.src == 00:11:22:00:01:02)';

ruleTester('ra-inconsistent', [routerAdvertInconsistent], {
  valid: [
    { name: 'two routers advertising the same values', facts: [...ras(R1, 0, 60, 10, { mtu: 9000, managed: true }), ...ras(R2, 5, 65, 10, { mtu: 9000, managed: true })] },
    { name: 'a single router', facts: ras(R1, 0, 60, 10, { hopLimit: 255, mtu: 1500 }) },
    {
      name: 'the same router changing its own values over time (renumbering, M flag turned on)',
      facts: [...ras(R1, 0, 30, 10), ...ras(R1, 40, 60, 10, { managed: true, prefixes: ['2001:db8:9::/64'] })],
    },
    {
      name: 'different links with different prefixes, hop limits and flags',
      facts: [...ras(R1, 0, 60, 10, { domain: 1 }), ...ras(R2, 5, 65, 10, { domain: 2, prefixes: ['2001:db8:2::/64'], hopLimit: 255, managed: true })],
    },
    { name: 'cur hop limit 0 (unspecified) beside 64', facts: [...ras(R1, 0, 30, 10), ...ras(R2, 5, 35, 10, { hopLimit: 0 })] },
    { name: 'an MTU option from one router only', facts: [...ras(R1, 0, 30, 10, { mtu: 9000 }), ...ras(R2, 5, 35, 10)] },
    { name: 'a router giving no prefix beside one that gives them', facts: [...ras(R1, 0, 30, 10), ...ras(R2, 5, 35, 10, { prefixes: [] })] },
    {
      name: 'reachable time 0 (unspecified) beside a value',
      facts: [...ras(R1, 0, 30, 10, {}, { reachableTime: 30000, retransTimer: 1000 }), ...ras(R2, 5, 35, 10)],
    },
    {
      name: 'the same two prefixes in a different order',
      facts: [...ras(R1, 0, 30, 10, { prefixes: ['2001:db8:1::/64', '2001:db8:2::/64'] }), ...ras(R2, 5, 35, 10, { prefixes: ['2001:db8:2::/64', '2001:db8:1::/64'] })],
    },
  ],
  invalid: [
    {
      name: 'cur hop limit 64 beside 255',
      facts: [...ras(R1, 0, 30, 10), ...ras(R2, 5, 35, 10, { hopLimit: 255 })],
      errors: [
        {
          messageId: 'field',
          severity: 'warning',
          confidence: 'confirmed',
          subject: { family: 'ipv6', field: 'cur-hop-limit', routers: ['fe80::1', 'fe80::2'], macs: ['00:11:22:00:01:01', '00:11:22:00:01:02'] },
          data: { routerA: 'fe80::1 (00:11:22:00:01:01)', valueA: '64', routerB: 'fe80::2 (00:11:22:00:01:02)', valueB: '255' },
          filter: `icmpv6.type == 134 && ${PAIR} && icmpv6.nd.ra.cur_hop_limit && vlan.id == 100`,
        },
      ],
    },
    {
      name: 'M and O flags differ: one finding per field',
      facts: [...ras(R1, 0, 30, 10, { managed: true, other: true }), ...ras(R2, 5, 35, 10)],
      errors: [
        { messageId: 'field', subject: { field: 'managed' }, data: { valueA: 'M=1', valueB: 'M=0' }, filter: /icmpv6\.nd\.ra\.flag\.m/ },
        { messageId: 'field', subject: { field: 'other-config' }, data: { valueA: 'O=1', valueB: 'O=0' }, filter: /icmpv6\.nd\.ra\.flag\.o/ },
      ],
    },
    {
      name: 'MTU 9000 beside 1500, three routers: one finding naming the first two that differ',
      facts: [...ras(R1, 0, 30, 10, { mtu: 9000 }), ...ras(R2, 5, 35, 10, { mtu: 1500 }), ...ras(R3, 7, 37, 10, { mtu: 9000 })],
      errors: [{ messageId: 'field', subject: { field: 'mtu' }, data: { valueA: '9000', valueB: '1500' }, filter: /icmpv6\.opt\.mtu/ }],
    },
    {
      name: 'reachable time and retrans timer differ (both non-zero)',
      facts: [...ras(R1, 0, 30, 10, {}, { reachableTime: 30000, retransTimer: 1000 }), ...ras(R2, 5, 35, 10, {}, { reachableTime: 15000, retransTimer: 2000 })],
      errors: [
        { messageId: 'field', subject: { field: 'reachable-time' }, data: { valueA: '30000 ms', valueB: '15000 ms' } },
        { messageId: 'field', subject: { field: 'retrans-timer' }, data: { valueA: '1000 ms', valueB: '2000 ms' } },
      ],
    },
    {
      name: 'the valid and preferred lifetimes of one prefix differ (findings in the engine\'s order)',
      facts: [withLifetimes(0, R1, 2592000, 604800), withLifetimes(5, R2, 86400, 14400)],
      errors: [
        { messageId: 'prefix-lifetime', subject: { field: 'preferred-lifetime' }, data: { valueA: '604800 s', valueB: '14400 s' } },
        {
          messageId: 'prefix-lifetime',
          subject: { field: 'valid-lifetime', prefix: '2001:db8:1::/64' },
          data: { valueA: '2592000 s', valueB: '86400 s', prefix: '2001:db8:1::/64' },
          filter: `icmpv6.type == 134 && ${PAIR} && icmpv6.opt.prefix == 2001:db8:1::/64 && vlan.id == 100`,
        },
      ],
    },
    {
      name: 'one router advertises a prefix the other does not (says which)',
      facts: [...ras(R1, 0, 30, 10), ...ras(R2, 5, 35, 10, { prefixes: ['2001:db8:1::/64', '2001:db8:2::/64'] })],
      errors: [
        {
          messageId: 'prefix-missing',
          subject: { family: 'ipv6', field: 'prefix', prefix: '2001:db8:2::/64', routers: ['fe80::2', 'fe80::1'] },
          data: { routerA: 'fe80::2 (00:11:22:00:01:02)', routerB: 'fe80::1 (00:11:22:00:01:01)', prefix: '2001:db8:2::/64' },
          filter: `icmpv6.type == 134 && (eth.src == 00:11:22:00:01:02 || eth.src == 00:11:22:00:01:01) && vlan.id == 100`,
        },
      ],
    },
    {
      name: 'router lifetime 0 beside a live router: info',
      facts: [...ras(R1, 0, 30, 10), ...ras(R2, 5, 35, 10, { lifetime: 0 })],
      errors: [
        {
          messageId: 'not-default-router',
          severity: 'info',
          subject: { field: 'router-lifetime' },
          data: { routerA: 'fe80::2 (00:11:22:00:01:02)', routerB: 'fe80::1 (00:11:22:00:01:01)', valueB: '1800 s' },
          filter: /icmpv6\.nd\.ra\.router_lifetime/,
        },
      ],
    },
    {
      name: 'inside VXLAN: the domain in the filter',
      facts: [...ras(R1, 0, 30, 10, { domain: 3 }), ...ras(R2, 5, 35, 10, { domain: 3, hopLimit: 128 })],
      errors: [{ messageId: 'field', domainLabel: 'vni 5001 (vlan 40)', filter: /&& vlan\.id == 40 && vxlan\.vni == 5001$/ }],
    },
  ],
});

// Every filter this module prints must be one tshark accepts (field names as in packet-icmpv6.c). Checked by
// compiling them all against an empty capture; skipped, visibly, where tshark is not installed (CI).
const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.warn('ra-inconsistent: tshark not installed, skipping the Wireshark filter check');

describe.skipIf(!hasTshark)('ra-inconsistent and rogue-ra filters', () => {
  it('compile in tshark', () => {
    const HOST = { smac: '02:42:ac:11:00:05', ip: 'fe80::42:acff:fe11:5' };
    const facts: RouterAdvertFact[] = [];
    for (const domain of [0, 1, 3, 4]) {
      facts.push(
        ...ras(R1, 0, 40, 10, { domain, mtu: 9000, managed: true, other: true }, { reachableTime: 30000, retransTimer: 1000 }),
        ...ras(R2, 5, 45, 10, { domain, mtu: 1500, hopLimit: 255, lifetime: 0, prefixes: ['2001:db8:1::/64', '2001:db8:2::/64'] }, { reachableTime: 15000, retransTimer: 2000 }),
        { ...withLifetimes(46, R2, 86400, 14400), domainId: domain },
        ...ras(HOST, 35, 45, 10, { domain, prefixes: ['2002:c000:201::/64'] }),
      );
    }
    const { findings } = run([routerAdvertInconsistent], facts);
    const filters = [...new Set(findings.map((f) => f.wiresharkFilter))];
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(['ra-inconsistent', 'rogue-ra']));
    const dir = mkdtempSync(join(tmpdir(), 'gwcheck-ra-'));
    try {
      const empty = join(dir, 'empty.pcap');
      // A pcap header and no packets: tshark compiles the filter and reads nothing.
      const header = Buffer.alloc(24);
      header.writeUInt32LE(0xa1b2c3d4, 0);
      header.writeUInt16LE(2, 4);
      header.writeUInt16LE(4, 6);
      header.writeUInt32LE(65535, 16);
      header.writeUInt32LE(1, 20);
      writeFileSync(empty, header);
      // One tshark run for all of them (tshark takes seconds to start): a bad field name fails the whole filter.
      const filter = filters.map((f) => `(${f})`).join(' || ');
      const r = spawnSync('tshark', ['-r', empty, '-Y', filter], { encoding: 'utf8' });
      expect(r.status, `${filter}: ${r.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
