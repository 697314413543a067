// Capture timestamps are integer seconds + nanoseconds (no float rounding); these helpers format and compare them.

export interface Timestamp {
  /** Whole seconds since the Unix epoch (may exceed 2^32 for pcapng). */
  seconds: number;
  /** 0 … 999 999 999. */
  nanos: number;
}

/** The last second formatted, and its text up to the fraction: a report's times cluster in a few seconds. */
let lastSecond = NaN;
let lastBase = '';

/** ISO-8601 UTC with 9 fractional digits: "2024-10-24T07:48:41.592009000Z". */
export function formatIsoTime(seconds: number, nanos: number): string {
  if (seconds !== lastSecond) {
    const date = new Date(seconds * 1000);
    if (Number.isNaN(date.getTime())) return `${seconds}.${String(nanos).padStart(9, '0')}`;
    lastBase = date.toISOString().slice(0, 19);
    lastSecond = seconds;
  }
  return `${lastBase}.${String(nanos).padStart(9, '0')}Z`;
}

/** Seconds as a float, for windows and timeouts (sub-microsecond precision is not needed there). */
export function toSeconds(seconds: number, nanos: number): number {
  return seconds + nanos / 1e9;
}

export function compareTime(aSec: number, aNs: number, bSec: number, bNs: number): number {
  return aSec !== bSec ? aSec - bSec : aNs - bNs;
}
