// inputs → Report: the one entry used by the CLI, the tests and anyone scripting gwcheck (re-exported by index.ts).
// Every input is read as a stream; several inputs are merged in timestamp order (as mergecap does, ties to the
// earlier input), so captures from several switches are analysed as one story. Nothing per packet is kept here.
import { CaptureInput } from './capture/input.js';
import { CaptureError, type CaptureInfo, type CaptureRecord } from './capture/types.js';
import { FrameDecoder } from './decode/frame.js';
import { DEFAULT_BGP_PORTS, DEFAULT_VXLAN_PORTS, NOT_OPENED_NAMES } from './decode/types.js';
import { DomainTable, MAX_REPORTED_DOMAINS } from './facts/domains.js';
import { AddressBook } from './facts/addresses.js';
import { FactExtractor } from './facts/extract.js';
import { SCHEMA_VERSION, type Coverage, type InputSummary, type Report } from './report/types.js';
import { ALL_RULES, RuleEngine, defaultSettings } from './rules/index.js';
import { MAX_FINDINGS_PER_RULE, findingId } from './rules/engine.js';
import type { Finding, Rule, Severity, WiresharkView } from './rules/types.js';
import { formatMac } from './util/net.js';
import { formatIsoTime, toSeconds } from './util/time.js';
import { decodeAsOptions, exactFilter, wiresharkCommand } from './rules/wireshark.js';
import { FrameNotes } from './frame-notes.js';
import { linkTypeName } from './util/link-types.js';
import { VERSION } from './version.js';
import { applyConfig, configThresholds, offIds, type AnnotatedFinding, type ConfigEcho } from './config/apply.js';
import { applyBaseline, type Baseline, type BaselineEcho } from './config/baseline.js';
import type { LoadedConfig } from './config/types.js';
import { timeOverlapWarnings } from './report/overlap.js';

export interface AnalyzeOptions {
  /** Rule thresholds by option name (see each rule's meta.options); missing ones take their defaults. */
  settings?: Record<string, number>;
  /** Only these rule ids (default: all). */
  rules?: string[];
  /** Rule ids to leave out. */
  disable?: string[];
  vxlanPorts?: readonly number[];
  bgpPorts?: readonly number[];
  /** Called a few times a second at most with reading progress. */
  onProgress?: (progress: Progress) => void;
  /** Wall-clock ms before the first onProgress call (default PROGRESS_DELAY_MS): a short run shows no progress. */
  progressDelayMs?: number;
  /** Extra settings echoed into the report (e.g. the CLI's fail-on). */
  echoSettings?: Record<string, number | string | boolean | number[] | string[]>;
  /** gwcheck.config.json: `rules` severities/off/thresholds, `suppress`, `intent` (applied to the findings). */
  config?: LoadedConfig;
  /** An earlier report: each finding is marked new or unchanged, and the gone ones are listed as fixed. */
  baseline?: Baseline;
  /** The day suppressions are checked against (default: now). */
  now?: Date;
  /** Extra rule modules that only watch the facts (`gwcheck init` collects gateways and FHRP groups so). */
  observers?: Rule[];
  /** Aborting stops reading (Ctrl-C): the rules' end of capture runs on what was read, inputs are marked interrupted. */
  signal?: AbortSignal;
  /**
   * Keep reading files at their end as they grow (`tcpdump -w file -U`), until `signal` aborts; stdin is read
   * until its writer closes it either way. While no packet arrives, capture time is taken to advance with the
   * clock (less FOLLOW_MARGIN_S), so a request left unanswered is still decided when its timeout passes.
   */
  follow?: boolean;
  /**
   * A finding was made ('new') or changed its count, severity or words ('updated'), as the rules run — before
   * the end of the capture decides what only the end can, and before findings are folded into the ones that
   * explain them. `key` is the finding's `id`; `render` gives the finding as it stands (call it later, not
   * necessarily at once).
   */
  onFinding?: (event: 'new' | 'updated', key: string, render: () => Finding | undefined) => void;
  /** Called about once a second of wall-clock time while reading (a live status line). */
  onTick?: (status: LiveStatus) => void;
}

