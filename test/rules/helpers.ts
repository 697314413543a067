// Fact builders and an ESLint-RuleTester-style runner for rule tests: cases are facts, not captures.
import { describe, expect, it } from 'vitest';
import { AddressBook } from '../../src/facts/addresses.js';
import { ND_OVERRIDE, ND_ROUTER, ND_SOLICITED } from '../../src/facts/types.js';
import type { Domain, DomainLookup, EvpnRouteFact, Fact, FhrpFact, FrameRef, NeighbourFact, RouterAdvertFact, VxlanFrameFact } from '../../src/facts/types.js';
import { classifyArp } from '../../src/facts/extract.js';
import { RuleEngine, messageOf } from '../../src/rules/engine.js';
import type { Finding, Rule } from '../../src/rules/types.js';
import type { Intent } from '../../src/config/types.js';
import { ipv4Key, parseIpv4, parseMac } from '../../src/util/net.js';

/** Domains used by the tests: 0 untagged, 1 vlan 100, 2 vlan 200, 3 vni 5001, 4 vlan 300.30 (QinQ). */
export const DOMAINS: Domain[] = [
  { vlans: [], vni: null, innerVlans: [] },
  { vlans: [100], vni: null, innerVlans: [] },
  { vlans: [200], vni: null, innerVlans: [] },
  { vlans: [40], vni: 5001, innerVlans: [] },
  { vlans: [300, 30], vni: null, innerVlans: [] },
];

export class TestDomains implements DomainLookup {
  constructor(private readonly domains: Domain[] = DOMAINS) {}
  get(id: number): Domain {
    return this.domains[id];
  }
  label(id: number): string {
    const d = this.domains[id];
    const vlans = d.vlans.length ? `vlan ${d.vlans.join('.')}` : 'untagged';
    return d.vni !== null ? `vni ${d.vni} (${vlans})` : vlans;
  }
}

let autoFrame = 0;

/** A frame reference at `time` seconds (frame numbers count up unless given). */
export function ref(time: number, frame?: number, input = 0): FrameRef {
  const seconds = Math.floor(time);
  const nanos = Math.round((time - seconds) * 1e9);
  return { input, frame: frame ?? ++autoFrame, seconds: 1_700_000_000 + seconds, nanos, time: 1_700_000_000 + time };
}

export const T0 = 1_700_000_000;
export const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const ZERO_MAC = '00:00:00:00:00:00';

const macNum = (m: string): number => parseMac(m);
/** The address book of every test engine: IPv6 addresses in specs become its keys. */
export const TEST_ADDRESSES = new AddressBook();
/** An address spec → its key: IPv4 as a number, IPv6 through TEST_ADDRESSES ('::' is 0). */
export const ipNum = (ip: string): number => (ip.includes(':') ? TEST_ADDRESSES.ipv6Text(ip) : parseIpv4(ip));

export interface ArpSpec {
  t: number;
  frame?: number;
  input?: number;
  domain?: number;
  op: 1 | 2 | number;
  smac: string;
  sip: string;
  tmac?: string;
  tip: string;
  ethSrc?: string;
  ethDst?: string;
}

export function arp(s: ArpSpec): NeighbourFact {
  const senderIp = ipNum(s.sip);
  const targetIp = ipNum(s.tip);
  const targetMac = macNum(s.tmac ?? ZERO_MAC);
  return {
    kind: 'neighbour',
    ref: ref(s.t, s.frame, s.input),
    domainId: s.domain ?? 1,
    family: 4,
    opcode: s.op,
    arpClass: classifyArp(s.op, senderIp, targetIp, targetMac),
    ethSrc: macNum(s.ethSrc ?? s.smac),
    ethDst: macNum(s.ethDst ?? (s.op === 1 ? BROADCAST : (s.tmac ?? BROADCAST))),
    senderMac: macNum(s.smac),
    senderIp,
    targetMac,
    targetIp,
    ndFlags: 0,
    linkAddrOption: true,
    senderLinkLocal: false,
    unicast: s.op === 1 && s.ethDst !== undefined && s.ethDst !== BROADCAST,
  };
}

