// A window over a byte stream that arrives in chunks. Format readers ask for "n contiguous bytes of the current
// unit" (a record header, a whole record, a pcapng block); the window answers with a view into the current chunk
// (zero copy) or, only when the unit straddles chunks, assembles it once into a reused stash buffer.
//
// Invariants: when the stash is non-empty it holds the first bytes of the current unit and nothing else; the
// current chunk is only replaced (feed) once it is drained, so memory is one chunk plus the largest unit.

const EMPTY = Buffer.alloc(0);
/** Smallest stash worth allocating: most straddling units are ordinary packets. */
const MIN_STASH = 64 * 1024;

export class ByteWindow {
  private cur: Buffer = EMPTY;
  private pos = 0;
  private stash: Buffer = EMPTY;
  private stashLen = 0;

  /** After ensure() returned true: the buffer holding the unit, and the index of the unit's first byte in it. */
  buf: Buffer = EMPTY;
  start = 0;
  /** Stream offset of the current unit's first byte (everything before it has been consumed). */
  offset = 0;

  /** Hands over the next chunk. Only legal once the previous one is drained (ensure() returned false). */
  feed(chunk: Buffer): void {
    if (this.pos < this.cur.length) throw new Error('ByteWindow.feed() called before the previous chunk was drained');
    this.cur = chunk;
    this.pos = 0;
  }

  /**
   * Makes the first `n` bytes of the current unit contiguous in `buf` at `start`. False means "not yet": every
   * byte of the chunk has then been moved into the stash and the caller must feed more. The caller bounds `n`.
   */
  ensure(n: number): boolean {
    if (this.stashLen === 0) {
      const available = this.cur.length - this.pos;
      if (available >= n) {
        // Asked twice per record for the same chunk: storing it again would cost a write barrier each time.
        if (this.buf !== this.cur) this.buf = this.cur;
        this.start = this.pos;
        return true;
      }
      if (available === 0) return false;
    }
    if (this.stash.length < n) {
      const grown = Buffer.allocUnsafe(Math.max(n, MIN_STASH));
      this.stash.copy(grown, 0, 0, this.stashLen);
      this.stash = grown;
    }
    const take = Math.min(n - this.stashLen, this.cur.length - this.pos);
    if (take > 0) {
      this.cur.copy(this.stash, this.stashLen, this.pos, this.pos + take);
      this.pos += take;
      this.stashLen += take;
    }
    if (this.stashLen < n) return false;
    this.buf = this.stash;
    this.start = 0;
    return true;
  }

  /** True when the first `n` bytes of the current unit are already in hand (no copy, no more input needed). */
  has(n: number): boolean {
    return this.stashLen > 0 ? this.stashLen >= n : this.cur.length - this.pos >= n;
  }

  /** Consumes `n` bytes that ensure(n) (or a larger ensure) made available. */
  consume(n: number): void {
    if (this.stashLen > 0) {
      if (n < this.stashLen) this.stash.copyWithin(0, n, this.stashLen);
      this.stashLen -= n;
    } else {
      this.pos += n;
    }
    this.offset += n;
  }

  /** Drops up to `n` bytes without making them contiguous (skipping a block body); returns how many. */
  skip(n: number): number {
    let skipped = 0;
    if (this.stashLen > 0) {
      skipped = Math.min(n, this.stashLen);
      this.consume(skipped);
      if (skipped === n) return skipped;
    }
    const fromChunk = Math.min(n - skipped, this.cur.length - this.pos);
    this.pos += fromChunk;
    this.offset += fromChunk;
    return skipped + fromChunk;
  }

  /**
   * Consumes and returns the bytes in hand (the stash first, then the rest of the current chunk): a view valid until
   * the next feed() or ensure(). For the export readers, which scan text byte by byte and keep their own state.
   */
  take(): Buffer {
    if (this.stashLen > 0) {
      const piece = this.stash.subarray(0, this.stashLen);
      this.offset += this.stashLen;
      this.stashLen = 0;
      return piece;
    }
    const piece = this.cur.subarray(this.pos);
    this.pos = this.cur.length;
    this.offset += piece.length;
    return piece;
  }

  /** Bytes held but not consumed: non-zero at the end of input means the input stopped inside a unit. */
  get pending(): number {
    return this.stashLen + this.cur.length - this.pos;
  }

  /** Up to `max` of the pending bytes, copied (for error messages about a short input). */
  peekPending(max: number): Buffer {
    const out = Buffer.alloc(Math.min(max, this.pending));
    const fromStash = Math.min(out.length, this.stashLen);
    this.stash.copy(out, 0, 0, fromStash);
    this.cur.copy(out, fromStash, this.pos, this.pos + out.length - fromStash);
    return out;
  }
}
