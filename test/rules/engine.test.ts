import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { NeighbourFact } from '../../src/facts/types.js';
import {
  EVIDENCE_HEAD,
  EVIDENCE_TAIL,
  MAX_FINDINGS_PER_RULE,
  RuleEngine,
  defaultSettings,
  fillTemplate,
  findingId,
  messageOf,
} from '../../src/rules/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { sharedMacArpBlackhole } from '../../src/rules/shared-mac-arp-blackhole.js';
import type { Rule, Severity } from '../../src/rules/types.js';
import { unansweredArp } from '../../src/rules/unanswered-arp.js';
import { T0, TestDomains, evpn, fhrp, ref, reply as arpReply, request, run } from './helpers.js';

/** A rule that reports every ARP fact under identifier = its target IP, severity from the sender IP's last octet. */
const echo: Rule = {
  meta: {
    id: 'echo',
    alsoReports: [{ id: 'echo-explained', severity: 'info', title: 'explained' }],
    severity: 'warning',
    title: 'echo',
    rationale: 'test',
    remediation: 'none',
    options: [{ name: 'echoLimit', description: 'test', default: 7 }],
    messages: { seen: '{target} seen {n} times', detail: 'detail for {target}' },
  },
  create(context) {
    const counts = new Map<number, number>();
    return {
      neighbour(f: NeighbourFact) {
        const n = (counts.get(f.targetIp) ?? 0) + 1;
        counts.set(f.targetIp, n);
        const severities: Severity[] = ['info', 'warning', 'error'];
        context.report({
          rule: f.targetIp % 2 ? 'echo-explained' : 'echo',
          messageId: 'seen',
          detailMessageId: 'detail',
          data: { target: f.targetIp, n },
          identifier: String(f.targetIp),
          severity: severities[f.senderIp % 3],
          confidence: f.senderIp % 5 === 0 ? 'confirmed' : 'inferred',
          domainId: f.domainId,
          subject: { target: f.targetIp },
          evidence: [{ ref: f.ref, role: `frame ${f.ref.frame}` }],
          wiresharkFilter: 'arp',
          explains: f.targetIp % 2 ? [] : [{ rule: 'echo-explained', identifier: String(f.targetIp + 1) }],
        });
      },
    };
  },
};

function fact(t: number, frame: number, senderIp: number, targetIp: number, domainId = 1): NeighbourFact {
  return {
    kind: 'neighbour',
    ref: ref(t, frame),
    domainId,
    opcode: 1,
    arpClass: 'request',
    ethSrc: 1,
    ethDst: 0xffffffffffff,
    senderMac: 1,
    senderIp,
    targetMac: 0,
    targetIp,
    family: 4,
    ndFlags: 0,
    linkAddrOption: true,
    senderLinkLocal: false,
    unicast: false,
  };
}

