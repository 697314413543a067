// The config applied to findings after the engine produced them: severities from `rules`, what `intent` says is by
// design, and `suppress`. No rule changes for this: it is post-processing by finding id, subject and domain, so
// the rules stay policies over facts and the same findings come out with or without a config.
import type { Finding, Severity } from '../rules/types.js';
import { parseMac } from '../util/net.js';
import type { GwcheckConfig, Intent, LoadedConfig, RuleSeverity, SuppressMatch, Suppression } from './types.js';

/** What the config did to one finding (serialised with it; see schema/report.schema.json). */
export interface FindingAnnotations {
  /** The config or the intent changed the severity: the rule's own severity, what changed it and why. */
  adjusted?: { from: Severity; by: string; reason: string };
  /** A suppression holds: it does not count for --fail-on and is counted in the table's footer. */
  suppressed?: { by: string; reason: string; until: string | null };
  /** A suppression matched but its `until` has passed: the finding counts again. */
  suppressionExpired?: { by: string; reason: string; until: string };
  /** With --baseline: whether the earlier report had this finding id. */
  baseline?: 'new' | 'unchanged';
}

export type AnnotatedFinding = Finding & FindingAnnotations;

/** The config as the report echoes it: which file, and what was in force. */
export interface ConfigEcho {
  file: string | null;
  failOn?: string;
  rules: Record<string, unknown>;
  suppress: (Suppression & { state: 'active' | 'expired'; matched: number })[];
  intent: Intent;
  /** Findings a suppression holds (kept in `findings`, marked `suppressed`). */
  suppressedFindings: number;
}

/** Finding ids the config turns off (the CLI's --rules wins over the file). */
export function offIds(config: GwcheckConfig): string[] {
  return Object.entries(config.rules ?? {})
    .filter(([, s]) => (Array.isArray(s) ? s[0] : typeof s === 'object' ? s.severity : s) === 'off')
    .map(([id]) => id);
}

/** Thresholds set in `rules` (options are global by name, as on the command line). */
export function configThresholds(config: GwcheckConfig): Record<string, number> {
  const out: Record<string, number> = {};
  for (const setting of Object.values(config.rules ?? {})) {
    const thresholds = Array.isArray(setting) ? (setting[1] ?? {}) : typeof setting === 'object' ? setting : {};
    for (const [k, v] of Object.entries(thresholds)) if (k !== 'severity' && typeof v === 'number') out[k] = v;
  }
  return out;
}

function severityOf(config: GwcheckConfig, id: string): RuleSeverity | undefined {
  const s = config.rules?.[id];
  return typeof s === 'string' ? s : Array.isArray(s) ? s[0] : s?.severity;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** UTC day "YYYY-MM-DD" of `now`. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function subjectValues(f: Finding, ...keys: string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const v = f.subject[k];
    if (Array.isArray(v)) for (const x of v) out.push(String(x));
    else if (v !== undefined) out.push(String(v));
  }
  return out;
}

function sameMac(a: string, b: string): boolean {
  const x = parseMac(a);
  return !Number.isNaN(x) && x === parseMac(b);
}

function inScope(f: Finding, scope: { vlan?: number; vni?: number }): boolean {
  if (scope.vlan !== undefined && !(f.domain && (f.domain.vlans.includes(scope.vlan) || f.domain.innerVlans.includes(scope.vlan)))) return false;
  if (scope.vni !== undefined && f.domain?.vni !== scope.vni) return false;
  return true;
}

export function matches(f: Finding, match: SuppressMatch | undefined): boolean {
  if (!match) return true;
  if (match.mac !== undefined && !subjectValues(f, 'mac', 'macs').some((m) => sameMac(m, match.mac!))) return false;
  if (match.ip !== undefined && !subjectValues(f, 'ip', 'ips', 'routers').some((ip) => ip.toLowerCase() === match.ip!.toLowerCase())) return false;
  if (match.group !== undefined && f.subject.group !== match.group) return false;
  return inScope(f, match);
}

/** EVPN findings that an anycast gateway MAC makes by design: every leaf advertises the one MAC. */
const ANYCAST_AS_DESIGNED = ['mac-mobility-tie', 'mac-flapping', 'sticky-mac-moved', 'mac-mobility-regression'];

