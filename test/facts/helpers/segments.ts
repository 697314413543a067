// Builds TcpSegmentInput values for BgpStreams tests: one connection direction, sequence numbers tracked.
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../../../src/decode/types.js';
import type { TcpSegmentInput } from '../../../src/facts/bgp.js';
import type { FrameRef } from '../../../src/facts/types.js';

export function ref(frame: number): FrameRef {
  return { input: 0, frame, seconds: 1000 + frame, nanos: 0, time: 1000 + frame };
}

export interface Endpoints {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  domainId?: number;
}

export const A_TO_B: Endpoints = { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 50000, dstPort: 179 };
export const B_TO_A: Endpoints = { src: '10.0.0.2', dst: '10.0.0.1', srcPort: 179, dstPort: 50000 };

export function seg(e: Endpoints, frame: number, seq: number, payload: Buffer, flags = TCP_ACK | TCP_PSH, truncated = false): TcpSegmentInput {
  return {
    domainId: e.domainId ?? 0,
    srcIp: e.src,
    dstIp: e.dst,
    srcPort: e.srcPort,
    dstPort: e.dstPort,
    seq: seq >>> 0,
    ack: 0,
    flags,
    payload,
    payloadTruncated: truncated,
    ref: ref(frame),
  };
}

export function syn(e: Endpoints, frame: number, isn: number): TcpSegmentInput {
  return seg(e, frame, isn, Buffer.alloc(0), TCP_SYN);
}

export function fin(e: Endpoints, frame: number, seq: number): TcpSegmentInput {
  return seg(e, frame, seq, Buffer.alloc(0), TCP_FIN | TCP_ACK);
}

/** Splits `data` into pieces at the given byte offsets. */
export function split(data: Buffer, ...at: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const a of [...at, data.length]) {
    out.push(data.subarray(prev, a));
    prev = a;
  }
  return out;
}
