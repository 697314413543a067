// BGP over TCP → BGP message records and EVPN route facts.
//
//   const bgp = new BgpStreams({ maxStreamBytes, maxStreams });
//   for each decoded TCP segment to/from port 179:  for (const rec of bgp.segment(seg)) …evpnFacts(rec)…
//   at the end of the capture:                      bgp.finish()  → stream anomalies (gaps, resyncs, caps)
//
// Each direction of each connection (domain + addresses + ports) is a TcpStream (tcp-stream.ts). Each
// connection remembers the OPEN of each side: the pair decides how UPDATEs are decoded in each direction
// (4-byte AS when both advertised capability 65; ADD-PATH for an AFI/SAFI when the sender advertised send and
// the receiver receive; messages up to 65535 bytes when both advertised extended message). Without the OPENs
// the UPDATE decoder infers (see src/decode/bgp/update.ts) and lists what it inferred in the record.
//
// A message is attributed to the frame in which its last byte arrived (the segment() call that completes it),
// and lists every frame it was built from. Stream anomalies (gaps, resyncs, limits) are kept in order and
// returned by finish(); `takeAnomalies()` hands out those raised so far, for callers that report per frame.
// Messages that only complete at finish() (bytes waiting behind a hole that never filled) are in `flushed`.
import { clearList } from '../decode/bgp/fields.js';
import { decodeBgpMessage } from '../decode/bgp/message.js';
import { decodeUpdateInto, newUpdateScratch, type UpdateScratch } from '../decode/bgp/update.js';
import {
  BGP_MAX_EXTENDED_MESSAGE_LENGTH,
  BGP_MAX_MESSAGE_LENGTH,
  BGP_MARKER_LENGTH,
  BGP_UPDATE,
  type BgpCapabilities,
  type BgpInference,
  type BgpMessage,
  type BgpSessionView,
} from '../decode/bgp/types.js';
import type { Anomaly } from '../decode/types.js';
import { formatIpv4, ipv4Key } from '../util/net.js';
import { TcpStream, type TcpStreamCounters, type TcpStreamSink } from './tcp-stream.js';
import type { AnomalyFact, EvpnRouteFact, FrameRef } from './types.js';

export interface TcpSegmentInput {
  /** Broadcast domain of the frame (DomainTable id): the same addresses in two VRFs/VLANs are two streams. */
  domainId: number;
  /** IPv4 as an unsigned 32-bit number or text; IPv6 as text (formatIpv6). */
  srcIp: string | number;
  dstIp: string | number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** TCP flag bits (TCP_SYN, TCP_FIN, TCP_RST … from src/decode/types.ts). */
  flags: number;
  /** The TCP payload: a view into the frame, valid only during the call. */
  payload: Buffer;
  /** The capture cut the payload short (snaplen). */
  payloadTruncated: boolean;
  ref: FrameRef;
}

export interface BgpStreamsOptions {
  /** Per-direction buffer (out-of-order bytes + incomplete message); default 1 MiB. */
  maxStreamBytes?: number;
  /** Directions tracked at once; the least recently active is evicted beyond it. Default 4096. */
  maxStreams?: number;
  /** Largest message accepted when the OPENs were not seen (default 65535, RFC 8654). Known sessions use 4096 or 65535. */
  maxMessageLength?: number;
  /** Segments arriving beyond a hole before it is declared lost (default 16). */
  gapSegments?: number;
  /** Only segments with one of these ports are taken (default: all segments given). */
  ports?: readonly number[];
  /** Stream anomalies kept for finish() (default 10000); beyond that only counted. */
  maxAnomalies?: number;
  /**
   * Where the messages of segment() go instead of its return value: ONE record refilled per message, whose
   * message (for an UPDATE, the decoder's scratch: see decodeUpdateInto) and lists are valid only during the
   * call — copy out what you keep (evpnFacts does). Nothing is allocated per message for the record. Messages
   * completed at finish() still go to `flushed` as owned records.
   */
  onRecord?: (rec: BgpMessageRecord) => void;
}

