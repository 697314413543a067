// A synthetic report with many findings (built from the fixtures' findings and scenes, ids renumbered) for the
// size and speed checks of the HTML report.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NeighbourMessage, FhrpHello, HtmlExtras, MobilityEvent, Scene } from '../src/report/html/scene.js';
import type { Report } from '../src/report/types.js';
import type { Finding } from '../src/rules/types.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));

function golden(name: string): Report {
  return JSON.parse(readFileSync(`${GOLDEN}${name}.json`, 'utf8')) as Report;
}

/** `count` findings cycling through the blackhole, duplicate-gateway, mobility and HSRP findings, each with a scene. */
export const HEAVY = ['anycast-shared-mac-blackhole', 'anycast-unique-macs-one-gateway', 'evpn-mac-move-stale', 'anycast-hsrp-all-active'];
/** What a big capture gives most: unanswered ARP, a few MAC moves. */
export const TYPICAL = ['vxlan-arp-unanswered', 'vxlan-arp-unanswered', 'vxlan-arp-unanswered', 'evpn-mac-flapping'];

export function syntheticReport(count: number, mix: string[] = HEAVY): { report: Report; extras: HtmlExtras } {
  const bases = mix.map(golden);
  const report: Report = { ...bases[0], findings: [], summary: { error: 0, warning: 0, info: 0 } };
  const scenes = new Map<string, Scene>();
  for (let k = 0; k < count; k++) {
    const base = bases[k % bases.length].findings[0];
    const shift = Math.floor(k / bases.length) * 0.001;
    const f: Finding = { ...base, id: k.toString(16).padStart(12, '0'), evidence: { ...base.evidence, items: base.evidence.items.map((i) => ({ ...i })) } };
    report.findings.push(f);
    report.summary[f.severity]++;
    scenes.set(f.id, sceneFor(f, shift));
  }
  return { report, extras: { scenes, notes: [], replayed: true } };
}

/** A plausible scene from the evidence (the synthetic findings have no capture behind them). */
function sceneFor(f: Finding, shift: number): Scene {
  const t = (iso: string) => Date.parse(iso.slice(0, 23) + 'Z') / 1000 + shift;
  if (f.rule.startsWith('mac-')) {
    const items: MobilityEvent[] = f.evidence.items.map((i, n) => ({
      input: 0, frame: i.frame, time: t(i.time), action: 'advertise', pe: `10.0.0.${n + 1}`, rd: `10.0.0.${n + 1}:1`, sequence: 3 - 2 * n, sticky: false,
    }));
    return { kind: 'mobility', items, total: items.length };
  }
  if (f.rule.startsWith('hsrp')) {
    const items: FhrpHello[] = f.evidence.items.map((i, n) => ({ input: 0, frame: i.frame, time: t(i.time), router: `10.100.0.${2 + (n % 2)}`, state: 'active', priority: 100, holdMs: 10000 }));
    return { kind: 'fhrp', items, total: items.length };
  }
  const items: NeighbourMessage[] = f.evidence.items.map((i, n) => ({
    input: 0, frame: i.frame, time: t(i.time), family: 'arp', op: n % 2 ? 'reply' : 'request',
    ethSrc: '00:1c:73:aa:aa:aa', ethDst: 'ff:ff:ff:ff:ff:ff', senderMac: n % 2 ? '02:00:00:00:00:11' : '00:1c:73:aa:aa:aa',
    senderIp: n % 2 ? '10.100.0.11' : '10.100.0.3', targetIp: n % 2 ? '10.100.0.3' : '10.100.0.11', targetMac: n % 2 ? '00:1c:73:aa:aa:aa' : '00:00:00:00:00:00',
  }));
  return { kind: 'neighbour', items, total: items.length };
}
