// The engine's live API (issue 15): a finding listener (new / updated), tick(now) for decisions time alone makes,
// and reports that restate a finding. Cases are facts, as in the rule tests.
import { describe, expect, it } from 'vitest';
import { RuleEngine } from '../../src/rules/engine.js';
import { sharedMacArpBlackhole } from '../../src/rules/shared-mac-arp-blackhole.js';
import type { Rule } from '../../src/rules/types.js';
import { unansweredArp } from '../../src/rules/unanswered-arp.js';
import { arp, BROADCAST, ref, T0, TestDomains } from './helpers.js';

function engineWithEvents(rules: Rule[]): { engine: RuleEngine; events: string[] } {
  const engine = new RuleEngine(rules, {}, new TestDomains());
  const events: string[] = [];
  engine.listen((event, rule, identifier) => events.push(`${event} ${rule} ${identifier}`));
  return { engine, events };
}

const request = (t: number, tip: string, sip = '10.0.0.1', smac = '02:00:00:00:00:01') =>
  arp({ t, op: 1, smac, sip, tip, ethDst: BROADCAST });

describe('RuleEngine live API', () => {
  it('unanswered-arp: a request is decided when capture time passes its timeout, with no later ARP (tick)', () => {
    const { engine, events } = engineWithEvents([unansweredArp]);
    engine.neighbour(request(0, '10.0.0.99'));
    engine.advance(T0 + 0.5);
    expect(events).toEqual([]);
    // Capture time moves on with other traffic (or the clock, when following a silent input).
    engine.advance(T0 + 1.2);
    engine.advance(T0 + 2.5);
    // No reply seen yet: whether the capture could see one is not known, so the request waits up to 10 s for the
    // view (unanswered-arp's VIEW_WAIT), then is judged.
    engine.advance(T0 + 12);
    expect(events).toEqual(['new unanswered-arp 1:167772259']);
    expect(engine.snapshot('unanswered-arp', '1:167772259')?.evidence.count).toBe(1);
  });

  it('a request answered in time is never reported, however often time ticks', () => {
    const { engine, events } = engineWithEvents([unansweredArp]);
    engine.neighbour(request(0, '10.0.0.99'));
    engine.neighbour(arp({ t: 0.2, op: 2, smac: '02:00:00:00:00:99', sip: '10.0.0.99', tmac: '02:00:00:00:00:01', tip: '10.0.0.1' }));
    for (let t = 1; t < 10; t++) engine.advance(T0 + t);
    expect(events).toEqual([]);
    expect(engine.finish(T0 + 10)).toEqual([]);
  });

  it('a changed count is an update; the listener is told once per report, never without a change', () => {
    const { engine, events } = engineWithEvents([unansweredArp]);
    engine.neighbour(request(0, '10.0.0.99'));
    engine.neighbour(request(1, '10.0.0.99'));
    engine.neighbour(request(2, '10.0.0.99'));
    for (let t = 3; t < 16; t++) engine.advance(T0 + t);
    expect(events[0]).toBe('new unanswered-arp 1:167772259');
    expect(events.slice(1).every((e) => e === 'updated unanswered-arp 1:167772259')).toBe(true);
    expect(events.length).toBe(3);
  });

  it('shared-mac-arp-blackhole is reported as soon as a shared MAC fails, and the end restates it (count 1)', () => {
    const shared = '00:1c:73:aa:aa:aa';
    const facts = [
      request(0, '10.100.0.50', '10.100.0.2', shared),
      request(0.1, '10.100.0.51', '10.100.0.3', shared),
      request(0.2, '10.100.0.52', '10.100.0.2', shared),
      request(0.3, '10.100.0.53', '10.100.0.3', shared),
    ];
    const { engine, events } = engineWithEvents([sharedMacArpBlackhole, unansweredArp]);
    for (const f of facts) engine.neighbour(f);
    const before = events.filter((e) => e.includes('shared-mac'));
    expect(before.length).toBe(1); // latent, from the moment two IPs overlap
    engine.advance(T0 + 3);
    const blackhole = engine.snapshot('shared-mac-arp-blackhole', `1:${0x001c73aaaaaa}`);
    expect(blackhole?.severity).toBe('error');
    expect(events).toContain(`updated shared-mac-arp-blackhole 1:${0x001c73aaaaaa}`);
    // The end gives what it gave without live reports: one report's count and evidence, the unanswered requests
    // of targets only it asked for folded into it.
    const quiet = new RuleEngine([sharedMacArpBlackhole, unansweredArp], {}, new TestDomains());
    for (const f of facts) quiet.neighbour(f);
    expect(engine.finish(T0 + 3)).toEqual(quiet.finish(T0 + 3));
  });

  it('no listener: advance and tick still decide, and nothing is rendered', () => {
    const engine = new RuleEngine([unansweredArp], {}, new TestDomains());
    engine.neighbour(request(0, '10.0.0.99'));
    engine.tick(T0 + 5);
    expect(engine.stats().rules['unanswered-arp'].pending).toBe(0);
    expect(engine.finish(T0 + 5).map((f) => f.rule)).toEqual(['unanswered-arp']);
  });

  it('a restating report replaces the evidence: the last one decides, as if it had been alone', () => {
    const rule: Rule = {
      meta: { id: 'restate-test', severity: 'warning', title: 't', rationale: 'r', remediation: 'x', options: [], messages: { m: 'm {n}' } },
      create(context) {
        return {
          neighbour(f) {
            context.report({
              messageId: 'm',
              data: { n: f.ref.frame },
              identifier: 'one',
              confidence: 'inferred',
              domainId: 0,
              subject: {},
              evidence: [{ ref: f.ref, role: 'r' }],
              wiresharkFilter: '',
              count: f.ref.frame === 1 ? 1 : 0,
              restates: true,
            });
          },
        };
      },
    };
    const { engine, events } = engineWithEvents([rule]);
    engine.neighbour({ ...request(0, '10.0.0.9'), ref: ref(0, 1) });
    engine.neighbour({ ...request(1, '10.0.0.9'), ref: ref(1, 2) });
    expect(events).toEqual(['new restate-test one', 'updated restate-test one']);
    const [f] = engine.finish(T0 + 1);
    expect(f.evidence.frames).toEqual([2]);
    expect(f.evidence.count).toBe(1);
  });
});