export interface BgpMessageRecord {
  message: BgpMessage;
  /** Frames the message was reassembled from, ascending; the last is `ref.frame`. */
  frames: number[];
  /** The frame holding the message's last byte. */
  ref: FrameRef;
  domainId: number;
  /** TCP endpoints that carried the message: sender IP → receiver IP. */
  speaker: string;
  receiver: string;
  srcPort: number;
  dstPort: number;
  /** UPDATE decoding decisions taken by heuristic because the OPENs were not captured. */
  inferred: BgpInference[];
  /** Decode anomalies of this message. */
  anomalies: AnomalyFact[];
}

export interface BgpStreamStats extends TcpStreamCounters {
  segments: number;
  messages: number;
  /** Directions tracked now, and ever. */
  streams: number;
  streamsSeen: number;
  evicted: number;
  anomaliesDropped: number;
}

const NO_RECORDS: BgpMessageRecord[] = [];
Object.freeze(NO_RECORDS);
const NO_FACTS: EvpnRouteFact[] = [];
Object.freeze(NO_FACTS);
const NO_FRAMES: number[] = [];
Object.freeze(NO_FRAMES);
const NO_INFERENCES: BgpInference[] = [];
Object.freeze(NO_INFERENCES);
/** `out` of segment() when the messages go to onRecord. */
const TO_ON_RECORD: BgpMessageRecord[] = [];
Object.freeze(TO_ON_RECORD);

/** The OPENs of one connection, by sending endpoint key. */
interface Session {
  opens: Map<string, BgpCapabilities>;
  /** Bumped with every OPEN filed (fileOpen): the views of the connection decide again. */
  generation: number;
}

function fileOpen(dir: Direction, capabilities: BgpCapabilities): void {
  dir.session.opens.set(dir.from, capabilities);
  dir.session.generation++;
}

/** One direction: its stream, the session view its UPDATEs are decoded with, and its endpoints. */
interface Direction {
  stream: TcpStream;
  view: DirectionView;
  session: Session;
  /** Its key in BgpStreams.directions. */
  key: string;
  /** Sender endpoint key (OPENs are filed under it). */
  from: string;
  domainId: number;
  speaker: string;
  receiver: string;
  srcPort: number;
  dstPort: number;
  /** The latest frame of this direction (stream anomalies raised at the end are attributed to it). */
  lastRef: FrameRef;
}

/**
 * The BgpSessionView of one direction, computed from the OPENs seen so far. It is asked on every segment and
 * several times per UPDATE, and the answers change only when an OPEN is filed: they are kept, and decided
 * again when the session's generation moves (nothing allocated, no map lookup per call).
 */
class DirectionView implements BgpSessionView {
  private seen = -1;
  private send: BgpCapabilities | undefined = undefined;
  private receive: BgpCapabilities | undefined = undefined;
  private as4Decided: boolean | null = null;
  /** The latest addPath() question and its answer (an UPDATE asks for one AFI/SAFI, EVPN). */
  private addPathAfi = -1;
  private addPathSafi = -1;
  private addPathDecided: boolean | null = null;

  constructor(
    private readonly session: Session,
    private readonly sender: string,
    private readonly receiver: string,
  ) {}

  private refresh(): void {
    if (this.seen === this.session.generation) return;
    this.seen = this.session.generation;
    const s = (this.send = this.session.opens.get(this.sender));
    const r = (this.receive = this.session.opens.get(this.receiver));
    this.as4Decided = (s && s.as4 === null) || (r && r.as4 === null) ? false : s && r ? true : null;
    this.addPathAfi = -1;
  }

  get as4(): boolean | null {
    this.refresh();
    return this.as4Decided;
  }

  addPath(afi: number, safi: number): boolean | null {
    this.refresh();
    if (afi === this.addPathAfi && safi === this.addPathSafi) return this.addPathDecided;
    const send = hasAddPath(this.send, afi, safi, 2);
    const receive = hasAddPath(this.receive, afi, safi, 1);
    this.addPathAfi = afi;
    this.addPathSafi = safi;
    this.addPathDecided = send === false || receive === false ? false : send && receive ? true : null;
    return this.addPathDecided;
  }

  maxMessageLength(unknown: number): number {
    this.refresh();
    const s = this.send;
    const r = this.receive;
    if ((s && !s.extendedMessage) || (r && !r.extendedMessage)) return BGP_MAX_MESSAGE_LENGTH;
    return s && r ? BGP_MAX_EXTENDED_MESSAGE_LENGTH : unknown;
  }
}

