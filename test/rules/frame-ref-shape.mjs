// Run by frame-ref-shape.test.ts as `node --allow-natives-syntax --import tsx`: prints JSON saying whether a frame
// reference read back from a FrameColumn shares its hidden class with one made as the fact extractor makes them,
// and whether that class is still current after the read-back (a widened field deprecates it).
import { FrameColumn } from '../../src/rules/columns.ts';
import { toSeconds } from '../../src/util/time.ts';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
const record = { frame: 12, seconds: 1_700_000_000, nanos: 5_000_000 };
/** As src/facts/extract.ts makes a fact's reference. */
const made = (input) => ({ input, frame: record.frame, seconds: record.seconds, nanos: record.nanos, time: toSeconds(record.seconds, record.nanos) });
const before = made(0);
const column = new FrameColumn(2);
column.set(1, before);
const back = column.ref(1);
const after = made(1);
const backSharesClass = sameMap(back, after);
const madeBeforeKeepsClass = sameMap(before, after);
// Large values that are not small integers must still read back exactly (they may widen the class: that is rare).
column.set(0, { input: 3, frame: 2 ** 33 + 1, seconds: 2 ** 32 + 7, nanos: 999_999_999, time: 0 });
const big = column.ref(0);
process.stdout.write(JSON.stringify({
  backSharesClass,
  madeBeforeKeepsClass,
  back: { input: back.input, frame: back.frame, seconds: back.seconds, nanos: back.nanos },
  big: { input: big.input, frame: big.frame, seconds: big.seconds, nanos: big.nanos },
}));
