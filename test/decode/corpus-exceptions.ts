// The corpus conformance exceptions, shared by the decoder's conformance test (corpus.test.ts) and the one for
// `gwcheck decode --format ndjson` (ndjson-corpus.test.ts): where tshark 4.0.17 and gwcheck legitimately differ on
// a corpus capture, the file, its field groups and the reason are named here once; nothing is dropped silently.

export type Field = 'vlan' | 'arp' | 'hsrp' | 'vrrp' | 'vxlan';

/**
 * Files (optionally only some frames) where tshark shows fields gwcheck does not produce, by field group, with the
 * reason. Two kinds: encapsulations or link types gwcheck knowingly does not decode (out of scope: tshark decodes
 * through them), and malformed ARP where tshark reads addresses at the offsets contradictory lengths give.
 */
export const OUT_OF_SCOPE = 'out of scope: gwcheck does not decode';
export const EXCEPTIONS: Record<string, { fields: Field[]; frames?: number[]; reason: string }> = {
  'arkime__gre-erspan-vxlan.pcap': { fields: ['vxlan', 'vlan', 'arp'], reason: `${OUT_OF_SCOPE} GRE/ERSPAN (VXLAN on 4790 inside it)` },
  'tcpdump__erspan-type-i-1.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type I` },
  'tcpdump__erspan-type-i-2.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type I` },
  'tcpdump__erspan-type-i-3.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type I` },
  'tcpdump__erspan-type-i-4.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type I` },
  'tcpdump__erspan-type-ii-2.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type II (GRE)` },
  'tcpdump__erspan-type-ii-3.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type II (GRE)` },
  'tcpdump__erspan-type-iii-ft-0.pcap': { fields: ['vlan', 'arp', 'hsrp'], reason: `${OUT_OF_SCOPE} ERSPAN type III (GRE)` },
  'zeek__erspan.pcap': { fields: ['vlan', 'arp'], reason: `${OUT_OF_SCOPE} ERSPAN (GRE)` },
  'zeek__tunnels__gre-erspan3-dot1q.pcap': { fields: ['vlan'], reason: `${OUT_OF_SCOPE} ERSPAN type III (GRE)` },
  'suricata-verify__decode-arp-3__arp-encap.pcap': { fields: ['arp'], reason: `${OUT_OF_SCOPE} GRE (ARP inside GRE)` },
  'suricata-verify__geneve-decoder__input.pcap': { fields: ['arp', 'vlan'], reason: `${OUT_OF_SCOPE} Geneve` },
  'zeek__tunnels__geneve-arp.pcap': { fields: ['arp'], reason: `${OUT_OF_SCOPE} Geneve` },
  'zeek__tunnels__geneve-vxlan-dns-truncated.pcap': { fields: ['vxlan'], reason: `${OUT_OF_SCOPE} Geneve (VXLAN inside it)` },
  'tcpdump__nsh-over-vxlan-gpe.pcap': { fields: ['vxlan'], reason: `${OUT_OF_SCOPE} VXLAN-GPE (UDP 4790, a different header)` },
  'zeek__pbb.pcap': { fields: ['vlan', 'arp', 'vrrp'], reason: `${OUT_OF_SCOPE} 802.1ah provider backbone bridging (I-TAG 0x88e7)` },
  'zeek__vntag.pcap': { fields: ['vlan'], reason: `${OUT_OF_SCOPE} Cisco VN-Tag (0x8926)` },
  'zeek__vntag_vlan_sandwich_clean.pcap': { fields: ['vlan'], reason: `${OUT_OF_SCOPE} Cisco VN-Tag (0x8926)` },
  'tcpdump__arista_ether.pcap': { fields: ['vlan'], reason: `${OUT_OF_SCOPE} Arista's vendor EtherType header (0xd28b)` },
  'tcpdump__ipoib.pcap': { fields: ['arp'], reason: `${OUT_OF_SCOPE} link type IP over InfiniBand (242)` },
  'tcpdump__arcnet-rfc1051-arp-icmp-http.pcap': { fields: ['arp'], reason: `${OUT_OF_SCOPE} link type ARCNET` },
  'tcpdump__arcnet-rfc1201-arp-icmp-http.pcap': { fields: ['arp'], reason: `${OUT_OF_SCOPE} link type ARCNET` },
  'zeek__arp-who-has-radiotap.pcap': { fields: ['arp'], reason: `${OUT_OF_SCOPE} link type 802.11 radiotap` },
  'tcpdump__vrrp-vrrp_print-oobr.pcap': { fields: ['vrrp'], reason: `${OUT_OF_SCOPE} link type Frame Relay (107)` },
  'tcpdump__icmp-icmp_print-oobr-2.pcap': { fields: ['vrrp'], reason: `${OUT_OF_SCOPE} link type Frame Relay (107)` },
  'tcpdump__arp-oobr.pcap': {
    fields: ['arp'],
    reason:
      'fuzzed ARP: tshark reads addresses at the offsets that contradictory hlen/plen give (gwcheck: arp.bad-hlen / ' +
      'arp.non-ethernet, addresses not trusted), and hands hardware type 19 to ATMARP (atmarp.* fields)',
  },
  'tcpdump__arp-too-long-tha.pcap': { fields: ['arp'], reason: 'hardware type 0x3030 with hlen 14: tshark still reads the IPv4 addresses; gwcheck flags arp.non-ethernet' },
  'zeek__arp-leak.pcap': { fields: ['arp'], reason: 'Ethernet ARP with hlen 255: tshark reads addresses past the contradiction; gwcheck flags arp.bad-hlen' },
  'arthurcadore__ARP.pcapng': {
    fields: ['arp'],
    frames: [264, 466],
    reason: 'Ethernet ARP replies with hlen 0: tshark prints IPv4 addresses at shifted offsets; gwcheck flags arp.bad-hlen',
  },
};