/** Did these capabilities (null: OPEN not seen) advertise ADD-PATH `bit` (1 receive, 2 send) for afi/safi? */
function hasAddPath(c: BgpCapabilities | undefined, afi: number, safi: number, bit: number): boolean | null {
  if (!c) return null;
  for (const a of c.addPath) if (a.afi === afi && a.safi === safi && (a.sendReceive & bit) !== 0) return true;
  return false;
}

function ipText(ip: string | number): string {
  return typeof ip === 'number' ? formatIpv4(ip) : ip;
}

export class BgpStreams {
  readonly stats: BgpStreamStats = {
    segments: 0,
    messages: 0,
    streams: 0,
    streamsSeen: 0,
    evicted: 0,
    anomaliesDropped: 0,
    retransmissions: 0,
    outOfOrder: 0,
    gaps: 0,
    bufferLimitHits: 0,
    resyncs: 0,
    bytesSkipped: 0,
  };
  /** Stream anomalies raised so far (bounded by maxAnomalies), in order. */
  readonly anomalies: AnomalyFact[] = [];

  private readonly maxStreamBytes: number;
  private readonly maxStreams: number;
  private readonly maxMessageLength: number;
  private readonly gapSegments: number;
  private readonly ports: readonly number[] | null;
  private readonly maxAnomalies: number;
  private readonly directions = new Map<string, Direction>();
  private readonly sessions = new Map<string, Session>();
  private taken = 0;
  /** The direction of the latest segment and the addresses it was given as (null after it closed or left). */
  private latest: Direction | null = null;
  private latestSrcIp: string | number = '';
  private latestDstIp: string | number = '';
  private evictionReported = false;

  /** Messages completed at finish() (behind a hole that never filled), attributed to the frame of their last byte. */
  readonly flushed: BgpMessageRecord[] = [];

  // The direction being processed and where its records go (set for the sink callbacks).
  private ref: FrameRef | null = null;
  private current: Direction | null = null;
  private out: BgpMessageRecord[] = NO_RECORDS;

  private readonly onRecord: ((rec: BgpMessageRecord) => void) | null;
  /** The UPDATE decoder's scratch and the one record handed to onRecord. */
  private readonly updateScratch: UpdateScratch = newUpdateScratch();
  private readonly record: BgpMessageRecord = {
    message: this.updateScratch.update,
    frames: NO_FRAMES,
    ref: { input: 0, frame: 0, seconds: 0, nanos: 0, time: 0 },
    domainId: 0,
    speaker: '',
    receiver: '',
    srcPort: 0,
    dstPort: 0,
    inferred: this.updateScratch.update.inferred,
    anomalies: [],
  };

  private readonly sink: TcpStreamSink = {
    message: (bytes, frames, lastRef) => this.onMessage(bytes, frames, lastRef),
    anomaly: (code, detail, severity) => this.addAnomaly(code, detail, severity),
  };

  constructor(options: BgpStreamsOptions = {}) {
    this.maxStreamBytes = options.maxStreamBytes ?? 1 << 20;
    this.maxStreams = Math.max(1, options.maxStreams ?? 4096);
    this.maxMessageLength = Math.min(options.maxMessageLength ?? BGP_MAX_EXTENDED_MESSAGE_LENGTH, BGP_MAX_EXTENDED_MESSAGE_LENGTH);
    this.gapSegments = options.gapSegments ?? 16;
    this.ports = options.ports && options.ports.length ? options.ports : null;
    this.maxAnomalies = options.maxAnomalies ?? 10000;
    this.onRecord = options.onRecord ?? null;
  }

