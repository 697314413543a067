// Baseline (b): gwcheck's own capture reader alone, walking every record, no decoding.
import { CaptureInput } from '../dist/capture/input.js';

const input = await CaptureInput.open(process.argv[2]);
let packets = 0;
let bytes = 0;
for (;;) {
  const record = input.next();
  if (record) {
    packets++;
    bytes += record.bytes[12]; // touch the frame so the view is really used
    continue;
  }
  if (!(await input.fill())) break;
}
if (input.info.error) throw input.info.error;
process.stdout.write(`${packets} ${bytes}\n`);
