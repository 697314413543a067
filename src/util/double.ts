// A number field's first value decides how V8 stores it. A field first written a small integer (0) is kept as one;
// the first MAC (48 bits), IPv4 address or TCP sequence number above 2^30, or time with a fraction, written to it
// later changes its representation: the object gets a new hidden class, the old one is deprecated, and every
// function optimised for the old one is thrown away ("wrong map", "lost precision") and compiled again. In a
// capture that happens far into the run (the first ARP from 192.168/16 after thousands from 10/8), and each time
// the hot per-packet code runs slow until it is optimised again.
//
// Fields that hold such numbers start as DOUBLE_ZERO instead: -0 is no small integer, so the field is a double from
// its first write, and it compares equal to 0 (`-0 === 0`, and it prints as 0).

/** Zero as a double: the first value of a number field that will hold MACs, 32-bit addresses or times. */
export const DOUBLE_ZERO = -0;

/**
 * A whole number below 2^30 as a small integer (`| 0`), anything else as it is. The other way round: one option
 * default of 0.5 s makes the `default` field of every RuleOption a double, so every default read from it is a boxed
 * number, caps and counts too; a function optimised for the small integers one caller passes then throws its code
 * away at the first boxed one ("not a Smi": the engine's and a rule's text interners, whose caps came from both).
 */
export function smallInteger(value: number): number {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? value | 0 : value;
}