export interface NdSpec {
  t: number;
  frame?: number;
  input?: number;
  domain?: number;
  /** Sender MAC (link-layer option, and Ethernet source unless ethSrc). */
  smac: string;
  ethSrc?: string;
  ethDst?: string;
  /** NS: the IPv6 source ('::' for DAD); NA: its IPv6 destination ('ff02::1' when unsolicited). */
  ip: string;
  /** NS: the address solicited; NA: the address advertised. */
  target: string;
  /** NA flags. */
  router?: boolean;
  solicited?: boolean;
  override?: boolean;
  /** The MAC came from the Ethernet source, no link-layer option. */
  noOption?: boolean;
}

/** The Ethernet multicast of an IPv6 group: 33:33 and the low 32 bits. */
function ipv6MulticastMac(key: number): string {
  const text = TEST_ADDRESSES.format(key, 6);
  const bytes = parseIpv6Bytes(text);
  return ['33', '33', ...[12, 13, 14, 15].map((i) => bytes[i].toString(16).padStart(2, '0'))].join(':');
}

function parseIpv6Bytes(text: string): number[] {
  // Through the book: the text of a key is canonical, parse it back.
  const halves = text.split('::');
  const words = (x: string) => (x === '' ? [] : x.split(':').map((w) => parseInt(w, 16)));
  const left = words(halves[0]);
  const right = halves.length > 1 ? words(halves[1]) : [];
  const all = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((w) => [w >> 8, w & 255]);
}

/** The solicited-node group of an address (RFC 4291 §2.7.1): ff02::1:ffXX:XXXX. */
export function solicitedNode(target: string): string {
  const b = parseIpv6Bytes(TEST_ADDRESSES.format(ipNum(target), 6));
  const hex = (i: number) => b[i].toString(16).padStart(2, '0');
  return `ff02::1:ff${hex(13)}:${hex(14)}${hex(15)}`;
}

/** A Neighbour Solicitation: `ip` (or :: for DAD) asks who has `target`; multicast unless ethDst is given. */
export function ns(s: NdSpec): NeighbourFact {
  const senderIp = s.ip === '::' ? 0 : ipNum(s.ip);
  const targetIp = ipNum(s.target);
  const ethDst = s.ethDst ?? ipv6MulticastMac(ipNum(solicitedNode(s.target)));
  const unicast = s.ethDst !== undefined && !s.ethDst.startsWith('33:33');
  return {
    kind: 'neighbour',
    ref: ref(s.t, s.frame, s.input),
    domainId: s.domain ?? 1,
    family: 6,
    opcode: 135,
    arpClass: senderIp === 0 ? 'probe' : 'request',
    ethSrc: macNum(s.ethSrc ?? s.smac),
    ethDst: macNum(ethDst),
    senderMac: macNum(s.smac),
    senderIp,
    targetMac: unicast ? macNum(ethDst) : 0,
    targetIp,
    ndFlags: 0,
    linkAddrOption: !s.noOption,
    senderLinkLocal: s.ip.toLowerCase().startsWith('fe8'),
    unicast,
  };
}

/** A Neighbour Advertisement of `target` at `smac`, sent to `ip` (solicited) or ff02::1 (unsolicited). */
export function na(s: NdSpec): NeighbourFact {
  const toMulticast = s.ip.toLowerCase().startsWith('ff');
  const solicited = s.solicited ?? !toMulticast;
  const flags = (s.router ? ND_ROUTER : 0) | (solicited ? ND_SOLICITED : 0) | ((s.override ?? true) ? ND_OVERRIDE : 0);
  return {
    kind: 'neighbour',
    ref: ref(s.t, s.frame, s.input),
    domainId: s.domain ?? 1,
    family: 6,
    opcode: 136,
    arpClass: solicited ? 'reply' : 'gratuitous-reply',
    ethSrc: macNum(s.ethSrc ?? s.smac),
    ethDst: macNum(s.ethDst ?? (toMulticast ? '33:33:00:00:00:01' : '02:00:00:00:00:99')),
    senderMac: macNum(s.smac),
    senderIp: ipNum(s.target),
    targetMac: macNum(s.ethDst ?? (toMulticast ? '33:33:00:00:00:01' : '02:00:00:00:00:99')),
    targetIp: toMulticast ? 0 : ipNum(s.ip),
    ndFlags: flags,
    linkAddrOption: !s.noOption,
    senderLinkLocal: s.target.toLowerCase().startsWith('fe8'),
    unicast: false,
  };
}

