// The rule runner: hands facts to every rule, merges their reports by identifier (Zeek's notice suppression),
// folds findings that another finding explains, and returns findings in a deterministic order.
import * as crypto from 'node:crypto';
import { IPV4_ONLY, type AddressFormatter } from '../facts/addresses.js';
import type { AnomalyFact, DomainLookup, EvpnRouteFact, FhrpFact, FrameRef, NeighbourFact, RouterAdvertFact, VxlanFrameFact } from '../facts/types.js';
import { SharedState } from './shared.js';
import { DeclaredGateways } from './declared-gateways.js';
import { Inventory } from './inventory.js';
import { MAX_EVPN_ROUTES, MAX_MACS } from './options.js';
import { formatIsoTime } from '../util/time.js';
import { EvidenceLog, TextInterner } from './bounded.js';
import type { Intent } from '../config/types.js';
import type {
  Confidence,
  Evidence,
  Finding,
  ReportDescriptor,
  Rule,
  RuleContext,
  RuleHandlers,
  Severity,
} from './types.js';
import { smallInteger } from '../util/double.js';

/** Evidence kept per finding: the first and the last items; `count` goes on counting past them. */
export const EVIDENCE_HEAD = 10;
export const EVIDENCE_TAIL = 10;
/**
 * Distinct findings kept per finding id; later new identifiers are dropped, counted in stats() and named in the
 * report (`stats.findingsCapped`). A thousand conflicts of one kind already say what is wrong; keeping every one of
 * a flood (a capture of random EVPN host IPs gives tens of thousands) would cost memory for nothing.
 */
export const MAX_FINDINGS_PER_RULE = 1_000;

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Capture time (s) between two calls of the rules' `tick` from `advance`. */
export const TICK_INTERVAL = 1;

/**
 * Told when a finding is first created ('new') or when a report changes what it says — its count, severity or
 * words ('updated'). Called inside `report`, so it must be cheap: take note of the identifiers and render them
 * (`RuleEngine.snapshot`) later. Before `finish` folds findings into the ones that explain them.
 */
export type FindingListener = (event: 'new' | 'updated', rule: string, identifier: string) => void;

/** Every option's default, by name. Options are global by name: two rules may not define one differently. */
export function defaultSettings(rules: Rule[] = []): Record<string, number> {
  const settings: Record<string, number> = {};
  for (const rule of rules) {
    for (const option of rule.meta.options) {
      if (option.name in settings && settings[option.name] !== option.default) {
        throw new Error(`option ${option.name} has two defaults (${rule.meta.id})`);
      }
      settings[option.name] = smallInteger(option.default);
    }
  }
  return settings;
}

/** What a finding said, by message id and data — for tests and tools that must not depend on wording. */
export interface FindingMessage {
  messageId: string;
  detailMessageId: string | undefined;
  data: Record<string, string | number | boolean>;
  identifier: string;
  /** Findings folded into this one, as `rule identifier`. */
  folded: string[];
}

const messages = new WeakMap<Finding, FindingMessage>();

/** The message id and data behind a finding returned by `RuleEngine.finish` (not part of the JSON). */
export function messageOf(finding: Finding): FindingMessage | undefined {
  return messages.get(finding);
}

/** Templates split once into literal text and placeholder names (even indexes text, odd names). */
const compiled = new Map<string, string[]>();

/** Fills `{name}` placeholders; unknown names stay visible rather than vanishing. */
export function fillTemplate(template: string, data: Record<string, string | number | boolean>): string {
  let parts = compiled.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    if (compiled.size < 1000) compiled.set(template, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i];
    out += (name in data ? String(data[name]) : `{${name}}`) + parts[i + 1];
  }
  return out;
}

/** An extra id's own remediation when it has one (sticky-mac-moved is not fixed like a regression), else the module's. */
function remediationOf(rule: Rule, id: string): string {
  if (id === rule.meta.id) return rule.meta.remediation;
  return rule.meta.alsoReports?.find((a) => a.id === id)?.remediation ?? rule.meta.remediation;
}

