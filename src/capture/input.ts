// A capture input: a file, '-' (stdin) or any Readable, gunzipped when its content starts with 1f 8b, pulled one
// chunk at a time (backpressure: nothing is read until fill() asks) into the synchronous CaptureParser.
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { FileChunks } from './file-chunks.js';
import { CaptureParser, newCaptureInfo } from './parser.js';
import { CaptureError, type CaptureInfo, type CaptureOptions, type CaptureRecord } from './types.js';

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** CRC-32 and ISIZE (RFC 1952 §2.2) close every gzip member. */
const GZIP_TRAILER_BYTES = 8;

type ChunkIterator = AsyncIterator<Buffer | string>;

/** Where the bytes come from: a file (read by FileChunks) or any stream. */
interface ChunkSource {
  chunks(): ChunkIterator;
  /** The content is not gzip: only the parser reads the chunks, their buffers may be reused. */
  parserOnly(): void;
  destroy(): void;
}

function fileSource(chunks: FileChunks): ChunkSource {
  return { chunks: () => chunks, parserOnly: () => chunks.reuseBuffers(), destroy: () => chunks.destroy() };
}

function streamSource(stream: Readable): ChunkSource {
  return { chunks: () => stream[Symbol.asyncIterator]() as ChunkIterator, parserOnly: () => undefined, destroy: () => stream.destroy() };
}

export class CaptureInput {
  readonly info: CaptureInfo;
  private readonly parser: CaptureParser;
  private readonly source: ChunkSource;
  private chunks: ChunkIterator | undefined;
  private gunzip: Gunzip | undefined;
  /** All the compressed bytes were read (only the withheld trailer may still be on its way to gunzip). */
  private compressedEnded = false;
  private done = false;
  private readonly signal: AbortSignal | undefined;

  private constructor(source: ChunkSource, path: string, options: CaptureOptions, fileSize: number | undefined) {
    this.info = newCaptureInfo(path);
    this.info.fileSize = fileSize;
    this.parser = new CaptureParser(path, options, this.info);
    this.source = source;
    this.signal = options.signal;
  }

