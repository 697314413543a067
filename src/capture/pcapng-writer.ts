// Writing pcapng (draft-ietf-opsawg-pcapng), for `gwcheck annotate`: a copy of an input in which chosen frames
// carry packet comments (opt_comment, option 1 of an Enhanced Packet Block), every frame otherwise unchanged.
//
// It lives in capture/ because it knows formats and no protocol: frames are numbered as the readers number them
// (Wireshark's numbering) and the comments arrive as text by frame number.
//   pcapng input  → the same blocks in the same order and byte order; an EPB or PB that gets comments is rebuilt
//                   with them appended to its options (its own comments stay first); nothing else changes.
//   pcap input    → one section, one interface with the file's link type, snaplen and resolution (µs or ns), an EPB
//                   per record with the same timestamp, lengths and bytes.
//   export input  → what the export reader gives (records): one interface per link type, nanosecond timestamps.
import { open as openFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CaptureInput } from './input.js';
import { pcapVariant } from './pcap.js';
import { BLOCK_CUSTOM, BLOCK_CUSTOM_NOCOPY, BLOCK_EPB, BLOCK_PB, BLOCK_SHB, BLOCK_SPB, BLOCK_SYSTEMD_JOURNAL, MAX_BLOCK_BYTES } from './pcapng.js';
import { CaptureError } from './types.js';

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const SHB_HARDWARE = 2; // shb_hardware
const SHB_USERAPPL = 4; // shb_userappl

/** Where the output goes, block by block. */
export interface BlockSink {
  write(block: Buffer): Promise<void>;
}

export interface AnnotateStats {
  frames: number;
  /** Frames that got at least one comment. */
  commented: number;
  comments: number;
  /** Frames that were to get comments but cannot hold options (Simple Packet Blocks). */
  uncommentable: number[];
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** One option: code, length, value padded to 32 bits (little-endian). */
function option(code: number, value: Buffer): Buffer {
  const out = Buffer.alloc(4 + pad4(value.length));
  out.writeUInt16LE(code, 0);
  out.writeUInt16LE(value.length, 2);
  value.copy(out, 4);
  return out;
}

/** A block of `type` around `body` (little-endian), with its two total lengths. */
function block(type: number, body: Buffer): Buffer {
  const length = 12 + body.length;
  const out = Buffer.alloc(length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(length, 4);
  body.copy(out, 8);
  out.writeUInt32LE(length, length - 4);
  return out;
}

/** A Section Header Block naming gwcheck as the writing application. */
export function sectionHeader(application: string): Buffer {
  const fixed = Buffer.alloc(16);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, 0);
  fixed.writeUInt16LE(1, 4);
  fixed.writeUInt16LE(0, 6);
  fixed.writeInt32LE(-1, 8); // section length unknown
  fixed.writeInt32LE(-1, 12);
  const options = Buffer.concat([option(SHB_USERAPPL, Buffer.from(application)), option(OPT_ENDOFOPT, Buffer.alloc(0))]);
  void SHB_HARDWARE;
  return block(BLOCK_SHB, Buffer.concat([fixed, options]));
}

/** An Interface Description Block; `tsresol` is the if_tsresol byte (6 = µs, 9 = ns). */
export function interfaceDescription(linkType: number, snaplen: number, tsresol: number, name?: string): Buffer {
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(linkType, 0);
  fixed.writeUInt32LE(snaplen, 4);
  const options: Buffer[] = [];
  if (name !== undefined) options.push(option(IF_NAME, Buffer.from(name)));
  if (tsresol !== 6) options.push(option(IF_TSRESOL, Buffer.from([tsresol])));
  if (options.length) options.push(option(OPT_ENDOFOPT, Buffer.alloc(0)));
  return block(0x00000001, Buffer.concat([fixed, ...options]));
}

/** An Enhanced Packet Block; `units` is the timestamp in the interface's resolution. */
export function enhancedPacket(interfaceId: number, units: bigint, originalLength: number, data: Buffer, comments: readonly string[]): Buffer {
  const fixed = Buffer.alloc(20);
  fixed.writeUInt32LE(interfaceId, 0);
  fixed.writeUInt32LE(Number(units >> 32n), 4);
  fixed.writeUInt32LE(Number(units & 0xffffffffn), 8);
  fixed.writeUInt32LE(data.length, 12);
  fixed.writeUInt32LE(originalLength, 16);
  const padded = Buffer.alloc(pad4(data.length));
  data.copy(padded);
  const options = comments.map((c) => option(OPT_COMMENT, Buffer.from(c)));
  if (options.length) options.push(option(OPT_ENDOFOPT, Buffer.alloc(0)));
  return block(BLOCK_EPB, Buffer.concat([fixed, padded, ...options]));
}

/** Bytes of a file (gunzipped when it starts with 1f 8b), chunk by chunk. */
async function* rawChunks(path: string): AsyncGenerator<Buffer> {
  const handle = await openFile(path, 'r');
  const stream = handle.createReadStream();
  let source: AsyncIterable<Buffer> = stream;
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head: Buffer = first.value;
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const step = await iterator.next();
      if (step.done) return;
      yield step.value as Buffer;
    }
  }
  source = rest();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    Readable.from(source).pipe(gunzip);
    source = gunzip;
  }
  for await (const chunk of source) yield chunk as Buffer;
}

