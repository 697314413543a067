// Conformance: every capture in ../shared/corpus read by gwcheck and compared with tshark 4.0.17's reading of it
// (truth/<file>.tsv per frame, INDEX.tsv per file). Skips, visibly, when the corpus is not beside the repo.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaptureInput, type CaptureErrorCode } from '../../src/capture/index.js';
import { readChunked } from './helpers.js';

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const present = existsSync(`${corpusDir}INDEX.tsv`);
if (!present) console.warn(`capture corpus tests SKIPPED: ${corpusDir} is absent`);

/** Files tshark refused: we must stop with this error code (after the frames tshark did show, if any). */
const EXPECTED_ERRORS: Record<string, { code: CaptureErrorCode; why: string }> = {
  'node-pcap-parser__malformed.pcap': { code: 'not-a-capture', why: '30 bytes of ASCII, no capture magic' },
  'gopacket__le__test901.pcapng': { code: 'bad-block', why: 'second section has SHB version 2.0; tshark stops there too' },
};

interface Exception {
  why: string;
  /** Our timestamp where it differs from tshark's, as "seconds.nanos". */
  time?: Record<number, string>;
  /** Added to tshark's section-local interface id from the given frame on. */
  interfaceOffsets?: Array<[fromFrame: number, offset: number]>;
  /** Our earliest/latest timestamps where INDEX.tsv (capinfos) says otherwise. */
  firstLast?: [string, string];
}

/** Where we knowingly disagree with tshark/capinfos, and why. */
const EXCEPTIONS: Record<string, Exception> = {
  'tcpdump__timestamp_invalid_micro.pcap': {
    why:
      'µs fraction 2147483648: tshark multiplies into a signed 32-bit nanosecond field, which wraps to 0; we carry ' +
      'the whole fraction (2147.483648 s) into the seconds, with a bad-timestamp warning',
    time: { 3: '1418147517.483648000' },
    firstLast: ['1418145369.999999000', '1418147517.483648000'],
  },
  'tcpdump__timestamp_invalid_nano.pcap': {
    why: 'ns fraction 2147483648: tshark reads it as signed (-2.147483648 s); we carry it as unsigned into the seconds',
    time: { 3: '1418145372.147483648' },
    firstLast: ['1418145369.999999999', '1418145372.147483648'],
  },
  'gopacket__be__test902.pcapng': {
    why: 'capinfos prints a 2^-8 resolution with two decimals (1519128000.19); the exact value is .1953125',
    firstLast: ['1519128000.195312500', '1519128000.195312500'],
  },
  'tcpdump__bgp_vpn_rt-oobr.pcap': {
    why: "fuzzed record headers: capinfos' first/last are neither the extremes nor the first/last records; ours are the extremes",
    firstLast: ['0.000000000', '4294901760.000128000'],
  },
  'pcapng-testgen__le__test202.pcapng': {
    why:
      'three sections: tshark 4.0 reports the section-local interface id; we number interfaces across the file ' +
      '(section 1 has 2 IDBs, section 2 one, section 3 two)',
    interfaceOffsets: [[5, 2], [10, 3]],
  },
  'pcapng-testgen__be__test202.pcapng': {
    why: 'as le__test202: section-local interface ids in tshark 4.0, file-wide ones here',
    interfaceOffsets: [[5, 2], [10, 3]],
  },
};