  /** Feeds one segment; returns the BGP messages whose last byte is in it (a shared frozen empty array when none). */
  segment(seg: TcpSegmentInput): BgpMessageRecord[] {
    if (this.ports && !this.ports.includes(seg.srcPort) && !this.ports.includes(seg.dstPort)) return NO_RECORDS;
    this.stats.segments++;
    let dir: Direction | undefined = this.latest ?? undefined;
    const same =
      dir !== undefined &&
      seg.domainId === dir.domainId &&
      seg.srcPort === dir.srcPort &&
      seg.dstPort === dir.dstPort &&
      seg.srcIp === this.latestSrcIp &&
      seg.dstIp === this.latestDstIp;
    // The direction of the previous segment again (a transfer comes as a run of segments): it is already the most
    // recently active, so neither its key nor the Map's order needs touching.
    if (!same) {
      const speaker = ipText(seg.srcIp);
      const receiver = ipText(seg.dstIp);
      const from = `${speaker}|${seg.srcPort}`;
      const to = `${receiver}|${seg.dstPort}`;
      const key = `${seg.domainId}|${from}>${to}`;
      dir = this.directions.get(key);
      if (dir) {
        // Map order is recency order: move to the end.
        this.directions.delete(key);
        this.directions.set(key, dir);
      } else {
        if (seg.payload.length === 0 && !(seg.flags & 0x02)) return NO_RECORDS; // a bare ACK/FIN starts nothing
        dir = this.open(seg, key, from, to, speaker, receiver);
        this.directions.set(key, dir);
        this.stats.streamsSeen++;
        this.evictIfNeeded();
      }
      this.latest = dir;
      this.latestSrcIp = seg.srcIp;
      this.latestDstIp = seg.dstIp;
    }
    dir = dir as Direction;
    this.ref = seg.ref;
    dir.lastRef = seg.ref;
    this.current = dir;
    this.out = this.onRecord === null ? NO_RECORDS : TO_ON_RECORD;
    dir.stream.maxMessageLength = dir.view.maxMessageLength(this.maxMessageLength);
    dir.stream.segment(seg.seq, seg.flags, seg.payload, seg.payloadTruncated, seg.ref);
    if (dir.stream.closed) {
      this.directions.delete(dir.key);
      this.latest = null;
    }
    this.stats.streams = this.directions.size;
    this.current = null;
    return this.out;
  }

  /** End of capture: holes still open are reported and what follows them is flushed; returns every stream anomaly. */
  finish(): AnomalyFact[] {
    for (const dir of this.directions.values()) this.endDirection(dir, this.flushed);
    this.current = null;
    this.directions.clear();
    this.latest = null;
    this.stats.streams = 0;
    return this.anomalies;
  }

  /** Stream anomalies raised since the last call (for per-frame reporting; finish() still returns all). */
  takeAnomalies(): AnomalyFact[] {
    const fresh = this.anomalies.slice(this.taken);
    this.taken = this.anomalies.length;
    return fresh;
  }

  /** Ends a direction's stream; messages it still completes go to `sink` (or are only counted). */
  private endDirection(dir: Direction, sink: BgpMessageRecord[] | null): void {
    const saved = [this.current, this.ref, this.out] as const;
    this.current = dir;
    this.ref = dir.lastRef;
    this.out = sink ?? [];
    dir.stream.end();
    [this.current, this.ref, this.out] = saved;
  }

  private open(seg: TcpSegmentInput, key: string, from: string, to: string, speaker: string, receiver: string): Direction {
    const domainId = seg.domainId;
    const sessionKey = from < to ? `${domainId}|${from}=${to}` : `${domainId}|${to}=${from}`;
    let session = this.sessions.get(sessionKey);
    if (!session) {
      session = { opens: new Map(), generation: 0 };
      this.sessions.set(sessionKey, session);
      // Sessions are bounded like streams: forget the oldest connection's OPENs.
      if (this.sessions.size > this.maxStreams) this.sessions.delete(this.sessions.keys().next().value as string);
    }
    return {
      stream: new TcpStream({ maxStreamBytes: this.maxStreamBytes, gapSegments: this.gapSegments }, this.sink, this.stats),
      view: new DirectionView(session, from, to),
      session,
      key,
      from,
      domainId,
      speaker,
      receiver,
      srcPort: seg.srcPort,
      dstPort: seg.dstPort,
      lastRef: seg.ref,
    };
  }

  private evictIfNeeded(): void {
    while (this.directions.size > this.maxStreams) {
      const [oldKey, old] = this.directions.entries().next().value as [string, Direction];
      this.directions.delete(oldKey);
      if (old === this.latest) this.latest = null;
      this.stats.evicted++;
      if (!this.evictionReported) {
        this.evictionReported = true;
        this.addAnomaly('bgp.stream-limit', `more than ${this.maxStreams} TCP streams: least recently active ones are forgotten (see stats.evicted)`, 'error');
      }
      // Messages completed by this flush belong to frames already handed out: counted, not returned.
      this.endDirection(old, null);
    }
  }

