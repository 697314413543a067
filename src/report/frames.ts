// A finding's cited frames as text. With several inputs, frame numbers alone are ambiguous (frame 4 of which
// file?), so each group of frames is preceded by its file's name.
import { basename } from 'node:path';
import type { Finding } from '../rules/types.js';

/** "4, 5, 6 …" or, with several inputs, "leaf1.pcap: 4, 5; leaf2.pcap: 7". */
export function framesText(f: Finding, inputCount: number, max = 6): string {
  const items = f.evidence.items;
  if (inputCount <= 1 || items.length === 0) {
    const frames = f.evidence.frames;
    const shown = frames.slice(0, max).join(', ');
    return frames.length > max ? `${shown} …` : shown;
  }
  const byFile = new Map<string, number[]>();
  for (const item of items) {
    const name = basename(item.file ?? `input ${item.input}`);
    const list = byFile.get(name) ?? [];
    if (!list.includes(item.frame)) list.push(item.frame);
    byFile.set(name, list);
  }
  let budget = max;
  const parts: string[] = [];
  for (const [name, frames] of byFile) {
    if (budget <= 0) {
      parts.push('…');
      break;
    }
    const shown = frames.slice(0, budget);
    budget -= shown.length;
    parts.push(`${name}: ${shown.join(', ')}${frames.length > shown.length ? ' …' : ''}`);
  }
  return parts.join('; ');
}

/** A frame's time for people: a capture without timestamps (all zero) says so rather than 1970-01-01. */
export function timeText(iso: string | null | undefined): string {
  if (!iso) return 'no timestamp';
  return iso.startsWith('1970-01-01T00:00:00.000') ? 'no timestamp' : iso;
}
