// PPP (link type 9) and Cisco HDLC (link type 104), the serial links between PEs: golden tables from real captures of
// ../shared/corpus (MPLS and BGP across them), a malformed table.
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/frame.js';
import { INTEREST_BGP, NOT_OPENED_ETHER_TYPE } from '../../src/decode/types.js';
import { checkGolden, codes, fromHex, type Golden } from './helpers.js';

const GOLDEN: Golden[] = [
  {
    // tcpdump lspping-fec-ldp.pcap #1: ff 03 | 02 81 (MPLS) | label 100656 | IPv4, a BGP keepalive between PEs.
    name: 'PPP, RFC 1662 framing, MPLS then IPv4 (real)',
    linkType: 9,
    hex: 'ff03028118930d4045c000479f0f00004006b6ca0c0404040c080808100400b36ee724a6b0fe802780184000fd1b00000101080a050db418050d7dbeffffffffffffffffffffffffffffffff001304',
    want: { layers: [{ proto: 'mpls', labels: [100656] }, { proto: 'ipv4', src: '12.4.4.4' }, { proto: 'tcp', dstPort: 179 }] },
  },
  {
    // ndpi BGP_Cisco_hdlc_slarp.pcap #1: a PPP link whose frames carry Cisco HDLC framing: 0f 00 | 08 00 | IPv4, TCP 179.
    name: 'PPP link with Cisco HDLC framing, BGP over TCP (real)',
    linkType: 9,
    hex: '0f00080045c0002cf89240000106b6566410010264100101479400b3bcea75d1000000006002400013000000020405b4',
    want: { layers: [{ proto: 'ipv4', src: '100.16.1.2' }, { proto: 'tcp', dstPort: 179 }] },
  },
  {
    // ndpi BGP_redist.pcap #1: Cisco HDLC 0f 00 | 88 47 | one label, then IPv4 carrying BGP between PEs.
    name: 'Cisco HDLC, MPLS then BGP (real)',
    linkType: 104,
    hex: '0f00884700012dfe45c0009b93cc4000ff06dac4020202020404040400b3f82fd5a86c493c92f65050183fb40ea10000ffffffffffffffffffffffffffffffff0073020000005c400101024002008004040000005640050400000064c010200002006400000457000500000001020080000000000003008001ac1002010000800e210001800c00000000000000000202020200780001910000006400000064aa000000',
    want: { layers: [{ proto: 'mpls', labelCount: 1 }, { proto: 'ipv4', src: '2.2.2.2' }, { proto: 'tcp' }] },
  },
];

describe('PPP and Cisco HDLC', () => {
  for (const g of GOLDEN) it(g.name, () => checkGolden(g));

  it('BGP across the serial link is flagged for the reassembler (inside MPLS too)', () => {
    expect(new FrameDecoder().decode(fromHex(GOLDEN[2].hex), 104).root.interest & INTEREST_BGP).toBe(INTEREST_BGP);
  });

  it('LCP (0xc021) is control traffic, not opened', () => {
    const r = new FrameDecoder().decode(fromHex('ff03c02101010004'), 9);
    expect([codes(r), r.notOpened]).toEqual([[], NOT_OPENED_ETHER_TYPE]);
  });

  const MALFORMED: [string, string, number, string][] = [
    ['PPP header cut', 'ff', 9, 'ppp.truncated'],
    ['Cisco HDLC header cut', '0f0008', 104, 'chdlc.truncated'],
  ];
  for (const [name, hex, link, code] of MALFORMED) {
    it(`malformed: ${name} → ${code}`, () => expect(codes(new FrameDecoder().decode(fromHex(hex), link))).toEqual([code]));
  }
});
