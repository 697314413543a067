// Cisco Hot Standby Router Protocol. Version 1: RFC 2281 §5 (UDP 1985 to 224.0.0.2). Version 2: Cisco's TLV
// format (UDP 1985 to 224.0.0.102; UDP 2029 to ff02::66 for IPv6), as Wireshark's packet-hsrp.c decodes it.
//
//  v1 (20 bytes)                                  v2 Group State TLV (type 1, length 40)
//   0       1       2       3                       0       1       2       3
//  +-------+-------+-------+-------+               +-------+-------+-------+-------+
//  |Version|Op Code| State |Hellotm|               | Type=1| Len=40|Version|Op Code|
//  +-------+-------+-------+-------+               +-------+-------+-------+-------+
//  |Holdtm |Priorty| Group |Reservd|               | State |IP Ver |     Group     |
//  +-------+-------+-------+-------+               +-------+-------+-------+-------+
//  |  Authentication Data (8)      |               |      Identifier (6)           |
//  |                               |               |               +-------+-------+
//  +-------+-------+-------+-------+               |               |Priority (4) …
//  |    Virtual IP Address (4)     |               +-------+-------+-------+-------+
//  +-------+-------+-------+-------+               | … | Hello time ms (4) | Hold time ms (4) …
//                                                  +-------+-------+-------+-------+
//                                                  |  Virtual IP Address (16; IPv4 in the first 4)  |
//                                                  +-------+-------+-------+-------+
//  v2 also: Interface State TLV (2, len 4: active groups (2), passive groups (2)), Text Authentication TLV (3,
//  len 8), MD5 Authentication TLV (4, len 28).
//
//  v1 advertise (opcode 3), as Wireshark's packet-hsrp.c decodes it (16 bytes):
//  |Version|Op Code=3|  Adv Type (2) = 1  |  Adv Length (2) = 14, from Adv Type on  |
//  | Adv State (1 dormant, 2 passive, 3 active) | Reserved1 | Active Groups (2) | Passive Groups (2) | Reserved2 (4) |
//  An advertise message names no group and no virtual IP: it is decoded as an advertisement (`advertise`), never as
//  a group-0 hello.
//
// Which version? Wireshark decides by destination: 224.0.0.2 → v1, 224.0.0.102 or IPv6 → v2. We do the same, and
// for other destinations (unicast hellos) look at the first byte: v1's version field is 0, v2 starts with a TLV
// type 1…4. When address and bytes disagree the bytes win and a note says so.
import type { Cursor } from './cursor.js';
import { INTEREST_HSRP, type DecodedFrame, type HsrpState } from './types.js';

const HSRP_V1_GROUP = 0xe0000002; // 224.0.0.2
const HSRP_V2_GROUP = 0xe0000066; // 224.0.0.102
const V1_LENGTH = 20;
const V1_MD5_TLV_OFFSET = 20;
const TLV_GROUP_STATE = 1;
const TLV_INTERFACE_STATE = 2;
const TLV_TEXT_AUTH = 3;
const TLV_MD5_AUTH = 4;
const GROUP_STATE_LENGTH = 40;
const INTERFACE_STATE_LENGTH = 4;
const V1_ADVERTISE_INTERFACE_STATE = 1;
const V1_ADVERTISE_LENGTH = 14;

const V1_STATES: Readonly<Record<number, HsrpState>> = {
  0: 'initial',
  1: 'learn',
  2: 'listen',
  4: 'speak',
  8: 'standby',
  16: 'active',
};
const V2_STATES: readonly HsrpState[] = ['unknown', 'initial', 'learn', 'listen', 'speak', 'standby', 'active'];

export function hsrpV1State(code: number): HsrpState {
  return V1_STATES[code] ?? 'unknown';
}

export function hsrpV2State(code: number): HsrpState {
  return V2_STATES[code] ?? 'unknown';
}