export function findingId(rule: string, identifier: string): string {
  const text = `${rule}\u0000${identifier}`;
  // crypto.hash (Node >= 20.12) is the one-shot form: no Hash object per finding.
  const digest = typeof crypto.hash === 'function' ? crypto.hash('sha1', text, 'hex') : crypto.createHash('sha1').update(text).digest('hex');
  return digest.slice(0, 12);
}

function uniqueSorted(values: number[]): number[] {
  values.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) values[n++] = values[i];
  values.length = n;
  return values;
}

interface Accumulator {
  rule: string;
  owner: Rule;
  identifier: string;
  /** The report that gives the finding its words: the latest of the highest severity (its evidence is in
   *  `evidence`; the descriptor itself is not kept, nor what it cites). */
  lead: Lead;
  severity: Severity;
  confidence: Confidence;
  count: number;
  evidence: EvidenceLog;
  first: FrameRef | null;
  last: FrameRef | null;
  /** Created on the first report that explains something (most findings explain nothing). */
  explains: Map<string, { rule: string; identifier: string }> | null;
  folded: string[];
}

/** What a finding takes from its lead report. */
type Lead = Pick<ReportDescriptor, 'messageId' | 'detailMessageId' | 'data' | 'domainId' | 'evpnDomain' | 'subject' | 'wiresharkFilter'>;

function leadOf(d: ReportDescriptor): Lead {
  return {
    messageId: d.messageId,
    detailMessageId: d.detailMessageId,
    data: d.data,
    domainId: d.domainId,
    evpnDomain: d.evpnDomain,
    subject: d.subject,
    wiresharkFilter: d.wiresharkFilter,
  };
}

function setLead(lead: Lead, d: ReportDescriptor): void {
  lead.messageId = d.messageId;
  lead.detailMessageId = d.detailMessageId;
  lead.data = d.data;
  lead.domainId = d.domainId;
  lead.evpnDomain = d.evpnDomain;
  lead.subject = d.subject;
  lead.wiresharkFilter = d.wiresharkFilter;
}

function earlier(a: FrameRef, b: FrameRef): boolean {
  return a.time !== b.time ? a.time < b.time : a.input !== b.input ? a.input < b.input : a.frame < b.frame;
}