export interface LiveStatus {
  packets: number;
  elapsedMs: number;
  /** Distinct findings so far (before the end of the capture). */
  findings: number;
}

/** Wall-clock ms of reading before the first progress update, and between updates. */
export const PROGRESS_DELAY_MS = 250;

/** Following several inputs, one with nothing to read holds the others back this long (ms) at most. */
export const FOLLOW_MERGE_WAIT_MS = 1000;
/** A followed input silent this long (ms) lets capture time advance with the clock … */
export const FOLLOW_IDLE_MS = 2000;
/** … less this margin (s), for packets a writer still holds in its buffer. */
export const FOLLOW_MARGIN_S = 1;

export interface Progress {
  bytesDone: number;
  bytesTotal: number | undefined;
  packets: number;
  elapsedMs: number;
}

/** Ids a user may name in --rules/--disable: every rule module and the extra finding ids it reports. */
export function ruleIds(rules: readonly Rule[] = ALL_RULES): string[] {
  return rules.flatMap((r) => [r.meta.id, ...(r.meta.alsoReports ?? []).map((a) => a.id)]);
}

/** The finding ids wanted by --rules/--disable (a module may report several ids; each can be chosen alone). */
export function selectFindingIds(only: string[] | undefined, disable: string[] | undefined): Set<string> {
  const known = ruleIds();
  for (const id of [...(only ?? []), ...(disable ?? [])]) {
    if (!known.includes(id)) throw new UsageError(`unknown rule '${id}' (known: ${known.join(', ')})`);
  }
  return new Set(known.filter((id) => (!only || only.includes(id)) && !(disable ?? []).includes(id)));
}

/** The rule modules that report at least one wanted finding id. */
export function selectRules(wanted: Set<string>): Rule[] {
  return ALL_RULES.filter((r) => [r.meta.id, ...(r.meta.alsoReports ?? []).map((a) => a.id)].some((id) => wanted.has(id)));
}

export class UsageError extends Error {}

