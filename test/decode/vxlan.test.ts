// VXLAN: header, inner frame in the next depth slot, nesting, ports from options, interest propagation.
import { describe, expect, it } from 'vitest';
import { arpFrame, vxlanFrame } from '../../fixtures/builder/packet.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_ARP, INTEREST_VXLAN, MAX_ENCAP_DEPTH } from '../../src/decode/types.js';
import { checkGolden, codes, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // 0000  02 00 00 00 00 02 02 00 00 00 00 01 81 00 00 28   outer vlan 40
    // 0010  08 00 45 00 00 4e 00 00 00 00 40 11 f6 9b c0 00   192.0.2.1 → 192.0.2.2
    // 0020  02 01 c0 00 02 02 c0 00 12 b5 00 3a 00 00 08 00   UDP 49152 → 4789; VXLAN flags 08
    // 0030  00 00 00 13 89 00 52 54 00 12 34 56 00 00 0c 07   VNI 5001; inner Ethernet
    // 0040  ac 0a 08 06 00 01 08 00 06 04 00 02 00 00 0c 07   inner ARP reply
    // 0050  ac 0a 0a 00 00 fe 52 54 00 12 34 56 0a 00 00 01
    name: 'ARP reply inside VXLAN VNI 5001, outer vlan 40',
    hex: '0200000000020200000000018100002808004500004e000000004011f69bc0000201c0000202c00012b5003a0000080000000013890052540012345600000c07ac0a0806000108000604000200000c07ac0a0a0000fe5254001234560a000001',
    want: {
      layers: [
        { proto: 'eth' },
        { proto: 'vlan', id: 40 },
        { proto: 'ipv4', src: '192.0.2.1', dst: '192.0.2.2' },
        { proto: 'udp', dstPort: 4789 },
        { proto: 'vxlan', vni: 5001, flags: 8 },
        { proto: 'eth', src: '00:00:0c:07:ac:0a', dst: '52:54:00:12:34:56' },
        { proto: 'arp', opcode: 2, senderIp: '10.0.0.254' },
      ],
    },
  },
];

const innerArp = arpFrame({ opcode: 1, senderMac: '52:54:00:00:00:01', senderIp: '10.9.0.1', targetIp: '10.9.0.2', vlans: [{ id: 7 }] });

function nest(depth: number, inner: Buffer): Buffer {
  let frame = inner;
  for (let i = depth; i >= 1; i--) frame = vxlanFrame({ vni: 1000 + i, inner: frame });
  return frame;
}

describe('VXLAN decoder', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('follows nesting into one slot per depth and propagates interest outward', () => {
    const result = new FrameDecoder().decode(nest(3, innerArp), 1);
    const vnis: number[] = [];
    let f = result.root;
    while (f.inner) {
      vnis.push(f.vxlan.vni);
      expect(f.interest).toBe(INTEREST_VXLAN | INTEREST_ARP);
      expect(f.inner.depth).toBe(f.depth + 1);
      f = f.inner;
    }
    expect(vnis).toEqual([1001, 1002, 1003]);
    expect(f.depth).toBe(3);
    expect(f.arp.present).toBe(true);
    expect(f.vlanIds[0]).toBe(7);
    expect(result.anomalies).toEqual([]);
  });

  it(`stops below depth ${MAX_ENCAP_DEPTH} with vxlan.too-deep`, () => {
    const result = new FrameDecoder().decode(nest(MAX_ENCAP_DEPTH + 1, innerArp), 1);
    expect(codes(result)).toEqual(['vxlan.too-deep']);
    let depth = 0;
    for (let f = result.root; f.inner; f = f.inner) depth++;
    expect(depth).toBe(MAX_ENCAP_DEPTH);
  });

  it('uses the ports from the options (8472 default, 4790 only when asked)', () => {
    const on8472 = vxlanFrame({ vni: 1, port: 8472, inner: innerArp });
    const on4790 = vxlanFrame({ vni: 1, port: 4790, inner: innerArp });
    expect(new FrameDecoder().decode(on8472, 1).root.vxlan.present).toBe(true);
    expect(new FrameDecoder().decode(on4790, 1).root.vxlan.present).toBe(false);
    const custom = new FrameDecoder({ vxlanPorts: [4790] });
    expect(custom.decode(on4790, 1).root.inner?.arp.present).toBe(true);
    expect(custom.decode(vxlanFrame({ vni: 1, inner: innerArp }), 1).root.vxlan.present).toBe(false);
  });

  it('notes reserved bits and a clear I flag but still decodes the inner frame', () => {
    const result = new FrameDecoder().decode(vxlanFrame({ vni: 1, flags: 0x0c, inner: innerArp }), 1);
    expect(result.anomalies.map((a) => [a.code, a.severity])).toEqual([['vxlan.reserved-bits', 'note']]);
    const noI = new FrameDecoder().decode(vxlanFrame({ vni: 1, flags: 0x00, inner: innerArp }), 1);
    expect(codes(noI)).toEqual(['vxlan.no-vni-flag']);
    expect(noI.root.inner?.arp.present).toBe(true);
  });

  it('clears the inner slot when the next frame has no VXLAN', () => {
    const decoder = new FrameDecoder();
    decoder.decode(nest(2, innerArp), 1);
    const plain = decoder.decode(innerArp, 1);
    expect(plain.root.inner).toBeNull();
    expect(plain.root.vxlan.present).toBe(false);
    expect(plain.root.interest).toBe(INTEREST_ARP);
  });
});