function readTsv(path: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
  if (header === undefined) return []; // tshark wrote nothing: it could not read the file
  const names = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

/** tshark's "S.FFFFFFFFF" → "S.FFFFFFFFF" normalised; a 10-digit fraction is a raw nanosecond count ≥ 1e9. */
function normaliseTime(text: string): string {
  const [s, f = '0'] = text.split('.');
  const total = BigInt(s) * 1_000_000_000n + (f.length >= 9 ? BigInt(f) : BigInt(f.padEnd(9, '0')));
  return `${total / 1_000_000_000n}.${(total % 1_000_000_000n).toString().padStart(9, '0')}`;
}

const ours = (seconds: number | undefined, nanos: number | undefined) =>
  seconds === undefined ? undefined : `${seconds}.${String(nanos).padStart(9, '0')}`;

interface Row {
  frame: number;
  interfaceId: number;
  time: string | undefined;
  capturedLength: number;
  originalLength: number;
}

async function readCapture(path: string) {
  const input = await CaptureInput.open(path, { chunkSize: 64 * 1024 });
  const rows: Row[] = [];
  for (;;) {
    const r = input.next();
    if (r) {
      rows.push({
        frame: r.frame,
        interfaceId: r.interfaceId,
        time: r.hasTimestamp ? ours(r.seconds, r.nanos) : undefined,
        capturedLength: r.capturedLength,
        originalLength: r.originalLength,
      });
      if (r.bytes.length !== r.capturedLength) throw new Error(`frame ${r.frame}: bytes length differs`);
      continue;
    }
    if (!(await input.fill())) break;
  }
  return { rows, info: input.info };
}

const index = present ? readTsv(`${corpusDir}INDEX.tsv`) : [];
const files = present ? readdirSync(`${corpusDir}captures`).sort() : [];

describe.skipIf(!present)('corpus conformance with tshark 4.0.17', () => {
  it('lists every capture in INDEX.tsv', () => {
    expect(index.map((row) => row.file).sort()).toEqual(files);
  });

  for (const entry of index) {
    const name = entry.file;
    it(name, async () => {
      const { rows, info } = await readCapture(`${corpusDir}captures/${name}`);
      const exception = EXCEPTIONS[name];
      const expectedError = EXPECTED_ERRORS[name];
      const isPcapng = entry.format.includes('pcapng');

      if (expectedError) expect(info.error?.code, expectedError.why).toBe(expectedError.code);
      else expect(info.error, info.error?.message).toBeUndefined();
      expect(info.truncated).toBe(false);
      expect(info.compressed).toBe(entry.format.startsWith('gzip'));

      const truth = existsSync(`${corpusDir}truth/${name}.tsv`) ? readTsv(`${corpusDir}truth/${name}.tsv`) : [];
      // Frames tshark shows with neither time nor interface are pcapng custom blocks, not packets.
      const packets = truth.filter((t) => !(isPcapng && t['frame.interface_id'] === '' && t['frame.time_epoch'] === ''));
      const want: Row[] = packets.map((t) => {
        const frame = Number(t['frame.number']);
        let interfaceId = t['frame.interface_id'] === '' ? 0 : Number(t['frame.interface_id']);
        for (const [from, offset] of exception?.interfaceOffsets ?? []) if (frame >= from) interfaceId = Number(t['frame.interface_id']) + offset;
        const tsharkTime = t['frame.time_epoch'] === '' ? undefined : normaliseTime(t['frame.time_epoch']);
        return {
          frame,
          interfaceId,
          time: exception?.time?.[frame] ?? tsharkTime,
          capturedLength: Number(t['frame.cap_len']),
          originalLength: Number(t['frame.len']),
        };
      });
      expect(rows).toEqual(want);

      if (entry.packets !== '') expect(info.packets).toBe(Number(entry.packets));
      if (entry.link_types !== '') {
        const declared = entry.link_types.split(' [')[0];
        const linkTypes = [...declared.matchAll(/\((\d+)\)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
        expect(info.linkTypes).toEqual(linkTypes);
      }
      // capinfos' first/last are the earliest and latest timestamps; "n/a" where it could not say.
      if (exception?.firstLast) {
        expect([ours(info.firstSeconds, info.firstNanos), ours(info.lastSeconds, info.lastNanos)]).toEqual(exception.firstLast);
      } else if (entry.first_time !== '' && entry.first_time !== 'n/a') {
        expect(ours(info.firstSeconds, info.firstNanos)).toBe(normaliseTime(entry.first_time));
        expect(ours(info.lastSeconds, info.lastNanos)).toBe(normaliseTime(entry.last_time));
      } else if (entry.packets === '0') {
        expect(info.firstSeconds).toBeUndefined();
      }
    });
  }
});

describe.skipIf(!present)('corpus captures read the same in 7-byte and 4096-byte chunks as whole', () => {
  for (const name of files) {
    it(name, () => {
      const raw = readFileSync(`${corpusDir}captures/${name}`);
      const data = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
      const whole = readChunked(data);
      for (const size of [7, 4096]) expect({ ...readChunked(data, size), bytes: 0 }, `chunks of ${size}`).toEqual({ ...whole, bytes: 0 });
    });
  }
});
