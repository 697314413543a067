// Issue 3's allocation check, as a measurement (not a unit test): decode frames that carry nothing of interest
// millions of times and count garbage collections. Zero (or a handful from the harness itself) means the filler
// path allocates nothing per frame. `npx tsx bench/decode-alloc.ts`
import { PerformanceObserver } from 'node:perf_hooks';
import { tcpFrame, udpFrame } from '../fixtures/builder/packet.js';
import { FrameDecoder } from '../src/decode/frame.js';

const frames = [
  tcpFrame({ srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 50000, dstPort: 443, seq: 1, payload: Buffer.alloc(1200) }),
  udpFrame({ vlans: [{ id: 100 }], srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 40000, dstPort: 53, payload: Buffer.alloc(40) }),
  udpFrame({ vlans: [{ id: 10, tpid: 0x88a8 }, { id: 100 }], srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 40000, dstPort: 123, payload: Buffer.alloc(48) }),
];
const decoder = new FrameDecoder();
const N = 3_000_000;
let gcs = 0;
const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
// Warm up (JIT, inline caches) before counting.
for (let i = 0; i < 100_000; i++) decoder.decode(frames[i % frames.length], 1);
observer.observe({ entryTypes: ['gc'] });
const heapBefore = process.memoryUsage().heapUsed;
const start = process.hrtime.bigint();
let interest = 0;
for (let i = 0; i < N; i++) interest |= decoder.decode(frames[i % frames.length], 1).root.interest;
const ns = Number(process.hrtime.bigint() - start);
const heapAfter = process.memoryUsage().heapUsed;
setTimeout(() => {
  observer.disconnect();
  console.log(
    `${N} filler frames decoded in ${(ns / 1e6).toFixed(0)} ms (${(ns / N).toFixed(0)} ns/frame), interest bits ${interest}, ` +
      `GC events ${gcs}, heap ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB apart`,
  );
}, 50);
