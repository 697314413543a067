// The contract of the capture room: bytes in, CaptureRecord out. Knows no protocol above the link type.

/** Link types (LINKTYPE_* numbers from the tcpdump registry) gwcheck decodes. */
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101; // raw IP, version from the first nibble
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/**
 * One captured packet. The reader reuses ONE record object and `bytes` is a view into its read buffer:
 * both are valid only until the next call to `next()` on the same input. Copy what you keep.
 */
export interface CaptureRecord {
  /** Wireshark's frame number: 1-based, counting every packet of the file across sections and interfaces. */
  frame: number;
  /** pcapng interface index across the whole file, as Wireshark's frame.interface_id (0 for pcap). */
  interfaceId: number;
  /** Timestamp, whole seconds since the epoch (integer; pcapng can exceed 2^32). */
  seconds: number;
  /** Timestamp fraction in nanoseconds, 0 … 999 999 999. */
  nanos: number;
  /** False for pcapng Simple Packet Blocks, which carry no timestamp (seconds = nanos = 0 then). */
  hasTimestamp: boolean;
  capturedLength: number;
  originalLength: number;
  linkType: number;
  /** The captured bytes: a `subarray` view, valid until the next record (made on first read by the readers' record). */
  bytes: Buffer;
  /**
   * Where `bytes` lie, for a consumer that reads them in place (the decoder): `bytes` is `data` from `dataOffset`,
   * `dataLength` bytes long. Reading these makes no view; same validity as `bytes`.
   */
  readonly data: Buffer;
  readonly dataOffset: number;
  readonly dataLength: number;
  /** pcapng opt_comment of the packet (several joined by a line break), or the comment an export shows, if any. */
  comment: string | undefined;
  /** The interface's name (pcapng if_name, or an export's "Interface name"), when the input names it. */
  interfaceName: string | undefined;
}

export type CaptureErrorCode =
  | 'not-a-capture' // magic unknown
  | 'empty' // zero bytes
  | 'truncated' // cut short inside a header (fatal) — a record cut short is a warning instead
  | 'bad-block' // pcapng block length not a multiple of 4, trailing length disagrees, SHB version unknown …
  | 'record-too-large' // caplen above snaplen/the hard cap
  | 'bad-interface' // pcapng packet names an interface that was never described
  | 'io' // the file could not be opened/read, or gunzip failed
  | 'no-bytes' // a Wireshark/tshark export without packet bytes (the message says how to re-export)
  | 'malformed-export' // an export that breaks its own format (the message gives the line and byte offset)
  | 'unsupported-export'; // an export format gwcheck recognises but does not read (PDML)

/** A fatal input error: reading stops; records already returned stay valid findings material. */
export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    /** Byte offset in the (decompressed) capture where the problem is. */
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** Something odd but survivable: the record cut short at end of file, unsupported link types skipped … */
export interface CaptureWarning {
  code: string; // 'truncated-record', 'unsupported-link-type', 'snaplen-exceeded', 'bad-timestamp' …
  offset: number;
  frame?: number;
  message: string;
}

export type CaptureFormat = 'pcap' | 'pcapng' | 'tshark-json' | 'tshark-ek' | 'text-export' | 'hex-dump' | 'unknown';

/** What the reader learned about one input; filled as reading proceeds, complete after the end. */
export interface CaptureInfo {
  path: string; // as given on the command line ('-' for stdin)
  /** pcap/pcapng, or the Wireshark/tshark export it is (JSON, EK, plain text with bytes, a bare hex dump). */
  format: CaptureFormat;
  /**
   * What the timestamps are: 'absolute' (captures, exports with epoch times), 'relative' (a text export's summary
   * times, seconds since its first packet) or 'none' (a hex dump without times: every packet at time 0).
   */
  timestamps: 'absolute' | 'relative' | 'none';
  compressed: boolean; // gzip
  /** Link types seen (sorted, unique). */
  linkTypes: number[];
  packets: number;
  /** Bytes of capture read (decompressed). */
  bytes: number;
  /** Bytes read from the file itself (compressed when gzip), for progress against `fileSize`. */
  fileBytesRead: number;
  /** Size of the file on disk, when known (not for stdin). */
  fileSize: number | undefined;
  firstSeconds: number | undefined;
  firstNanos: number | undefined;
  lastSeconds: number | undefined;
  lastNanos: number | undefined;
  /** True when the input ended inside a record or block (the records before it were still returned). */
  truncated: boolean;
  warnings: CaptureWarning[];
  /** A fatal error that stopped reading, if any. */
  error: CaptureError | undefined;
  /** Reading was stopped (CaptureOptions.signal) before the input ended: what was read is all there is. */
  interrupted: boolean;
}

export interface CaptureOptions {
  /** Hard cap on one record's captured length, whatever the file claims (default 256 KiB, above any real snaplen). */
  maxRecordBytes?: number;
  /** Read size for files (default 1 MiB). */
  chunkSize?: number;
  /**
   * A file that is still being written (`tcpdump -w file -U`): at its end, wait for more (polling its size, like
   * `tail -f`) instead of ending; only `signal` ends it. Stdin needs nothing: it ends when its writer closes it.
   */
  follow?: boolean;
  /** How often a followed file is polled for growth (default 200 ms). */
  followPollMs?: number;
  /** Aborting stops reading at once, even inside a read that waits for data: `info.interrupted` is set. */
  signal?: AbortSignal;
}
