// One direction of a TCP connection carrying BGP (RFC 9293 sequence space, RFC 1982 serial arithmetic) cut
// into whole BGP messages (RFC 4271 §4.1 header: 16-byte all-ones marker, 2-byte length, 1-byte type).
//
// - Segments are ordered by sequence number; a segment ahead of the next expected byte waits (copied) in a
//   bounded out-of-order list. Exact retransmissions are dropped; overlapping bytes keep the first copy.
// - A hole that does not fill — the out-of-order bytes pass the stream's budget, `gapSegments` segments arrive
//   beyond it, or the stream ends — is reported once ('bgp.tcp-gap'); the message in progress is dropped and
//   framing resynchronises on the next marker. The same resync runs when the capture starts mid-stream (the
//   first segment seen is not a SYN), with one 'bgp.midstream-start' note for the bytes skipped.
// - Messages are handed out as views: into the segment's payload when the message lies in one segment (no
//   copy), or into this stream's own buffer when it straddles segments. Either view is valid only during the
//   `message` callback. Only the incomplete tail of the stream is kept between segments.
import { checkHeader, HEADER_BAD_MARKER } from '../decode/bgp/message.js';
import { BGP_HEADER_LENGTH, BGP_MARKER_LENGTH } from '../decode/bgp/types.js';
import { TCP_FIN, TCP_RST, TCP_SYN } from '../decode/types.js';
import type { FrameRef } from './types.js';

export interface TcpStreamSink {
  /**
   * A whole BGP message (header included); `bytes` is valid only during the call. Frames ascending;
   * `lastRef` is the latest frame that contributed bytes: the message was complete from that frame on.
   */
  message(bytes: Uint8Array, frames: number[], lastRef: FrameRef): void;
  anomaly(code: string, detail: string, severity: 'error' | 'note'): void;
}

export interface TcpStreamLimits {
  /** Out-of-order bytes plus the incomplete message kept for this direction. */
  maxStreamBytes: number;
  /** Segments that may arrive beyond a hole before it is declared lost. */
  gapSegments: number;
}

export interface TcpStreamCounters {
  retransmissions: number;
  outOfOrder: number;
  gaps: number;
  bufferLimitHits: number;
  resyncs: number;
  bytesSkipped: number;
}

interface Waiting {
  seq: number;
  data: Buffer;
  ref: FrameRef;
}

const MARKER_BYTE = 0xff;

export class TcpStream {
  /** Largest message length accepted in a header (4096, or 65535 with the extended message capability). */
  maxMessageLength = 65535;
  /** Set by FIN/RST: the owner drops the stream. */
  closed = false;

  private synced = false;
  private nextSeq = 0;
  private readonly waiting: Waiting[] = [];
  private waitingBytes = 0;
  private segmentsPastGap = 0;

  // Framing state.
  private resync = false;
  private midstream = false;
  private afterTruncation = false;
  private ffRun = 0;
  private skipped = 0;
  private pending: Buffer = Buffer.alloc(0);
  private pendingLen = 0;
  private msgLen = 0;
  private pendingFrames: number[] = [];
  private pendingRef: FrameRef | null = null;
  private lastFrame = 0;
  private lastRef: FrameRef | null = null;
  /** The list onlyFrame() hands out (shared by the messages of one frame). */
  private single: number[] = [-1];
  /** A SYN carried data: some capture generators number that data from the ISN, not ISN+1 (see segment()). */
  private synData = false;

  constructor(
    private readonly limits: TcpStreamLimits,
    private readonly sink: TcpStreamSink,
    private readonly counters: TcpStreamCounters,
  ) {}