export async function analyze(paths: string[], options: AnalyzeOptions = {}): Promise<Report> {
  // The config's "off" ids join --disable, unless --rules names them (flags override the file).
  const off = options.config ? offIds(options.config.config).filter((id) => !(options.rules ?? []).includes(id)) : [];
  const wanted = selectFindingIds(options.rules, off.length ? [...(options.disable ?? []), ...off] : options.disable);
  const rules = [...selectRules(wanted), ...(options.observers ?? [])];
  const fromConfig = options.config ? configThresholds(options.config.config) : {};
  const settings = { ...defaultSettings(ALL_RULES), ...fromConfig, ...(options.settings ?? {}) };
  const vxlanPorts = options.vxlanPorts ?? DEFAULT_VXLAN_PORTS;
  const bgpPorts = options.bgpPorts ?? DEFAULT_BGP_PORTS;
  const domains = new DomainTable();
  const addresses = new AddressBook();
  const engine = new RuleEngine(rules, settings, domains, paths.map((path) => ({ path })), addresses, options.config?.config.intent, wanted);
  const extractor = new FactExtractor(engine, domains, { bgpPorts, addresses, bgpMessages: false });
  const decoder = new FrameDecoder({ vxlanPorts, bgpPorts });
  const onFinding = options.onFinding;
  if (onFinding) {
    engine.listen((event, rule, identifier) => onFinding(event, findingId(rule, identifier), () => withFiles(engine.snapshot(rule, identifier), paths)));
  }

  const inputs: CaptureInput[] = [];
  const openErrors: (CaptureError | null)[] = [];
  const captureOptions = { follow: options.follow, signal: options.signal };
  for (const path of paths) {
    try {
      inputs.push(await CaptureInput.open(path, captureOptions));
      openErrors.push(null);
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      inputs.push(null as unknown as CaptureInput);
      openErrors.push(err);
    }
  }

  const unsupported = paths.map(() => new Map<number, number>());
  // Packet comments and interface names, to show beside the evidence that cites their frames.
  const notes = paths.map(() => new FrameNotes());
  let packets = 0;
  // The latest capture time seen, in an object field: a double kept in the closure's context was boxed anew (and
  // stored with a write barrier) at every packet; a field of a fixed object is updated in place.
  const clock = { lastTime: -Infinity };
  const started = Date.now();
  let nextProgressAt = started + (options.progressDelayMs ?? PROGRESS_DELAY_MS);
  const bytesTotal = inputs.reduce<number | undefined>(
    (sum, input) => (sum === undefined || !input || input.info.fileSize === undefined ? undefined : sum + input.info.fileSize),
    0,
  );

  let lastPacketAt = started;
  const handle = (record: CaptureRecord, index: number) => {
    packets++;
    if (record.comment !== undefined || record.interfaceId !== 0 || record.interfaceName !== undefined) notes[index].add(record);
    const result = decoder.decodeAt(record.data, record.dataOffset, record.dataLength, record.linkType);
    if (result.unsupportedLinkType) {
      const counts = unsupported[index];
      counts.set(record.linkType, (counts.get(record.linkType) ?? 0) + 1);
      extractor.counters.notOpened[result.notOpened]++;
    } else {
      extractor.frame(result, record, index);
    }
    const t = toSeconds(record.seconds, record.nanos);
    if (t > clock.lastTime) clock.lastTime = t;
    engine.advance(clock.lastTime);
    if (options.follow) lastPacketAt = Date.now();
    if ((packets & 4095) === 0 && options.onProgress) {
      const now = Date.now();
      if (now >= nextProgressAt) {
        nextProgressAt = now + PROGRESS_DELAY_MS;
        options.onProgress({
          bytesDone: inputs.reduce((s, i) => s + (i ? i.info.fileBytesRead : 0), 0),
          bytesTotal,
          packets,
          elapsedMs: now - started,
        });
      }
    }
  };

  // Once a second: the live status, and, following a silent input, capture time moved on with the clock.
  const ticker =
    options.onTick || options.follow
      ? setInterval(() => {
          const now = Date.now();
          if (options.follow && clock.lastTime > -Infinity && now - lastPacketAt >= FOLLOW_IDLE_MS) {
            engine.tick(clock.lastTime + (now - lastPacketAt) / 1000 - FOLLOW_MARGIN_S);
          }
          options.onTick?.({ packets, elapsedMs: now - started, findings: engine.stats().findings });
        }, 1000)
      : undefined;

  const live = inputs.map((input, i) => (input ? i : -1)).filter((i) => i >= 0);
  try {
    if (live.length === 1) {
      const index = live[0];
      const input = inputs[index];
      for (;;) {
        const record = input.next();
        if (record) {
          handle(record, index);
          continue;
        }
        if (!(await input.fill())) break;
      }
    } else if (live.length > 1) {
      if (options.follow) await mergeFollowing(live.map((i) => inputs[i]), live, handle);
      else await mergeByTime(live.map((i) => inputs[i]), live, handle);
    }
  } finally {
    if (ticker) clearInterval(ticker);
  }
  for (const input of inputs) input?.close();
  extractor.finish();
  // A module runs when any of its ids is wanted; the engine dropped the reports of the others (and an observer's: no
  // id names it) as they were made.
  let findings = engine.finish(clock.lastTime === -Infinity ? 0 : clock.lastTime);
  // A hex dump without times puts every packet at 0: a rule that needs time cannot judge it, so it says so
  // instead of reporting (or not) on times that are not there.
  const timeless = inputs.length > 0 && inputs.every((input) => input && input.info.timestamps === 'none' && input.info.packets > 0);
  const notJudged = timeless ? timeRuleIds(rules).filter((id) => wanted.has(id)) : [];
  if (notJudged.length) findings = findings.filter((f) => !notJudged.includes(f.rule));
  // Several inputs are one story: every cited frame names the file it is in.
  for (const finding of findings) {
    finding.evidence.items = finding.evidence.items.map((i) => ({
      input: i.input,
      file: paths[i.input],
      frame: i.frame,
      time: i.time,
      role: i.role,
      ...notes[i.input].of(i.frame),
    }));
    finding.wireshark = wiresharkView(finding, paths, vxlanPorts, bgpPorts);
  }

  // Policy after the engine: the config's severities, intent and suppressions, then the baseline.
  let reported: AnnotatedFinding[] = findings;
  let configEcho: ConfigEcho | undefined;
  let baselineEcho: BaselineEcho | undefined;
  if (options.config) ({ findings: reported, echo: configEcho } = applyConfig(findings, options.config, options.now));
  if (options.baseline) baselineEcho = applyBaseline(reported, options.baseline);

  const summary: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  // A suppressed finding stays in the report but is not counted here (nor for --fail-on).
  for (const f of reported) if (!f.suppressed) summary[f.severity]++;
  const c = extractor.counters;
  const listedDomains = domains.listed(MAX_REPORTED_DOMAINS);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'gwcheck', version: VERSION },
    inputs: timeOverlapWarnings(
      paths.map((path, i) => {
      const entry = summariseInput(path, inputs[i]?.info, openErrors[i], unsupported[i]);
      if (notJudged.length) {
        entry.warnings.push(
          `no timestamps (a hex dump without times): ${notJudged.join(', ')} need time and could not judge this input; ` +
            'export with times (tshark -r CAPTURE -V -x) to have them judged',
        );
      }
      return entry;
    }),
    ),
    stats: {
      packets,
      arp: c.arp,
      arpSourceMismatch: c.arpSourceMismatch,
      nd: c.nd,
      ndInvalid: c.ndInvalid,
      replicatedCopies: c.replicatedCopies,
      hsrp: c.hsrp,
      vrrp: c.vrrp,
      vxlan: c.vxlan,
      bgpMessages: c.bgpMessages,
      evpnRoutes: c.evpnRoutes,
      anomalies: c.anomalies,
      notes: c.notes,
      anomalyCodes: Object.fromEntries([...c.anomalyCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      glbp: c.glbp,
      notOpened: notOpenedStats(c.notOpened),
      domains: domains.size,
      domainsOmitted: domains.size - listedDomains.length,
      findingsCapped: engine.capped().filter((id) => wanted.has(id)),
    },
    domains: listedDomains.map(({ domain: d, label, via }) => {
      return { label, vlans: d.vlans, vni: d.vni, innerVlans: d.innerVlans, ...(via.length ? { via: [...via] } : {}) };
    }),
    coverage: coverageOf(c, packets, engine, domains),
    inventory: engine.inventory.report(domains),
    findings: reported,
    summary,
    settings: {
      ...sortedObject(settings),
      rules: [...wanted],
      maxFindingsPerRule: MAX_FINDINGS_PER_RULE,
      vxlanPorts: [...vxlanPorts],
      bgpPorts: [...bgpPorts],
      ...(options.echoSettings ?? {}),
    },
    ...(configEcho ? { config: configEcho } : {}),
    ...(baselineEcho ? { baseline: baselineEcho } : {}),
  };
}

