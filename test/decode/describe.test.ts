// `gwcheck decode` pieces: summaries and domain text (layer field names are covered by the golden tables).
import { describe, expect, it } from 'vitest';
import { describeLayers, domainText, summarizeFrame } from '../../src/decode/describe.js';
import { FrameDecoder } from '../../src/decode/frame.js';
import { GOOD_FRAMES } from './frames.js';

function frame(name: string) {
  const f = GOOD_FRAMES.find((g) => g.name === name);
  if (!f) throw new Error(name);
  return new FrameDecoder().decode(f.bytes, f.linkType);
}

describe('describe', () => {
  const cases: [string, string, string][] = [
    ['arp request', 'ARP who-has 10.0.0.254 tell 10.0.0.1', 'untagged'],
    ['arp reply in 802.1ad + 802.1Q', 'ARP is-at 00:00:0c:07:ac:0a (10.0.0.254)', 'vlan 100.2001'],
    ['hsrp v2 hello with text and md5 auth', 'HSRPv2 hello group 100 active prio 110 vip 10.0.0.254', 'untagged'],
    ['hsrp v1 hello in vlan 10', 'HSRPv1 hello group 10 active prio 110 vip 10.0.0.254', 'vlan 10'],
    ['vrrp v2', 'VRRPv2 advertisement vrid 7 prio 200 int 1000ms addrs 10.1.0.1,10.1.0.100', 'untagged'],
    ['vxlan arp reply in vlan 40', 'VXLAN vni 5001: ARP is-at 00:00:0c:07:ac:0a (10.0.0.254)', 'vlan 40 vni 5001'],
    ['bgp tcp segment', 'IPv4 192.0.2.1.51000 > 192.0.2.2.179: TCP [P.] seq 1000 ack 2000 len 19', 'untagged'],
  ];
  for (const [name, summary, domain] of cases) {
    it(`${name}: "${summary}" in ${domain}`, () => {
      const result = frame(name);
      expect(summarizeFrame(result)).toBe(summary);
      expect(domainText(result)).toBe(domain);
    });
  }

  it('lists layers in wire order and serialises to JSON', () => {
    const layers = describeLayers(frame('vxlan arp reply in vlan 40')) as { proto: string }[];
    expect(layers.map((l) => l.proto)).toEqual(['eth', 'vlan', 'ipv4', 'udp', 'vxlan', 'eth', 'arp']);
    expect(() => JSON.stringify(layers)).not.toThrow();
  });
});