export interface RaSpec {
  t: number;
  frame?: number;
  domain?: number;
  smac: string;
  ip: string;
  lifetime?: number;
  managed?: boolean;
  other?: boolean;
  mtu?: number;
  prefixes?: string[];
  hopLimit?: number;
}

export function ra(s: RaSpec): RouterAdvertFact {
  return {
    kind: 'router-advert',
    ref: ref(s.t, s.frame),
    domainId: s.domain ?? 1,
    routerIp: ipNum(s.ip),
    routerIpText: s.ip,
    srcMac: macNum(s.smac),
    ethSrc: macNum(s.smac),
    routerLifetime: s.lifetime ?? 1800,
    managed: s.managed ?? false,
    otherConfig: s.other ?? false,
    curHopLimit: s.hopLimit ?? 64,
    reachableTime: 0,
    retransTimer: 0,
    mtu: s.mtu ?? -1,
    prefixes: (s.prefixes ?? ['2001:db8:1::/64']).map((prefix) => ({
      prefix,
      onLink: true,
      autonomous: true,
      validLifetime: 2592000,
      preferredLifetime: 604800,
    })),
    morePrefixes: 0,
  };
}

/** who-has `tip` tell `sip` (broadcast). */
export const request = (t: number, smac: string, sip: string, tip: string, extra: Partial<ArpSpec> = {}): NeighbourFact =>
  arp({ t, op: 1, smac, sip, tip, ...extra });

/** `sip` is-at `smac`, to `tmac`/`tip`. */
export const reply = (t: number, smac: string, sip: string, tmac: string, tip: string, extra: Partial<ArpSpec> = {}): NeighbourFact =>
  arp({ t, op: 2, smac, sip, tmac, tip, ...extra });

/** Gratuitous ARP announcement (request, sender IP = target IP, zero target MAC). */
export const announce = (t: number, smac: string, ip: string, extra: Partial<ArpSpec> = {}): NeighbourFact =>
  arp({ t, op: 1, smac, sip: ip, tip: ip, ...extra });

export const probe = (t: number, smac: string, tip: string, extra: Partial<ArpSpec> = {}): NeighbourFact =>
  arp({ t, op: 1, smac, sip: '0.0.0.0', tip, ...extra });

export interface FhrpSpec {
  t: number;
  frame?: number;
  domain?: number;
  protocol?: 'hsrp' | 'vrrp' | 'glbp';
  version?: number;
  /** GLBP: forwarder numbers listed in the hello (default [1, 2]); their MACs are 0007.b4 + group + number. */
  forwarders?: number[];
  group?: number;
  state?: FhrpFact['state'];
  opcode?: number;
  priority?: number;
  vip?: string | string[];
  vmac?: string;
  srcMac: string;
  srcIp: string;
  helloMs?: number;
  holdMs?: number;
  auth?: string;
}

