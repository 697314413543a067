// --baseline FILE: an earlier JSON report. Each finding is `new` or `unchanged` by its stable id (a hash of rule and
// identifier, so the same problem in next week's capture has the same id); baseline findings gone now are `fixed`.
import { readFileSync } from 'node:fs';
import type { Severity } from '../rules/types.js';
import type { AnnotatedFinding } from './apply.js';
import { ConfigError } from './load.js';

export interface BaselineFinding {
  id: string;
  rule: string;
  severity: Severity;
  summary: string;
  domainLabel: string;
}

/** What a finding is about, independent of the run: rule, domain label and subject. */
type Subject = Record<string, unknown>;

export interface Baseline {
  file: string;
  findings: BaselineFinding[];
  /** Each finding's rule, domain and subject, for matching when the id differs (see applyBaseline). */
  subjects?: Subject[];
}

export interface BaselineEcho {
  file: string;
  new: number;
  unchanged: number;
  /** Findings of the baseline this run no longer has. */
  fixed: BaselineFinding[];
}

/** Reads an earlier `--format json` report; a file that is not one is a usage error naming it. */
export function loadBaseline(file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code ? `cannot read the baseline (${code})` : `the baseline is not valid JSON (${(err as Error).message})`]);
  }
  const findings = (raw as { findings?: unknown })?.findings;
  if (!Array.isArray(findings)) throw new ConfigError(file, ['findings: the baseline must be a gwcheck JSON report (`gwcheck analyze --format json`)']);
  const out: BaselineFinding[] = [];
  const subjects: Subject[] = [];
  findings.forEach((f, i) => {
    const x = f as Record<string, unknown>;
    if (typeof x?.id !== 'string' || typeof x.rule !== 'string') throw new ConfigError(file, [`findings[${i}]: a finding needs its id and rule`]);
    out.push({
      id: x.id,
      rule: x.rule,
      severity: (['error', 'warning', 'info'].includes(x.severity as string) ? x.severity : 'warning') as Severity,
      summary: typeof x.summary === 'string' ? x.summary : '',
      domainLabel: typeof x.domainLabel === 'string' ? x.domainLabel : '',
    });
    subjects.push((x.subject && typeof x.subject === 'object' ? x.subject : {}) as Subject);
  });
  return { file, findings: out, subjects };
}

function aboutKey(rule: string, domainLabel: string, subject: Subject): string {
  return JSON.stringify([rule, domainLabel, subject]);
}

/**
 * Marks each finding new or unchanged (in place) and lists the fixed ones. A finding matches by its id; failing
 * that, by rule + domain label + subject — the id hashes the rule's identifier, which holds the run's domain
 * number, so the same problem in a capture whose domains appear in another order has another id.
 */
export function applyBaseline(findings: AnnotatedFinding[], baseline: Baseline): BaselineEcho {
  const byId = new Map(baseline.findings.map((f, i) => [f.id, i]));
  const byAbout = new Map<string, number>();
  baseline.findings.forEach((f, i) => {
    if (baseline.subjects) byAbout.set(aboutKey(f.rule, f.domainLabel, baseline.subjects[i] ?? {}), i);
  });
  const matched = new Set<number>();
  let fresh = 0;
  for (const f of findings) {
    let i = byId.get(f.id);
    if (i === undefined || matched.has(i)) i = byAbout.get(aboutKey(f.rule, f.domainLabel, f.subject));
    if (i !== undefined && !matched.has(i)) {
      matched.add(i);
      f.baseline = 'unchanged';
    } else {
      f.baseline = 'new';
      fresh++;
    }
  }
  return {
    file: baseline.file,
    new: fresh,
    unchanged: findings.length - fresh,
    fixed: baseline.findings.filter((_, i) => !matched.has(i)),
  };
}
