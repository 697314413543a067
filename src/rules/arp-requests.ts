// Pending ARP requests and their fate, shared by the rules that need "was this request answered?".
// A reply answers a request when, in the same domain, reply.senderIp == request.targetIp within the timeout;
// among several requesters of one target, the reply goes to the one whose IP is reply.targetIp (when no
// requester matches — proxies, odd stacks — it answers them all). A reply later than the timeout does not answer.
import type { ArpFact, FrameRef } from '../facts/types.js';
import { BoundedMap } from './bounded.js';

export interface PendingRequest {
  ref: FrameRef;
  domainId: number;
  senderIp: number;
  senderMac: number;
  ethDst: number;
  targetIp: number;
}

interface TargetEntry {
  requests: PendingRequest[];
  lastTime: number;
}

/** Requests kept per (domain, target); beyond it the oldest is decided early (or dropped undecided). */
const REQUESTS_PER_TARGET = 64;

/** A number key for (domain, IPv4 address): exact while domain ids stay below 2^21 (they are dense from 0). */
export function ipKey(domainId: number, ip: number): number {
  return domainId * 0x100000000 + ip;
}

export function isRequest(f: ArpFact): boolean {
  return f.arpClass === 'request';
}

/** A reply that can answer a request (gratuitous replies too: the sender is saying who holds the IP). */
export function isReply(f: ArpFact): boolean {
  return f.opcode === 2 && f.senderIp !== 0;
}

export class ArpRequestTracker {
  private readonly pending: BoundedMap<number, TargetEntry>;
  private now = 0;
  private grace = 0;
  private ending = false;
  /** Requests dropped by the cap before they could be decided. */
  undecided = 0;
  /** Requests too close to the end of the capture to call (see `end`). */
  stillPending = 0;

  constructor(
    private readonly timeout: number,
    maxPending: number,
    private readonly onUnanswered: (request: PendingRequest) => void,
    private readonly onAnswered?: (request: PendingRequest, reply: ArpFact) => void,
  ) {
    this.pending = new BoundedMap(maxPending, (_key, entry) => this.decide(entry.requests));
  }

  get size(): number {
    return this.pending.size;
  }

  /** Feed every ARP fact, in time order. */
  observe(f: ArpFact): void {
    this.advance(f.ref.time);
    if (isRequest(f)) this.request(f);
    else if (isReply(f)) this.reply(f);
  }

  /** Moves the clock: targets whose last request is older than the timeout are decided (unanswered). */
  advance(now: number): void {
    if (now > this.now) this.now = now;
    this.pending.expireWhile((_key, entry) => this.now - entry.lastTime > this.timeout);
  }

  /** Decides everything at the end of the capture; requests within timeout + grace of `lastTime` stay pending. */
  end(lastTime: number, grace: number): void {
    this.now = Math.max(this.now, lastTime);
    this.grace = grace;
    this.ending = true;
    this.pending.flush();
    this.ending = false;
    this.grace = 0;
  }

  private request(f: ArpFact): void {
    const key = ipKey(f.domainId, f.targetIp);
    const entry = this.pending.get(key) ?? { requests: [], lastTime: f.ref.time };
    if (entry.requests.length >= REQUESTS_PER_TARGET) this.decide(entry.requests.splice(0, 1));
    entry.requests.push({
      ref: f.ref,
      domainId: f.domainId,
      senderIp: f.senderIp,
      senderMac: f.senderMac,
      ethDst: f.ethDst,
      targetIp: f.targetIp,
    });
    entry.lastTime = f.ref.time;
    this.pending.touch(key, entry);
  }

  private reply(f: ArpFact): void {
    const key = ipKey(f.domainId, f.senderIp);
    const entry = this.pending.get(key);
    if (!entry) return;
    const inTime = entry.requests.filter((r) => f.ref.time - r.ref.time <= this.timeout);
    const late = entry.requests.filter((r) => f.ref.time - r.ref.time > this.timeout);
    let answered = inTime.filter((r) => r.senderIp === f.targetIp);
    if (answered.length === 0) answered = inTime;
    this.decide(late);
    for (const r of answered) this.onAnswered?.(r, f);
    entry.requests = inTime.filter((r) => !answered.includes(r));
    if (entry.requests.length === 0) this.pending.delete(key);
  }

  private decide(requests: PendingRequest[]): void {
    for (const r of requests) {
      const waited = this.now - r.ref.time;
      if (waited > this.timeout + this.grace) this.onUnanswered(r);
      else if (this.ending) this.stillPending++;
      else this.undecided++;
    }
  }
}
