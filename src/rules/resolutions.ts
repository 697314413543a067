// Pending neighbour resolutions (ARP requests, IPv6 Neighbour Solicitations) and their fate, kept once by the
// engine's shared state for the rules that need "was this request answered?". One algorithm for both families:
// a reply (ARP reply, NA) answers a request when, in the same domain, reply.senderIp == request.targetIp within
// the timeout; among several requesters of one target, the reply goes to the one whose IP is reply.targetIp (when
// no requester matches — proxies, odd stacks, an NA to all-nodes — it answers them all). A reply later than the
// timeout does not answer. Probes (ARP from 0.0.0.0, DAD from ::) expect silence and are never tracked.
//
// IPv6 NUD (RFC 4861 §7.3.3): a unicast solicitation that gets no answer is followed by multicast ones — one
// resolution, not two: a multicast request absorbs the same requester's pending unicast ones for that target.
//
// Hot path: almost every request is answered within milliseconds, so a target's entry is recycled from a free
// list and its requests live in one number array inside it; nothing is allocated per request in the steady
// state. A PendingRequest (and its FrameRef) is made only for a request that is decided unanswered. Expiry is a sweep of the
// pending table every half timeout of capture time (a request's fate depends on reply times, not on when the
// sweep runs).
import { isIpv6Key } from '../facts/addresses.js';
import type { FrameRef, NeighbourFact } from '../facts/types.js';
import { AgedNumberTable } from './bounded.js';

/** A request decided unanswered. Addresses are keys (facts/addresses.ts). */
export interface UnansweredRequest {
  ref: FrameRef;
  domainId: number;
  family: 4 | 6;
  senderIp: number;
  senderMac: number;
  ethDst: number;
  targetIp: number;
}

/**
 * The pending requests for one (domain, target), FIELDS numbers each in one Float64Array (slots 0..n-1): numbers,
 * not the facts' FrameRef objects, so a long-lived entry holds no young objects; one array, so a lookup touches a
 * cache line or two rather than one per field.
 */
interface TargetEntry {
  seen: number;
  domainId: number;
  targetIp: number;
  /** Time of the newest request. */
  lastTime: number;
  n: number;
  data: Float64Array;
}

/** Per request: time, seconds, nanos, frame, input, sender IP, sender MAC, Ethernet destination, unicast. */
const FIELDS = 9;
const TIME = 0;
const SECONDS = 1;
const NANOS = 2;
const FRAME = 3;
const INPUT = 4;
const SENDER_IP = 5;
const SENDER_MAC = 6;
const ETH_DST = 7;
const UNICAST = 8;

/** Requests kept per (domain, target); beyond it the oldest is decided early (or dropped undecided). */
const REQUESTS_PER_TARGET = 64;
/** Recycled entries kept for reuse. */
const FREE_ENTRIES = 256;

/** A reply that can answer a request (gratuitous replies and unsolicited NAs too: the sender says who holds the IP). */
export function isReply(f: NeighbourFact): boolean {
  return (f.arpClass === 'reply' || f.arpClass === 'gratuitous-reply') && f.senderIp !== 0;
}

export class ResolutionTracker {
  private readonly pending: AgedNumberTable<TargetEntry>;
  private readonly free: TargetEntry[] = [];
  private now = -Infinity;
  private nextSweep = -Infinity;
  private grace = 0;
  private ending = false;
  /** Requests dropped by the cap before they could be decided. */
  undecided = 0;
  /** Requests too close to the end of the capture to call (see `end`). */
  stillPending = 0;
  /** Unicast NUD probes absorbed by the same requester's multicast solicitation (one resolution). */
  absorbed = 0;

  private readonly listeners: ((request: UnansweredRequest) => void)[] = [];
  private lastFact: NeighbourFact | null = null;

  constructor(
    private readonly timeout: number,
    maxPending: number,
    onUnanswered?: (request: UnansweredRequest) => void,
  ) {
    if (onUnanswered) this.listeners.push(onUnanswered);
    this.pending = new AgedNumberTable(maxPending, (entry) => {
      this.decideFrom(entry, 0, entry.n);
      this.recycle(entry);
    });
  }

  get size(): number {
    return this.pending.size;
  }

  /** Adds a rule that wants to hear of every unanswered request. */
  listen(onUnanswered: (request: UnansweredRequest) => void): void {
    this.listeners.push(onUnanswered);
  }

  /** Feed every neighbour fact, in time order (a fact fed twice in a row counts once). */
  observe(f: NeighbourFact): void {
    if (f === this.lastFact) return;
    this.lastFact = f;
    this.advance(f.ref.time);
    if (f.arpClass === 'request') this.request(f);
    else if (isReply(f)) this.reply(f);
  }

  /** Moves the clock; every half timeout, targets whose last request is older than the timeout are decided. */
  advance(now: number): void {
    if (now > this.now) this.now = now;
    if (this.now < this.nextSweep) return;
    this.nextSweep = this.now + Math.max(this.timeout / 2, 0.001);
    if (this.pending.size === 0) return;
    this.pending.removeIf(this.expired);
  }

  /** For the sweep: decides and removes a target whose last request is older than the timeout. */
  private readonly expired = (entry: TargetEntry): boolean => {
    if (this.now - entry.lastTime <= this.timeout) return false;
    this.decideFrom(entry, 0, entry.n);
    this.recycle(entry);
    return true;
  };