/** What the capture let the rules judge (see Coverage). */
function coverageOf(c: FactExtractor['counters'], packets: number, engine: RuleEngine, domains: DomainTable): Coverage {
  const statements: string[] = [];
  let unjudged = 0;
  for (const view of engine.shared.vantage.limited()) {
    unjudged += view.unjudged;
    const host = view.unicastTo.map(formatMac).join(' or ');
    statements.push(
      `host-side capture in ${domains.label(view.domainId)}: every unicast reply is to or from ${host}` +
        (view.unjudged ? `; ${view.unjudged} unanswered request(s) from other hosts cannot be judged from here` : ''),
    );
  }
  const planes = engine.shared.planesIfMade;
  if (planes) statements.push(...planes.statements());
  if (c.replicatedCopies > 0) statements.push(`${c.replicatedCopies} VXLAN frame(s) were replicated copies of one frame (head-end replication) and were used once`);
  if (c.ndInvalid > 0) statements.push(`${c.ndInvalid} neighbour-discovery message(s) that a node must ignore (RFC 4861 §6.1/§7.1) were not used as evidence`);
  const judged = c.arp + c.nd + c.hsrp + c.vrrp + c.bgpMessages > 0;
  if (!judged) statements.push(packets === 0 ? 'no packets were read' : `none of the ${packets} packets carried ARP, IPv6 neighbour discovery, HSRP, VRRP or BGP that gwcheck could open`);
  return { judged, statements, unjudgedRequests: unjudged };
}