describe('RuleEngine', () => {
  it('merges reports with one identifier into one finding with a count, keeping the highest severity', () => {
    const engine = new RuleEngine([echo], {}, new TestDomains());
    engine.neighbour(fact(0, 1, 1, 10)); // warning
    engine.neighbour(fact(1, 2, 2, 10)); // error
    engine.neighbour(fact(2, 3, 3, 10)); // info
    const [f] = engine.finish(T0 + 3);
    expect(f.evidence.count).toBe(3);
    expect(f.severity).toBe('error');
    expect(f.confidence).toBe('inferred');
    expect(f.evidence.frames).toEqual([1, 2, 3]);
    // The words come from the latest report of the highest severity.
    expect(messageOf(f)?.data).toEqual({ target: 10, n: 2 });
    expect(f.summary).toBe('10 seen 2 times');
    expect(f.detail).toBe('detail for 10');
    expect(f.remediation).toBe('none');
  });

  it('one frame cited for two reasons is one item with both roles', () => {
    const twice: Rule = {
      meta: { id: 'twice', severity: 'warning', title: 't', rationale: 't', remediation: 'r', options: [], messages: { m: 'm' } },
      create(context) {
        return {
          neighbour(f: NeighbourFact) {
            for (const role of ['request', 'binds 10.0.0.1'])
              context.report({ messageId: 'm', data: {}, identifier: 'x', confidence: 'confirmed', domainId: f.domainId, subject: {}, evidence: [{ ref: f.ref, role }], wiresharkFilter: 'arp' });
          },
        };
      },
    };
    const [finding] = run([twice], [request(0, '02:00:00:00:00:01', '10.0.0.2', '10.0.0.1', { frame: 3 })]).findings;
    expect(finding.evidence.items.map((i) => [i.frame, i.role])).toEqual([[3, 'binds 10.0.0.1; request']]);
    expect(finding.evidence.frames).toEqual([3]);
  });

  it("'confirmed' wins over 'inferred'", () => {
    const engine = new RuleEngine([echo], {}, new TestDomains());
    engine.neighbour(fact(0, 1, 1, 10));
    engine.neighbour(fact(1, 2, 5, 10));
    engine.neighbour(fact(2, 3, 1, 10));
    expect(engine.finish(T0 + 3)[0].confidence).toBe('confirmed');
  });

  it('caps evidence to the first and last items while count goes on', () => {
    const engine = new RuleEngine([echo], {}, new TestDomains());
    for (let i = 1; i <= 1000; i++) engine.neighbour(fact(i, i, 1, 10));
    const [f] = engine.finish(T0 + 1001);
    expect(f.evidence.count).toBe(1000);
    const expected = [
      ...Array.from({ length: EVIDENCE_HEAD }, (_, i) => i + 1),
      ...Array.from({ length: EVIDENCE_TAIL }, (_, i) => 1000 - EVIDENCE_TAIL + 1 + i),
    ];
    expect(f.evidence.frames).toEqual(expected);
    expect(f.evidence.items.map((i) => i.frame)).toEqual(expected);
    expect(f.evidence.firstTime).toBe('2023-11-14T22:13:21.000000000Z');
    expect(f.evidence.lastTime).toBe('2023-11-14T22:30:00.000000000Z');
    expect(f.evidence.items[0]).toEqual({ input: 0, frame: 1, time: f.evidence.firstTime, role: 'frame 1' });
  });

  it('folds explained findings into the explaining one, adding count and evidence', () => {
    const engine = new RuleEngine([echo], {}, new TestDomains());
    engine.neighbour(fact(0, 1, 1, 11)); // echo-explained 11
    engine.neighbour(fact(1, 2, 1, 11));
    engine.neighbour(fact(2, 3, 1, 10)); // echo 10, explains echo-explained 11
    engine.neighbour(fact(3, 4, 1, 13)); // echo-explained 13: not explained by anyone
    const findings = engine.finish(T0 + 5);
    expect(findings.map((f) => f.rule)).toEqual(['echo', 'echo-explained']);
    const [folded, kept] = findings;
    expect(folded.evidence.count).toBe(3);
    expect(folded.evidence.frames).toEqual([1, 2, 3]);
    expect(messageOf(folded)?.folded).toEqual(['echo-explained 11']);
    expect(kept.subject).toEqual({ target: 13 });
  });

  it('gives stable ids (sha1 of rule + identifier, 12 hex) and a deterministic order', () => {
    const facts = [fact(0, 1, 2, 20, 2), fact(1, 2, 1, 30), fact(2, 3, 3, 40), fact(3, 4, 2, 22, 1), fact(4, 5, 1, 31)];
    const once = (order: NeighbourFact[]) => {
      const engine = new RuleEngine([echo], {}, new TestDomains());
      for (const f of order) engine.neighbour(f);
      return engine.finish(T0 + 10);
    };
    const a = once(facts);
    const b = once([...facts].reverse());
    expect(a.map((f) => f.id)).toEqual(b.map((f) => f.id));
    expect(a[0].id).toBe(findingId(a[0].rule, messageOf(a[0])!.identifier));
    expect(findingId('echo', '20')).toMatch(/^[0-9a-f]{12}$/);
    expect(findingId('echo', '20')).toBe(findingId('echo', '20'));
    expect(findingId('echo', '20')).not.toBe(findingId('echo', '21'));
    // severity first, then rule, then domain label, then subject
    expect(a.map((f) => [f.severity, f.rule, f.domainLabel, f.subject.target])).toEqual([
      ['error', 'echo', 'vlan 100', 22],
      ['error', 'echo', 'vlan 200', 20],
      ['warning', 'echo', 'vlan 100', 30], // 31 (echo-explained) is folded into 30
      ['info', 'echo', 'vlan 100', 40],
    ]);
  });

  it('collects every option default by name and lets settings override them', () => {
    const defaults = defaultSettings(ALL_RULES);
    expect(defaults).toMatchObject({
      arpTimeout: 1,
      arpPendingGrace: 0.5,
      gatewayRequesters: 3,
      duplicateWindow: 60,
      flapMoves: 5,
      flapWindow: 180,
      unansweredWarnAttempts: 3,
    });
    const engine = new RuleEngine([echo], { echoLimit: 9 }, new TestDomains());
    expect(engine.settings.echoLimit).toBe(9);
    expect(new RuleEngine([echo], {}, new TestDomains()).settings.echoLimit).toBe(7);
  });

  it('declares every option once across all rules (one CLI flag each), camelCase', () => {
    const names = ALL_RULES.flatMap((r) => r.meta.options.map((o) => o.name));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-zA-Z0-9]*$/);
  });

  it('fills templates and leaves unknown placeholders visible', () => {
    expect(fillTemplate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('refuses a report under an id the rule does not declare', () => {
    const bad: Rule = {
      ...echo,
      create: (c) => ({
        neighbour: (f) =>
          c.report({
            rule: 'other',
            messageId: 'seen',
            data: {},
            identifier: 'x',
            confidence: 'inferred',
            domainId: f.domainId,
            subject: {},
            evidence: [],
            wiresharkFilter: 'arp',
          }),
      }),
    };
    const engine = new RuleEngine([bad], {}, new TestDomains());
    expect(() => engine.neighbour(fact(0, 1, 1, 1))).toThrow(/undeclared/);
  });

  it('keeps at most MAX_FINDINGS_PER_RULE findings per id and counts the rest as dropped', () => {
    const engine = new RuleEngine([echo], {}, new TestDomains());
    for (let i = 0; i < MAX_FINDINGS_PER_RULE + 10; i++) engine.neighbour(fact(0, i, 1, i * 2));
    expect(engine.stats().findings).toBe(MAX_FINDINGS_PER_RULE);
    expect(engine.stats().droppedReports).toBe(10);
    expect(engine.capped()).toEqual(['echo']);
  });

  it('drops the reports of an id left out as they are made: nothing kept, nothing folded into it, wants says no', () => {
    // The folding scenario above, with echo (the explaining id) left out and echo-explained wanted.
    const engine = new RuleEngine([echo], {}, new TestDomains(), [], undefined, undefined, new Set(['echo-explained']));
    engine.neighbour(fact(0, 1, 1, 11)); // echo-explained 11
    engine.neighbour(fact(1, 2, 1, 11));
    engine.neighbour(fact(2, 3, 1, 10)); // echo 10 (left out), would explain echo-explained 11
    engine.neighbour(fact(3, 4, 1, 13)); // echo-explained 13
    expect(engine.stats().findings).toBe(2);
    const findings = engine.finish(T0 + 5);
    // Nothing folds 11 away any more: both echo-explained findings stand, 11 with its own two frames.
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ['echo-explained', { target: 11 }],
      ['echo-explained', { target: 13 }],
    ]);
    expect(findings[0].evidence.frames).toEqual([1, 2]);
    expect(messageOf(findings[0])?.folded).toEqual([]);
  });

  it('with every id wanted (the set, or none given) the reports and the folding are as before', () => {
    for (const wanted of [new Set(['echo', 'echo-explained']), null]) {
      const engine = new RuleEngine([echo], {}, new TestDomains(), [], undefined, undefined, wanted);
      engine.neighbour(fact(0, 1, 1, 11));
      engine.neighbour(fact(2, 3, 1, 10));
      expect(engine.finish(T0 + 5).map((f) => f.rule)).toEqual(['echo']);
    }
  });

  it('a rule asking whether an id left out is wanted hears no, and one that is wanted hears yes', () => {
    let asked: boolean[] = [];
    const asker: Rule = {
      ...echo,
      create(context) {
        return {
          neighbour() {
            asked = [context.wants?.('echo', 'x') ?? true, context.wants?.('echo-explained', 'x') ?? true];
          },
        };
      },
    };
    const engine = new RuleEngine([asker], {}, new TestDomains(), [], undefined, undefined, new Set(['echo-explained']));
    engine.neighbour(fact(0, 1, 1, 11));
    expect(asked).toEqual([false, true]);
  });

  it('names no capped id while every id is under the cap', () => {
    const engine = new RuleEngine([echo], {}, new TestDomains());
    for (let i = 0; i < MAX_FINDINGS_PER_RULE - 1; i++) engine.neighbour(fact(0, i, 1, i * 2));
    expect(engine.capped()).toEqual([]);
  });
});

