// gwcheck.config.json: the hand-written validator (which names paths and suggests names) and the published schema
// must agree on every case of the table; applying a config is post-processing of findings, tested on the stories.
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../src/config/apply.js';
import { applyBaseline } from '../src/config/baseline.js';
import { parseConfig, ConfigError } from '../src/config/load.js';
import { closest } from '../src/config/suggest.js';
import { configProblems, findingIdOptions } from '../src/config/validate.js';
import { analyze } from '../src/index.js';

const schema = JSON.parse(readFileSync(new URL('../schema/config.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true }).compile(schema);
const HSRP_ALL_ACTIVE = 'fixtures/anycast-hsrp-all-active.pcapng';
const BLACKHOLE = 'fixtures/anycast-shared-mac-blackhole.pcapng';
const FLAPPING = 'fixtures/evpn-mac-flapping.pcapng';

const VALID: [string, unknown][] = [
  ['empty', {}],
  ['severities and off', { rules: { 'hsrp-multiple-active': 'info', 'unanswered-arp': 'off', 'ip-conflict': 'error' } }],
  ['a severity with thresholds', { rules: { 'unanswered-arp': { severity: 'error', arpTimeout: 2, unansweredWarnAttempts: 5 } } }],
  ['a threshold of mac-flapping', { rules: { 'mac-flapping': { flapMoves: 3, flapWindow: 60 } } }],
  ["ESLint's array form", { rules: { 'mac-flapping': ['error', { flapMoves: 3 }], 'ip-conflict': ['off'] } }],
  ['failOn and $schema', { $schema: './schema/config.schema.json', failOn: 'warning' }],
  [
    'suppressions',
    {
      suppress: [
        { rule: 'hsrp-multiple-active', match: { group: 1, vlan: 100 }, reason: 'lab', until: '2030-12-31' },
        { rule: 'unanswered-arp', match: { ip: '10.0.0.9' }, reason: 'host powered off' },
        { rule: 'shared-mac-arp-blackhole', match: { mac: '00:1c:73:aa:aa:aa', vni: 5001 }, reason: 'known' },
      ],
    },
  ],
  [
    'intent',
    {
      intent: {
        fhrpAllActive: [{ protocol: 'hsrp', group: 1, vlan: 100, reason: 'anycast without EVPN' }],
        gateways: [{ ip: '10.100.0.1', macs: ['00:00:0c:9f:f0:01', '0000.0c9f.f002'], vlan: 100 }],
        anycastMacs: [{ mac: '00:00:5e:00:01:01', vni: 10100 }],
      },
    },
  ],
];

const INVALID: [string, unknown, RegExp][] = [
  ['not an object', [], /^\(top level\): must be an object/],
  ['an unknown top-level key', { rule: {} }, /^rule: unknown key — did you mean rules\?/],
  ['a misspelt finding id', { rules: { 'hsrp-multiple-activ': 'off' } }, /^rules\.hsrp-multiple-activ: no such finding id — did you mean hsrp-multiple-active\?/],
  ['a bad severity', { rules: { 'unanswered-arp': 'warn' } }, /^rules\.unanswered-arp: must be one of off, info, warning, error — did you mean warning\?/],
  ['a threshold of another rule', { rules: { 'unanswered-arp': { flapMoves: 3 } } }, /^rules\.unanswered-arp\.flapMoves: not a threshold of unanswered-arp/],
  ['a misspelt threshold', { rules: { 'unanswered-arp': { arpTimout: 3 } } }, /^rules\.unanswered-arp\.arpTimout: .*did you mean arpTimeout\?/],
  ['a count of 0', { rules: { 'mac-flapping': { flapMoves: 0 } } }, /^rules\.mac-flapping\.flapMoves: 0 must be a whole number of at least 1/],
  ['a fractional count', { rules: { 'mac-flapping': { flapMoves: 2.5 } } }, /^rules\.mac-flapping\.flapMoves: 2\.5 must be a whole number/],
  ['negative seconds', { rules: { 'unanswered-arp': { arpTimeout: -1 } } }, /^rules\.unanswered-arp\.arpTimeout: -1 must be at least 0/],
  ['a threshold as text', { rules: { 'unanswered-arp': { arpTimeout: '2' } } }, /^rules\.unanswered-arp\.arpTimeout: "2" is not a number/],
  ['a bad failOn', { failOn: 'fatal' }, /^failOn: must be one of/],
  ['an array without severity', { rules: { 'mac-flapping': [{ flapMoves: 3 }] } }, /^rules\.mac-flapping: an array must be \[severity, \{ thresholds \}\]/],
  ['a bad threshold in the array form', { rules: { 'mac-flapping': ['warning', { flapMoves: 0 }] } }, /^rules\.mac-flapping\[1\]\.flapMoves: 0 must be a whole number/],
  ['a suppression without reason', { suppress: [{ rule: 'unanswered-arp' }] }, /^suppress\[0\]\.reason: is required/],
  ['a blank reason', { suppress: [{ rule: 'unanswered-arp', reason: '  ' }] }, /^suppress\[0\]\.reason: must be a non-empty string/],
  ['a suppression of an unknown id', { suppress: [{ rule: 'unanswerd-arp', reason: 'x' }] }, /^suppress\[0\]\.rule: no such finding id — did you mean unanswered-arp\?/],
  ['a bad until', { suppress: [{ rule: 'unanswered-arp', reason: 'x', until: '2026-2-3' }] }, /^suppress\[0\]\.until: must be a date YYYY-MM-DD/],
  ['an unknown match key', { suppress: [{ rule: 'unanswered-arp', reason: 'x', match: { vlan_id: 3 } }] }, /^suppress\[0\]\.match\.vlan_id: unknown key/],
  ['a bad MAC', { suppress: [{ rule: 'unanswered-arp', reason: 'x', match: { mac: '00:11:22' } }] }, /^suppress\[0\]\.match\.mac: '00:11:22' is not a MAC/],
  ['a bad IP', { suppress: [{ rule: 'unanswered-arp', reason: 'x', match: { ip: '10.0.0.300' } }] }, /^suppress\[0\]\.match\.ip: '10\.0\.0\.300' is not an IPv4 or IPv6/],
  ['a VLAN out of range', { suppress: [{ rule: 'unanswered-arp', reason: 'x', match: { vlan: 4096 } }] }, /^suppress\[0\]\.match\.vlan: must be a whole number from 0 to 4095/],
  ['an intent group without group', { intent: { fhrpAllActive: [{ protocol: 'hsrp' }] } }, /^intent\.fhrpAllActive\[0\]\.group: is required/],
  ['an intent protocol', { intent: { fhrpAllActive: [{ protocol: 'isis', group: 1 }] } }, /^intent\.fhrpAllActive\[0\]\.protocol: must be hsrp, vrrp or glbp/],
  ['a gateway without MACs', { intent: { gateways: [{ ip: '10.0.0.1', macs: [] }] } }, /^intent\.gateways\[0\]\.macs: must be a non-empty array/],
  ['a misspelt intent key', { intent: { anycastMac: [] } }, /^intent\.anycastMac: unknown key — did you mean anycastMacs\?/],
];

describe('config validation: the validator and the published schema agree', () => {
  it.each(VALID)('valid: %s', (_name, config) => {
    expect(configProblems(config)).toEqual([]);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(INVALID)('invalid: %s', (_name, config, message) => {
    const problems = configProblems(config);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(message);
    expect(validate(config)).toBe(false);
  });

  it('a date the calendar does not have is refused by the validator (the schema checks only its form)', () => {
    expect(configProblems({ suppress: [{ rule: 'unanswered-arp', reason: 'x', until: '2026-02-30' }] })).toEqual([
      'suppress[0].until: must be a date YYYY-MM-DD, not "2026-02-30"',
    ]);
  });

  it('the schema lists every finding id, with the thresholds of its module', () => {
    const rules = schema.properties.rules.properties as Record<string, { anyOf: unknown[] }>;
    const byId = findingIdOptions();
    expect(Object.keys(rules).sort()).toEqual([...byId.keys()].sort());
    for (const [id, options] of byId) {
      expect(Object.keys((rules[id].anyOf[2] as { properties: object }).properties).sort(), id).toEqual(['severity', ...options.map((o) => o.name)].sort());
    }
    expect(schema.properties.suppress.items.properties.rule.enum.sort()).toEqual([...byId.keys()].sort());
  });

  it('parseConfig names the file and every problem; not JSON is one problem', () => {
    expect(() => parseConfig('{"rules": {"x": 1}, "frob": 2}', 'my.json')).toThrow(ConfigError);
    try {
      parseConfig('{"rules": {"x": 1}, "frob": 2}', 'my.json');
    } catch (err) {
      expect((err as ConfigError).message.split('\n')).toHaveLength(2);
      expect((err as ConfigError).message).toMatch(/^my\.json: frob: unknown key/m);
    }
    expect(() => parseConfig('{', 'my.json')).toThrow(/my\.json: not valid JSON/);
  });

  it('did you mean: close names only', () => {
    expect(closest('hsrp-multiple-activ', ['hsrp-multiple-active', 'ip-conflict'])).toBe('hsrp-multiple-active');
    expect(closest('zzz', ['hsrp-multiple-active', 'ip-conflict'])).toBeUndefined();
  });
});

describe('applying a config to findings', () => {
  const loaded = (config: object) => ({ file: 'gwcheck.config.json', config });

  it('intent.fhrpAllActive: multiple Active in the listed group is info, as designed; another group stays a warning', async () => {
    const asDesigned = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ intent: { fhrpAllActive: [{ protocol: 'hsrp', group: 1, vlan: 100 }] } }) });
    const f = asDesigned.findings.find((x) => x.rule === 'hsrp-multiple-active')!;
    expect(f.severity).toBe('info');
    expect(f.adjusted).toMatchObject({ from: 'warning', by: 'intent.fhrpAllActive[0]' });
    expect(f.adjusted!.reason).toMatch(/^as designed/);
    expect(asDesigned.summary).toMatchObject({ warning: 0, info: 1 });
    for (const other of [{ group: 2 }, { group: 1, vlan: 200 }, { group: 1, protocol: 'vrrp' }]) {
      const r = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ intent: { fhrpAllActive: [other] } }) });
      expect(r.findings.find((x) => x.rule === 'hsrp-multiple-active')!.severity, JSON.stringify(other)).toBe('warning');
    }
  });

  it('rules: a severity changes every finding of the id; off leaves it out; thresholds reach the rules; flags win', async () => {
    const r = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ rules: { 'hsrp-multiple-active': 'error' } }) });
    expect(r.findings[0]).toMatchObject({ rule: 'hsrp-multiple-active', severity: 'error', adjusted: { from: 'warning', by: 'rules.hsrp-multiple-active' } });
    const off = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ rules: { 'hsrp-multiple-active': 'off' } }) });
    expect(off.findings).toEqual([]);
    expect(off.settings.rules).not.toContain('hsrp-multiple-active');
    // --rules naming an id the file turns off runs it (flags override the file).
    const named = await analyze([HSRP_ALL_ACTIVE], { rules: ['hsrp-multiple-active'], config: loaded({ rules: { 'hsrp-multiple-active': 'off' } }) });
    expect(named.findings).toHaveLength(1);
    const thresholds = await analyze([BLACKHOLE], { config: loaded({ rules: { 'unanswered-arp': { arpTimeout: 7 } } }) });
    expect(thresholds.settings.arpTimeout).toBe(7);
    const eslint = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ rules: { 'hsrp-multiple-active': ['error'], 'unanswered-arp': ['warning', { arpTimeout: 5 }] } }) });
    expect(eslint.findings[0].severity).toBe('error');
    expect(eslint.settings.arpTimeout).toBe(5);
    const flag = await analyze([BLACKHOLE], { settings: { arpTimeout: 3 }, config: loaded({ rules: { 'unanswered-arp': { arpTimeout: 7 } } }) });
    expect(flag.settings.arpTimeout).toBe(3);
  });

  it('suppress: matched findings are marked with their reason, not counted; an expired one counts again and says so', async () => {
    const config = { suppress: [{ rule: 'hsrp-multiple-active', match: { group: 1 }, reason: 'lab is all-Active', until: '2026-06-30' }] };
    const before = await analyze([HSRP_ALL_ACTIVE], { config: loaded(config), now: new Date('2026-06-30T23:00:00Z') });
    expect(before.findings[0].suppressed).toEqual({ by: 'suppress[0]', reason: 'lab is all-Active', until: '2026-06-30' });
    expect(before.summary).toEqual({ error: 0, warning: 0, info: 0 });
    expect(before.config).toMatchObject({ file: 'gwcheck.config.json', suppressedFindings: 1, suppress: [{ state: 'active', matched: 1 }] });
    const after = await analyze([HSRP_ALL_ACTIVE], { config: loaded(config), now: new Date('2026-07-01T00:00:00Z') });
    expect(after.findings[0].suppressed).toBeUndefined();
    expect(after.findings[0].suppressionExpired).toEqual({ by: 'suppress[0]', reason: 'lab is all-Active', until: '2026-06-30' });
    expect(after.summary.warning).toBe(1);
    expect(after.config).toMatchObject({ suppressedFindings: 0, suppress: [{ state: 'expired', matched: 1 }] });
    // A match that does not fit suppresses nothing.
    for (const match of [{ group: 2 }, { vlan: 200 }, { mac: '00:00:0c:9f:f0:02' }, { ip: '10.100.0.9' }]) {
      const r = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ suppress: [{ rule: 'hsrp-multiple-active', match, reason: 'x' }] }) });
      expect(r.findings[0].suppressed, JSON.stringify(match)).toBeUndefined();
    }
    const byIp = await analyze([HSRP_ALL_ACTIVE], { config: loaded({ suppress: [{ rule: 'hsrp-multiple-active', match: { ip: '10.100.0.3' }, reason: 'x' }] }) });
    expect(byIp.findings[0].suppressed).toBeDefined();
  });

  it('intent.gateways: a MAC the intent does not list is an error (drift or spoofing); only listed MACs is as designed', async () => {
    const both = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE], {});
    const dup = both.findings.find((f) => f.rule === 'duplicate-gateway-mac' && f.subject.macs);
    expect(dup).toBeDefined();
    const drift = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE], { config: loaded({ intent: { gateways: [{ ip: '10.100.0.1', macs: ['00:00:0c:9f:f0:01'] }] } }) });
    // The intent is rule input: gateway-mac-drift reports the undeclared MAC from its first frame, and the
    // duplicate-gateway-mac report of the same claim is folded into it (one cause, one finding).
    const wrongMac = drift.findings.find((f) => f.rule === 'gateway-mac-drift' && f.subject.mac === '00:1c:73:aa:aa:aa')!;
    expect(wrongMac.severity).toBe('error');
    expect(wrongMac.summary).toMatch(/which intent\.gateways\[0\] does not list \(allowed: 00:00:0c:9f:f0:01\)/);
    expect(drift.findings.filter((f) => f.rule === 'duplicate-gateway-mac' && f.subject.mac === '00:1c:73:aa:aa:aa')).toEqual([]);
    // Post-processing still re-grades what no rule folded: a conflict of the declared IP that names the foreign MAC.
    for (const f of drift.findings.filter((x) => x.rule === 'duplicate-gateway-mac' && x.subject.ip === '10.100.0.1')) {
      expect(f.severity).toBe('error');
      expect(f.adjusted!.reason).toMatch(/00:1c:73:aa:aa:aa answering for it is drift or spoofing/);
    }
    const allowed = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE], {
      config: loaded({ intent: { gateways: [{ ip: '10.100.0.1', macs: ['00:00:0c:9f:f0:01', '00:1c:73:aa:aa:aa'] }] } }),
    });
    const ok = allowed.findings.find((f) => f.rule === 'duplicate-gateway-mac' && f.subject.macs)!;
    expect(ok.severity).toBe('info');
  });

  it('intent.anycastMacs: EVPN mobility findings for that MAC are info, as designed; other MACs untouched', async () => {
    const plain = await analyze([FLAPPING]);
    const flap = plain.findings.find((f) => f.rule === 'mac-flapping')!;
    const r = await analyze([FLAPPING], { config: loaded({ intent: { anycastMacs: [{ mac: String(flap.subject.mac) }] } }) });
    expect(r.findings.find((f) => f.rule === 'mac-flapping')!.severity).toBe('info');
    const other = await analyze([FLAPPING], { config: loaded({ intent: { anycastMacs: [{ mac: '02:00:00:00:00:99' }] } }) });
    expect(other.findings.find((f) => f.rule === 'mac-flapping')!.severity).toBe('warning');
  });

  it('a config that changes nothing leaves the findings as the engine made them', async () => {
    const plain = await analyze([BLACKHOLE]);
    const { findings } = applyConfig(structuredClone(plain.findings), loaded({}));
    expect(findings).toEqual(plain.findings);
  });
});