  /** Decides everything at the end of the capture; requests within timeout + grace of `lastTime` stay pending. */
  end(lastTime: number, grace: number): void {
    this.now = Math.max(this.now, lastTime);
    this.grace = grace;
    this.ending = true;
    // A shared tracker is ended by each of its rules: the first call decides everything, the others find it empty.
    this.pending.drain((entry) => this.decideFrom(entry, 0, entry.n));
    this.ending = false;
    this.grace = 0;
  }

  private request(f: NeighbourFact): void {
    let entry = this.pending.get(f.domainId, f.targetIp);
    if (entry) {
      this.pending.touch(entry);
      if (f.family === 6 && !f.unicast && entry.n > 0) this.absorbUnicast(entry, f.senderIp);
      if (entry.n >= REQUESTS_PER_TARGET) {
        this.decideFrom(entry, 0, 1);
        this.compact(entry, 1, -1);
      }
    } else {
      entry = this.free.pop() ?? { seen: 0, domainId: 0, targetIp: 0, lastTime: 0, n: 0, data: new Float64Array(2 * FIELDS) };
      entry.domainId = f.domainId;
      entry.targetIp = f.targetIp;
      this.pending.set(f.domainId, f.targetIp, entry);
    }
    if ((entry.n + 1) * FIELDS > entry.data.length) {
      const grown = new Float64Array(Math.min(entry.data.length * 2, REQUESTS_PER_TARGET * FIELDS));
      grown.set(entry.data);
      entry.data = grown;
    }
    const at = entry.n++ * FIELDS;
    const d = entry.data;
    const ref = f.ref;
    d[at + TIME] = ref.time;
    d[at + SECONDS] = ref.seconds;
    d[at + NANOS] = ref.nanos;
    d[at + FRAME] = ref.frame;
    d[at + INPUT] = ref.input;
    d[at + SENDER_IP] = f.senderIp;
    d[at + SENDER_MAC] = f.senderMac;
    d[at + ETH_DST] = f.ethDst;
    d[at + UNICAST] = f.unicast ? 1 : 0;
    entry.lastTime = ref.time;
  }

  /** Drops the pending unicast requests of `senderIp` (NUD probes now followed by a multicast solicitation). */
  private absorbUnicast(entry: TargetEntry, senderIp: number): void {
    const d = entry.data;
    let kept = 0;
    for (let i = 0; i < entry.n; i++) {
      if (d[i * FIELDS + UNICAST] === 1 && d[i * FIELDS + SENDER_IP] === senderIp) {
        this.absorbed++;
        continue;
      }
      if (kept !== i) d.copyWithin(kept * FIELDS, i * FIELDS, (i + 1) * FIELDS);
      kept++;
    }
    entry.n = kept;
  }

  private reply(f: NeighbourFact): void {
    const entry = this.pending.get(f.domainId, f.senderIp);
    if (!entry || entry.n === 0) return;
    const t = f.ref.time;
    const n = entry.n;
    const d = entry.data;
    // Requests are in time order: the late ones (older than the timeout) come first.
    let firstInTime = 0;
    while (firstInTime < n && t - d[firstInTime * FIELDS + TIME] > this.timeout) firstInTime++;
    this.decideFrom(entry, 0, firstInTime);
    let matched = false;
    for (let i = firstInTime; i < n; i++) {
      if (d[i * FIELDS + SENDER_IP] === f.targetIp) {
        matched = true;
        break;
      }
    }
    // Keep the in-time requests the reply did not answer (other requesters, when one matched).
    if (matched) this.compact(entry, firstInTime, f.targetIp);
    else entry.n = 0;
    // An answered entry stays in the table until the next sweep: a table that gains and loses one key per
    // request/reply pair churns, and targets are asked for again.
  }

  /** Keeps the slots from `from` on, except those from requester `answeredIp` (-1: none), moved down to 0. */
  private compact(entry: TargetEntry, from: number, answeredIp: number): void {
    const d = entry.data;
    let kept = 0;
    for (let i = from; i < entry.n; i++) {
      if (d[i * FIELDS + SENDER_IP] === answeredIp) continue;
      if (kept !== i) d.copyWithin(kept * FIELDS, i * FIELDS, (i + 1) * FIELDS);
      kept++;
    }
    entry.n = kept;
  }

  /** Back to the free list: the arrays keep their storage (only `n` says what is used). */
  private recycle(entry: TargetEntry): void {
    entry.n = 0;
    if (this.free.length < FREE_ENTRIES) this.free.push(entry);
  }

  private decideFrom(entry: TargetEntry, from: number, to: number): void {
    const d = entry.data;
    for (let i = from; i < to; i++) {
      const at = i * FIELDS;
      const waited = this.now - d[at + TIME];
      if (waited > this.timeout + this.grace) {
        const request: UnansweredRequest = {
          ref: { input: d[at + INPUT], frame: d[at + FRAME], seconds: d[at + SECONDS], nanos: d[at + NANOS], time: d[at + TIME] },
          domainId: entry.domainId,
          family: isIpv6Key(entry.targetIp) ? 6 : 4,
          senderIp: d[at + SENDER_IP],
          senderMac: d[at + SENDER_MAC],
          ethDst: d[at + ETH_DST],
          targetIp: entry.targetIp,
        };
        for (const listener of this.listeners) listener(request);
      } else if (this.ending) this.stillPending++;
      else this.undecided++;
    }
  }
}
