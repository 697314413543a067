// UDP, RFC 768.
//
//   0      7 8     15 16    23 24    31
//  +--------+--------+--------+--------+
//  |   Source Port   |Destination Port |
//  +--------+--------+--------+--------+
//  |     Length      |    Checksum     |
//  +--------+--------+--------+--------+
//  |          data octets ...
//
// The length is the claimed end of the payload. The payload is handed to the decoder registered for the
// destination port, else the source port (HSRP uses 1985 both ways; VXLAN's source port is a flow hash).
import type { Cursor } from './cursor.js';
import type { DecodedFrame } from './types.js';

const UDP_HEADER = 8;

export function decodeUdp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const udp = frame.udp;
  udp.offset = offset;
  udp.srcPort = udp.dstPort = udp.length = 0;
  udp.payloadOffset = udp.payloadEnd = offset;
  if (!cur.need(offset, UDP_HEADER, end, 'udp', 'udp.bad-length')) return;
  udp.srcPort = cur.u16(offset);
  udp.dstPort = cur.u16(offset + 2);
  udp.length = cur.u16(offset + 4);
  udp.present = true;
  if (udp.length < UDP_HEADER) {
    cur.error('udp', 'udp.bad-length', offset + 4, `length ${udp.length} < 8`);
    return;
  }
  let claimedEnd = offset + udp.length;
  if (claimedEnd > end) {
    // The first fragment of a fragmented datagram legitimately carries only part of what UDP claims.
    if (!frame.ip.moreFragments) {
      cur.error('udp', 'udp.bad-length', offset + 4, `length ${udp.length} runs past the IP payload`);
      return;
    }
    claimedEnd = end;
  }
  udp.payloadOffset = offset + UDP_HEADER;
  udp.payloadEnd = cur.clip(claimedEnd);

  // An empty datagram on a registered port carries no protocol to decode (filler traffic hits 1985/4789 too).
  if (claimedEnd === udp.payloadOffset) return;
  let next = cur.udpPorts.get(udp.dstPort);
  if (next === undefined) next = cur.udpPorts.get(udp.srcPort);
  if (next !== undefined) next(cur, frame, udp.payloadOffset, claimedEnd);
  else cur.endOfLayer('udp', udp.payloadOffset, claimedEnd);
}
