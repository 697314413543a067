// A seeded mutator (no dependency): bit flips, truncations, length-field rewrites and random VLAN/VXLAN nesting
// of the good frames, fed through every link type. Nothing may throw (the decoder's last-resort catch would show
// as 'decode.internal-error'), and every offset the decoder records must stay inside the frame.
import { describe, expect, it } from 'vitest';
import { ethernet, vxlanFrame } from '../../fixtures/builder/packet.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import type { DecodedFrame, DecodeResult } from '../../src/decode/types.js';
import { GOOD_FRAMES } from './frames.js';

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINK_TYPES = [1, 113, 276, 101, 228, 229, 9, 104];
const TPIDS = [0x8100, 0x88a8, 0x9100, 0x9200];
const INTERESTING_16 = [0, 1, 7, 8, 19, 20, 40, 0x5dc, 0x600, 0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 1985, 2029, 4789, 8472, 179, 0xffff];

function mutate(rand: () => number, input: Buffer): Buffer {
  const pick = (n: number) => Math.floor(rand() * n);
  let bytes: Buffer = Buffer.from(input);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const kind = pick(6);
    if (bytes.length === 0) break;
    if (kind === 0) {
      const i = pick(bytes.length);
      bytes[i] ^= 1 << pick(8);
    } else if (kind === 1) {
      bytes = bytes.subarray(0, pick(bytes.length + 1));
    } else if (kind === 2 && bytes.length >= 2) {
      // Rewrite a 16-bit field (lengths, types, ports all are 16-bit) with a boundary value.
      bytes.writeUInt16BE(INTERESTING_16[pick(INTERESTING_16.length)], pick(bytes.length - 1));
    } else if (kind === 3) {
      bytes[pick(bytes.length)] = pick(256);
    } else if (kind === 4) {
      // Wrap the frame (as an Ethernet payload) in random VLAN tags.
      const vlans = Array.from({ length: 1 + pick(10) }, () => ({ id: pick(4096), tpid: TPIDS[pick(4)] }));
      bytes = ethernet({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', vlans, etherType: bytes.length >= 14 ? bytes.readUInt16BE(12) : 0x0800, payload: bytes.subarray(14) });
    } else {
      const depth = 1 + pick(6);
      for (let d = 0; d < depth; d++) bytes = vxlanFrame({ vni: pick(1 << 24), port: rand() < 0.5 ? 4789 : 8472, inner: bytes, flags: rand() < 0.9 ? 8 : pick(256) });
    }
  }
  return bytes;
}

function checkOffsets(result: DecodeResult, length: number, problems: string[], label: string): void {
  const within = (name: string, value: number) => {
    if (!(Number.isInteger(value) && value >= 0 && value <= length)) problems.push(`${label}: ${name}=${value} (length ${length})`);
  };
  for (const a of result.anomalies) {
    within(`anomaly ${a.code}`, a.offset);
    if (a.code === 'decode.internal-error') problems.push(`${label}: threw ${a.detail}`);
  }
  for (let f: DecodedFrame | null = result.root; f !== null; f = f.inner) {
    within('networkOffset', f.networkOffset);
    if (f.arp.present) within('arp.offset', f.arp.offset);
    if (f.ip.version) {
      within('ip.payloadOffset', f.ip.payloadOffset);
      within('ip.payloadEnd', f.ip.payloadEnd);
      if (f.ip.version === 6) within('ip.dst6Offset+16', f.ip.dst6Offset + 16);
      if (f.ip.payloadOffset > f.ip.payloadEnd) problems.push(`${label}: ip payload inverted`);
    }
    if (f.udp.present) {
      within('udp.payloadOffset', f.udp.payloadOffset);
      within('udp.payloadEnd', f.udp.payloadEnd);
      if (f.udp.payloadOffset > f.udp.payloadEnd) problems.push(`${label}: udp payload inverted`);
    }
    if (f.tcp.present) {
      within('tcp.payloadOffset', f.tcp.payloadOffset);
      within('tcp.payloadEnd', f.tcp.payloadEnd);
      if (f.tcp.payloadOffset > f.tcp.payloadEnd) problems.push(`${label}: tcp payload inverted`);
    }
    if (f.hsrp.present) {
      if (f.hsrp.ipVersion === 6) within('hsrp.virtualIp6Offset+16', f.hsrp.virtualIp6Offset + 16);
      within('hsrp.auth end', f.hsrp.authTextOffset + f.hsrp.authTextLength);
    }
    if (f.vrrp.present) {
      within('vrrp addresses end', f.vrrp.addressesOffset + f.vrrp.addressesRead * (f.vrrp.ipVersion === 6 ? 16 : 4));
    }
    if (f.nd.present && f.nd.isNd) {
      if (f.nd.targetOffset !== 0) within('nd.targetOffset+16', f.nd.targetOffset + 16);
      if (f.nd.destinationOffset !== 0) within('nd.destinationOffset+16', f.nd.destinationOffset + 16);
      within('nd nonce end', f.nd.nonceOffset + f.nd.nonceLength);
      const kept = Math.min(f.nd.prefixCount, f.nd.prefixOffsets.length);
      for (let i = 0; i < kept; i++) within(`nd.prefixOffsets[${i}]+16`, f.nd.prefixOffsets[i] + 16);
    }
    if (f.vxlan.present) within('vxlan.offset+8', f.vxlan.offset + 8);
    if (f.vlanCount > 8) problems.push(`${label}: vlanCount ${f.vlanCount}`);
  }
}

describe('fuzz', () => {
  it('thousands of mutated frames through every link type: no throw, offsets inside the frame', () => {
    const rand = prng(0x6777636b);
    const decoder = new FrameDecoder();
    const problems: string[] = [];
    let decoded = 0;
    for (let i = 0; i < 4000; i++) {
      const base = GOOD_FRAMES[i % GOOD_FRAMES.length];
      const bytes = mutate(rand, base.bytes);
      for (const linkType of LINK_TYPES) {
        const result = decoder.decode(bytes, linkType);
        checkOffsets(result, bytes.length, problems, `#${i} ${base.name} link ${linkType}`);
        decoded++;
      }
      if (problems.length > 5) break;
    }
    expect(problems).toEqual([]);
    expect(decoded).toBe(4000 * LINK_TYPES.length);
  });

  it('random bytes of every length up to 200', () => {
    const rand = prng(42);
    const decoder = new FrameDecoder();
    const problems: string[] = [];
    for (let length = 0; length <= 200; length++) {
      for (let k = 0; k < 10; k++) {
        const bytes = Buffer.from(Array.from({ length }, () => Math.floor(rand() * 256)));
        for (const linkType of LINK_TYPES) checkOffsets(decoder.decode(bytes, linkType), length, problems, `random ${length}/${k}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
