// VRRP, IP protocol 112. Version 2: RFC 3768 §5.1. Version 3: RFC 5798 §5.1 (IPv4 or IPv6).
//
//  v2                                                    v3
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|   (same first word in v2 and v3)
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  v2: |   Auth Type   |   Adver Int   |          Checksum             |   (Adver Int in seconds)
//  v3: |(rsvd) |     Max Adver Int     |          Checksum             |   (12 bits, centiseconds)
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |                 IPvX Address(es): Count × 4 or × 16           |
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  v2 only: |                 Authentication Data (8)                |
//
// The address family comes from the carrying IP header. Addresses are read only as far as the packet holds them.
import type { Cursor } from './cursor.js';
import { INTEREST_VRRP, type DecodedFrame } from './types.js';

const VRRP_HEADER = 8;

/** 0000.5e00.01XX (IPv4) or 0000.5e00.02XX (IPv6), RFC 5798 §7.3. */
export function vrrpVirtualMac(ipVersion: number, vrid: number): number {
  return (ipVersion === 6 ? 0x00005e000200 : 0x00005e000100) + (vrid & 0xff);
}

export function decodeVrrp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  const v = frame.vrrp;
  v.offset = offset;
  v.version = v.type = v.vrid = v.priority = v.addressCount = v.addressesRead = 0;
  v.intervalMs = v.authType = v.virtualMac = 0;
  v.ipVersion = frame.ip.version;
  v.addressesOffset = offset + VRRP_HEADER;
  if (!cur.need(offset, VRRP_HEADER, end, 'vrrp', 'vrrp.overrun')) return;
  const versionType = cur.u8(offset);
  v.version = versionType >> 4;
  v.type = versionType & 15;
  if (v.version !== 2 && v.version !== 3) {
    cur.error('vrrp', 'vrrp.bad-version', offset, `version ${v.version}`);
    return;
  }
  v.vrid = cur.u8(offset + 1);
  v.priority = cur.u8(offset + 2);
  v.addressCount = cur.u8(offset + 3);
  if (v.version === 2) {
    v.authType = cur.u8(offset + 4);
    v.intervalMs = cur.u8(offset + 5) * 1000;
  } else {
    v.intervalMs = (cur.u16(offset + 4) & 0x0fff) * 10;
  }
  v.virtualMac = vrrpVirtualMac(v.ipVersion, v.vrid);
  v.present = true;
  frame.interest |= INTEREST_VRRP;
  if (v.type !== 1) cur.note('vrrp', 'vrrp.unknown-type', offset, `type ${v.type} (1 = advertisement)`);
  if (v.version === 2 && v.ipVersion === 6) cur.note('vrrp', 'vrrp.v2-over-ipv6', offset, 'VRRPv2 is IPv4 only');

  const size = v.ipVersion === 6 ? 16 : 4;
  const available = cur.clip(end) - v.addressesOffset;
  const fit = Math.floor(available / size);
  v.addressesRead = fit < v.addressCount ? fit : v.addressCount;
  cur.need(v.addressesOffset, v.addressCount * size, end, 'vrrp', 'vrrp.bad-count');
}
