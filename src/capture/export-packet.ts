// What the export readers (tshark JSON/EK, plain text, hex dumps) share: one packet being assembled from hex text,
// its frame number, time, link type and comment, and how it becomes the one reused CaptureRecord.
import type { ReaderContext } from './context.js';
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_RAW } from './types.js';

/**
 * Wireshark's WTAP_ENCAP_* numbers (wiretap/wtap.h, what `frame.encap_type` and the "Encapsulation type: … (N)"
 * line give) to LINKTYPE_* numbers. Only the encapsulations a gateway capture plausibly has; any other becomes
 * LINKTYPE_UNKNOWN_EXPORT and is skipped as an unsupported link type, with the WTAP number in the warning.
 */
const WTAP_TO_LINKTYPE = new Map<number, number>([
  [1, LINKTYPE_ETHERNET],
  [7, LINKTYPE_RAW],
  [25, LINKTYPE_LINUX_SLL],
  [210, LINKTYPE_LINUX_SLL2],
  [129, LINKTYPE_IPV4],
  [130, LINKTYPE_IPV6],
  [15, 0], // NULL (BSD loopback)
  [4, 9], // PPP
  [20, 105], // IEEE 802.11
  [23, 127], // radiotap
]);

/** LINKTYPE_USER15: what an export's unknown encapsulation is given (gwcheck decodes none of the user types). */
export const LINKTYPE_UNKNOWN_EXPORT = 162;

export function linkTypeOfWtap(encap: number): number {
  return WTAP_TO_LINKTYPE.get(encap) ?? LINKTYPE_UNKNOWN_EXPORT;
}

/** `frame.protocols` ("eth:ethertype:arp", "sll:ethertype:ip…") when an export gives no encapsulation number. */
export function linkTypeOfProtocols(protocols: string): number {
  const first = protocols.split(':', 1)[0];
  switch (first) {
    case 'eth':
      return LINKTYPE_ETHERNET;
    case 'sll':
      return LINKTYPE_LINUX_SLL;
    case 'raw':
    case 'ip':
      return LINKTYPE_RAW;
    default:
      return LINKTYPE_UNKNOWN_EXPORT;
  }
}

/** How the export gives time: epoch times, times relative to the first packet, or none at all (hex dumps). */
export type ExportTimes = 'absolute' | 'relative' | 'none';

/**
 * "1772442000.123456789" (or fewer digits, or a leading '-') → exact integer seconds and nanoseconds in `out`.
 * Also takes ISO 8601 UTC ("2026-03-02T09:00:00.123Z", "2026-03-02 09:00:00.123"), read as UTC. False when the text is neither.
 */
export function parseExportTime(text: string, out: { seconds: number; nanos: number }): boolean {
  const decimal = /^\s*(-?)(\d+)(?:\.(\d{0,9})\d*)?\s*(?:seconds)?\s*$/.exec(text);
  if (decimal) {
    let seconds = Number(decimal[2]);
    let nanos = decimal[3] ? Number(decimal[3].padEnd(9, '0')) : 0;
    if (decimal[1] === '-') {
      seconds = -seconds;
      if (nanos > 0) {
        seconds -= 1;
        nanos = 1e9 - nanos;
      }
    }
    out.seconds = seconds;
    out.nanos = nanos;
    return Number.isFinite(seconds);
  }
  const iso = /^\s*(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{0,9})\d*)?\s*(?:Z|UTC)?\s*$/.exec(text);
  if (iso) {
    const ms = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6]));
    if (!Number.isFinite(ms)) return false;
    out.seconds = ms / 1000;
    out.nanos = iso[7] ? Number(iso[7].padEnd(9, '0')) : 0;
    return true;
  }
  return false;
}

const HEX_VALUE = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) table[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[0x41 + i] = 10 + i;
    table[0x61 + i] = 10 + i;
  }
  return table;
})();

/** The value of one hex digit byte, or -1. */
export function hexDigit(byte: number): number {
  return HEX_VALUE[byte];
}

/** One packet of an export, assembled in a buffer owned by the reader (the record's bytes are a view into it). */
export class ExportPacket {
  readonly bytes: Buffer;
  length = 0;
  /** The export's frame number, or 0 when it gives none (then the next number after the previous packet). */
  number = 0;
  hasTime = false;
  seconds = 0;
  nanos = 0;
  /** LINKTYPE_*, or -1 when the export did not say (then Ethernet: what a hex dump almost always is). */
  linkType = -1;
  originalLength = 0;
  interfaceId = 0;
  interfaceName: string | undefined = undefined;
  comment: string | undefined = undefined;

  constructor(maxBytes: number) {
    this.bytes = Buffer.allocUnsafe(maxBytes);
  }

  reset(): void {
    this.length = 0;
    this.number = 0;
    this.hasTime = false;
    this.seconds = 0;
    this.nanos = 0;
    this.linkType = -1;
    this.originalLength = 0;
    this.interfaceId = 0;
    this.interfaceName = undefined;
    this.comment = undefined;
  }

  addComment(text: string): void {
    this.comment = this.comment === undefined ? text : `${this.comment}\n${text}`;
  }

  /** Fills ctx.record from the packet and counts it under the export's own frame number. */
  emit(ctx: ReaderContext): void {
    const record = ctx.record;
    record.interfaceId = this.interfaceId;
    record.hasTimestamp = this.hasTime;
    record.seconds = this.hasTime ? this.seconds : 0;
    record.nanos = this.hasTime ? this.nanos : 0;
    record.capturedLength = this.length;
    record.originalLength = Math.max(this.originalLength, this.length);
    record.linkType = this.linkType < 0 ? LINKTYPE_ETHERNET : this.linkType;
    record.bytes = this.bytes.subarray(0, this.length);
    record.comment = this.comment;
    // tshark says "unknown" where the capture names no interface: the capture itself would give no name.
    record.interfaceName = this.interfaceName === 'unknown' ? undefined : this.interfaceName;
    ctx.addLinkType(record.linkType);
    // A filtered export keeps the original capture's numbers: countRecord() hands out ctx.frame + 1.
    if (this.number > 0) ctx.frame = this.number - 1;
    ctx.countRecord();
  }
}

/** The exact command that re-exports a capture with its bytes, for the "export without bytes" error. */
export function reexportHint(kind: 'json' | 'ek' | 'text' | 'pdml' | 'psml' | 'fields'): string {
  switch (kind) {
    case 'json':
      return "re-export it with the bytes: tshark -r CAPTURE -T json -x > export.json (Wireshark: File → Export Packet Dissections → As JSON…, tick 'Bytes'), or hand over the capture itself";
    case 'ek':
      return 're-export it with the bytes: tshark -r CAPTURE -T ek -x > export.ndjson, or hand over the capture itself';
    case 'text':
      return "re-export it with the bytes: tshark -r CAPTURE -V -x > export.txt (Wireshark: File → Export Packet Dissections → As Plain Text…, tick 'Bytes'), or hand over the capture itself";
    default:
      return 'gwcheck reads tshark/Wireshark JSON with bytes, EK, plain text with bytes and hex dumps: tshark -r CAPTURE -T json -x > export.json, or hand over the capture itself';
  }
}
