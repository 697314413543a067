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

export interface Baseline {
  file: string;
  findings: BaselineFinding[];
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
  });
  return { file, findings: out };
}

/** Marks each finding new or unchanged (in place) and lists the fixed ones. */
export function applyBaseline(findings: AnnotatedFinding[], baseline: Baseline): BaselineEcho {
  const before = new Set(baseline.findings.map((f) => f.id));
  const now = new Set(findings.map((f) => f.id));
  let fresh = 0;
  for (const f of findings) {
    f.baseline = before.has(f.id) ? 'unchanged' : 'new';
    if (f.baseline === 'new') fresh++;
  }
  return {
    file: baseline.file,
    new: fresh,
    unchanged: findings.length - fresh,
    fixed: baseline.findings.filter((f) => !now.has(f.id)),
  };
}
