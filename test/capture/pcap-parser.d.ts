// Just enough of pcap-parser 0.2.1 (untyped CommonJS) for the oracle test.
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  export interface PcapParserPacket {
    header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
    data: Buffer;
  }
  export function parse(input: string | NodeJS.ReadableStream): EventEmitter;
}
