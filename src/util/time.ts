// Capture timestamps are integer seconds + nanoseconds (no float rounding); these helpers format and compare them.

export interface Timestamp {
  /** Whole seconds since the Unix epoch (may exceed 2^32 for pcapng). */
  seconds: number;
  /** 0 … 999 999 999. */
  nanos: number;
}

/** The last hour formatted, and its text up to the minutes ("2024-10-24T07:"): a report's times fall in a few
 *  hours, while its evidence items are seconds apart (1,025 findings of the benchmark cite 15k instants over three
 *  minutes: a Date per new second was 1% of the run). Minutes and seconds are arithmetic (UTC has no leap seconds
 *  in Date either). */
let lastHour = NaN;
let hourBase = '';
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** ISO-8601 UTC with 9 fractional digits: "2024-10-24T07:48:41.592009000Z". */
export function formatIsoTime(seconds: number, nanos: number): string {
  const hour = Math.floor(seconds / 3600);
  if (hour !== lastHour) {
    const date = new Date(hour * 3_600_000);
    if (Number.isNaN(date.getTime())) return `${seconds}.${String(nanos).padStart(9, '0')}`;
    hourBase = date.toISOString().slice(0, 14);
    lastHour = hour;
  }
  // Whole seconds into the hour (a fraction of a second, which captures do not give, is cut as Date cut it).
  const inHour = Math.floor(seconds) - hour * 3600;
  const minute = Math.floor(inHour / 60);
  return `${hourBase}${TWO_DIGITS[minute]}:${TWO_DIGITS[inHour - minute * 60]}.${String(nanos).padStart(9, '0')}Z`;
}

/** Seconds as a float, for windows and timeouts (sub-microsecond precision is not needed there). */
export function toSeconds(seconds: number, nanos: number): number {
  return seconds + nanos / 1e9;
}

export function compareTime(aSec: number, aNs: number, bSec: number, bNs: number): number {
  return aSec !== bSec ? aSec - bSec : aNs - bNs;
}
