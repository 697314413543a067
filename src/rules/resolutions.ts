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
// state. A PendingRequest (and its FrameRef) is made only for a request that is decided unanswered. Expiry is a sweep
// every half timeout of capture time, from the oldest end of a list of the targets by last request, stopping at the
// first still in time (a request's fate depends on reply times, not on when the sweep runs).
import { isIpv6Key } from '../facts/addresses.js';
import type { FrameRef, NeighbourFact } from '../facts/types.js';
import { AgedNumberTable, RowPool } from './bounded.js';
import { FRAME } from './columns.js';
import { DOUBLE_ZERO } from '../util/double.js';

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
 * The pending requests for one (domain, target): a list of rows of the tracker's request pool, oldest first
 * (numbers in named columns, not the facts' FrameRef objects, so a long-lived entry holds no young objects).
 *
 * A class, its fields that hold doubles started as doubles (DOUBLE_ZERO, util/double.ts): an IPv6 key is 2^32 and
 * up, a time has a fraction. An entry made before a field changed representation, kept on the free list, reached
 * optimised code made for the new hidden class later in the run and deoptimised it ("wrong map").
 */
class TargetEntry {
  seen = 0;
  domainId = 0;
  targetIp = DOUBLE_ZERO;
  /** Time of the newest request. */
  lastTime = DOUBLE_ZERO;
  n = 0;
  /** First and last request rows (-1: none). */
  head = -1;
  tail = -1;
  /** Its neighbours in the tracker's list of targets by `lastTime` (null at the ends): expiry walks it from the
   *  oldest and stops at the first target still in time, instead of visiting every pending target. */
  older: TargetEntry | null = null;
  newer: TargetEntry | null = null;
}

/** One pending request: its frame, requester, Ethernet destination, whether unicast (NUD), the next request. */
const REQUEST = {
  at: FRAME,
  senderIp: Float64Array,
  senderMac: Float64Array,
  ethDst: Float64Array,
  unicast: Uint8Array,
  /** The next request of the same target + 1 (0: the last). */
  next: Int32Array,
};

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
  /** The pending targets by `lastTime`, oldest first (a list through TargetEntry.older / newer). */
  private oldest: TargetEntry | null = null;
  private newest: TargetEntry | null = null;
  private readonly free: TargetEntry[] = [];
  private readonly requests: RowPool<typeof REQUEST>;
  private now = -Infinity;
  private nextSweep = -Infinity;
  private grace = DOUBLE_ZERO;
  private ending = false;
  /** Requests dropped by the cap before they could be decided. */
  undecided = 0;
  /** Requests too close to the end of the capture to call (see `end`). */
  stillPending = 0;
  /** Unicast NUD probes absorbed by the same requester's multicast solicitation (one resolution). */
  absorbed = 0;

  private readonly listeners: ((request: UnansweredRequest) => void)[] = [];

  constructor(
    private readonly timeout: number,
    maxPending: number,
    onUnanswered?: (request: UnansweredRequest) => void,
  ) {
    if (onUnanswered) this.listeners.push(onUnanswered);
    this.requests = new RowPool(REQUEST, Math.min(maxPending, 4096));
    this.pending = new AgedNumberTable(maxPending, (entry) => {
      this.decideFrom(entry);
      this.unlink(entry);
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

  /** Feed every neighbour fact once, in time order (the extractor reuses one fact object: nothing here keeps it). */
  observe(f: NeighbourFact): void {
    this.advance(f.ref.time);
    if (f.arpClass === 'request') this.request(f);
    else if (isReply(f)) this.reply(f);
  }

  /** Moves the clock; every half timeout, targets whose last request is older than the timeout are decided. */
  advance(now: number): void {
    if (now > this.now) this.now = now;
    if (this.now < this.nextSweep) return;
    this.nextSweep = this.now + Math.max(this.timeout / 2, 0.001);
    // Oldest first; the list is in `lastTime` order, so the first target still in time ends the sweep.
    for (let entry = this.oldest; entry !== null && this.now - entry.lastTime > this.timeout; entry = this.oldest) {
      this.decideFrom(entry);
      this.pending.delete(entry.domainId, entry.targetIp);
      this.unlink(entry);
      this.recycle(entry);
    }
  }

  /** Puts `entry` in the list by its `lastTime`: at the newest end, unless the capture went back in time. */
  private link(entry: TargetEntry): void {
    let older = this.newest;
    while (older !== null && older.lastTime > entry.lastTime) older = older.older;
    const newer = older === null ? this.oldest : older.newer;
    entry.older = older;
    entry.newer = newer;
    if (older === null) this.oldest = entry;
    else older.newer = entry;
    if (newer === null) this.newest = entry;
    else newer.older = entry;
  }

  private unlink(entry: TargetEntry): void {
    if (entry.older === null) this.oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === null) this.newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = null;
    entry.newer = null;
  }

  /** Decides everything at the end of the capture; requests within timeout + grace of `lastTime` stay pending. */
  end(lastTime: number, grace: number): void {
    this.now = Math.max(this.now, lastTime);
    this.grace = grace;
    this.ending = true;
    // A shared tracker is ended by each of its rules: the first call decides everything, the others find it empty.
    this.pending.drain((entry) => {
      this.decideFrom(entry);
      entry.older = null;
      entry.newer = null;
      this.recycle(entry);
    });
    this.oldest = null;
    this.newest = null;
    this.ending = false;
    this.grace = 0;
  }

  private request(f: NeighbourFact): void {
    let entry = this.pending.get(f.domainId, f.targetIp);
    if (entry) {
      this.pending.touch(entry);
      this.unlink(entry);
      if (f.family === 6 && !f.unicast && entry.n > 0) this.absorbUnicast(entry, f.senderIp);
      if (entry.n >= REQUESTS_PER_TARGET) {
        this.decideFrom(entry, 1);
        this.drop(entry, 1, -1, false);
      }
    } else {
      entry = this.free.pop() ?? new TargetEntry();
      entry.domainId = f.domainId;
      entry.targetIp = f.targetIp;
      this.pending.set(f.domainId, f.targetIp, entry);
    }
    const row = this.requests.alloc();
    const r = this.requests.c;
    r.at.set(row, f.ref);
    r.senderIp[row] = f.senderIp;
    r.senderMac[row] = f.senderMac;
    r.ethDst[row] = f.ethDst;
    r.unicast[row] = f.unicast ? 1 : 0;
    if (entry.tail >= 0) r.next[entry.tail] = row + 1;
    else entry.head = row;
    entry.tail = row;
    entry.n++;
    entry.lastTime = f.ref.time;
    this.link(entry);
  }

  /**
   * Removes the first `dropFirst` requests and those from requester `dropIp` (-1: none; with `unicastOnly`, only
   * its unicast ones), keeping the others in order; returns how many `dropIp` matched.
   */
  private drop(entry: TargetEntry, dropFirst: number, dropIp: number, unicastOnly: boolean): number {
    const r = this.requests.c;
    let row = entry.head;
    let kept = -1;
    let index = 0;
    let matched = 0;
    entry.head = -1;
    entry.n = 0;
    while (row >= 0) {
      const next = r.next[row] - 1;
      const byIp = r.senderIp[row] === dropIp && (!unicastOnly || r.unicast[row] === 1);
      if (index++ < dropFirst || byIp) {
        if (byIp && index > dropFirst) matched++;
        this.requests.release(row);
      } else {
        r.next[row] = 0;
        if (kept >= 0) r.next[kept] = row + 1;
        else entry.head = row;
        kept = row;
        entry.n++;
      }
      row = next;
    }
    entry.tail = kept;
    return matched;
  }

  /** Drops the pending unicast requests of `senderIp` (NUD probes now followed by a multicast solicitation). */
  private absorbUnicast(entry: TargetEntry, senderIp: number): void {
    this.absorbed += this.drop(entry, 0, senderIp, true);
  }

  private reply(f: NeighbourFact): void {
    const entry = this.pending.get(f.domainId, f.senderIp);
    if (!entry || entry.n === 0) return;
    const t = f.ref.time;
    const r = this.requests.c;
    // Requests are in time order: the late ones (older than the timeout) come first.
    let late = 0;
    let row = entry.head;
    while (row >= 0 && t - r.at.time(row) > this.timeout) {
      late++;
      row = r.next[row] - 1;
    }
    this.decideFrom(entry, late);
    let matched = false;
    for (; row >= 0; row = r.next[row] - 1) {
      if (r.senderIp[row] === f.targetIp) {
        matched = true;
        break;
      }
    }
    // Keep the in-time requests the reply did not answer (other requesters, when one matched).
    this.drop(entry, matched ? late : entry.n, f.targetIp, false);
    // An answered entry stays in the table until the next sweep: a table that gains and loses one key per
    // request/reply pair churns, and targets are asked for again.
  }

  /** Back to the free list, its requests back to the pool. */
  private recycle(entry: TargetEntry): void {
    this.drop(entry, entry.n, -1, false);
    if (this.free.length < FREE_ENTRIES) this.free.push(entry);
  }

  /** Decides the first `count` requests (all by default): unanswered when they waited past the timeout. */
  private decideFrom(entry: TargetEntry, count = entry.n): void {
    const r = this.requests.c;
    let row = entry.head;
    for (let i = 0; i < count && row >= 0; i++, row = r.next[row] - 1) {
      const waited = this.now - r.at.time(row);
      if (waited > this.timeout + this.grace) {
        const request: UnansweredRequest = {
          ref: r.at.ref(row),
          domainId: entry.domainId,
          family: isIpv6Key(entry.targetIp) ? 6 : 4,
          senderIp: r.senderIp[row],
          senderMac: r.senderMac[row],
          ethDst: r.ethDst[row],
          targetIp: entry.targetIp,
        };
        for (const listener of this.listeners) listener(request);
      } else if (this.ending) this.stillPending++;
      else this.undecided++;
    }
  }
}