  private addAnomaly(code: string, detail: string, severity: 'error' | 'note'): void {
    if (this.anomalies.length >= this.maxAnomalies) {
      this.stats.anomaliesDropped++;
      return;
    }
    const ref = this.ref ?? { input: 0, frame: 0, seconds: 0, nanos: 0, time: 0 };
    this.anomalies.push({ kind: 'anomaly', ref, layer: 'bgp', code, detail, severity });
  }

  private onMessage(bytes: Uint8Array, frames: number[], lastRef: FrameRef): void {
    const dir = this.current;
    // The latest frame that supplied bytes: from then on the message was whole (Wireshark's attribution: in
    // order, the frame holding the last byte; after reordering, the frame that filled the hole).
    const ref = lastRef;
    this.stats.messages++;
    if (!dir) return;
    if (this.out === TO_ON_RECORD) {
      this.toOnRecord(dir, bytes, frames, ref);
      return;
    }
    const message = decodeBgpMessage(bytes, dir.view);
    if (message.type === 'open') fileOpen(dir, message.capabilities);
    if (this.out === NO_RECORDS) this.out = [];
    this.out.push({
      message,
      frames,
      ref,
      domainId: dir.domainId,
      speaker: dir.speaker,
      receiver: dir.receiver,
      srcPort: dir.srcPort,
      dstPort: dir.dstPort,
      inferred: message.type === 'update' ? message.inferred : [],
      anomalies: message.anomalies.length ? message.anomalies.map((a) => toFact(a, ref)) : [],
    });
  }

  /** The message into the one record and on to onRecord; an UPDATE (nearly every message) is decoded into the scratch. */
  private toOnRecord(dir: Direction, bytes: Uint8Array, frames: number[], ref: FrameRef): void {
    const rec = this.record;
    const message = bytes[BGP_MARKER_LENGTH + 2] === BGP_UPDATE ? decodeUpdateInto(this.updateScratch, bytes, dir.view) : decodeBgpMessage(bytes, dir.view);
    if (message.type === 'open') fileOpen(dir, message.capabilities);
    rec.message = message;
    rec.frames = frames;
    rec.ref = ref;
    rec.domainId = dir.domainId;
    rec.speaker = dir.speaker;
    rec.receiver = dir.receiver;
    rec.srcPort = dir.srcPort;
    rec.dstPort = dir.dstPort;
    rec.inferred = message.type === 'update' ? message.inferred : NO_INFERENCES;
    const anomalies = rec.anomalies;
    clearList(anomalies);
    for (let i = 0; i < message.anomalies.length; i++) anomalies.push(toFact(message.anomalies[i], ref));
    (this.onRecord as (rec: BgpMessageRecord) => void)(rec);
  }
}

function toFact(a: Anomaly, ref: FrameRef): AnomalyFact {
  return { kind: 'anomaly', ref, layer: a.layer, code: a.code, detail: `${a.detail} (offset ${a.offset} in the BGP message)`, severity: a.severity };
}

/*
 * The owned parts of the facts that are the same from UPDATE to UPDATE are shared, read-only: the consumers
 * keep them (a route's route targets live on in the planes and the inventory, for as long as the route), and
 * an EVPN speaker sends the same few values on every UPDATE.
 */

/** A fact's own copy of a route's labels (one or two, none for types 3 and 4). */
function ownLabels(labels: readonly number[]): number[] {
  switch (labels.length) {
    case 1:
      return [labels[0]];
    case 2:
      return [labels[0], labels[1]];
    default:
      return labels.slice();
  }
}

/** The route-target lists of the latest UPDATEs (sorted): an UPDATE with the same targets shares its list. */
const RT_LISTS_KEPT = 8;
const rtLists: string[][] = [];
let nextRtList = 0;
const rtScratch: string[] = [];

function sharedRouteTargets(sorted: string[]): string[] {
  for (let i = 0; i < rtLists.length; i++) {
    const kept = rtLists[i];
    if (kept.length !== sorted.length) continue;
    let same = true;
    for (let j = 0; j < kept.length && same; j++) same = kept[j] === sorted[j];
    if (same) return kept;
  }
  const list = sorted.slice();
  rtLists[nextRtList] = list;
  nextRtList = (nextRtList + 1) % RT_LISTS_KEPT;
  return list;
}