describe('folding across rules', () => {
  it('the unanswered ARPs explained by a shared MAC are folded into the blackhole finding', () => {
    const SHARED = '00:1c:73:00:00:99';
    const { findings } = run(
      [sharedMacArpBlackhole, unansweredArp],
      [
        request(0, SHARED, '10.0.100.2', '10.0.100.10', { frame: 1 }),
        request(0.5, SHARED, '10.0.100.3', '10.0.100.11', { frame: 2 }),
        request(1, SHARED, '10.0.100.2', '10.0.100.10', { frame: 3 }),
        request(2, SHARED, '10.0.100.2', '10.0.100.10', { frame: 4 }),
        // Another host also fails to reach .20: that one is not the shared MAC's doing and stays.
        request(3, '00:11:22:00:00:55', '10.0.100.55', '10.0.100.20', { frame: 5 }),
      ],
      {},
      T0 + 30,
    );
    expect(findings.map((f) => [f.rule, f.subject])).toEqual([
      ['shared-mac-arp-blackhole', { family: 'ipv4', mac: SHARED, ips: ['10.0.100.2', '10.0.100.3'] }],
      ['unanswered-arp', { family: 'ipv4', ip: '10.0.100.20' }],
    ]);
    const [blackhole] = findings;
    expect(messageOf(blackhole)?.folded.sort()).toEqual(['unanswered-arp 1:167797770', 'unanswered-arp 1:167797771']);
    // 1 report + 3 unanswered for .10 + 1 for .11
    expect(blackhole.evidence.count).toBe(5);
  });
});