/** Names the file of every cited frame. */
function withFiles(finding: Finding | undefined, paths: string[]): Finding | undefined {
  if (finding) finding.evidence.items = finding.evidence.items.map((i) => ({ input: i.input, file: paths[i.input], frame: i.frame, time: i.time, role: i.role }));
  return finding;
}

/** Per cited file: the command with the finding's filter (and the -d options it needs) and the exact one. */
function wiresharkView(finding: Finding, paths: string[], vxlanPorts: readonly number[], bgpPorts: readonly number[]): WiresharkView {
  const decodeAs = decodeAsOptions(finding.wiresharkFilter, vxlanPorts, bgpPorts);
  const inputs = [...new Set(finding.evidence.items.map((i) => i.input))].sort((a, b) => a - b);
  return {
    decodeAs,
    files: inputs.map((input) => {
      const file = paths[input];
      const frames = [...new Set(finding.evidence.items.filter((i) => i.input === input).map((i) => i.frame))].sort((a, b) => a - b);
      const exact = exactFilter(frames);
      return {
        file,
        frames,
        exactFilter: exact,
        // Stdin cannot be opened again: the command names the capture the user piped in.
        command: wiresharkCommand(file === '-' ? 'CAPTURE' : file, finding.wiresharkFilter, decodeAs),
        exactCommand: wiresharkCommand(file === '-' ? 'CAPTURE' : file, exact, []),
      };
    }),
  };
}

/**
 * Finding ids of the rules that need time: a threshold in seconds (timeouts, windows), or FHRP hold times
 * (hsrp-multiple-active: "Active at once" means within each other's hold time).
 */
function timeRuleIds(rules: readonly Rule[]): string[] {
  return rules
    .filter((r) => r.meta.id === 'hsrp-multiple-active' || r.meta.options.some((o) => o.unit === 's'))
    .flatMap((r) => [r.meta.id, ...(r.meta.alsoReports ?? []).map((a) => a.id)]);
}

/** Packets not opened, by reason name (every reason, in NOT_OPENED_* order, zeros included: a stable shape). */
function notOpenedStats(counts: Uint32Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (let code = 1; code < NOT_OPENED_NAMES.length; code++) out[NOT_OPENED_NAMES[code]] = counts[code];
  return out;
}

/** k-way merge on (seconds, nanos); the head record of each input stays valid until that input advances. */
async function mergeByTime(
  inputs: CaptureInput[],
  indexes: number[],
  handle: (record: CaptureRecord, index: number) => void,
): Promise<void> {
  const heads: (CaptureRecord | null)[] = [];
  for (const input of inputs) heads.push(await pull(input));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (!h) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const b = heads[best]!;
      if (h.seconds < b.seconds || (h.seconds === b.seconds && h.nanos < b.nanos)) best = i;
    }
    if (best < 0) return;
    handle(heads[best]!, indexes[best]);
    heads[best] = await pull(inputs[best]);
  }
}

/**
 * The merge of followed inputs: as mergeByTime while every input has a record to offer, but an input that has
 * nothing to read (its switch is quiet, its file not growing) holds the others back FOLLOW_MERGE_WAIT_MS at most —
 * a strict merge would wait for it for ever. Its later records may then come slightly out of time order, which the
 * rules tolerate (their clocks only move forward).
 */