  /**
   * One segment of this direction. `payload` may be a view into the frame: it is copied only when it must wait
   * (out of order) or holds the start of a message that the segment does not complete. `truncated`: the
   * capture cut the payload short (snaplen) — what follows it is a hole of unknown size.
   */
  segment(seq: number, flags: number, payload: Uint8Array, truncated: boolean, ref: FrameRef): void {
    if (flags & TCP_SYN) {
      this.restart();
      this.synced = true;
      this.nextSeq = (seq + 1) >>> 0; // ISN + 1
      seq = this.nextSeq; // data on a SYN (TCP Fast Open) follows the ISN
      this.synData = payload.length > 0;
    } else if (this.synData && payload.length) {
      // Replayed/synthetic captures (pmacct's test traffic) put data on the SYN and number it from the ISN:
      // the next segment then starts one byte "early". Real stacks never overlap a SYN's data by exactly one.
      if (((seq - this.nextSeq) | 0) === -1) this.nextSeq = seq;
      this.synData = false;
    } else if (!this.synced) {
      if (payload.length === 0) return;
      this.synced = true;
      this.nextSeq = seq;
      this.resync = true;
      this.midstream = !this.afterTruncation; // after a truncated segment the skip is part of that gap
      this.afterTruncation = false;
    }
    if (payload.length) this.accept(seq, payload, ref);
    if (truncated && payload.length) {
      // The rest of this segment was not captured: nothing after it can be placed. Restart framing at the
      // next segment seen, as for a capture that starts mid-stream.
      this.sink.anomaly('bgp.tcp-truncated-segment', `segment cut short by the capture after ${payload.length} bytes; resynchronising`, 'error');
      this.counters.gaps++;
      this.restart();
      this.afterTruncation = true;
    }
    if (flags & (TCP_FIN | TCP_RST)) {
      this.end();
      this.closed = true;
    }
  }

  /** End of the stream (FIN/RST/eviction/end of capture): a hole still open is lost; flush what follows it. */
  end(): void {
    if (this.waiting.length) this.declareGap(`stream ended with ${this.waitingBytes} bytes waiting behind a hole`);
    if (this.pendingLen > 0 && !this.resync) {
      this.sink.anomaly('bgp.incomplete-message', `stream ended inside a message (${this.pendingLen} of ${this.msgLen || '?'} bytes)`, 'note');
    }
    this.pendingLen = 0;
  }

  /** Bytes held by this direction (out-of-order data and the incomplete message). */
  get bufferedBytes(): number {
    return this.waitingBytes + this.pendingLen;
  }

  private restart(): void {
    this.synced = false;
    this.waiting.length = 0;
    this.waitingBytes = 0;
    this.segmentsPastGap = 0;
    this.resync = false;
    this.midstream = false;
    this.ffRun = 0;
    this.skipped = 0;
    this.pendingLen = 0;
    this.pendingFrames = [];
    this.synData = false;
  }

  private accept(seq: number, payload: Uint8Array, ref: FrameRef): void {
    const rel = (seq - this.nextSeq) | 0; // serial arithmetic: survives wrap-around
    if (rel <= 0) {
      if (rel + payload.length <= 0) {
        this.counters.retransmissions++;
        return;
      }
      this.deliver(rel === 0 ? payload : payload.subarray(-rel), ref);
      this.drain();
    } else {
      this.counters.outOfOrder++;
      this.wait(seq, payload, ref);
    }
    if (this.waiting.length) {
      this.segmentsPastGap++;
      if (this.bufferedBytes > this.limits.maxStreamBytes) {
        this.counters.bufferLimitHits++;
        this.declareGap(`out-of-order bytes exceed the stream buffer (${this.limits.maxStreamBytes} bytes)`, 'bgp.stream-buffer-limit');
      } else if (this.segmentsPastGap > this.limits.gapSegments) {
        this.declareGap(`${this.segmentsPastGap} segments arrived beyond a hole that did not fill`);
      }
    }
  }

  /** Keeps an out-of-order segment (copied), sorted by sequence; an identical one already waiting is dropped. */
  private wait(seq: number, payload: Uint8Array, ref: FrameRef): void {
    const rel = (seq - this.nextSeq) | 0;
    let i = this.waiting.length;
    while (i > 0 && ((this.waiting[i - 1].seq - this.nextSeq) | 0) > rel) i--;
    const before = this.waiting[i - 1];
    if (before && before.seq === seq && before.data.length >= payload.length) {
      this.counters.retransmissions++;
      return;
    }
    this.waiting.splice(i, 0, { seq, data: Buffer.from(payload), ref });
    this.waitingBytes += payload.length;
  }

  /** Delivers waiting segments that became in order. */
  private drain(): void {
    while (this.waiting.length) {
      const w = this.waiting[0];
      const rel = (w.seq - this.nextSeq) | 0;
      if (rel > 0) return;
      this.waiting.shift();
      this.waitingBytes -= w.data.length;
      if (rel + w.data.length > 0) this.deliver(w.data.subarray(-rel), w.ref);
      else this.counters.retransmissions++;
    }
    this.segmentsPastGap = 0;
  }