describe('bounded state', () => {
  // Small caps and a few times as many distinct keys prove the same property as a million facts would: the
  // tables evict at their cap however long the capture runs.
  const CAP = 200;

  it('20k ARP facts with distinct keys keep every table under its cap', () => {
    const caps = { maxPendingArp: CAP, maxMacs: CAP, maxEvpnRoutes: CAP };
    const engine = new RuleEngine(ALL_RULES, caps, new TestDomains());
    for (let i = 0; i < 20_000; i++) {
      const f = fact(i / 100, i + 1, 0x0a000000 + i, 0x0b000000 + i, i % 5);
      f.senderMac = 0x001122000000 + i;
      f.ethSrc = f.senderMac;
      engine.neighbour(f);
      if (i % 997 === 0) {
        for (const [rule, sizes] of Object.entries(engine.stats().rules)) {
          for (const [table, size] of Object.entries(sizes)) expect(size, `${rule}.${table}`).toBeLessThanOrEqual(CAP);
        }
      }
    }
    expect(engine.stats().findings).toBeLessThanOrEqual(MAX_FINDINGS_PER_RULE * 11);
    // No request was answered; 100 a second stay under the pending cap, so each is decided at its timeout and
    // reported then — far more findings than any table holds (up to the engine's per-id cap).
    const findings = engine.finish(T0 + 2000);
    expect(findings.filter((f) => f.rule === 'unanswered-arp').length).toBe(MAX_FINDINGS_PER_RULE);
  });

  it('20k EVPN routes and 10k FHRP groups with distinct keys stay under the caps', () => {
    const engine = new RuleEngine(ALL_RULES, { maxEvpnRoutes: CAP, maxMacs: CAP }, new TestDomains());
    for (let i = 0; i < 20_000; i++) {
      const mac = (0x00aa00000000 + i).toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
      engine.evpn(evpn({ t: i / 100, mac, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, nextHop: `192.0.2.${i % 200}`, seq: i % 3 }));
    }
    for (let i = 0; i < 10_000; i++) engine.fhrp(fhrp({ t: 300 + i / 100, group: i % 4096, domain: i % 5, srcMac: '00:11:22:00:00:a1', srcIp: '10.0.0.2' }));
    for (const [rule, sizes] of Object.entries(engine.stats().rules)) {
      for (const [table, size] of Object.entries(sizes)) expect(size, `${rule}.${table}`).toBeLessThanOrEqual(CAP);
    }
    engine.finish(T0 + 4000);
  });
});

