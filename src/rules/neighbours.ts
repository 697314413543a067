// The neighbour table: the capture's ARP/ND cache, kept once by the engine's shared state for every rule that
// asks "who claims this IP?" (duplicate-gateway-mac, ip-conflict, arp-spoofing, the inventory). Per (domain, IP
// key) — IPv4 and IPv6 alike — it keeps the last request for the IP, the distinct hosts that asked for it, and
// its last MACS_PER_IP claims (MAC, first and last frame, how it was last claimed, replies solicited and not),
// oldest first, and it notices the two contradictions a neighbour cache lives through (arpwatch's "flip flop"):
//   - two answers: another MAC answered a request for the IP since its last request, within the reply window;
//   - turns: another MAC claimed the IP after this MAC's previous claim, within the duplicate window (a clean
//     move never comes back).
// What the last claim did is in `last`, for the rules the engine hands the same fact to next.
//
// What claims: requests (the sender IP), replies, gratuitous ARP and unsolicited NAs — not probes (ARP from
// 0.0.0.0, DAD from ::, which claim nothing yet), nor an NA without the override flag (RFC 4861 §4.4, §7.2.7:
// anycast addresses and proxies answer so; several MACs answering for one is the design).
//
// Bounded by maxMacs rows, least recently used first; a row leaves through the listeners (`onEvict`) before it is
// reused, so a rule reports what it kept about it.
import { ND_OVERRIDE, type NeighbourFact } from '../facts/types.js';
import { AgedRowTable } from './bounded.js';
import { Columns, FRAME, FrameColumn } from './columns.js';
import { DOUBLE_ZERO } from '../util/double.js';

/** MACs remembered per IP. */
export const MACS_PER_IP = 4;
/** Requesters kept at most, whatever gatewayRequesters says. */
const MAX_REQUESTERS = 64;

const IP_ROW = {
  /** Time of the last request for the IP (-Infinity: none). */
  lastRequest: Float64Array,
  /** Claims that took turns with another MAC's. */
  conflicts: Uint32Array,
  /** Requests answered by two MACs. */
  twoAnswers: Uint32Array,
  claims: Uint8Array,
};
/** A requester slot of an IP row (0: empty; 0.0.0.0 never asks: probes are not requests). */
const REQUESTER = { ip: Float64Array };
/** A claim slot of an IP row. */
const CLAIM = {
  mac: Float64Array,
  first: FRAME,
  last: FRAME,
  /** The order of its last use among all claims (frames can share a timestamp). */
  seq: Float64Array,
  /** Its last use was a (non-gratuitous) reply. */
  reply: Uint8Array,
  /** Replies that answered a request for the IP seen within the reply window (solicited NAs alike). */
  solicited: Uint32Array,
  /** Replies nobody asked for (no request within the window, gratuitous replies, unsolicited NAs). */
  unsolicited: Uint32Array,
};

export const NO_CONTRADICTION = 0;
export const TWO_ANSWERS = 1;
export const TOOK_TURNS = 2;

/** What the last claim did: its row and entry, and the claim it contradicted (copied before any shift). */
export class ClaimEvent {
  fact: NeighbourFact | null = null;
  row = -1;
  /** The claimant's entry in `claims`. */
  mine = -1;
  /** The claimant had claimed the IP before (its first frame is frames entry MINE_FIRST). */
  hadClaimed = false;
  /** NO_CONTRADICTION, TWO_ANSWERS or TOOK_TURNS. */
  contradiction = NO_CONTRADICTION;
  /** Started as a double (util/double.ts): `claim` deoptimised at the first MAC written here ("lost precision"). */
  otherMac = DOUBLE_ZERO;
  /** Entries OTHER_FIRST and OTHER_LAST: the other claim's first and last frames; MINE_FIRST the claimant's first. */
  readonly frames = new FrameColumn(3);
}
export const OTHER_FIRST = 0;
export const OTHER_LAST = 1;
export const MINE_FIRST = 2;

export interface NeighbourTableSettings {
  maxIps: number;
  /** Two MACs claiming one IP within this time (taking turns) contradict each other. */
  duplicateWindow: number;
  /** A reply within this time of a request answers it. */
  replyWindow: number;
  /** Distinct requesters counted per IP (gatewayRequesters). */
  requesters: number;
}

export class NeighbourTable {
  readonly ips: AgedRowTable<typeof IP_ROW>;
  /** Beside each row of `ips`: its requesters and its claims. */
  readonly requesters: Columns<typeof REQUESTER>;
  readonly claims: Columns<typeof CLAIM>;
  readonly last = new ClaimEvent();
  private readonly requestersKept: number;
  private readonly evictListeners: ((row: number) => void)[] = [];
  private claimSeq = 0;

  constructor(private readonly settings: NeighbourTableSettings) {
    this.requestersKept = Math.max(0, Math.min(MAX_REQUESTERS, Math.ceil(settings.requesters)));
    this.ips = new AgedRowTable(settings.maxIps, IP_ROW, (row) => {
      for (const listener of this.evictListeners) listener(row);
    });
    this.requesters = new Columns(REQUESTER, settings.maxIps + 1, Math.max(1, this.requestersKept));
    this.claims = new Columns(CLAIM, settings.maxIps + 1, MACS_PER_IP);
  }

