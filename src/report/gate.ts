// Which findings fail the gate: at or above --fail-on, not suppressed, and — with a baseline — new. The exit
// status, JUnit failures and GitHub's error annotations all ask this one question.
import type { AnnotatedFinding } from '../config/apply.js';
import type { Severity } from '../rules/types.js';

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export function failsGate(f: AnnotatedFinding, failOn: FailOn | string): boolean {
  if (failOn === 'none' || f.suppressed || f.baseline === 'unchanged') return false;
  return RANK[f.severity] >= RANK[failOn as Severity];
}