describe('baseline', () => {
  it('marks findings new or unchanged by id and lists the gone ones as fixed', async () => {
    const r = await analyze([HSRP_ALL_ACTIVE, BLACKHOLE]);
    const earlier = [
      { id: r.findings[0].id, rule: r.findings[0].rule, severity: r.findings[0].severity, summary: 'x', domainLabel: 'vlan 100' },
      { id: 'ffffffffffff', rule: 'unanswered-arp', severity: 'warning' as const, summary: 'gone', domainLabel: 'vlan 9' },
    ];
    const echo = applyBaseline(r.findings, { file: 'old.json', findings: earlier });
    expect(r.findings[0].baseline).toBe('unchanged');
    expect(r.findings.slice(1).every((f) => f.baseline === 'new')).toBe(true);
    expect(echo).toEqual({ file: 'old.json', new: r.findings.length - 1, unchanged: 1, fixed: [earlier[1]] });
  });
});

describe('baseline matching when ids differ', () => {
  it('the same problem with another id (the domains appeared in another order) is unchanged, matched by rule, domain and subject', async () => {
    const r = await analyze([HSRP_ALL_ACTIVE]);
    const f = r.findings[0];
    const echo = applyBaseline(r.findings, {
      file: 'old.json',
      findings: [{ id: '0123456789ab', rule: f.rule, severity: f.severity, summary: f.summary, domainLabel: f.domainLabel }],
      subjects: [structuredClone(f.subject)],
    });
    expect(f.baseline).toBe('unchanged');
    expect(echo.fixed).toEqual([]);
  });
});

describe('schema/config.schema.json', () => {
  it('is what `npm run schema` makes from the rule metadata (run it after adding a rule or a threshold)', async () => {
    const { configSchemaRules } = await import('../src/config/schema-rules.js');
    const { rules, ids } = configSchemaRules();
    const committed = JSON.parse(readFileSync(new URL('../schema/config.schema.json', import.meta.url), 'utf8'));
    expect(committed.properties.rules.properties).toEqual(rules);
    expect(committed.properties.suppress.items.properties.rule.enum).toEqual(ids);
  });
});
