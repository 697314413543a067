// Issue 3's allocation check, as a measurement (not a unit test): decode frames millions of times and count
// garbage collections. Zero (or a handful from the harness itself) means the path allocates nothing per frame.
// Two workloads: filler that carries nothing of interest, and IPv6 neighbour discovery (NS, DAD, NA, RA with
// prefixes, ND inside VXLAN, an ICMPv6 echo). Both are warmed up together first, as in a real mixed capture: a
// path first optimised for one workload alone is re-optimised (and collects) when the other arrives.
// `npx tsx bench/decode-alloc.ts`
import { PerformanceObserver } from 'node:perf_hooks';
import { icmpv6Raw, naFrame, ndFrame, nsFrame, raFrame } from '../fixtures/builder/nd.js';
import { tcpFrame, udpFrame, vxlanFrame } from '../fixtures/builder/packet.js';
import { FrameDecoder } from '../src/decode/frame.js';

const filler = [
  tcpFrame({ srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 50000, dstPort: 443, seq: 1, payload: Buffer.alloc(1200) }),
  udpFrame({ vlans: [{ id: 100 }], srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 40000, dstPort: 53, payload: Buffer.alloc(40) }),
  udpFrame({ vlans: [{ id: 10, tpid: 0x88a8 }, { id: 100 }], srcIp: '10.1.0.10', dstIp: '10.2.0.20', srcPort: 40000, dstPort: 123, payload: Buffer.alloc(48) }),
];
const HOST = '02:00:00:00:00:10';
const GW = '00:00:5e:00:01:01';
const nd = [
  nsFrame({ srcMac: HOST, srcIp: '2001:db8::10', target: '2001:db8::1', vlans: [{ id: 100 }] }),
  nsFrame({ srcMac: HOST, srcIp: '::', target: '2001:db8::10', nonce: '010203040506' }),
  naFrame({ srcMac: GW, target: '2001:db8::1', dstIp: '2001:db8::10', dst: HOST, router: true }),
  raFrame({ srcMac: GW, srcIp: 'fe80::1', routerLifetime: 1800, mtu: 9000, prefixes: [{ prefix: '2001:db8::', length: 64 }, { prefix: '2001:db8:1::', length: 64 }] }),
  vxlanFrame({ vni: 10100, inner: nsFrame({ srcMac: HOST, srcIp: '2001:db8::10', target: '2001:db8::1' }) }),
  ndFrame({ src: HOST, dst: GW, srcIp: '2001:db8::10', dstIp: '2001:db8::1', hopLimit: 64, message: icmpv6Raw({ type: 128, body: Buffer.alloc(60) }) }),
];

const decoder = new FrameDecoder();
// Warm up (JIT, inline caches) on both workloads before counting.
const all = [...filler, ...nd];
for (let i = 0; i < 300_000; i++) decoder.decode(all[i % all.length], 1);

function measure(name: string, frames: Buffer[], n: number): Promise<void> {
  let gcs = 0;
  const observer = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  let interest = 0;
  for (let i = 0; i < n; i++) interest |= decoder.decode(frames[i % frames.length], 1).root.interest;
  const ns = Number(process.hrtime.bigint() - start);
  const heapAfter = process.memoryUsage().heapUsed;
  return new Promise((resolve) =>
    setTimeout(() => {
      observer.disconnect();
      console.log(
        `${n} ${name} frames decoded in ${(ns / 1e6).toFixed(0)} ms (${(ns / n).toFixed(0)} ns/frame), interest bits ${interest}, ` +
          `GC events ${gcs}, heap ${((heapAfter - heapBefore) / 1024).toFixed(0)} KiB apart`,
      );
      resolve();
    }, 50),
  );
}

await measure('filler', filler, 3_000_000);
await measure('neighbour-discovery', nd, 3_000_000);