/** 0000.0c07.acXX (v1), 0000.0c9f.fXXX (v2 IPv4, 12-bit group), 0005.73a0.0XXX (v2 IPv6). */
export function hsrpVirtualMac(version: number, ipVersion: number, group: number): number {
  if (version === 1) return 0x00000c07ac00 + (group & 0xff);
  if (ipVersion === 6) return 0x000573a00000 + (group & 0xfff);
  return 0x00000c9ff000 + (group & 0xfff);
}

export function decodeHsrp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const h = frame.hsrp;
  h.offset = offset;
  h.version = h.opcode = h.stateCode = h.group = h.priority = h.helloMs = h.holdMs = 0;
  h.ipVersion = h.virtualIp4 = h.virtualIp6Offset = h.identifier = h.virtualMac = 0;
  h.authTextOffset = h.authTextLength = 0;
  h.state = 'unknown';
  h.md5Auth = false;
  h.advertise = false;
  h.activeGroups = h.passiveGroups = h.advertiseState = 0;
  if (!cur.need(offset, 1, end, 'hsrp', 'hsrp.overrun')) return;

  const ip = frame.ip;
  let byAddress = 0;
  if (ip.version === 6) byAddress = 2;
  else if (ip.dst4 === HSRP_V1_GROUP) byAddress = 1;
  else if (ip.dst4 === HSRP_V2_GROUP) byAddress = 2;
  const first = cur.u8(offset);
  const byBytes = first === 0 ? 1 : first >= TLV_GROUP_STATE && first <= TLV_MD5_AUTH ? 2 : 0;
  if (byBytes === 0) {
    cur.note('hsrp', 'hsrp.unknown-version', offset, `first byte ${first} is neither a v1 version nor a v2 TLV`);
    return;
  }
  if (byAddress !== 0 && byAddress !== byBytes) {
    cur.note('hsrp', 'hsrp.version-address-mismatch', offset, `sent to a v${byAddress} address but formatted as v${byBytes}`);
  }
  if (byBytes === 1) decodeV1(cur, frame, offset, end);
  else decodeV2(cur, frame, offset, end);
  if (h.present) frame.interest |= INTEREST_HSRP;
}

function decodeV1(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const h = frame.hsrp;
  h.version = 1;
  h.ipVersion = 4;
  if (!cur.need(offset, 8, end, 'hsrp', 'hsrp.overrun')) return;
  h.opcode = cur.u8(offset + 1);
  if (h.opcode === 3) {
    decodeV1Advertise(cur, frame, offset, end);
    return;
  }
  if (!cur.need(offset, V1_LENGTH, end, 'hsrp', 'hsrp.overrun')) return;
  h.stateCode = cur.u8(offset + 2);
  h.state = hsrpV1State(h.stateCode);
  h.helloMs = cur.u8(offset + 3) * 1000;
  h.holdMs = cur.u8(offset + 4) * 1000;
  h.priority = cur.u8(offset + 5);
  h.group = cur.u8(offset + 6);
  if (cur.u8(offset + 7) !== 0) cur.note('hsrp', 'hsrp.reserved', offset + 7, 'reserved byte not zero');
  setAuthText(cur, frame, offset + 8);
  h.virtualIp4 = cur.u32(offset + 16);
  h.virtualMac = hsrpVirtualMac(1, 4, h.group);
  h.present = true;
  // Cisco appends an MD5 authentication TLV after the v1 message when MD5 is configured.
  const md5 = offset + V1_MD5_TLV_OFFSET;
  if (md5 + 2 <= cur.clip(end) && cur.u8(md5) === TLV_MD5_AUTH) h.md5Auth = true;
  cur.endOfLayer('hsrp', md5, end);
}