/** Pulls exact byte counts out of a chunk stream (the copiers' window; blocks are bounded by MAX_BLOCK_BYTES). */
class Pull {
  private buf: Buffer = Buffer.alloc(0);
  offset = 0;
  constructor(private readonly chunks: AsyncIterator<Buffer>) {}

  /** `n` bytes, or fewer only at the end of input. */
  async take(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      const step = await this.chunks.next();
      if (step.done) break;
      this.buf = this.buf.length === 0 ? step.value : Buffer.concat([this.buf, step.value]);
    }
    const out = this.buf.subarray(0, Math.min(n, this.buf.length));
    this.buf = this.buf.subarray(out.length);
    this.offset += out.length;
    return out;
  }

  async peek(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      const step = await this.chunks.next();
      if (step.done) break;
      this.buf = this.buf.length === 0 ? step.value : Buffer.concat([this.buf, step.value]);
    }
    return this.buf.subarray(0, Math.min(n, this.buf.length));
  }
}

/**
 * Copies `path` to `sink` as pcapng, adding `comments.get(frame)` to each frame named there. The frames are
 * numbered as gwcheck's readers number them (the numbers findings cite).
 */
export async function copyWithComments(
  path: string,
  comments: ReadonlyMap<number, readonly string[]>,
  sink: BlockSink,
  application: string,
): Promise<AnnotateStats> {
  const stats: AnnotateStats = { frames: 0, commented: 0, comments: 0, uncommentable: [] };
  const pull = new Pull(rawChunks(path)[Symbol.asyncIterator]());
  const magic = await pull.peek(4);
  if (magic.length === 4 && magic.readUInt32BE(0) === BLOCK_SHB) await copyPcapng(pull, comments, sink, stats);
  else if (magic.length === 4 && pcapVariant(magic)) await copyPcap(pull, comments, sink, stats, application);
  else await copyRecords(path, comments, sink, stats, application);
  return stats;
}

function noteComments(stats: AnnotateStats, added: readonly string[] | undefined): void {
  if (!added || added.length === 0) return;
  stats.commented++;
  stats.comments += added.length;
}

async function copyPcapng(pull: Pull, comments: ReadonlyMap<number, readonly string[]>, sink: BlockSink, stats: AnnotateStats): Promise<void> {
  let little = true;
  for (;;) {
    const offset = pull.offset;
    const head = await pull.peek(12);
    if (head.length === 0) return;
    if (head.length < 12) throw new CaptureError('truncated', offset, `file ends inside the block at byte offset ${offset}`);
    if (head.readUInt32LE(0) === BLOCK_SHB) {
      const magic = head.readUInt32LE(8);
      little = magic === BYTE_ORDER_MAGIC;
    }
    const type = little ? head.readUInt32LE(0) : head.readUInt32BE(0);
    const length = little ? head.readUInt32LE(4) : head.readUInt32BE(4);
    if (length < 12 || length % 4 !== 0 || length > MAX_BLOCK_BYTES) {
      throw new CaptureError('bad-block', offset, `pcapng block at byte offset ${offset}: total length ${length} is not valid`);
    }
    const whole = await pull.take(length);
    if (whole.length < length) throw new CaptureError('truncated', offset, `file ends inside the block at byte offset ${offset}`);
    const isFrame =
      type === BLOCK_EPB || type === BLOCK_PB || type === BLOCK_SPB || type === BLOCK_CUSTOM || type === BLOCK_CUSTOM_NOCOPY || type === BLOCK_SYSTEMD_JOURNAL;
    if (!isFrame) {
      await sink.write(whole);
      continue;
    }
    stats.frames++;
    const frame = stats.frames;
    const added = comments.get(frame);
    if (!added || added.length === 0) {
      await sink.write(whole);
      continue;
    }
    if (type !== BLOCK_EPB && type !== BLOCK_PB) {
      stats.uncommentable.push(frame);
      await sink.write(whole);
      continue;
    }
    await sink.write(withComments(whole, little, added));
    noteComments(stats, added);
  }
}

