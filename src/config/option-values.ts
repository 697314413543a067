// What a threshold may be, from its unit: a count is a whole number of at least 1 (`--flap-moves 0` or `2.5` means
// nothing a rule can use), seconds are a finite number of at least 0. Flags and the config file use the same test.
import type { RuleOption } from '../rules/types.js';

/** Why `value` is not a valid value for `option`, or null when it is. */
export function optionValueProblem(option: RuleOption, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'is not a number';
  if (option.unit === 'count') {
    if (!Number.isInteger(value) || value < 1) return `must be a whole number of at least 1 (${option.unit})`;
    return null;
  }
  if (value < 0) return `must be at least 0${option.unit ? ` (${option.unit === 's' ? 'seconds' : option.unit})` : ''}`;
  return null;
}

/** A flag's text → number, or the problem. */
export function parseOptionValue(option: RuleOption, text: string): number | string {
  const n = text.trim() === '' ? NaN : Number(text);
  const problem = optionValueProblem(option, n);
  return problem ? `'${text}' ${problem}` : n;
}