/** v1 opcode 3: the interface state advertisement (no group, no virtual IP). */
function decodeV1Advertise(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const h = frame.hsrp;
  const advType = cur.u16(offset + 2);
  const advLength = cur.u16(offset + 4);
  h.advertise = true;
  h.present = true;
  if (advType !== V1_ADVERTISE_INTERFACE_STATE) {
    cur.note('hsrp', 'hsrp.unknown-advertise-type', offset + 2, `advertise type ${advType} skipped`);
    return;
  }
  if (advLength < V1_ADVERTISE_LENGTH) {
    cur.error('hsrp', 'hsrp.bad-advertise-length', offset + 4, `advertise length ${advLength} (want ${V1_ADVERTISE_LENGTH})`);
    return;
  }
  if (!cur.need(offset + 2, advLength, end, 'hsrp', 'hsrp.overrun')) return;
  h.advertiseState = cur.u8(offset + 6);
  h.activeGroups = cur.u16(offset + 8);
  h.passiveGroups = cur.u16(offset + 10);
}

function decodeV2(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const h = frame.hsrp;
  h.version = 2;
  let sawGroup = false;
  let sawInterface = false;
  let at = offset;
  while (at < end) {
    if (!cur.need(at, 2, end, 'hsrp', 'hsrp.tlv-overrun')) break;
    const type = cur.u8(at);
    const length = cur.u8(at + 1);
    const value = at + 2;
    if (!cur.need(value, length, end, 'hsrp', 'hsrp.tlv-overrun')) break;
    if (type === TLV_GROUP_STATE) {
      if (sawGroup) {
        cur.note('hsrp', 'hsrp.extra-group-tlv', at, 'second group state TLV ignored');
      } else if (length < GROUP_STATE_LENGTH) {
        cur.error('hsrp', 'hsrp.bad-tlv-length', at + 1, `group state TLV length ${length} (want ${GROUP_STATE_LENGTH})`);
        break;
      } else {
        sawGroup = true;
        decodeGroupState(cur, frame, value);
      }
    } else if (type === TLV_INTERFACE_STATE) {
      if (length >= INTERFACE_STATE_LENGTH) {
        sawInterface = true;
        h.activeGroups = cur.u16(value);
        h.passiveGroups = cur.u16(value + 2);
      } else {
        cur.note('hsrp', 'hsrp.bad-tlv-length', at + 1, `interface state TLV length ${length} (want ${INTERFACE_STATE_LENGTH}): ignored`);
      }
    } else if (type === TLV_TEXT_AUTH) {
      if (length >= 8) setAuthText(cur, frame, value);
    } else if (type === TLV_MD5_AUTH) {
      h.md5Auth = true;
    } else {
      cur.note('hsrp', 'hsrp.unknown-tlv', at, `TLV type ${type} skipped`);
    }
    at = value + length;
  }
  if (sawGroup) {
    h.present = true;
  } else if (sawInterface) {
    h.opcode = 3; // an interface-state advertisement only: no group
    h.advertise = true;
    h.present = true;
  }
}

function decodeGroupState(cur: Cursor, frame: DecodedFrame, value: number): void {
  const h = frame.hsrp;
  const version = cur.u8(value);
  if (version !== 2) cur.note('hsrp', 'hsrp.bad-version', value, `group state TLV version ${version} (want 2)`);
  h.opcode = cur.u8(value + 1);
  h.stateCode = cur.u8(value + 2);
  h.state = hsrpV2State(h.stateCode);
  h.ipVersion = cur.u8(value + 3);
  h.group = cur.u16(value + 4);
  h.identifier = cur.mac(value + 6);
  h.priority = cur.u32(value + 12);
  h.helloMs = cur.u32(value + 16);
  h.holdMs = cur.u32(value + 20);
  if (h.ipVersion === 6) h.virtualIp6Offset = value + 24;
  else h.virtualIp4 = cur.u32(value + 24);
  if (h.group > 0xfff) cur.note('hsrp', 'hsrp.group-range', value + 4, `group ${h.group} above 4095`);
  h.virtualMac = hsrpVirtualMac(2, h.ipVersion, h.group);
}

/** 8 bytes of text authentication at `offset`, NUL padding trimmed. */
function setAuthText(cur: Cursor, frame: DecodedFrame, offset: number): void {
  let length = 0;
  while (length < 8 && cur.u8(offset + length) !== 0) length++;
  frame.hsrp.authTextOffset = offset;
  frame.hsrp.authTextLength = length;
}
