// Inputs merged by timestamp are one story only if they were captured at the same time: two captures years apart
// merge without complaint and give different results. Each input that shares no time with any other gets a warning.
import type { InputSummary } from './types.js';

const DAY = 86_400_000;

function span(input: InputSummary): [number, number] | null {
  if (!input.firstTime || !input.lastTime) return null;
  const a = Date.parse(input.firstTime.slice(0, 23) + 'Z');
  const b = Date.parse(input.lastTime.slice(0, 23) + 'Z');
  return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
}

function gapText(ms: number): string {
  if (ms >= 2 * DAY) return `${Math.round(ms / DAY)} days`;
  if (ms >= 2 * 3_600_000) return `${Math.round(ms / 3_600_000)} hours`;
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} minutes`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** Adds the warning to each input (of several) whose time span overlaps no other input's; returns the inputs. */
export function timeOverlapWarnings(inputs: InputSummary[]): InputSummary[] {
  const spans = inputs.map(span);
  if (spans.filter(Boolean).length < 2) return inputs;
  inputs.forEach((input, i) => {
    const mine = spans[i];
    if (!mine) return;
    let nearest = Infinity;
    let nearestPath = '';
    for (let j = 0; j < inputs.length; j++) {
      const other = spans[j];
      if (j === i || !other) continue;
      const gap = Math.max(other[0] - mine[1], mine[0] - other[1]);
      if (gap <= 0) return; // overlaps (or touches) another input
      if (gap < nearest) {
        nearest = gap;
        nearestPath = inputs[j].path;
      }
    }
    input.warnings.push(
      `shares no time with the other inputs (${gapText(nearest)} from ${nearestPath}): merged by timestamp anyway; check these captures belong together`,
    );
  });
  return inputs;
}