function adjust(f: AnnotatedFinding, severity: Severity, by: string, reason: string): void {
  if (f.severity === severity && !f.adjusted) return;
  f.adjusted = { from: f.adjusted?.from ?? f.severity, by, reason };
  f.severity = severity;
}

function applyIntent(f: AnnotatedFinding, intent: Intent): void {
  (intent.fhrpAllActive ?? []).forEach((g, i) => {
    if (f.rule !== 'hsrp-multiple-active' || f.subject.group !== g.group) return;
    if (g.protocol && f.subject.protocol !== g.protocol) return;
    if (!inScope(f, g)) return;
    adjust(f, 'info', `intent.fhrpAllActive[${i}]`, `as designed: every router of this group is meant to be Active${g.reason ? ` (${g.reason})` : ''}`);
  });
  (intent.anycastMacs ?? []).forEach((a, i) => {
    if (!ANYCAST_AS_DESIGNED.includes(f.rule) || !inScope(f, a)) return;
    if (!subjectValues(f, 'mac').some((m) => sameMac(m, a.mac))) return;
    adjust(f, 'info', `intent.anycastMacs[${i}]`, `as designed: ${a.mac} is an anycast gateway MAC, advertised by every leaf${a.reason ? ` (${a.reason})` : ''}`);
  });
  (intent.gateways ?? []).forEach((g, i) => {
    if ((f.rule !== 'duplicate-gateway-mac' && f.rule !== 'ip-conflict') || !inScope(f, g)) return;
    if (!subjectValues(f, 'ip').some((ip) => ip.toLowerCase() === g.ip.toLowerCase())) return;
    const seen = subjectValues(f, 'mac', 'macs');
    const foreign = seen.filter((m) => !g.macs.some((allowed) => sameMac(allowed, m)));
    if (foreign.length) {
      adjust(f, 'error', `intent.gateways[${i}]`, `gateway ${g.ip} must resolve only to ${g.macs.join(', ')}; ${foreign.join(', ')} answering for it is drift or spoofing`);
    } else if (f.rule === 'duplicate-gateway-mac') {
      adjust(f, 'info', `intent.gateways[${i}]`, `as designed: ${g.ip} resolves to the MACs the intent lists (${g.macs.join(', ')})`);
    }
  });
}

function applySuppressions(f: AnnotatedFinding, suppress: Suppression[], today: string, matched: number[]): void {
  suppress.forEach((s, i) => {
    if (f.suppressed || s.rule !== f.rule || !matches(f, s.match)) return;
    matched[i]++;
    if (s.until !== undefined && s.until < today) {
      f.suppressionExpired ??= { by: `suppress[${i}]`, reason: s.reason, until: s.until };
      return;
    }
    f.suppressed = { by: `suppress[${i}]`, reason: s.reason, until: s.until ?? null };
    delete f.suppressionExpired;
  });
}

/**
 * Applies `rules` severities, `intent` and `suppress` to `findings` (changed in place) and returns them sorted again
 * by severity, with the echo for the report. `now` decides which suppressions have expired.
 */
export function applyConfig(findings: Finding[], loaded: LoadedConfig, now: Date = new Date()): { findings: AnnotatedFinding[]; echo: ConfigEcho } {
  const { config } = loaded;
  const today = dayOf(now);
  const suppress = config.suppress ?? [];
  const matched = suppress.map(() => 0);
  const out = findings as AnnotatedFinding[];
  for (const f of out) {
    const severity = severityOf(config, f.rule);
    if (severity && severity !== 'off') adjust(f, severity, `rules.${f.rule}`, `severity set to ${severity} in the config`);
    if (config.intent) applyIntent(f, config.intent);
    applySuppressions(f, suppress, today, matched);
  }
  // Stable: within a severity the engine's order (rule, domain, subject) stays.
  const order = new Map(out.map((f, i) => [f, i]));
  out.sort((a, b) => RANK[a.severity] - RANK[b.severity] || order.get(a)! - order.get(b)!);
  return {
    findings: out,
    echo: {
      file: loaded.file,
      ...(config.failOn ? { failOn: config.failOn } : {}),
      rules: config.rules ?? {},
      suppress: suppress.map((s, i) => ({ ...s, state: s.until !== undefined && s.until < today ? 'expired' : 'active', matched: matched[i] })),
      intent: config.intent ?? {},
      suppressedFindings: out.filter((f) => f.suppressed).length,
    },
  };
}

