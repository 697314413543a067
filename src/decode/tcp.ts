// TCP, RFC 9293 (header as in RFC 793 §3.1).
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |          Source Port          |       Destination Port        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                        Sequence Number                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Acknowledgment Number                      |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |  Data |       |C|E|U|A|P|R|S|F|                               |
//  | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |           Checksum            |         Urgent Pointer        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                    Options (Data Offset > 5)                  |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// The payload is left as offsets for the reassembler; a segment to or from a BGP port is marked INTEREST_BGP.
import type { Cursor } from './cursor.js';
import { INTEREST_BGP, type DecodedFrame } from './types.js';

const TCP_MIN_HEADER = 20;

export function decodeTcp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const tcp = frame.tcp;
  tcp.offset = offset;
  tcp.srcPort = tcp.dstPort = tcp.seq = tcp.ack = tcp.flags = tcp.headerLength = tcp.window = 0;
  tcp.payloadOffset = tcp.payloadEnd = offset;
  tcp.payloadTruncated = false;
  if (!cur.need(offset, TCP_MIN_HEADER, end, 'tcp', 'tcp.overrun')) return;
  const headerLength = (cur.u8(offset + 12) >> 4) * 4;
  if (headerLength < TCP_MIN_HEADER) {
    cur.error('tcp', 'tcp.bad-data-offset', offset + 12, `data offset ${headerLength / 4} (minimum 5)`);
    return;
  }
  if (!cur.need(offset, headerLength, end, 'tcp', 'tcp.bad-data-offset')) return;
  tcp.srcPort = cur.u16(offset);
  tcp.dstPort = cur.u16(offset + 2);
  tcp.seq = cur.u32(offset + 4);
  tcp.ack = cur.u32(offset + 8);
  tcp.flags = cur.u8(offset + 13);
  tcp.headerLength = headerLength;
  tcp.window = cur.u16(offset + 14);
  tcp.payloadOffset = offset + headerLength;
  tcp.payloadEnd = cur.clip(end);
  tcp.payloadTruncated = end > cur.captured;
  tcp.present = true;
  if (cur.bgpPorts[tcp.srcPort] === 1 || cur.bgpPorts[tcp.dstPort] === 1) frame.interest |= INTEREST_BGP;
  cur.endOfLayer('tcp', tcp.payloadOffset, end);
}
