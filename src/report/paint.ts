// Colour, decided once: on only for a TTY, NO_COLOR turns it off, FORCE_COLOR turns it on (https://no-color.org).
// The rest of the code paints through a Painter and never asks whether stdout is a terminal.
import { Chalk } from 'chalk';
import type { Severity } from '../rules/types.js';

export interface Painter {
  enabled: boolean;
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
  ok(text: string): string;
}

/** `flag`: --color (true) / --no-color (false) / neither (undefined). */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export function createPainter(enabled: boolean): Painter {
  if (!enabled) {
    const same = (text: string) => text;
    return { enabled, severity: (_s, text) => text, bold: same, dim: same, ok: same };
  }
  const chalk = new Chalk({ level: 1 });
  const bySeverity: Record<Severity, (t: string) => string> = {
    error: (t) => chalk.red.bold(t),
    warning: (t) => chalk.yellow(t),
    info: (t) => chalk.cyan(t),
  };
  return {
    enabled,
    severity: (s, text) => bySeverity[s](text),
    bold: (t) => chalk.bold(t),
    dim: (t) => chalk.dim(t),
    ok: (t) => chalk.green(t),
  };
}
