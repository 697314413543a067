// A frame reference read back from a FrameColumn must keep the hidden class of the ones the facts make. One boxed
// double stored into `frame`, `seconds` or `nanos` widens that field for every FrameRef: each reference made after
// costs three more boxes, older ones migrate, and the rules that read `ref.time` deoptimise — the first evidence a
// finding cited did that mid-run and cost 4% of a benchmark run's instructions. Only V8's natives syntax can see a
// hidden class, so this runs a child node with it.
import { describe, expect, it } from 'vitest';
import { runWithNatives } from '../natives.js';

describe('FrameRef hidden class', () => {
  it('is the same for a reference read back from a FrameColumn as for one the facts make', () => {
    const out = runWithNatives(new URL('./frame-ref-shape.mjs', import.meta.url)) as Record<string, unknown>;
    expect(out.back).toEqual({ input: 0, frame: 12, seconds: 1_700_000_000, nanos: 5_000_000 });
    expect(out.big).toEqual({ input: 3, frame: 2 ** 33 + 1, seconds: 2 ** 32 + 7, nanos: 999_999_999 });
    expect(out.backSharesClass).toBe(true);
    expect(out.madeBeforeKeepsClass).toBe(true);
  }, 30_000);
});