  private declareGap(detail: string, code = 'bgp.tcp-gap'): void {
    const first = this.waiting[0];
    const missing = (first.seq - this.nextSeq) >>> 0;
    this.counters.gaps++;
    this.sink.anomaly(code, `${detail}; ${missing} bytes missing before seq ${first.seq}, resynchronising`, 'error');
    this.nextSeq = first.seq;
    this.pendingLen = 0;
    this.pendingFrames = [];
    this.pendingRef = null;
    this.resync = true;
    this.ffRun = 0;
    this.drain();
  }

  private deliver(data: Uint8Array, ref: FrameRef): void {
    this.nextSeq = (this.nextSeq + data.length) >>> 0;
    this.lastRef = ref;
    this.frame(data, ref.frame, ref);
    this.lastFrame = ref.frame;
  }

  // ---- BGP framing ----

  private frame(data: Uint8Array, frame: number, ref: FrameRef): void {
    const n = data.length;
    let pos = 0;
    while (pos < n) {
      if (this.resync) {
        const found = this.scan(data, pos, n);
        if (found < 0) return;
        pos = this.markerFound(data, found, frame);
        continue;
      }
      if (this.pendingLen > 0) {
        pos = this.continuePending(data, pos, frame, ref);
        continue;
      }
      if (n - pos < BGP_HEADER_LENGTH) {
        this.keep(data, pos, n, ref, BGP_HEADER_LENGTH);
        return;
      }
      const len = checkHeader(data, pos, this.maxMessageLength);
      if (len < 0) {
        this.badHeader(len, data, pos);
        this.ffRun = 0;
        pos += 1; // a marker may start one byte later
        continue;
      }
      if (n - pos >= len) {
        // A plain Uint8Array view: Buffer's subarray() goes through its JS constructor, the most expensive line here.
        this.sink.message(new Uint8Array(data.buffer, data.byteOffset + pos, len), this.onlyFrame(frame), ref);
        pos += len;
        continue;
      }
      this.msgLen = len;
      this.keep(data, pos, n, ref, len);
      return;
    }
  }

  /** `[frame]`, one list for all the messages that lie in that one frame (a segment carries dozens). Read-only. */
  private onlyFrame(frame: number): number[] {
    if (this.single[0] !== frame) this.single = [frame];
    return this.single;
  }

  /** Starts the incomplete tail [from, to) of the stream in the own buffer, sized for `capacity`. */
  private keep(data: Uint8Array, from: number, to: number, ref: FrameRef, capacity: number): void {
    this.ensureCapacity(capacity);
    this.pending.set(data.subarray(from, to), 0);
    this.pendingLen = to - from;
    this.pendingFrames = [ref.frame];
    this.pendingRef = ref;
    if (capacity === BGP_HEADER_LENGTH) this.msgLen = 0;
  }

  private ensureCapacity(n: number): void {
    if (this.pending.length >= n) return;
    const grown = Buffer.allocUnsafe(Math.max(n, BGP_HEADER_LENGTH));
    this.pending.copy(grown, 0, 0, this.pendingLen);
    this.pending = grown;
  }

  private addFrame(frame: number, ref: FrameRef): void {
    if (!this.pendingRef || ref.frame > this.pendingRef.frame) this.pendingRef = ref;
    const f = this.pendingFrames;
    if (!f.includes(frame)) {
      f.push(frame);
      if (f.length > 1 && f[f.length - 2] > frame) f.sort((a, b) => a - b);
    }
  }

