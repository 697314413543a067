// Shared by the decode tests: decode a hex string and look at it the way `gwcheck decode` shows it.
import { expect } from 'vitest';
import { describeLayers } from '../../src/decode/describe.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import type { DecodeOptions, DecodeResult } from '../../src/decode/types.js';

export interface Golden {
  name: string;
  /** The frame, as captured (spaces allowed). */
  hex: string;
  linkType?: number;
  want: { layers: object[]; anomalies?: string[] };
}

export function fromHex(hex: string): Buffer {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

export function decodeHex(hex: string, linkType = 1, options?: DecodeOptions): DecodeResult {
  return new FrameDecoder(options).decode(fromHex(hex), linkType);
}

export function codes(result: DecodeResult): string[] {
  return result.anomalies.map((a) => a.code);
}

/** Runs a golden table: layers match (field subset, same count and order) and anomaly codes are exactly these. */
export function checkGolden(g: Golden): void {
  const result = decodeHex(g.hex, g.linkType ?? 1);
  expect(describeLayers(result)).toMatchObject(g.want.layers);
  expect(codes(result)).toEqual(g.want.anomalies ?? []);
}
