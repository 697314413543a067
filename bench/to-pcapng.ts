// `tsx bench/to-pcapng.ts IN OUT.pcapng`: rewrites a capture as pcapng, streaming, for issue 6's "same report
// bytes for pcap and pcapng" check on the benchmark capture (bench/run.ts). Reads IN with gwcheck's own reader, so
// anything it reads (pcap, pcapng, gzip) converts; writes little-endian pcapng: one SHB, one IDB per link type
// (added when that link type first appears), one EPB per record. Interfaces use if_tsresol 9 (nanoseconds), so
// µs and ns inputs both keep their timestamps exactly. Memory is bounded: records go out in ~1 MiB batches.
// Not carried over: packet comments, pcapng interface ids (interfaces of one link type become one).
import { closeSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BLOCK_TYPES, pcapngBlock, timestampUnits } from '../fixtures/builder/capture-file.js';
import { CaptureInput } from '../src/capture/input.js';
import { PCAP_FILE_HEADER_LENGTH, pcapVariant } from '../src/capture/pcap.js';

const BATCH_BYTES = 1024 * 1024;
const NANOSECONDS = { tsresol: 9 } as const;
const IF_TSRESOL = 9;
/** EPB: type, total length, interface id, ts high, ts low, captured length, original length — then data, trailer. */
const EPB_HEADER = 28;

export interface ConvertResult {
  packets: number;
  /** Bytes of pcapng written. */
  bytes: number;
  seconds: number;
}

/** Converts `inPath` to pcapng at `outPath` (written to a temporary name, renamed when complete). */
export async function convertToPcapng(inPath: string, outPath: string): Promise<ConvertResult> {
  const start = process.hrtime.bigint();
  const snaplen = pcapSnaplen(inPath);
  const input = await CaptureInput.open(inPath);
  const partial = `${outPath}.partial`;
  const fd = openSync(partial, 'w');
  const batch = Buffer.alloc(BATCH_BYTES);
  let used = 0;
  let written = 0;
  const flush = () => {
    for (let at = 0; at < used; ) at += writeSync(fd, batch, at, used - at);
    written += used;
    used = 0;
  };
  const put = (block: Buffer) => {
    if (used + block.length > batch.length) flush();
    if (block.length > batch.length) {
      writeSync(fd, block);
      written += block.length;
    } else used += block.copy(batch, used);
  };
  const interfaces = new Map<number, number>(); // link type → interface id
  let packets = 0;
  try {
    // Section length -1: unknown, so the writer never has to seek back.
    const shb = Buffer.alloc(16);
    shb.writeUInt32LE(0x1a2b3c4d, 0);
    shb.writeUInt16LE(1, 4);
    shb.writeUInt16LE(0, 6);
    shb.writeBigInt64LE(-1n, 8);
    put(pcapngBlock(BLOCK_TYPES.shb, shb));
    for (;;) {
      const record = input.next();
      if (record === null) {
        if (await input.fill()) continue;
        break;
      }
      let id = interfaces.get(record.linkType);
      if (id === undefined) {
        id = interfaces.size;
        interfaces.set(record.linkType, id);
        put(interfaceBlock(record.linkType, snaplen));
      }
      const length = record.bytes.length;
      const total = EPB_HEADER + ((length + 3) & ~3) + 4;
      if (used + total > batch.length) flush();
      // An EPB bigger than the batch (never with the 256 KiB record cap) gets a buffer of its own.
      const out = total > batch.length ? Buffer.alloc(total) : batch;
      const at = out === batch ? used : 0;
      const units = timestampUnits(record.seconds, record.nanos, NANOSECONDS);
      out.writeUInt32LE(BLOCK_TYPES.epb, at);
      out.writeUInt32LE(total, at + 4);
      out.writeUInt32LE(id, at + 8);
      out.writeUInt32LE(Number(units >> 32n), at + 12);
      out.writeUInt32LE(Number(units & 0xffffffffn), at + 16);
      out.writeUInt32LE(length, at + 20);
      out.writeUInt32LE(record.originalLength, at + 24);
      record.bytes.copy(out, at + EPB_HEADER);
      // The batch is reused: the padding must be zeroed, not left over from an earlier block.
      out.fill(0, at + EPB_HEADER + length, at + total - 4);
      out.writeUInt32LE(total, at + total - 4);
      if (out === batch) used += total;
      else put(out);
      packets++;
    }
    if (input.info.error) throw input.info.error;
    flush();
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  } finally {
    input.close();
  }
  closeSync(fd);
  renameSync(partial, outPath);
  if (input.info.truncated) process.stderr.write(`to-pcapng: ${inPath} ends mid-record; converted the ${packets} records before\n`);
  return { packets, bytes: written, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** IDB: link type, reserved, snaplen, then if_tsresol = 9 (1 byte, padded) and opt_endofopt. */
function interfaceBlock(linkType: number, snaplen: number): Buffer {
  const body = Buffer.alloc(20);
  body.writeUInt16LE(linkType, 0);
  body.writeUInt32LE(snaplen, 4);
  body.writeUInt16LE(IF_TSRESOL, 8);
  body.writeUInt16LE(1, 10);
  body[12] = NANOSECONDS.tsresol;
  return pcapngBlock(BLOCK_TYPES.idb, body);
}

/** The classic pcap header's snaplen, so the copy has the same limit (and the same snaplen warnings); else 0, no limit. */
function pcapSnaplen(path: string): number {
  if (!statSync(path).isFile()) return 0;
  const header = Buffer.alloc(PCAP_FILE_HEADER_LENGTH);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return 0;
  } finally {
    closeSync(fd);
  }
  const variant = pcapVariant(header);
  if (variant === undefined) return 0;
  return variant.littleEndian ? header.readUInt32LE(16) : header.readUInt32BE(16);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [inPath, outPath] = process.argv.slice(2);
  if (!inPath || !outPath) {
    process.stderr.write('usage: tsx bench/to-pcapng.ts IN.pcap OUT.pcapng\n');
    process.exit(2);
  }
  const r = await convertToPcapng(inPath, outPath);
  process.stderr.write(`${outPath}: ${r.packets} packets, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s\n`);
}
