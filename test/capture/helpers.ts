// Test helpers: run the parser over a Buffer in chunks of a given size and snapshot what it returned.
import { expect } from 'vitest';
import { CaptureParser } from '../../src/capture/parser.js';
import type { CaptureOptions, CaptureRecord } from '../../src/capture/types.js';

export interface RecordSnapshot {
  frame: number;
  interfaceId: number;
  seconds: number;
  nanos: number;
  hasTimestamp: boolean;
  capturedLength: number;
  originalLength: number;
  linkType: number;
  hex: string;
  comment: string | undefined;
}

export interface ReadResult {
  records: RecordSnapshot[];
  format: string;
  linkTypes: number[];
  packets: number;
  bytes: number;
  first: string | undefined;
  last: string | undefined;
  truncated: boolean;
  warnings: Array<{ code: string; offset: number; frame?: number }>;
  error: { code: string; offset: number; message: string } | undefined;
}

export function snapshot(r: CaptureRecord): RecordSnapshot {
  return {
    frame: r.frame,
    interfaceId: r.interfaceId,
    seconds: r.seconds,
    nanos: r.nanos,
    hasTimestamp: r.hasTimestamp,
    capturedLength: r.capturedLength,
    originalLength: r.originalLength,
    linkType: r.linkType,
    hex: Buffer.from(r.bytes).toString('hex'),
    comment: r.comment,
  };
}

export function time(seconds: number | undefined, nanos: number | undefined): string | undefined {
  return seconds === undefined ? undefined : `${seconds}.${String(nanos).padStart(9, '0')}`;
}

/** Feeds `data` in chunks of `chunkSize` (fresh Buffers, as a stream would give) and drains after each. */
export function readChunked(data: Uint8Array, chunkSize: number = data.length || 1, options?: CaptureOptions): ReadResult {
  const parser = new CaptureParser('test', options);
  const records: RecordSnapshot[] = [];
  const drain = () => {
    for (let r = parser.next(); r; r = parser.next()) records.push(snapshot(r));
  };
  for (let at = 0; at < data.length && !parser.info.error; at += chunkSize) {
    parser.feed(Buffer.from(data.subarray(at, at + chunkSize)));
    drain();
  }
  parser.end();
  drain(); // an export's last packet is complete only at the end
  const info = parser.info;
  return {
    records,
    format: info.format,
    linkTypes: info.linkTypes,
    packets: info.packets,
    bytes: info.bytes,
    first: time(info.firstSeconds, info.firstNanos),
    last: time(info.lastSeconds, info.lastNanos),
    truncated: info.truncated,
    warnings: info.warnings.map(({ code, offset, frame }) => (frame === undefined ? { code, offset } : { code, offset, frame })),
    error: info.error && { code: info.error.code, offset: info.error.offset, message: info.error.message },
  };
}

/** Reads `data` whole and in 1-, 7- and 4096-byte chunks; all four must agree (bytes read aside). Returns one. */
export function readEveryWay(data: Uint8Array, options?: CaptureOptions): ReadResult {
  const whole = readChunked(data, Math.max(1, data.length), options);
  for (const size of [1, 7, 4096]) {
    const chunked = readChunked(data, size, options);
    expect({ ...chunked, bytes: 0 }, `chunks of ${size}`).toEqual({ ...whole, bytes: 0 });
  }
  return whole;
}

/** Ethernet frame of `length` bytes whose bytes count up from `seed` (distinct, recognisable content). */
export function frameBytes(length: number, seed = 0): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = (seed + i) & 0xff;
  return out;
}
