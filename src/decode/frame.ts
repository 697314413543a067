// The entry of the decode room: one captured frame of a given link type → layers, in reused slots.
//
// Dispatch is data: the tables below map link type, EtherType, IP protocol and UDP port to a layer decoder; the
// VXLAN and BGP ports come from the options (Zeek's `vxlan_ports &redef`, gwcheck's --vxlan-port).
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW } from '../capture/types.js';
import { decodeArp } from './arp.js';
import { Cursor, ETHERTYPE_COUNT, UNBOUNDED, type LayerDecoder } from './cursor.js';
import { decodeEthernet } from './ethernet.js';
import { decodeGeneve, UDP_PORT_GENEVE } from './geneve.js';
import { decodeGlbp, UDP_PORT_GLBP } from './glbp.js';
import { decodeGre } from './gre.js';
import { decodeHsrp } from './hsrp.js';
import { decodeIcmpv6 } from './icmpv6.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';
import { decodePbb, ETHERTYPE_PBB_ITAG } from './pbb.js';
import { decodeCHdlc, decodePpp } from './ppp.js';

/** tcpdump.org link types 9 and 104 (serial links between PEs: PPP, Cisco HDLC). */
const LINKTYPE_PPP = 9;
const LINKTYPE_C_HDLC = 104;
import { newSlot, resetSlot } from './slot.js';
import { decodeSll, decodeSll2 } from './sll.js';
import { decodeTcp } from './tcp.js';
import {
  DEFAULT_BGP_PORTS,
  DEFAULT_VXLAN_PORTS,
  MAX_ENCAP_DEPTH,
  NOT_OPENED_LINK_TYPE,
  type DecodedFrame,
  type DecodeOptions,
  type DecodeResult,
} from './types.js';
import { decodeUdp } from './udp.js';
import { decodeVrrp } from './vrrp.js';
import { decodeVxlan } from './vxlan.js';
import { decodeVxlanGpe, UDP_PORT_VXLAN_GPE } from './vxlan-gpe.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_RARP = 0x8035;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_VRRP = 112;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_GRE = 47;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
export const UDP_PORT_HSRP = 1985;
export const UDP_PORT_HSRP_V6 = 2029;

/** A dispatch table indexed by a protocol number (`size` of them): an array load per frame, not a Map probe. */
function dispatchTable(size: number, entries: [number, LayerDecoder][]): readonly (LayerDecoder | undefined)[] {
  const table: (LayerDecoder | undefined)[] = new Array(size).fill(undefined);
  for (const [value, decoder] of entries) table[value] = decoder;
  return table;
}

/**
 * Next layer by EtherType: a dense table indexed by the 16-bit EtherType, like IP_PROTOCOLS below. An array load
 * per frame instead of a Map probe (a hash and a bucket walk, or a builtin call where it is not inlined).
 */
const ETHER_TYPES = dispatchTable(ETHERTYPE_COUNT, [
  [ETHERTYPE_IPV4, decodeIpv4],
  [ETHERTYPE_ARP, decodeArp],
  [ETHERTYPE_IPV6, decodeIpv6],
  [ETHERTYPE_RARP, decodeArp],
  [ETHERTYPE_MPLS, decodeMpls],
  [ETHERTYPE_MPLS_MULTICAST, decodeMpls],
  [ETHERTYPE_PBB_ITAG, decodePbb],
]);

const IP_PROTOCOLS = dispatchTable(256, [
  [IPPROTO_TCP, decodeTcp],
  [IPPROTO_UDP, decodeUdp],
  [IPPROTO_VRRP, decodeVrrp],
  [IPPROTO_ICMPV6, decodeIcmpv6],
  [IPPROTO_GRE, decodeGre],
]);

/** Raw IP links: the version nibble picks the decoder. */
function decodeRawIp(cur: Cursor, frame: DecodedFrame, offset: number, end: number): void {
  if (!cur.need(offset, 1, end, 'ip', 'ip.overrun')) return;
  const version = cur.u8(offset) >> 4;
  if (version === 4) decodeIpv4(cur, frame, offset, end);
  else if (version === 6) decodeIpv6(cur, frame, offset, end);
  else cur.error('ip', 'ip.bad-version', offset, `IP version ${version} on a raw IP link`);
}

