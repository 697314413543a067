// Cisco GLBP, the Gateway Load Balancing Protocol (UDP 3222 to 224.0.0.102; Cisco IOS "GLBP" configuration guide).
// Cisco publishes no packet format: the layout is Wireshark's packet-glbp.c, itself written from captures.
//
//  Header (12 bytes)                          TLV: | Type (1) | Length (1, includes these 2) | value … |
//  +-------+-------+---------------+          Type 1 Hello (AVG: active virtual gateway):
//  |Version|Unknwn1|    Group      |            | unk | VG state | unk | priority | unk (2) |
//  +-------+-------+---------------+            | hello interval ms (4) | hold interval ms (4) |
//  |  Unknown2     |  Owner ID (6) …           | redirect s (2) | timeout s (2) | unk (2) |
//  +---------------+               |            | address type (1: IPv4, 2: IPv6) | address length | virtual IP |
//  |                               |            (22 bytes before the address)
//  |                               |          Type 2 Request/Response (one per virtual forwarder):
//  +-------------------------------+            | forwarder | VF state | unk | priority | weight | unk (7) | virtual MAC (6) |
//                                             Type 3 Auth: | auth type | auth length | data |
//
// VG states: 4 listen, 8 speak, 0x10 standby, 0x20 active; VF states: 4 listen, 0x20 active (Wireshark's tables;
// 1 and 2 are read as disabled and initial). Unknown TLV types are skipped by their length (a note). Virtual
// forwarder MACs are 0007.b4xx.xxyy: the group in the middle bits, the forwarder number in the last byte.
import type { Cursor } from './cursor.js';
import { INTEREST_GLBP, MAX_GLBP_FORWARDERS, type DecodedFrame, type GlbpState } from './types.js';

export const UDP_PORT_GLBP = 3222;
const GLBP_HEADER = 12;
const TLV_HELLO = 1;
const TLV_REQUEST_RESPONSE = 2;
const TLV_AUTH = 3;
const HELLO_FIXED = 22;
const REQUEST_RESPONSE = 18;
/** TLVs read per packet before giving up ('glbp.too-many-tlvs'). */
const MAX_TLVS = 32;

export function glbpState(code: number): GlbpState {
  switch (code) {
    case 1:
      return 'disabled';
    case 2:
      return 'initial';
    case 4:
      return 'listen';
    case 8:
      return 'speak';
    case 0x10:
      return 'standby';
    case 0x20:
      return 'active';
    default:
      return 'unknown';
  }
}

export function decodeGlbp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const g = frame.glbp;
  g.offset = offset;
  g.version = g.group = g.ownerId = 0;
  g.hasHello = false;
  g.vgStateCode = g.priority = g.helloMs = g.holdMs = g.redirectS = g.timeoutS = 0;
  g.vgState = 'unknown';
  g.ipVersion = g.virtualIp4 = g.virtualIp6Offset = 0;
  g.forwarderCount = 0;
  g.authType = -1;
  if (!cur.need(offset, GLBP_HEADER, end, 'glbp', 'glbp.overrun')) return;
  g.version = cur.u8(offset);
  if (g.version !== 1) {
    cur.note('glbp', 'glbp.bad-version', offset, `GLBP version ${g.version} (only 1 is known)`);
    return;
  }
  g.group = cur.u16(offset + 2);
  g.ownerId = cur.mac(offset + 6);
  g.present = true;
  frame.interest |= INTEREST_GLBP;
  let at = offset + GLBP_HEADER;
  for (let count = 0; at < end; count++) {
    if (count === MAX_TLVS) {
      cur.error('glbp', 'glbp.too-many-tlvs', at, `more than ${MAX_TLVS} TLVs`);
      return;
    }
    if (!cur.need(at, 2, end, 'glbp', 'glbp.tlv-overrun')) return;
    const type = cur.u8(at);
    const length = cur.u8(at + 1);
    if (length < 2) {
      cur.error('glbp', 'glbp.bad-tlv-length', at + 1, `TLV type ${type} length ${length} (minimum 2)`);
      return;
    }
    if (!cur.need(at, length, end, 'glbp', 'glbp.tlv-overrun')) return;
    const value = at + 2;
    const valueLength = length - 2;
    if (type === TLV_HELLO) {
      if (valueLength < HELLO_FIXED) {
        cur.error('glbp', 'glbp.bad-tlv-length', at + 1, `hello TLV length ${length} (minimum ${HELLO_FIXED + 2})`);
        return;
      }
      g.hasHello = true;
      g.vgStateCode = cur.u8(value + 1);
      g.vgState = glbpState(g.vgStateCode);
      g.priority = cur.u8(value + 3);
      g.helloMs = cur.u32(value + 6);
      g.holdMs = cur.u32(value + 10);
      g.redirectS = cur.u16(value + 14);
      g.timeoutS = cur.u16(value + 16);
      const addressType = cur.u8(value + 20);
      const addressLength = cur.u8(value + 21);
      const address = value + HELLO_FIXED;
      if (address + addressLength > at + length) {
        cur.error('glbp', 'glbp.bad-address-length', value + 21, `address length ${addressLength} runs past the hello TLV`);
        return;
      }
      if (addressType === 1 && addressLength === 4) {
        g.ipVersion = 4;
        g.virtualIp4 = cur.u32(address);
      } else if (addressType === 2 && addressLength === 16) {
        g.ipVersion = 6;
        g.virtualIp6Offset = address;
      } else {
        cur.error('glbp', 'glbp.bad-address-length', value + 21, `address type ${addressType} with length ${addressLength}`);
      }
    } else if (type === TLV_REQUEST_RESPONSE) {
      if (valueLength < REQUEST_RESPONSE) {
        cur.error('glbp', 'glbp.bad-tlv-length', at + 1, `request/response TLV length ${length} (minimum ${REQUEST_RESPONSE + 2})`);
        return;
      }
      const i = g.forwarderCount++;
      if (i < MAX_GLBP_FORWARDERS) {
        g.forwarderNumbers[i] = cur.u8(value);
        g.forwarderStates[i] = cur.u8(value + 1);
        g.forwarderPriorities[i] = cur.u8(value + 3);
        g.forwarderWeights[i] = cur.u8(value + 4);
        g.forwarderMacs[i] = cur.mac(value + 12);
      }
    } else if (type === TLV_AUTH) {
      if (valueLength >= 1) g.authType = cur.u8(value);
    } else {
      cur.note('glbp', 'glbp.unknown-tlv', at, `TLV type ${type} skipped`);
    }
    at += length;
  }
}
