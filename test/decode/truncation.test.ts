// Every prefix of every good frame: never throws, and the first error is '<layer>.truncated' for the layer the cut
// falls in. Cuts in trailing padding (past `contentEnd`) are not errors. The whole frame decodes cleanly.
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/frame.js';
import { GOOD_FRAMES, layerAt } from './frames.js';

describe('truncation sweep', () => {
  const decoder = new FrameDecoder();
  for (const frame of GOOD_FRAMES) {
    it(`${frame.name}: whole frame has no error`, () => {
      const result = decoder.decode(frame.bytes, frame.linkType);
      expect(result.anomalies.filter((a) => a.severity === 'error')).toEqual([]);
    });

    it(`${frame.name}: each of ${frame.contentEnd} prefixes blames the right layer`, () => {
      const got: string[] = [];
      const want: string[] = [];
      for (let length = 0; length < frame.contentEnd; length++) {
        // A copy, so a read past the prefix could not silently see the original bytes.
        const prefix = Buffer.from(frame.bytes.subarray(0, length));
        const result = decoder.decode(prefix, frame.linkType);
        const errors = result.anomalies.filter((a) => a.severity === 'error');
        got.push(`${length}: ${errors.map((a) => a.code).join(',')}`);
        want.push(`${length}: ${layerAt(frame, length)}.truncated`);
        for (const a of result.anomalies) expect(a.offset).toBeLessThanOrEqual(length);
      }
      expect(got).toEqual(want);
    });
  }
});