const LINK_TYPES: ReadonlyMap<number, LayerDecoder> = new Map([
  [LINKTYPE_ETHERNET, decodeEthernet],
  [LINKTYPE_LINUX_SLL, decodeSll],
  [LINKTYPE_LINUX_SLL2, decodeSll2],
  [LINKTYPE_RAW, decodeRawIp],
  [LINKTYPE_IPV4, decodeIpv4],
  [LINKTYPE_IPV6, decodeIpv6],
  [LINKTYPE_PPP, decodePpp],
  [LINKTYPE_C_HDLC, decodeCHdlc],
]);

function portTable(ports: readonly number[]): Uint8Array {
  const table = new Uint8Array(65536);
  for (const port of ports) if (Number.isInteger(port) && port >= 0 && port <= 65535) table[port] = 1;
  return table;
}

export class FrameDecoder {
  private readonly cursor: Cursor;
  /** One slot per encapsulation depth: 0 is the captured frame, 1 … MAX_ENCAP_DEPTH inside VXLAN. */
  private readonly slots: DecodedFrame[];
  private readonly result: DecodeResult;
  /**
   * The link type of the previous frame and its decoder (undefined: not supported): every record of a pcap, and of
   * a pcapng interface, has the same link type, so the LINK_TYPES probe is made when it changes, not per frame.
   */
  private lastLinkType = -1;
  private lastLink: LayerDecoder | undefined = undefined;

  constructor(options: DecodeOptions = {}) {
    const udpPorts = new Map<number, LayerDecoder>([
      [UDP_PORT_HSRP, decodeHsrp],
      [UDP_PORT_HSRP_V6, decodeHsrp],
      [UDP_PORT_GENEVE, decodeGeneve],
      [UDP_PORT_VXLAN_GPE, decodeVxlanGpe],
      [UDP_PORT_GLBP, decodeGlbp],
    ]);
    for (const port of options.vxlanPorts ?? DEFAULT_VXLAN_PORTS) udpPorts.set(port, decodeVxlan);
    this.slots = [];
    const slots = this.slots;
    this.cursor = new Cursor(
      ETHER_TYPES,
      IP_PROTOCOLS,
      udpPorts,
      portTable(options.bgpPorts ?? DEFAULT_BGP_PORTS),
      (depth) => (depth < slots.length ? slots[depth] : null),
      decodeEthernet,
    );
    for (let depth = 0; depth <= MAX_ENCAP_DEPTH; depth++) this.slots.push(newSlot(depth, this.cursor));
    this.result = { root: this.slots[0], anomalies: this.cursor.anomalies, unsupportedLinkType: false, notOpened: 0 };
  }

  /** Decodes one captured frame of the given link type; the result and its slots are reused across calls. */
  decode(bytes: Buffer, linkType: number): DecodeResult {
    return this.decodeAt(bytes, 0, bytes.length, linkType);
  }

  /**
   * Decodes the frame that is `length` bytes of `buf` from `start` (a capture record's `data`, `dataOffset`,
   * `dataLength`) without a Buffer view of it: the slots' `bytes` make one only when a consumer reads them.
   */
  decodeAt(buf: Buffer, start: number, length: number, linkType: number): DecodeResult {
    const cur = this.cursor;
    const root = this.slots[0];
    cur.reset(buf, start, length);
    resetSlot(root);
    if (linkType !== this.lastLinkType) {
      this.lastLinkType = linkType;
      this.lastLink = LINK_TYPES.get(linkType);
    }
    const link = this.lastLink;
    this.result.unsupportedLinkType = link === undefined;
    // Decoders record problems instead of throwing; the catch is a last line of defence so that a bug in one
    // decoder costs one frame, not the run.
    if (link !== undefined) {
      try {
        link(cur, root, 0, UNBOUNDED);
      } catch (err) {
        cur.error('decode', 'decode.internal-error', 0, String(err));
      }
    }
    this.result.anomalies = cur.anomalies;
    this.result.notOpened = link === undefined ? NOT_OPENED_LINK_TYPE : cur.notOpened;
    return this.result;
  }
}