  /** Opens a file path or '-' (stdin). Rejects with CaptureError('io', 0, …) only when the file cannot be opened. */
  static async open(path: string, options: CaptureOptions = {}): Promise<CaptureInput> {
    if (path === '-') return CaptureInput.fromStream(process.stdin, path, options);
    let handle: FileHandle;
    try {
      handle = await openFile(path, 'r');
    } catch (err) {
      throw new CaptureError('io', 0, `cannot open: ${describeSystemError(err)}`);
    }
    let size: number;
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      size = stat.size;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw new CaptureError('io', 0, `cannot open: ${describeSystemError(err)}`);
    }
    const follow = options.follow ? { pollMs: options.followPollMs ?? 200, signal: options.signal } : null;
    return new CaptureInput(fileSource(new FileChunks(handle, options.chunkSize ?? DEFAULT_CHUNK_SIZE, follow)), path, options, size);
  }

  /** Reads from any stream (stdin, tests). The gzip check looks at the content, never at the name. */
  static fromStream(stream: NodeJS.ReadableStream | Readable, path: string, options: CaptureOptions = {}): CaptureInput {
    const readable = stream instanceof Readable ? stream : Readable.from(stream as AsyncIterable<Buffer>);
    return new CaptureInput(streamSource(readable), path, options, undefined);
  }

  /** The next whole record from the bytes already read, or null: then call fill(). Reuses one record object. */
  next(): CaptureRecord | null {
    return this.parser.next();
  }

  /**
   * Reads one more chunk. Resolves false when the input is exhausted or a fatal error stopped it (info.error,
   * info.truncated). Never rejects: read and gunzip failures become info.error or a truncation warning.
   */
  async fill(): Promise<boolean> {
    if (this.done) return false;
    if (this.info.error) return this.finish();
    if (this.signal?.aborted) return this.interrupt();
    try {
      if (this.chunks === undefined) {
        const chunks = this.signal ? await untilAborted(this.start(), this.signal) : await this.start();
        if (chunks === ABORTED) return this.interrupt();
        this.chunks = chunks;
      }
      const step = this.signal ? await untilAborted(this.chunks.next(), this.signal) : await this.chunks.next();
      if (step === ABORTED) return this.interrupt();
      if (step.done) {
        // An export's last packet is complete only at the end of input: one more next() hands it out.
        this.parser.end();
        return this.parser.holdsRecord || this.finish();
      }
      const chunk = typeof step.value === 'string' ? Buffer.from(step.value) : step.value;
      if (!this.info.compressed) this.info.fileBytesRead += chunk.length;
      this.parser.feed(chunk);
      return true;
    } catch (err) {
      this.readFailed(err);
      return this.finish();
    }
  }

  close(): void {
    this.done = true;
    this.gunzip?.destroy();
    this.source.destroy();
  }

  /** Peeks at the first bytes: gzip is recognised by its magic (1f 8b), so a renamed .gz still reads. */
  private async start(): Promise<ChunkIterator> {
    const raw = this.source.chunks();
    const head: Buffer[] = [];
    let headLength = 0;
    while (headLength < 2) {
      const step = await raw.next();
      if (step.done) break;
      const chunk = typeof step.value === 'string' ? Buffer.from(step.value) : step.value;
      head.push(chunk);
      headLength += chunk.length;
    }
    const first = head.length === 1 ? head[0] : Buffer.concat(head);
    if (headLength < 2 || first[0] !== 0x1f || first[1] !== 0x8b) {
      this.source.parserOnly();
      return prepend(head, raw);
    }

    this.info.compressed = true;
    const info = this.info;
    // The last 8 bytes (the gzip trailer: CRC-32 and ISIZE) are written to gunzip on their own. zlib checks the
    // trailer in the write that reaches it and, when the check fails, drops the output of that whole write: a
    // small file lost everything, a large one its last chunk. Written apart, a failed check costs no data, and
    // readFailed() tells it from real damage as zcat does ("crc error": every byte out, then the complaint).
    const input = this;
    let held: Buffer = Buffer.alloc(0);
    function* withheldTrailer(chunk: Buffer): Generator<Buffer> {
      info.fileBytesRead += chunk.length;
      const all = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
      if (all.length <= GZIP_TRAILER_BYTES) {
        held = all;
        return;
      }
      held = Buffer.from(all.subarray(all.length - GZIP_TRAILER_BYTES));
      yield all.subarray(0, all.length - GZIP_TRAILER_BYTES);
    }
    async function* counted(): AsyncGenerator<Buffer> {
      for (const chunk of head) yield* withheldTrailer(chunk);
      for (;;) {
        const step = await raw.next();
        if (step.done) break;
        yield* withheldTrailer(typeof step.value === 'string' ? Buffer.from(step.value) : step.value);
      }
      input.compressedEnded = true;
      if (held.length > 0) yield held;
    }
    const gunzip = createGunzip();
    this.gunzip = gunzip;
    // pipe() gives backpressure: the compressed side is read only as fast as fill() drains the gunzipped side.
    const compressed = Readable.from(counted());
    compressed.on('error', (err) => gunzip.destroy(err));
    compressed.pipe(gunzip);
    return gunzip[Symbol.asyncIterator]() as ChunkIterator;
  }

  private readFailed(err: unknown): void {
    const detail = describeSystemError(err);
    if (this.info.compressed && isZlibError(err)) {
      // Only when everything but the final trailer went through zlib cleanly: a bad check inside an earlier member
      // of a multi-member file loses data, and is damage like any other.
      const trailerOnly =
        this.compressedEnded && this.gunzip !== undefined && this.gunzip.bytesWritten === this.info.fileBytesRead - GZIP_TRAILER_BYTES;
      if (isTrailerCheck(err) && trailerOnly) {
        // Only the CRC-32 or length check of the trailer failed: everything decompressed is read, as zcat does.
        this.info.warnings.push({
          code: 'gzip-check-failed',
          offset: this.info.bytes,
          message: `gzip ${detail} (the trailer's CRC-32 or length disagrees with the data); all ${this.info.bytes} decompressed bytes were read`,
        });
        this.parser.end();
        return;
      }
      if (this.info.bytes > 0) {
        // What was decompressed before the damage still counts, like a capture cut short.
        this.parser.end();
        if (!this.info.error) {
          this.info.truncated = true;
          this.info.warnings.push({
            code: 'truncated-gzip',
            offset: this.info.bytes,
            message: `gzip data is cut short or corrupt after ${this.info.bytes} decompressed bytes (${detail}); the records before were read`,
          });
        }
        return;
      }
      this.info.error ??= new CaptureError('io', 0, `gzip data is corrupt: ${detail}`);
      return;
    }
    this.info.error ??= new CaptureError('io', this.info.bytes, `read error: ${detail}`);
  }

  /** Stopped by the signal: no end-of-input checks (a record cut by the stop is not a truncated capture). */
  private interrupt(): false {
    if (!this.done) {
      this.info.interrupted = true;
      this.close();
    }
    return false;
  }

  private finish(): false {
    if (!this.done) {
      this.done = true;
      this.parser.end();
      this.close();
    }
    return false;
  }
}

const ABORTED = Symbol('aborted');

/** The promise's value, or ABORTED as soon as the signal aborts (the promise is left to settle unobserved). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function prepend(head: Buffer[], rest: ChunkIterator): ChunkIterator {
  let index = 0;
  return {
    next: () => (index < head.length ? Promise.resolve({ done: false, value: head[index++] }) : rest.next()),
    return: rest.return ? (value?: unknown) => rest.return!(value) : undefined,
  };
}

/** zlib's messages for a gzip trailer whose CRC-32 or ISIZE does not match what was decompressed. */
function isTrailerCheck(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 'Z_DATA_ERROR' && (e.message === 'incorrect data check' || e.message === 'incorrect length check');
}

function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** One line, no stack: "no such file or directory", "permission denied" … */
function describeSystemError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return e?.message ?? String(err);
  }
}