describe('a planted problem survives later unrelated traffic beyond the caps', () => {
  // The bug of the 400k benchmark: a problem early in the capture, its state evicted by the traffic after it,
  // gone by end(). Each rule must report what it saw whatever comes later.
  const CAP = 50;
  const caps = { maxPendingArp: CAP, maxMacs: CAP, maxEvpnRoutes: CAP };
  const filler = (from: number, n: number): NeighbourFact[] =>
    Array.from({ length: 4 * n }, (_, k) => {
      const i = k >> 2;
      const host = `00:11:22:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
      const ip = `10.9.${(i >> 8) & 255}.${i & 255}`;
      const peer = `10.8.${(i >> 8) & 255}.${i & 255}`;
      // Every host asks for a peer and is answered (and the peer for it): 4 ARP facts, 2 MACs, 2 IPs each.
      const t = from + i * 0.01;
      const peerMac = `00:33:22:${host.slice(9)}`;
      return [
        request(t, host, ip, peer),
        arpReply(t + 0.001, peerMac, peer, host, ip),
        request(t + 0.002, peerMac, peer, ip),
        arpReply(t + 0.003, host, ip, peerMac, peer),
      ][k & 3];
    });

  it('shared-mac-arp-blackhole', () => {
    const SHARED = '02:00:5e:77:77:77';
    const planted = [0, 0.3, 0.6].flatMap((t) => [
      request(t, SHARED, '198.51.100.2', '198.51.100.11'),
      request(t + 0.1, SHARED, '198.51.100.5', '198.51.100.11'),
    ]);
    const { findings } = run(ALL_RULES, [...planted, ...filler(5, 10 * CAP)], caps, T0 + 100);
    const found = findings.filter((f) => f.rule === 'shared-mac-arp-blackhole');
    expect(found.map((f) => [f.subject, f.severity, f.confidence])).toEqual([
      [{ family: 'ipv4', mac: SHARED, ips: ['198.51.100.2', '198.51.100.5'] }, 'error', 'confirmed'],
    ]);
    // Its unanswered requests are folded into it, not reported twice.
    expect(findings.filter((f) => f.rule === 'unanswered-arp')).toEqual([]);
  });

  it('unanswered-arp and duplicate-gateway-mac', () => {
    const HOST = '00:44:00:00:00:0a';
    const planted = [
      ...[0, 1, 2, 3, 4].map((t) => request(t, HOST, '10.30.0.10', '10.30.0.99')),
      request(4.5, HOST, '10.30.0.10', '10.20.0.1'),
      arpReply(4.51, '00:00:0c:9f:f0:c8', '10.20.0.1', HOST, '10.30.0.10'),
      arpReply(4.52, '0c:3c:05:4b:80:64', '10.20.0.1', HOST, '10.30.0.10'),
    ];
    const { findings } = run(ALL_RULES, [...planted, ...filler(10, 10 * CAP)], caps, T0 + 100);
    expect(findings.filter((f) => f.rule === 'unanswered-arp').map((f) => [f.subject, f.evidence.count])).toEqual([
      [{ family: 'ipv4', ip: '10.30.0.99' }, 5],
    ]);
    expect(findings.filter((f) => f.rule === 'ip-conflict' || f.rule === 'duplicate-gateway-mac').map((f) => f.subject)).toEqual([
      { family: 'ipv4', ip: '10.20.0.1', macs: ['00:00:0c:9f:f0:c8', '0c:3c:05:4b:80:64'] },
    ]);
  });

  it('mac-mobility-regression', () => {
    const M = '02:aa:00:00:00:01';
    const planted = [
      evpn({ t: 0, mac: M, nextHop: '192.0.2.1', seq: 5 }),
      evpn({ t: 1, mac: M, nextHop: '192.0.2.2', seq: 3 }),
    ];
    const later = Array.from({ length: 10 * CAP }, (_, i) =>
      evpn({ t: 2 + i * 0.01, mac: `02:bb:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`, nextHop: '192.0.2.1' }),
    );
    const { findings } = run(ALL_RULES, [...planted, ...later], caps, T0 + 100);
    expect(findings.filter((f) => f.rule === 'mac-mobility-regression').map((f) => [f.subject, f.confidence])).toEqual([
      [{ mac: M }, 'confirmed'],
    ]);
  });

  it('fhrp-mismatch of a group pushed out by the cap', () => {
    const planted = [
      fhrp({ t: 0, group: 7, srcMac: '00:11:22:00:00:a1', srcIp: '10.0.100.2', state: 'active' }),
      fhrp({ t: 0.1, group: 7, srcMac: '00:11:22:00:00:a2', srcIp: '10.0.100.3', state: 'standby', auth: 'text:other' }),
    ];
    const later = Array.from({ length: 3 * CAP }, (_, i) => fhrp({ t: 1 + i * 0.01, group: 100 + i, srcMac: '00:11:22:00:00:a1', srcIp: '10.0.100.2' }));
    const { findings } = run(ALL_RULES, [...planted, ...later], caps, T0 + 100);
    expect(findings.filter((f) => f.rule === 'fhrp-mismatch').map((f) => f.subject)).toEqual([
      { protocol: 'hsrp', group: 7, attribute: 'auth' },
    ]);
  });
});

describe('rule metadata', () => {
  const ids = ALL_RULES.flatMap((r) => [r.meta.id, ...(r.meta.alsoReports ?? []).map((a) => a.id)]);

  it('lists the rules in a stable order with the contract ids', () => {
    expect(ids).toEqual([
      'shared-mac-arp-blackhole',
      'duplicate-gateway-mac',
      'ip-conflict',
      'arp-spoofing',
      'unanswered-arp',
      'mac-mobility-regression',
      'mac-mobility-tie',
      'mac-flapping',
      'sticky-mac-moved',
      'mac-mobility-community-invalid',
      'hsrp-multiple-active',
      'fhrp-mismatch',
      'ra-inconsistent',
      'rogue-ra',
      'fhrp-state-change',
      'evpn-mac-location-mismatch',
      'evpn-vni-mismatch',
      'evpn-flood-list',
      'evpn-flood-to-unannounced',
      'evpn-imet-silent',
      'evpn-arp-suppression-off',
      'evpn-router-mac-mismatch',
      'gateway-mac-drift',
    ]);
  });

  it('has a test file and a docs page for every finding id', () => {
    for (const id of ids) {
      expect(existsSync(new URL(`./${id}.test.ts`, import.meta.url)), `test/rules/${id}.test.ts`).toBe(true);
      const doc = new URL(`../../docs/rules/${id}.md`, import.meta.url);
      expect(existsSync(doc), `docs/rules/${id}.md`).toBe(true);
      expect(readFileSync(doc, 'utf8')).toMatch(new RegExp(`^# ${id}\\b`));
    }
  });

  it('gives every rule a title, rationale, remediation and messages with detail variants', () => {
    for (const r of ALL_RULES) {
      expect(r.meta.title.length).toBeGreaterThan(10);
      expect(r.meta.rationale.length).toBeGreaterThan(80);
      expect(r.meta.remediation.length).toBeGreaterThan(40);
      for (const id of Object.keys(r.meta.messages)) {
        if (!id.endsWith('-detail')) expect(r.meta.messages, `${r.meta.id}: ${id}-detail`).toHaveProperty(`${id}-detail`);
      }
    }
  });
});