/** Sorts a short list in place as Array.prototype.sort() would (string order), without its per-call cost. */
function sortStrings(list: string[]): void {
  for (let i = 1; i < list.length; i++) {
    const v = list[i];
    let j = i - 1;
    while (j >= 0 && list[j] > v) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = v;
  }
}

type ArpNd = NonNullable<EvpnRouteFact['arpNd']>;
/** The eight ARP/ND flag combinations, by router | override << 1 | immutable << 2. */
const ARP_ND: readonly ArpNd[] = Array.from({ length: 8 }, (_, i) => Object.freeze({ router: (i & 1) !== 0, override: (i & 2) !== 0, immutable: (i & 4) !== 0 }));

/**
 * One EvpnRouteFact per EVPN route of an UPDATE (advertisements and withdrawals), with the UPDATE's attributes.
 * The facts are owned (their shared parts read-only); the record may be the scratch one of onRecord. With `out`
 * the facts are put there (emptied first) and it is returned, so a caller can reuse one list.
 */
export function evpnFacts(rec: BgpMessageRecord, out?: EvpnRouteFact[]): EvpnRouteFact[] {
  const m = rec.message;
  if (m.type !== 'update' || m.evpn.length === 0) {
    if (out === undefined) return NO_FACTS;
    clearList(out);
    return out;
  }
  const ext = m.attributes.extendedCommunities;
  const targets = rtScratch;
  clearList(targets);
  let macMobility: EvpnRouteFact['macMobility'] = null;
  let macMobilityCount = 0;
  let defaultGateway = false;
  let routerMac: number | null = null;
  let arpNd: EvpnRouteFact['arpNd'] = null;
  let encapsulation: number | null = null;
  for (let i = 0; i < ext.length; i++) {
    const c = ext[i];
    switch (c.kind) {
      case 'route-target':
        targets.push(c.routeTarget as string);
        break;
      case 'mac-mobility':
        macMobilityCount++;
        if (!macMobility) macMobility = { sequence: c.sequence ?? 0, sticky: c.sticky ?? false };
        break;
      case 'default-gateway':
        defaultGateway = true;
        break;
      case 'router-mac':
        if (routerMac === null) routerMac = c.mac ?? null;
        break;
      case 'arp-nd':
        arpNd ??= ARP_ND[(c.router ? 1 : 0) | (c.override ? 2 : 0) | (c.immutable ? 4 : 0)];
        break;
      case 'encapsulation':
        if (encapsulation === null) encapsulation = c.tunnelType ?? null;
        break;
    }
  }
  sortStrings(targets);
  const routeTargets = sharedRouteTargets(targets);
  const reach = m.attributes.mpReach;
  const nextHop = reach !== null && reach.nextHops.length > 0 ? reach.nextHops[0] : null;
  const nextHopV4 = nextHop === null ? NaN : ipv4Key(nextHop);
  const pmsi = m.attributes.pmsiTunnel;
  const pmsiTunnel = pmsi ? { tunnelType: pmsi.tunnelType, label: pmsi.label, tunnelId: pmsi.tunnelId } : null;
  const facts = out ?? [];
  clearList(facts);
  for (let i = 0; i < m.evpn.length; i++) {
    const r = m.evpn[i];
    facts.push({
      kind: 'evpn',
      ref: rec.ref,
      frames: rec.frames,
      speaker: rec.speaker,
      receiver: rec.receiver,
      action: r.action,
      routeType: r.routeType,
      rd: r.rd,
      esi: r.esi,
      esiZero: r.esiZero,
      ethernetTag: r.ethernetTag,
      mac: r.mac,
      ip: r.ip,
      ipV4: r.ipV4,
      labels: ownLabels(r.labels),
      pathId: r.pathId,
      nextHop: r.action === 'advertise' ? nextHop : null,
      nextHopV4: r.action === 'advertise' ? nextHopV4 : NaN,
      macMobility,
      macMobilityCount,
      routeTargets,
      defaultGateway,
      routerMac,
      arpNd,
      encapsulation,
      originatorIp: r.originatorIp,
      prefix: r.prefix,
      pmsiTunnel: r.action === 'advertise' ? pmsiTunnel : null,
    });
  }
  return facts;
}
