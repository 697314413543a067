// inputs → Report: the one entry used by the CLI, the tests and anyone scripting gwcheck (re-exported by index.ts).
// Every input is read as a stream; several inputs are merged in timestamp order (as mergecap does, ties to the
// earlier input), so captures from several switches are analysed as one story. Nothing per packet is kept here.
import { CaptureInput } from './capture/input.js';
import { CaptureError, type CaptureInfo, type CaptureRecord } from './capture/types.js';
import { FrameDecoder } from './decode/frame.js';
import { DEFAULT_BGP_PORTS, DEFAULT_VXLAN_PORTS } from './decode/types.js';
import { DomainTable, MAX_REPORTED_DOMAINS } from './facts/domains.js';
import { FactExtractor } from './facts/extract.js';
import { SCHEMA_VERSION, type InputSummary, type Report } from './report/types.js';
import { ALL_RULES, RuleEngine, defaultSettings } from './rules/index.js';
import { MAX_FINDINGS_PER_RULE } from './rules/engine.js';
import type { Rule, Severity } from './rules/types.js';
import { formatIsoTime, toSeconds } from './util/time.js';
import { linkTypeName } from './util/link-types.js';
import { VERSION } from './version.js';

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
  /** Extra settings echoed into the report (e.g. the CLI's fail-on). */
  echoSettings?: Record<string, number | string | boolean | number[] | string[]>;
}

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
  const wanted = selectFindingIds(options.rules, options.disable);
  const rules = selectRules(wanted);
  const settings = { ...defaultSettings(ALL_RULES), ...(options.settings ?? {}) };
  const vxlanPorts = options.vxlanPorts ?? DEFAULT_VXLAN_PORTS;
  const bgpPorts = options.bgpPorts ?? DEFAULT_BGP_PORTS;
  const domains = new DomainTable();
  const engine = new RuleEngine(rules, settings, domains, paths.map((path) => ({ path })));
  const extractor = new FactExtractor(engine, domains, { bgpPorts });
  const decoder = new FrameDecoder({ vxlanPorts, bgpPorts });

  const inputs: CaptureInput[] = [];
  const openErrors: (CaptureError | null)[] = [];
  for (const path of paths) {
    try {
      inputs.push(await CaptureInput.open(path));
      openErrors.push(null);
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      inputs.push(null as unknown as CaptureInput);
      openErrors.push(err);
    }
  }

  const unsupported = paths.map(() => new Map<number, number>());
  let packets = 0;
  let lastTime = -Infinity;
  const started = Date.now();
  let nextProgressAt = started + 250;
  const bytesTotal = inputs.reduce<number | undefined>(
    (sum, input) => (sum === undefined || !input || input.info.fileSize === undefined ? undefined : sum + input.info.fileSize),
    0,
  );

  const handle = (record: CaptureRecord, index: number) => {
    packets++;
    const result = decoder.decode(record.bytes, record.linkType);
    if (result.unsupportedLinkType) {
      const counts = unsupported[index];
      counts.set(record.linkType, (counts.get(record.linkType) ?? 0) + 1);
    } else {
      extractor.frame(result, record, index);
    }
    const t = toSeconds(record.seconds, record.nanos);
    if (t > lastTime) lastTime = t;
    if ((packets & 4095) === 0 && options.onProgress) {
      const now = Date.now();
      if (now >= nextProgressAt) {
        nextProgressAt = now + 250;
        options.onProgress({
          bytesDone: inputs.reduce((s, i) => s + (i ? i.info.fileBytesRead : 0), 0),
          bytesTotal,
          packets,
          elapsedMs: now - started,
        });
      }
    }
  };

  const live = inputs.map((input, i) => (input ? i : -1)).filter((i) => i >= 0);
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
    await mergeByTime(live.map((i) => inputs[i]), live, handle);
  }
  for (const input of inputs) input?.close();
  extractor.finish();
  // A module runs when any of its ids is wanted; the ids that were not wanted are dropped here.
  const findings = engine.finish(lastTime === -Infinity ? 0 : lastTime).filter((f) => wanted.has(f.rule));
  // Several inputs are one story: every cited frame names the file it is in.
  for (const finding of findings) {
    finding.evidence.items = finding.evidence.items.map((i) => ({ input: i.input, file: paths[i.input], frame: i.frame, time: i.time, role: i.role }));
  }

  const summary: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) summary[f.severity]++;
  const c = extractor.counters;
  const listedDomains = domains.listed(MAX_REPORTED_DOMAINS);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'gwcheck', version: VERSION },
    inputs: paths.map((path, i) => summariseInput(path, inputs[i]?.info, openErrors[i], unsupported[i])),
    stats: {
      packets,
      arp: c.arp,
      hsrp: c.hsrp,
      vrrp: c.vrrp,
      vxlan: c.vxlan,
      bgpMessages: c.bgpMessages,
      evpnRoutes: c.evpnRoutes,
      anomalies: c.anomalies,
      notes: c.notes,
      anomalyCodes: Object.fromEntries([...c.anomalyCodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      domains: domains.size,
      domainsOmitted: domains.size - listedDomains.length,
      findingsCapped: engine.capped().filter((id) => wanted.has(id)),
    },
    domains: listedDomains.map(({ domain: d, label }) => ({ label, vlans: d.vlans, vni: d.vni, innerVlans: d.innerVlans })),
    findings,
    summary,
    settings: {
      ...sortedObject(settings),
      rules: [...wanted],
      maxFindingsPerRule: MAX_FINDINGS_PER_RULE,
      vxlanPorts: [...vxlanPorts],
      bgpPorts: [...bgpPorts],
      ...(options.echoSettings ?? {}),
    },
  };
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
    compressed: info?.compressed ?? false,
    linkTypes: info?.linkTypes ?? [],
    packets: info?.packets ?? 0,
    bytes: info?.bytes ?? 0,
    firstTime: info && info.firstSeconds !== undefined ? formatIsoTime(info.firstSeconds, info.firstNanos ?? 0) : null,
    lastTime: info && info.lastSeconds !== undefined ? formatIsoTime(info.lastSeconds, info.lastNanos ?? 0) : null,
    truncated: info?.truncated ?? false,
    warnings,
    error: error ? { code: error.code, offset: error.offset, message: error.message } : null,
  };
}

function sortedObject<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