/** Whether a report changed what a finding says: its count, severity, message or the data of its words. */
function changed(before: { count: number; severity: Severity; messageId: string; data: ReportDescriptor['data'] }, acc: Accumulator): boolean {
  if (before.count !== acc.count || before.severity !== acc.severity || before.messageId !== acc.lead.messageId) return true;
  const now = acc.lead.data;
  if (now === before.data) return false;
  for (const key in now) if (now[key] !== before.data[key]) return true;
  return false;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class RuleEngine {
  private readonly handlers: RuleHandlers[] = [];
  private readonly neighbourHandlers: ((f: NeighbourFact) => void)[] = [];
  private readonly routerAdvertHandlers: ((f: RouterAdvertFact) => void)[] = [];
  private readonly fhrpHandlers: ((f: FhrpFact) => void)[] = [];
  private readonly evpnHandlers: ((f: EvpnRouteFact) => void)[] = [];
  private readonly anomalyHandlers: ((f: AnomalyFact) => void)[] = [];
  private readonly vxlanHandlers: ((f: VxlanFrameFact) => void)[] = [];
  /** Findings by rule id, then identifier (two lookups, no key string built per report). */
  private readonly findings = new Map<string, Map<string, Accumulator>>();
  private findingCount = 0;
  /** Evidence roles recur across a finding's reports: one copy each. */
  private readonly roles = new TextInterner(100_000);
  private droppedReports = 0;
  /** Finding ids whose state a rule's table cap pushed out (context.capped). */
  private readonly tableCapped = new Set<string>();
  /** Rules that listen to the shared pending-resolution tracker: its cap's drops are theirs (capped()). */
  private readonly resolutionRules: string[] = [];
  private readonly tickHandlers: ((now: number) => void)[] = [];
  private nextTick = -Infinity;
  private listener: FindingListener | null = null;
  readonly settings: Readonly<Record<string, number>>;
  /** The state rules share (gateways, pending resolutions), updated here once per fact before the rules run. */
  readonly shared: SharedState;
  /** The map of the capture (gateways, FHRP groups, EVPN PEs, hosts), fed once per fact like `shared`. */
  readonly inventory: Inventory;

  constructor(
    readonly rules: Rule[],
    settings: Record<string, number>,
    private readonly domains: DomainLookup,
    readonly inputs: { path: string }[] = [],
    addresses?: AddressFormatter,
    intent?: Intent,
    /**
     * The finding ids to keep (--rules, --disable, a config's "off"); null: every id. A report of any other id is
     * dropped as it is made, and `wants` says no to it: a module that reports several ids then costs what its
     * wanted ones cost (with ip-conflict left out, duplicate-gateway-mac kept, rendered and threw away a thousand
     * EVPN conflicts in the benchmark), and an id left out folds nothing into itself — the finding it would have
     * explained (`explains`) is reported on its own instead of vanishing with it.
     */
    private readonly wanted: ReadonlySet<string> | null = null,
  ) {
    this.settings = Object.freeze({ ...defaultSettings(rules), ...settings });
    const declared = intent?.gateways?.length ? new DeclaredGateways(intent.gateways, domains, addresses ?? IPV4_ONLY) : null;
    this.shared = new SharedState(this.settings, addresses, declared);
    const cap = (name: string, fallback: number) => (Number.isFinite(this.settings[name]) ? this.settings[name] : fallback);
    this.inventory = new Inventory(
      cap(MAX_MACS.name, MAX_MACS.default),
      cap(MAX_EVPN_ROUTES.name, MAX_EVPN_ROUTES.default),
      this.shared.addresses,
      this.shared.evpnIdentity,
      declared,
    );
    for (const rule of rules) {
      const allowed = new Set([rule.meta.id, ...(rule.meta.alsoReports ?? []).map((r) => r.id)]);
      const context: RuleContext = {
        settings: this.settings,
        domains,
        addresses: this.shared.addresses,
        shared: this.shared,
        report: (descriptor) => this.report(rule, allowed, descriptor),
        wants: (ruleId, identifier) => this.wants(ruleId, identifier),
        live: () => this.listener !== null,
        ...(intent ? { intent } : {}),
        capped: (findingId) => {
          this.tableCapped.add(findingId);
        },
      };
      const listening = this.shared.resolutionListeners;
      const handlers = rule.create(context);
      if (this.shared.resolutionListeners > listening) this.resolutionRules.push(rule.meta.id);
      this.handlers.push(handlers);
      if (handlers.neighbour) this.neighbourHandlers.push(handlers.neighbour.bind(handlers));
      if (handlers.routerAdvert) this.routerAdvertHandlers.push(handlers.routerAdvert.bind(handlers));
      if (handlers.fhrp) this.fhrpHandlers.push(handlers.fhrp.bind(handlers));
      if (handlers.evpn) this.evpnHandlers.push(handlers.evpn.bind(handlers));
      if (handlers.anomaly) this.anomalyHandlers.push(handlers.anomaly.bind(handlers));
      if (handlers.vxlan) this.vxlanHandlers.push(handlers.vxlan.bind(handlers));
      if (handlers.tick) this.tickHandlers.push(handlers.tick.bind(handlers));
    }
  }

  /** One listener for findings as they are made (the CLI's live output); none costs nothing. */
  listen(listener: FindingListener | null): void {
    this.listener = listener;
  }

  /**
   * Capture time is now `now` (call it per packet: it is one comparison). Every TICK_INTERVAL of capture time
   * the rules' `tick` handlers run.
   */
  advance(now: number): void {
    if (now < this.nextTick) return;
    this.tick(now);
  }

  /** Runs the rules' `tick` handlers at `now` (a live reader calls it when no packet arrives for a while). */
  tick(now: number): void {
    this.nextTick = now + TICK_INTERVAL;
    this.shared.tick(now);
    for (const h of this.tickHandlers) h(now);
  }

  /** A finding as it stands now (before the end of the capture and its folding), or undefined when not kept. */
  snapshot(rule: string, identifier: string): Finding | undefined {
    const acc = this.findings.get(rule)?.get(identifier);
    return acc ? this.render(acc) : undefined;
  }

  neighbour(f: NeighbourFact): void {
    this.shared.neighbour(f);
    this.inventory.neighbour(f);
    for (const h of this.neighbourHandlers) h(f);
  }

  routerAdvert(f: RouterAdvertFact): void {
    this.shared.routerAdvert(f);
    this.inventory.routerAdvert(f);
    for (const h of this.routerAdvertHandlers) h(f);
  }

  fhrp(f: FhrpFact): void {
    this.shared.fhrp(f);
    this.inventory.fhrp(f);
    for (const h of this.fhrpHandlers) h(f);
  }

  evpn(f: EvpnRouteFact): void {
    this.shared.evpn(f);
    this.inventory.evpn(f);
    for (const h of this.evpnHandlers) h(f);
  }

  /** One VXLAN data frame (a scratch fact: handlers copy numbers out). Nothing to do unless a rule made the planes
   *  and an EVPN route gave them something to compare with. */
  vxlan(f: VxlanFrameFact): void {
    if (!this.shared.vxlan(f)) return;
    for (const h of this.vxlanHandlers) h(f);
  }

  anomaly(f: AnomalyFact): void {
    for (const h of this.anomalyHandlers) h(f);
  }

  /** Finding ids that reached MAX_FINDINGS_PER_RULE (later findings were not kept), or whose state a rule's table cap dropped. */
  capped(): string[] {
    const ids = new Set(this.tableCapped);
    // The shared tracker's cap (--max-pending-arp) pushed out requests before their timeout: any of them could have
    // gone unanswered, so the rules that judge unanswered requests may have lost findings.
    if ((this.shared.pending?.undecided ?? 0) > 0) for (const id of this.resolutionRules) ids.add(id);
    for (const [id, byIdentifier] of this.findings) if (byIdentifier.size >= MAX_FINDINGS_PER_RULE) ids.add(id);
    return [...ids].sort();
  }

  /** Internal sizes, for tests that check memory stays bounded. */
  stats(): { findings: number; droppedReports: number; rules: Record<string, Record<string, number>> } {
    const rules: Record<string, Record<string, number>> = {};
    this.handlers.forEach((h, i) => {
      if (h.sizes) rules[this.rules[i].meta.id] = h.sizes();
    });
    return { findings: this.findingCount, droppedReports: this.droppedReports, rules };
  }

  /** Whether findings of `ruleId` are kept at all (see `wanted`). */
  private isWanted(ruleId: string): boolean {
    return this.wanted === null || this.wanted.has(ruleId);
  }

  private wants(ruleId: string, identifier: string): boolean {
    if (!this.isWanted(ruleId)) return false;
    const byIdentifier = this.findings.get(ruleId);
    if (!byIdentifier || byIdentifier.size < MAX_FINDINGS_PER_RULE || byIdentifier.has(identifier)) return true;
    this.droppedReports++;
    return false;
  }

  private report(rule: Rule, allowed: Set<string>, d: ReportDescriptor): void {
    const ruleId = d.rule ?? rule.meta.id;
    // A rule reporting an id it does not declare is a programming error, not bad input.
    if (!allowed.has(ruleId)) throw new Error(`rule ${rule.meta.id} reported undeclared id ${ruleId}`);
    if (!(d.messageId in rule.meta.messages)) throw new Error(`rule ${ruleId}: unknown message ${d.messageId}`);
    if (!this.isWanted(ruleId)) return;
    const severity = d.severity ?? this.defaultSeverity(rule, ruleId);
    let byIdentifier = this.findings.get(ruleId);
    if (!byIdentifier) {
      byIdentifier = new Map();
      this.findings.set(ruleId, byIdentifier);
    }
    let acc = byIdentifier.get(d.identifier);
    const created = !acc;
    if (!acc) {
      if (byIdentifier.size >= MAX_FINDINGS_PER_RULE) {
        this.droppedReports++;
        return;
      }
      this.findingCount++;
      acc = {
        rule: ruleId,
        owner: rule,
        identifier: d.identifier,
        lead: leadOf(d),
        severity,
        confidence: d.confidence,
        count: 0,
        evidence: new EvidenceLog(EVIDENCE_HEAD, EVIDENCE_TAIL, this.roles),
        first: null,
        last: null,
        explains: null,
        folded: [],
      };
      byIdentifier.set(d.identifier, acc);
    }
    const listener = this.listener;
    const before = listener && !created ? { count: acc.count, severity: acc.severity, messageId: acc.lead.messageId, data: acc.lead.data } : null;
    if (SEVERITY_RANK[severity] <= SEVERITY_RANK[acc.severity]) {
      acc.severity = severity;
      setLead(acc.lead, d);
    }
    if (d.confidence === 'confirmed') acc.confidence = 'confirmed';
    acc.count += d.count ?? 1;
    if (d.restates && !created) {
      acc.evidence = new EvidenceLog(EVIDENCE_HEAD, EVIDENCE_TAIL, this.roles);
      acc.first = null;
      acc.last = null;
    }
    for (const e of d.evidence) this.addEvidence(acc, e);
    if (d.explains && d.explains.length > 0) {
      acc.explains ??= new Map();
      for (const x of d.explains) acc.explains.set(`${x.rule}\u0000${x.identifier}`, x);
    }
    // Last: a listener that renders the finding at once sees this report's evidence too.
    if (listener) {
      if (created) listener('new', ruleId, d.identifier);
      else if (before && changed(before, acc)) listener('updated', ruleId, d.identifier);
    }
  }

  private addEvidence(acc: Accumulator, e: Evidence): void {
    if (!acc.first || earlier(e.ref, acc.first)) acc.first = e.ref;
    if (!acc.last || earlier(acc.last, e.ref)) acc.last = e.ref;
    // The same frame for the same reason is one item, however many reports cite it.
    if (acc.evidence.hasFirst(e.ref.input, e.ref.frame, e.role)) return;
    acc.evidence.push(e.ref, e.role);
  }

  private defaultSeverity(rule: Rule, ruleId: string): Severity {
    if (ruleId === rule.meta.id) return rule.meta.severity;
    return rule.meta.alsoReports?.find((r) => r.id === ruleId)?.severity ?? rule.meta.severity;
  }

  finish(lastTime: number): Finding[] {
    this.shared.end(lastTime);
    for (const h of this.handlers) h.end?.(lastTime);
    this.fold();
    const out: { finding: Finding; identifier: string; subject: string }[] = [];
    for (const byIdentifier of this.findings.values()) {
      for (const acc of byIdentifier.values()) {
        const finding = this.render(acc);
        out.push({ finding, identifier: acc.identifier, subject: JSON.stringify(finding.subject) });
      }
    }
    out.sort(
      (a, b) =>
        SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] ||
        compareText(a.finding.rule, b.finding.rule) ||
        compareText(a.finding.domainLabel, b.finding.domainLabel) ||
        compareText(a.subject, b.subject) ||
        compareText(a.identifier, b.identifier),
    );
    return out.map((o) => o.finding);
  }

  /** Drops every finding another finding explains, moving its count and evidence into the explaining one. */
  private fold(): void {
    for (const byIdentifier of this.findings.values()) {
      for (const acc of byIdentifier.values()) this.foldInto(acc);
    }
  }

  private foldInto(acc: Accumulator): void {
    if (!acc.explains) return;
    for (const ref of acc.explains.values()) {
      const explained = this.findings.get(ref.rule)?.get(ref.identifier);
      if (!explained || explained === acc) continue;
      this.findings.get(ref.rule)?.delete(ref.identifier);
      this.findingCount--;
      acc.count += explained.count;
      for (const e of explained.evidence.all()) this.addEvidence(acc, e);
      if (explained.first) this.addEdge(acc, explained.first);
      if (explained.last) this.addEdge(acc, explained.last);
      acc.folded.push(`${ref.rule} ${ref.identifier}`, ...explained.folded);
    }
  }

  private addEdge(acc: Accumulator, ref: FrameRef): void {
    if (!acc.first || earlier(ref, acc.first)) acc.first = ref;
    if (!acc.last || earlier(acc.last, ref)) acc.last = ref;
  }

  private render(acc: Accumulator): Finding {
    const d = acc.lead;
    const templates = acc.owner.meta.messages;
    // At most EVIDENCE_HEAD + EVIDENCE_TAIL items: a pairwise check is cheaper than a Set of built keys.
    const all = acc.evidence.all();
    const items = all
      .filter((e, i) => {
        for (let j = 0; j < i; j++) {
          const k = all[j];
          if (k.ref.frame === e.ref.frame && k.ref.input === e.ref.input && k.role === e.role) return false;
        }
        return true;
      })
      .sort((a, b) => (earlier(a.ref, b.ref) ? -1 : earlier(b.ref, a.ref) ? 1 : compareText(a.role, b.role)))
      // One frame cited for two reasons is one item with both roles ("request; binds MAC to 10.0.0.1"), not two
      // items with the same frame number. Sorted, equal frames are neighbours.
      .reduce<Evidence[]>((merged, e) => {
        const prev = merged[merged.length - 1];
        if (prev && prev.ref.frame === e.ref.frame && prev.ref.input === e.ref.input) merged[merged.length - 1] = { ref: prev.ref, role: `${prev.role}; ${e.role}` };
        else merged.push(e);
        return merged;
      }, []);
    let domain: Finding['domain'] = null;
    let domainLabel = 'global';
    if (d.evpnDomain) {
      const e = d.evpnDomain;
      domain = { vlans: [], vni: e.vni, innerVlans: [] };
      domainLabel =
        e.vni !== null
          ? `evi vni ${e.vni}${e.ethernetTag ? ` etag ${e.ethernetTag}` : ''}`
          : `evi rt ${e.routeTargets.join(',') || '-'} etag ${e.ethernetTag}`;
    } else if (d.domainId !== null) {
      const dom = this.domains.get(d.domainId);
      domain = { vlans: [...dom.vlans], vni: dom.vni, innerVlans: [...dom.innerVlans] };
      domainLabel = this.domains.label(d.domainId);
    }
    // formatIsoTime keeps the date of the last second it formatted: a finding's instants need no cache here.
    const time = (ref: FrameRef | null): string => (ref ? formatIsoTime(ref.seconds, ref.nanos) : '');
    const finding: Finding = {
      id: findingId(acc.rule, acc.identifier),
      rule: acc.rule,
      severity: acc.severity,
      confidence: acc.confidence,
      summary: fillTemplate(templates[d.messageId], d.data),
      detail: d.detailMessageId ? fillTemplate(templates[d.detailMessageId] ?? '', d.data) : '',
      remediation: remediationOf(acc.owner, acc.rule),
      domain,
      domainLabel,
      subject: d.subject,
      evidence: {
        frames: uniqueSorted(items.map((e) => e.ref.frame)),
        items: items.map((e) => ({ input: e.ref.input, frame: e.ref.frame, time: time(e.ref), role: e.role })),
        firstTime: time(acc.first),
        lastTime: time(acc.last),
        count: acc.count,
      },
      wiresharkFilter: d.wiresharkFilter,
    };
    messages.set(finding, {
      messageId: d.messageId,
      detailMessageId: d.detailMessageId,
      data: d.data,
      identifier: acc.identifier,
      folded: acc.folded,
    });
    return finding;
  }
}