  /** Adds bytes of `data` from `pos` to the message in progress; returns the new position. */
  private continuePending(data: Uint8Array, pos: number, frame: number, ref: FrameRef): number {
    const n = data.length;
    if (this.pendingLen < BGP_HEADER_LENGTH) {
      const take = Math.min(BGP_HEADER_LENGTH - this.pendingLen, n - pos);
      this.ensureCapacity(BGP_HEADER_LENGTH);
      this.pending.set(data.subarray(pos, pos + take), this.pendingLen);
      this.pendingLen += take;
      pos += take;
      this.addFrame(frame, ref);
      if (this.pendingLen < BGP_HEADER_LENGTH) return pos;
      const len = checkHeader(this.pending, 0, this.maxMessageLength);
      if (len < 0) {
        this.badHeader(len, this.pending, 0);
        this.rescanPending();
        return pos;
      }
      this.msgLen = len;
      this.ensureCapacity(len);
    }
    const take = Math.min(this.msgLen - this.pendingLen, n - pos);
    this.pending.set(data.subarray(pos, pos + take), this.pendingLen);
    this.pendingLen += take;
    pos += take;
    this.addFrame(frame, ref);
    if (this.pendingLen === this.msgLen) {
      const frames = this.pendingFrames;
      const last = this.pendingRef ?? ref;
      this.pendingLen = 0;
      this.pendingFrames = [];
      this.pendingRef = null;
      this.sink.message(this.pending.subarray(0, this.msgLen), frames, last);
    }
    return pos;
  }

  private badHeader(code: number, b: Uint8Array, o: number): void {
    this.counters.resyncs++;
    this.resync = true;
    if (code === HEADER_BAD_MARKER) {
      this.sink.anomaly('bgp.bad-marker', 'message header without the all-ones marker; resynchronising on the next marker', 'error');
    } else {
      const len = (b[o + BGP_MARKER_LENGTH] << 8) | b[o + BGP_MARKER_LENGTH + 1];
      this.sink.anomaly('bgp.bad-length', `message length ${len} outside 19…${this.maxMessageLength}; resynchronising on the next marker`, 'error');
    }
  }

  /** A bad header that straddled segments: look for a marker in its bytes after the first. */
  private rescanPending(): void {
    this.ffRun = 0;
    const found = this.scan(this.pending, 1, this.pendingLen);
    if (found < 0) {
      this.pendingLen = 0;
      return;
    }
    const start = found - BGP_MARKER_LENGTH;
    this.pending.copyWithin(0, start, this.pendingLen);
    this.pendingLen -= start;
    this.resync = false;
    this.ffRun = 0;
    this.noteResync();
  }

  /**
   * Looks for 16 × 0xff followed by a byte that is not 0xff (the first length byte: lengths ≤ 65535 never
   * start with 0xff unless ≥ 65280) in [from, to). Returns the index of that following byte, or -1 with the
   * current run of 0xff kept for the next call (a marker may straddle segments; its bytes are all 0xff, so
   * they need not be kept).
   */
  private scan(b: Uint8Array, from: number, to: number): number {
    let run = this.ffRun;
    for (let i = from; i < to; i++) {
      if (b[i] === MARKER_BYTE) {
        run++;
        continue;
      }
      if (run >= BGP_MARKER_LENGTH) {
        this.skipped += i - from - BGP_MARKER_LENGTH;
        this.ffRun = 0;
        return i;
      }
      run = 0;
    }
    this.skipped += to - from;
    this.ffRun = run;
    return -1;
  }

  /** The marker ends just before `found`; returns where framing continues in `data`. */
  private markerFound(data: Uint8Array, found: number, frame: number): number {
    this.resync = false;
    this.noteResync();
    const start = found - BGP_MARKER_LENGTH;
    if (start >= 0) return start;
    // Part of the marker arrived in earlier data: those bytes were 0xff.
    this.ensureCapacity(BGP_HEADER_LENGTH);
    this.pending.fill(MARKER_BYTE, 0, -start);
    this.pendingLen = -start;
    this.pendingFrames = this.lastFrame && this.lastFrame !== frame ? [this.lastFrame] : [];
    this.pendingRef = this.lastFrame && this.lastFrame !== frame ? this.lastRef : null;
    this.msgLen = 0;
    return 0;
  }

  private noteResync(): void {
    const skipped = Math.max(0, this.skipped);
    this.counters.bytesSkipped += skipped;
    if (this.midstream && skipped > 0) {
      this.sink.anomaly('bgp.midstream-start', `capture starts inside a TCP stream: ${skipped} bytes skipped to the first BGP marker`, 'note');
    } else if (!this.midstream && skipped > 0) {
      this.sink.anomaly('bgp.resync-skipped', `${skipped} bytes skipped to the next BGP marker`, 'note');
    }
    this.midstream = false;
    this.skipped = 0;
  }
}
