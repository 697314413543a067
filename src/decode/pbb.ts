// IEEE 802.1ah provider backbone bridging (MAC-in-MAC; IEEE 802.1Q-2018 clause 26): after the backbone B-tag (an
// 802.1ad S-tag, decoded as a VLAN tag of this depth), the I-tag (EtherType 0x88e7) and then the whole customer
// frame, which is decoded into the slot of the next depth.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |I-PCP|D|U| Res |          I-SID (service instance id, 24)      |   after TPID 0x88e7
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |            Customer destination and source MAC (12) …         |
//  |            Customer EtherType / tags …                        |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
import type { Cursor } from './cursor.js';
import { enterTunnel, leaveTunnel } from './tunnel.js';
import { TUNNEL_LAYER_PBB, TUNNEL_PBB, type DecodedFrame } from './types.js';

export const ETHERTYPE_PBB_ITAG = 0x88e7;
const ITAG_TCI = 4;

export function decodePbb(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  if (!cur.need(offset, ITAG_TCI, end, 'pbb', 'pbb.overrun')) return;
  const tci = cur.u32(offset);
  const inner = enterTunnel(cur, frame, TUNNEL_PBB, TUNNEL_LAYER_PBB, offset, 'pbb');
  if (inner === null) return;
  const t = inner.tunnel;
  t.id = tci & 0x00ffffff;
  // I-PCP and DEI in the top nibble, UCA next: kept raw in `protocol` (nothing else uses it for PBB).
  t.protocol = tci >>> 24;
  cur.decodeEthernet(cur, inner, offset + ITAG_TCI, end);
  leaveTunnel(frame, inner);
}
