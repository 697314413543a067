// Run by slot-shape.test.ts as `node --allow-natives-syntax --import tsx`: decodes frames whose MACs, addresses and
// sequence numbers are small integers in one decoder and the same frames with large values in another, then prints
// JSON saying, per layer of the decoder's slots, whether both decoders' layers still share one hidden class. A
// layer field that starts as a small integer is widened by the first large value, which deprecates the class the
// first decoder's layer has and throws away the code optimised for it (see src/util/double.ts).
import { FrameDecoder } from '../../src/decode/frame.ts';
import { arpFrame, hsrpFrame, tcpFrame, vxlanFrame } from '../../fixtures/builder/packet.ts';
import { nsFrame } from '../../fixtures/builder/nd.ts';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');

/** The frames, with small values (`small`) or values above 2^30 (`large`). */
function frames(large) {
  const mac = large ? '52:54:00:12:34:56' : '00:00:00:00:00:01';
  const ip = large ? '192.168.1.1' : '10.0.0.1';
  const other = large ? '192.168.1.2' : '10.0.0.2';
  const arp = arpFrame({ opcode: 2, senderMac: mac, senderIp: ip, targetMac: mac, targetIp: other, src: mac, dst: mac });
  return {
    arp,
    tcp: tcpFrame({ src: mac, dst: mac, srcIp: ip, dstIp: other, srcPort: 40000, dstPort: 443, seq: large ? 3_000_000_000 : 1, ack: large ? 4_000_000_000 : 2 }),
    nd: nsFrame({ srcMac: mac, srcIp: '2001:db8::1', target: '2001:db8::2' }),
    hsrp: hsrpFrame({ version: 2, src: mac, srcIp: ip, state: 'active', group: 1, identifier: mac, virtualIp: other }),
    // Last: the root slot it leaves has the depth-1 slot as its inner.
    vxlan: vxlanFrame({ src: mac, dst: mac, vni: 10100, vtepSrc: ip, vtepDst: other, inner: arp }),
  };
}

/** Decodes every frame of the set; returns the root slot the last one (VXLAN) left. */
function decodeAll(decoder, set) {
  let root = null;
  for (const bytes of Object.values(set)) root = decoder.decode(bytes, 1).root;
  return root;
}

const options = { vxlanPorts: [4789], bgpPorts: [179] };
// The small decoder's slots are not written again after the large values: a write would migrate them to the
// widened class and hide the difference.
const a = decodeAll(new FrameDecoder(options), frames(false));
const b = decodeAll(new FrameDecoder(options), frames(true));
const layers = ['arp', 'ip', 'tcp', 'udp', 'nd', 'hsrp', 'tunnel'];
const out = { slot: sameMap(a, b), inner: sameMap(a.inner, b.inner) };
for (const layer of layers) out[layer] = sameMap(a[layer], b[layer]) && sameMap(a.inner[layer], b.inner[layer]);
// The values still read back as decoded (a double zero is still zero).
out.values = { src: b.src, senderIp: b.inner.arp.senderIp, outerSrc4: b.inner.tunnel.outerSrc4 };
process.stdout.write(JSON.stringify(out));