async function mergeFollowing(
  inputs: CaptureInput[],
  indexes: number[],
  handle: (record: CaptureRecord, index: number) => void,
): Promise<void> {
  const heads: (CaptureRecord | null)[] = inputs.map(() => null);
  const waiting: (Promise<void> | null)[] = inputs.map(() => null);
  const ended = inputs.map(() => false);
  /** When each input began to wait for a read (Date.now()). */
  const since = inputs.map(() => 0);
  const refill = (i: number): void => {
    // Most records are already parsed: only an input whose parsed records ran out waits for a read.
    const record = inputs[i].next();
    if (record) {
      heads[i] = record;
      return;
    }
    since[i] = Date.now();
    waiting[i] = pull(inputs[i]).then((r) => {
      heads[i] = r;
      if (!r) ended[i] = true;
      waiting[i] = null;
    });
  };
  for (let i = 0; i < inputs.length; i++) refill(i);
  for (;;) {
    // Inputs still within their wait hold the others back until it ends; one waiting longer holds nothing back.
    let anyPending = false;
    let anyHead = false;
    let deadline = -Infinity;
    for (let i = 0; i < inputs.length; i++) {
      if (heads[i]) anyHead = true;
      if (waiting[i]) {
        anyPending = true;
        deadline = Math.max(deadline, since[i] + FOLLOW_MERGE_WAIT_MS);
      }
    }
    if (anyPending) {
      const pending = (): Promise<void>[] => waiting.filter((p): p is Promise<void> => p !== null);
      if (!anyHead) await Promise.race(pending());
      else {
        const left = deadline - Date.now();
        if (left > 0) await withTimeout(Promise.all(pending()), left);
      }
    }
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (!h) continue;
      const b = best < 0 ? null : heads[best]!;
      if (!b || h.seconds < b.seconds || (h.seconds === b.seconds && h.nanos < b.nanos)) best = i;
    }
    if (best < 0) {
      if (ended.every(Boolean)) return;
      continue;
    }
    const record = heads[best]!;
    heads[best] = null;
    handle(record, indexes[best]);
    refill(best);
  }
}

/** Resolves when `promise` does or after `ms`, whichever is first (the timer does not outlive it). */
function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function pull(input: CaptureInput): Promise<CaptureRecord | null> {
  for (;;) {
    const record = input.next();
    if (record) return record;
    if (!(await input.fill())) return null;
  }
}

/** Unsupported link types named one by one in an input's warnings; the rest are summed in one line. */
const UNSUPPORTED_LINK_TYPES_LISTED = 10;

function summariseInput(
  path: string,
  info: CaptureInfo | undefined,
  openError: CaptureError | null,
  unsupported: Map<number, number>,
): InputSummary {
  const warnings: string[] = [];
  const error = openError ?? info?.error ?? null;
  if (info) for (const w of info.warnings) warnings.push(w.message);
  if (info?.timestamps === 'relative') {
    warnings.push("times are seconds since the export's first packet (tshark -P prints them so), shown from 1970-01-01; export with -V -x or -t e for absolute times");
  }
  // One line per unsupported link type, up to a few: a hostile pcapng can use thousands of link types.
  const skipped = [...unsupported].sort((a, b) => a[0] - b[0]);
  for (const [linkType, count] of skipped.slice(0, UNSUPPORTED_LINK_TYPES_LISTED)) {
    warnings.push(`${count} packet(s) of link type ${linkType} (${linkTypeName(linkType)}) skipped: gwcheck decodes Ethernet, Linux SLL/SLL2 and raw IP`);
  }
  if (skipped.length > UNSUPPORTED_LINK_TYPES_LISTED) {
    const rest = skipped.slice(UNSUPPORTED_LINK_TYPES_LISTED);
    const packets = rest.reduce((sum, [, count]) => sum + count, 0);
    warnings.push(`${packets} packet(s) of ${rest.length} more unsupported link types skipped (not listed)`);
  }
  return {
    path,
    format: info?.format ?? 'unknown',
    timestamps: info?.timestamps ?? 'absolute',
    compressed: info?.compressed ?? false,
    linkTypes: info?.linkTypes ?? [],
    packets: info?.packets ?? 0,
    bytes: info?.bytes ?? 0,
    firstTime: info && info.firstSeconds !== undefined ? formatIsoTime(info.firstSeconds, info.firstNanos ?? 0) : null,
    lastTime: info && info.lastSeconds !== undefined ? formatIsoTime(info.lastSeconds, info.lastNanos ?? 0) : null,
    truncated: info?.truncated ?? false,
    interrupted: info?.interrupted ?? false,
    warnings,
    error: error ? { code: error.code, offset: error.offset, message: error.message } : null,
  };
}

function sortedObject<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
