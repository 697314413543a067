// Capture timestamps to integer seconds + nanoseconds, exactly (no float rounding).
//
// pcapng (draft-ietf-opsawg-pcapng §4.2): a 64-bit count of units since the epoch, split in two 32-bit halves;
// the unit is if_tsresol: high bit clear → 10^-n s, high bit set → 2^-n s; default 10^-6. if_tsoffset seconds
// are added. Binary fractions are rounded down to whole nanoseconds, as Wireshark does.
//
// The common cases (10^-3…10^-9 or 2^-11…2^-22 units) stay in doubles where every step is exact; anything else
// takes a BigInt path, which allocates but is never seen in ordinary captures.

/** Where the converted time is written (the reused capture record). */
export interface TimeSink {
  seconds: number;
  nanos: number;
}

export interface TimeResolution {
  binary: boolean;
  exponent: number;
  /** Units per second as a double; exact when `fast` is true. */
  unitsPerSecond: number;
  /** Nanoseconds per unit (decimal resolutions up to 10^-9 only). */
  nanosPerUnit: number;
  /** The double arithmetic below is exact for this resolution. */
  fast: boolean;
}

const TWO_32 = 4294967296;
/** Counts below 2^52 keep `seconds * unitsPerSecond` under 2^53 (exact) for any unitsPerSecond ≤ 2^22 or 10^9. */
const FAST_HI_LIMIT = 0x100000;
/** With at least 2^11 units per second any 64-bit count is below 2^53 seconds, exact in a double. */
const MIN_UNITS_FOR_LONG_DIVISION = 2048;

/** Resolution from the if_tsresol option byte (6 = µs, the default when the option is absent). */
export function timeResolution(tsresol: number): TimeResolution {
  const binary = (tsresol & 0x80) !== 0;
  const exponent = tsresol & 0x7f;
  if (binary) {
    return { binary, exponent, unitsPerSecond: 2 ** exponent, nanosPerUnit: 0, fast: exponent <= 22 };
  }
  const fast = exponent <= 9;
  return { binary, exponent, unitsPerSecond: 10 ** exponent, nanosPerUnit: fast ? 10 ** (9 - exponent) : 0, fast };
}

export const MICROSECONDS = timeResolution(6);

/** Converts a pcapng timestamp (high and low 32-bit halves) plus if_tsoffset seconds into `out`. */
export function setPcapngTime(out: TimeSink, high: number, low: number, res: TimeResolution, offsetSeconds: number): void {
  if (res.fast && high < FAST_HI_LIMIT) {
    const count = high * TWO_32 + low;
    const units = res.unitsPerSecond;
    let seconds = Math.floor(count / units);
    let rest = count - seconds * units;
    // The quotient of two doubles may round across an integer; the remainder tells and fixes it.
    if (rest < 0) {
      seconds -= 1;
      rest += units;
    } else if (rest >= units) {
      seconds += 1;
      rest -= units;
    }
    out.seconds = seconds + offsetSeconds;
    // Binary: rest * 1e9 < 2^52 and dividing by a power of two is exact, so floor() rounds down exactly.
    out.nanos = res.binary ? Math.floor((rest * 1e9) / units) : rest * res.nanosPerUnit;
    return;
  }
  if (res.fast && res.unitsPerSecond >= MIN_UNITS_FOR_LONG_DIVISION) {
    // Today's ns/µs counts are far above 2^52: long division in 16-bit steps keeps every value under 2^46.
    const units = res.unitsPerSecond;
    const highQuotient = Math.floor(high / units);
    const cur1 = (high - highQuotient * units) * 65536 + (low >>> 16);
    let q1 = Math.floor(cur1 / units);
    if (q1 * units > cur1) q1 -= 1; // the double quotient can round up to the next integer
    const cur0 = (cur1 - q1 * units) * 65536 + (low & 0xffff);
    let q0 = Math.floor(cur0 / units);
    if (q0 * units > cur0) q0 -= 1;
    const rest = cur0 - q0 * units;
    out.seconds = highQuotient * TWO_32 + q1 * 65536 + q0 + offsetSeconds;
    out.nanos = res.binary ? Math.floor((rest * 1e9) / units) : rest * res.nanosPerUnit;
    return;
  }
  const count = (BigInt(high) << 32n) | BigInt(low);
  const units = res.binary ? 1n << BigInt(res.exponent) : 10n ** BigInt(res.exponent);
  const seconds = count / units;
  const rest = count % units;
  let nanos: bigint;
  if (res.binary) nanos = (rest * 1_000_000_000n) >> BigInt(res.exponent);
  else if (res.exponent <= 9) nanos = rest * 10n ** BigInt(9 - res.exponent);
  else nanos = rest / 10n ** BigInt(res.exponent - 9);
  out.seconds = Number(seconds) + offsetSeconds;
  out.nanos = Number(nanos);
}

/**
 * Classic pcap: 32-bit seconds and a 32-bit fraction in µs or ns. A fraction of a second or more is invalid;
 * we carry it into the seconds (the value the file encodes) and return true so the caller can warn.
 * tshark 4.0 keeps 1 000 000 µs as "1.000000000 s more" too, but wraps larger values in a signed 32-bit field.
 */
export function setPcapTime(out: TimeSink, seconds: number, fraction: number, nanosPerUnit: number): boolean {
  const nanos = fraction * nanosPerUnit; // < 2^32 * 1000, exact
  if (nanos < 1e9) {
    out.seconds = seconds;
    out.nanos = nanos;
    return false;
  }
  const carry = Math.floor(nanos / 1e9);
  out.seconds = seconds + carry;
  out.nanos = nanos - carry * 1e9;
  return true;
}