/** An EPB or PB with `added` comment options after its own options, in the section's byte order. */
function withComments(whole: Buffer, little: boolean, added: readonly string[]): Buffer {
  const length = whole.length;
  const read32 = (at: number) => (little ? whole.readUInt32LE(at) : whole.readUInt32BE(at));
  const read16 = (at: number) => (little ? whole.readUInt16LE(at) : whole.readUInt16BE(at));
  const captured = read32(20);
  const optionsAt = 28 + pad4(captured);
  // Keep the block's own options up to (not including) opt_endofopt.
  let at = optionsAt;
  while (at + 4 <= length - 4) {
    const code = read16(at);
    const valueLength = read16(at + 2);
    if (code === OPT_ENDOFOPT || at + 4 + valueLength > length - 4) break;
    at += 4 + pad4(valueLength);
  }
  const kept = whole.subarray(0, at);
  const options: Buffer[] = [];
  for (const text of [...added, '']) {
    const value = Buffer.from(text);
    const opt = Buffer.alloc(4 + pad4(value.length));
    const code = text === '' ? OPT_ENDOFOPT : OPT_COMMENT;
    if (little) {
      opt.writeUInt16LE(code, 0);
      opt.writeUInt16LE(value.length, 2);
    } else {
      opt.writeUInt16BE(code, 0);
      opt.writeUInt16BE(value.length, 2);
    }
    value.copy(opt, 4);
    options.push(opt);
  }
  const total = kept.length + options.reduce((s, o) => s + o.length, 0) + 4;
  const out = Buffer.concat([kept, ...options, Buffer.alloc(4)], total);
  if (little) {
    out.writeUInt32LE(total, 4);
    out.writeUInt32LE(total, total - 4);
  } else {
    out.writeUInt32BE(total, 4);
    out.writeUInt32BE(total, total - 4);
  }
  return out;
}

async function copyPcap(
  pull: Pull,
  comments: ReadonlyMap<number, readonly string[]>,
  sink: BlockSink,
  stats: AnnotateStats,
  application: string,
): Promise<void> {
  const header = await pull.take(24);
  if (header.length < 24) throw new CaptureError('truncated', 0, 'file ends inside the pcap file header');
  const variant = pcapVariant(header)!;
  const le = variant.littleEndian;
  const read32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const snaplen = read32(header, 16);
  const linkType = read32(header, 20) & 0x03ffffff;
  await sink.write(sectionHeader(application));
  await sink.write(interfaceDescription(linkType, snaplen, variant.nanosecond ? 9 : 6));
  const recordHeader = variant.modified ? 24 : 16;
  const perSecond = variant.nanosecond ? 1_000_000_000n : 1_000_000n;
  for (;;) {
    const offset = pull.offset;
    const rec = await pull.take(recordHeader);
    if (rec.length === 0) return;
    if (rec.length < recordHeader) throw new CaptureError('truncated', offset, `file ends inside the record at byte offset ${offset}`);
    const seconds = read32(rec, 0);
    const fraction = read32(rec, 4);
    const captured = read32(rec, 8);
    const original = read32(rec, 12);
    if (captured > MAX_BLOCK_BYTES) throw new CaptureError('record-too-large', offset, `record at byte offset ${offset} claims ${captured} bytes`);
    const data = await pull.take(captured);
    if (data.length < captured) throw new CaptureError('truncated', offset, `file ends inside the record at byte offset ${offset}`);
    stats.frames++;
    const added = comments.get(stats.frames) ?? [];
    await sink.write(enhancedPacket(0, BigInt(seconds) * perSecond + BigInt(fraction), original, data, added));
    noteComments(stats, added);
  }
}

async function copyRecords(
  path: string,
  comments: ReadonlyMap<number, readonly string[]>,
  sink: BlockSink,
  stats: AnnotateStats,
  application: string,
): Promise<void> {
  const input = await CaptureInput.open(path);
  await sink.write(sectionHeader(application));
  const interfaces = new Map<string, number>();
  try {
    for (;;) {
      const record = input.next();
      if (!record) {
        if (await input.fill()) continue;
        break;
      }
      const key = `${record.linkType}/${record.interfaceId}`;
      let id = interfaces.get(key);
      if (id === undefined) {
        id = interfaces.size;
        interfaces.set(key, id);
        await sink.write(interfaceDescription(record.linkType, 0, 9, record.interfaceName));
      }
      stats.frames++;
      // Exports keep the original capture's numbers: comments are keyed by them.
      const added = comments.get(record.frame) ?? [];
      const units = record.hasTimestamp ? BigInt(record.seconds) * 1_000_000_000n + BigInt(record.nanos) : 0n;
      await sink.write(enhancedPacket(id, units, record.originalLength, Buffer.from(record.bytes), record.comment !== undefined ? [record.comment, ...added] : added));
      noteComments(stats, added);
    }
  } finally {
    input.close();
  }
  if (input.info.error) throw input.info.error;
}
