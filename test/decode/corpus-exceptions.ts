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