export function fhrp(s: FhrpSpec): FhrpFact {
  const protocol = s.protocol ?? 'hsrp';
  const group = s.group ?? 1;
  const vips = s.vip === undefined ? ['10.0.100.1'] : Array.isArray(s.vip) ? s.vip : [s.vip];
  const glbpMacs = protocol === 'glbp' ? (s.forwarders ?? [1, 2]).map((n) => 0x0007b4000000 + (group & 0x3ff) * 0x100 + n) : undefined;
  const defaultVmac =
    glbpMacs !== undefined
      ? (glbpMacs[0] ?? 0)
      : protocol === 'vrrp'
      ? 0x00005e000100 + group
      : (s.version ?? 1) === 2
        ? 0x00000c9ff000 + group
        : 0x00000c07ac00 + group;
  return {
    kind: 'fhrp',
    ref: ref(s.t, s.frame),
    domainId: s.domain ?? 1,
    protocol,
    version: s.version ?? (protocol === 'vrrp' ? 2 : 1),
    group,
    state: s.state ?? (protocol === 'vrrp' ? 'master' : 'active'),
    opcode: s.opcode ?? 0,
    priority: s.priority ?? 100,
    virtualIps: vips,
    virtualIps4: vips.filter((v) => !v.includes(':')).map(ipNum).filter((n) => !Number.isNaN(n)),
    virtualIpKeys: vips.map(ipNum).filter((n) => !Number.isNaN(n)),
    ipVersion: vips.some((v) => v.includes(':')) ? 6 : 4,
    virtualMac: s.vmac ? macNum(s.vmac) : defaultVmac,
    srcMac: macNum(s.srcMac),
    srcIp: s.srcIp,
    identifier: 0,
    helloMs: s.helloMs ?? (protocol === 'vrrp' ? 1000 : 3000),
    holdMs: s.holdMs ?? (protocol === 'vrrp' ? 3600 : 10000),
    auth: s.auth ?? (protocol === 'hsrp' ? 'text:cisco' : ''),
    ...(glbpMacs !== undefined
      ? { forwarderMacs: glbpMacs, forwarders: glbpMacs.map((mac, i) => ({ number: (s.forwarders ?? [1, 2])[i], state: 'active', mac })) }
      : {}),
  };
}

export interface EvpnSpec {
  t: number;
  frame?: number;
  action?: 'advertise' | 'withdraw';
  mac: string;
  ip?: string | null;
  rd?: string;
  nextHop?: string | null;
  speaker?: string;
  seq?: number | null;
  sticky?: boolean;
  mmCount?: number;
  esi?: string;
  vni?: number;
  ethernetTag?: number;
  routeTargets?: string[];
  encapsulation?: number | null;
  defaultGateway?: boolean;
  /** RFC 9047 ARP/ND community with this R flag (absent when undefined). */
  arpNdRouter?: boolean;
}

export const ESI_ZERO = '00:00:00:00:00:00:00:00:00:00';

export function evpn(s: EvpnSpec): EvpnRouteFact {
  const action = s.action ?? 'advertise';
  const esi = s.esi ?? ESI_ZERO;
  const withMm = s.seq !== null && s.seq !== undefined;
  const r = ref(s.t, s.frame);
  const ip = s.ip ?? null;
  const nextHop = action === 'withdraw' ? null : (s.nextHop ?? '192.0.2.1');
  return {
    kind: 'evpn',
    ref: r,
    frames: [r.frame],
    speaker: s.speaker ?? '192.0.2.100',
    receiver: '192.0.2.200',
    action,
    routeType: 2,
    rd: s.rd ?? `${s.nextHop ?? '192.0.2.1'}:100`,
    esi,
    esiZero: esi === ESI_ZERO,
    ethernetTag: s.ethernetTag ?? 0,
    mac: macNum(s.mac),
    ip,
    ipV4: ip === null ? NaN : ipv4Key(ip),
    labels: [s.vni ?? 10100],
    pathId: null,
    nextHop,
    nextHopV4: nextHop === null ? NaN : ipv4Key(nextHop),
    macMobility: withMm ? { sequence: s.seq as number, sticky: s.sticky ?? false } : s.sticky ? { sequence: 0, sticky: true } : null,
    macMobilityCount: s.mmCount ?? (withMm || s.sticky ? 1 : 0),
    routeTargets: s.routeTargets ?? ['65000:100'],
    defaultGateway: s.defaultGateway ?? false,
    routerMac: null,
    arpNd: s.arpNdRouter === undefined ? null : { router: s.arpNdRouter, override: true, immutable: false },
    encapsulation: s.encapsulation === undefined ? 8 : s.encapsulation,
  };
}