  /** Hears of every row the cap pushes out, before the row is reused. */
  onEvict(listener: (row: number) => void): void {
    this.evictListeners.push(listener);
  }

  get size(): number {
    return this.ips.size;
  }

  domainOf(row: number): number {
    return this.ips.partOf(row);
  }

  ipOf(row: number): number {
    return this.ips.keyOf(row);
  }

  /** The claim entries of a row, oldest first. */
  claimCount(row: number): number {
    return this.ips.c.claims[row];
  }

  claimEntry(row: number, j: number): number {
    return this.claims.slot(row, j);
  }

  /** Distinct requesters seen for a row's IP (up to the setting). */
  requesterCount(row: number): number {
    let n = 0;
    while (n < this.requestersKept && this.requesters.c.ip[this.requesters.slot(row, n)] !== 0) n++;
    return n;
  }

  /** Feed every neighbour fact once, in time order (the extractor reuses one fact object: nothing here keeps it). */
  observe(f: NeighbourFact): void {
    this.last.fact = null;
    if (f.arpClass === 'request') this.request(f);
    if (f.arpClass === 'probe' || f.senderIp === 0 || f.arpClass === 'other') return;
    if (f.opcode === 136 && f.family === 6 && (f.ndFlags & ND_OVERRIDE) === 0) return;
    this.claim(f);
  }

  private rowFor(domainId: number, ip: number): number {
    let row = this.ips.find(domainId, ip);
    if (row >= 0) {
      this.ips.touch(row);
      return row;
    }
    row = this.ips.insert(domainId, ip);
    this.ips.c.lastRequest[row] = -Infinity;
    this.requesters.ensure(row);
    this.requesters.clearRow(row);
    // Claim entries need no clearing: `claims` says how many hold data, and a claim writes all its columns.
    this.claims.ensure(row);
    return row;
  }

  private request(f: NeighbourFact): void {
    const row = this.rowFor(f.domainId, f.targetIp);
    this.ips.c.lastRequest[row] = f.ref.time;
    const kept = this.requesters.c.ip;
    for (let k = 0; k < this.requestersKept; k++) {
      const e = this.requesters.slot(row, k);
      if (kept[e] === f.senderIp) break;
      if (kept[e] === 0) {
        kept[e] = f.senderIp;
        break;
      }
    }
  }

  private claim(f: NeighbourFact): void {
    const row = this.rowFor(f.domainId, f.senderIp);
    const c = this.claims.c;
    const t = f.ref.time;
    const sender = f.senderMac;
    const isPlainReply = f.arpClass === 'reply';
    const { duplicateWindow, replyWindow } = this.settings;
    let n = this.ips.c.claims[row];
    let mine = -1;
    for (let j = 0; j < n; j++) if (c.mac[this.claims.slot(row, j)] === sender) mine = this.claims.slot(row, j);
    let rival = -1;
    let turn = -1;
    if (n > (mine >= 0 ? 1 : 0)) {
      const lastRequest = this.ips.c.lastRequest[row];
      for (let j = 0; j < n; j++) {
        const e = this.claims.slot(row, j);
        const lastTime = c.last.time(e);
        if (c.mac[e] === sender || t - lastTime > duplicateWindow) continue;
        if (isPlainReply && rival < 0 && c.reply[e] === 1 && lastTime >= lastRequest && t - lastTime <= replyWindow) rival = e;
        if (mine >= 0 && turn < 0 && c.seq[e] > c.seq[mine]) turn = e;
      }
    }
    const event = this.last;
    event.fact = f;
    event.row = row;
    event.hadClaimed = mine >= 0;
    event.contradiction = rival >= 0 ? TWO_ANSWERS : turn >= 0 ? TOOK_TURNS : NO_CONTRADICTION;
    const other = rival >= 0 ? rival : turn;
    if (other >= 0) {
      if (rival >= 0) this.ips.c.twoAnswers[row]++;
      else this.ips.c.conflicts[row]++;
      event.otherMac = c.mac[other];
      event.frames.copy(OTHER_FIRST, c.first, other);
      event.frames.copy(OTHER_LAST, c.last, other);
    }
    if (mine >= 0) event.frames.copy(MINE_FIRST, c.first, mine);
    this.claimSeq++;
    if (mine < 0) {
      if (n >= MACS_PER_IP) {
        // The oldest claim makes room.
        for (let j = 0; j < n - 1; j++) this.claims.copyEntry(this.claims.slot(row, j), this.claims.slot(row, j + 1));
        n--;
      }
      mine = this.claims.slot(row, n);
      c.mac[mine] = sender;
      c.solicited[mine] = 0;
      c.unsolicited[mine] = 0;
      c.first.set(mine, f.ref);
      this.ips.c.claims[row] = n + 1;
    }
    event.mine = mine;
    c.last.set(mine, f.ref);
    c.seq[mine] = this.claimSeq;
    c.reply[mine] = isPlainReply ? 1 : 0;
    if (isPlainReply && this.ips.c.lastRequest[row] >= t - replyWindow) c.solicited[mine]++;
    else if (isPlainReply || f.arpClass === 'gratuitous-reply') c.unsolicited[mine]++;
  }
}