/** Runs rules over facts (sorted by time, as merged inputs are) and returns the findings. */
export function run(
  rules: Rule[],
  facts: (Fact | VxlanFrameFact)[],
  settings: Record<string, number> = {},
  lastTime?: number,
  intent?: Intent,
): { findings: Finding[]; engine: RuleEngine } {
  const engine = new RuleEngine(rules, settings, new TestDomains(), [], TEST_ADDRESSES, intent);
  // Stable: a VXLAN frame fact given before the neighbour fact of the same frame stays before it.
  const timeOf = (f: Fact | VxlanFrameFact): number => (f.kind === 'vxlan' ? f.time : f.ref.time);
  const sorted = [...facts].sort((a, b) => timeOf(a) - timeOf(b));
  for (const f of sorted) {
    if (f.kind === 'vxlan') engine.vxlan(f);
    else if (f.kind === 'neighbour') engine.neighbour(f);
    else if (f.kind === 'router-advert') engine.routerAdvert(f);
    else if (f.kind === 'fhrp') engine.fhrp(f);
    else if (f.kind === 'evpn') engine.evpn(f);
    else engine.anomaly(f);
  }
  const end = lastTime ?? Math.max(T0, ...sorted.map(timeOf));
  return { findings: engine.finish(end), engine };
}

export interface Expected {
  messageId: string;
  severity?: Finding['severity'];
  confidence?: Finding['confidence'];
  subject?: Finding['subject'];
  /** Frames that must be cited (a subset of the evidence). */
  frames?: number[];
  data?: Record<string, string | number | boolean>;
  count?: number;
  domainLabel?: string;
  filter?: RegExp | string;
}

export interface Case {
  name: string;
  facts: (Fact | VxlanFrameFact)[];
  settings?: Record<string, number>;
  /** End of capture (absolute time); defaults to the last fact's time. */
  lastTime?: number;
  /** The config's intent, as the engine gets it (gwcheck.config.json `intent`). */
  intent?: Intent;
}

export interface InvalidCase extends Case {
  errors: Expected[];
}

/**
 * ESLint's RuleTester, for facts: every `valid` case must produce no finding of `ruleId`; every `invalid` case
 * exactly the listed ones, in the engine's order. Tests run the rule module alone unless `rules` is given.
 */
export function ruleTester(
  ruleId: string,
  rules: Rule[],
  cases: { valid: Case[]; invalid: InvalidCase[] },
): void {
  describe(ruleId, () => {
    it('has as many true negatives as hits', () => {
      expect(cases.valid.length).toBeGreaterThanOrEqual(cases.invalid.length);
    });
    describe('valid', () => {
      for (const c of cases.valid) {
        it(c.name, () => {
          const { findings } = run(rules, c.facts, c.settings, c.lastTime, c.intent);
          expect(findings.filter((f) => f.rule === ruleId).map((f) => [messageOf(f)?.messageId, f.summary])).toEqual([]);
        });
      }
    });
    describe('invalid', () => {
      for (const c of cases.invalid) {
        it(c.name, () => {
          const { findings } = run(rules, c.facts, c.settings, c.lastTime, c.intent);
          const mine = findings.filter((f) => f.rule === ruleId);
          expect(mine.map((f) => messageOf(f)?.messageId)).toEqual(c.errors.map((e) => e.messageId));
          c.errors.forEach((want, i) => {
            const got = mine[i];
            const message = messageOf(got);
            if (want.severity) expect(got.severity).toBe(want.severity);
            if (want.confidence) expect(got.confidence).toBe(want.confidence);
            // The address family is in every neighbour finding's subject; a case names it when it matters.
            if (want.subject) expect(got.subject).toMatchObject(want.subject);
            if (want.frames) expect(got.evidence.frames).toEqual(expect.arrayContaining(want.frames));
            if (want.data) expect(message?.data).toMatchObject(want.data);
            if (want.count !== undefined) expect(got.evidence.count).toBe(want.count);
            if (want.domainLabel) expect(got.domainLabel).toBe(want.domainLabel);
            if (want.filter instanceof RegExp) expect(got.wiresharkFilter).toMatch(want.filter);
            else if (want.filter !== undefined) expect(got.wiresharkFilter).toBe(want.filter);
            // Every finding is complete: words filled in, evidence cited, a filter to paste.
            expect(got.summary).not.toMatch(/\{\w+\}/);
            expect(got.detail).not.toMatch(/\{\w+\}/);
            expect(got.evidence.frames.length).toBeGreaterThan(0);
            expect(got.wiresharkFilter.length).toBeGreaterThan(0);
            expect(got.id).toMatch(/^[0-9a-f]{12}$/);
          });
        });
      }
    });
  });
}
