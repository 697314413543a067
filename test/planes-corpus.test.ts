// Issue 17 against real captures: the SR Linux L2 EVPN tutorial (srl-labs/learn-srlinux, BSD-3-Clause) — one
// capture of the two leaves' type-3 (IMET) routes, one of their type-2 routes and the VXLAN ARP/ICMP between their
// hosts. Both planes agree there, so the control/data-plane rules must say nothing at warning or above (nothing at
// all, in fact); the type-3 and type-2 routes are decoded from their real bytes as tshark reads them; and each
// capture alone says in its coverage which plane (or which route type) it lacks. Skipped when the corpus is absent.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/index.js';
import type { EvpnRouteFact } from '../src/facts/types.js';
import type { Rule } from '../src/rules/types.js';
import { CORPUS, corpusPresent } from './corpus.js';

if (!corpusPresent) console.warn('test/planes-corpus: ../shared/corpus is absent — skipping the SR Linux EVPN control/data-plane checks');

const IMET = `${CORPUS}captures/srllabs__evpn01-imet-routes.pcapng`;
const MACIP = `${CORPUS}captures/srllabs__evpn01-macip-routes.pcapng`;
const PLANE_IDS = [
  'evpn-mac-location-mismatch',
  'evpn-vni-mismatch',
  'evpn-flood-list',
  'evpn-flood-to-unannounced',
  'evpn-imet-silent',
  'evpn-arp-suppression-off',
  'evpn-router-mac-mismatch',
];

/** An observer that keeps every EVPN route fact (in a test, over a 10-packet capture). */
function collector(into: EvpnRouteFact[]): Rule {
  return {
    meta: { id: 'collect-evpn', severity: 'info', title: 'collects EVPN facts', rationale: '', remediation: '', options: [], messages: {} },
    create: () => ({ evpn: (f) => void into.push(f) }),
  };
}

describe.skipIf(!corpusPresent)('SR Linux EVPN tutorial captures: control and data plane agree', () => {
  it('the type-3 routes decode as tshark reads them: originator, PMSI ingress replication, VNI 1 in the PMSI label', async () => {
    const routes: EvpnRouteFact[] = [];
    await analyze([IMET], { observers: [collector(routes)] });
    expect(routes.map((r) => ({ type: r.routeType, rd: r.rd, nextHop: r.nextHop, originator: r.originatorIp, pmsi: r.pmsiTunnel, rts: r.routeTargets, encap: r.encapsulation, frame: r.ref.frame }))).toEqual([
      { type: 3, rd: '10.0.0.1:111', nextHop: '10.0.0.1', originator: '10.0.0.1', pmsi: { tunnelType: 6, label: 1, tunnelId: '10.0.0.1' }, rts: ['100:111'], encap: 8, frame: 5 },
      { type: 3, rd: '10.0.0.2:111', nextHop: '10.0.0.2', originator: '10.0.0.2', pmsi: { tunnelType: 6, label: 1, tunnelId: '10.0.0.2' }, rts: ['100:111'], encap: 8, frame: 9 },
    ]);
  });

  it('the type-2 routes decode with label (VNI) 1 and the leaf as next hop', async () => {
    const routes: EvpnRouteFact[] = [];
    await analyze([MACIP], { observers: [collector(routes)] });
    expect(routes.map((r) => ({ type: r.routeType, mac: r.mac?.toString(16), labels: r.labels, nextHop: r.nextHop, pmsi: r.pmsiTunnel, frame: r.ref.frame }))).toEqual([
      { type: 2, mac: 'c1ab000001', labels: [1], nextHop: '10.0.0.1', pmsi: null, frame: 15 },
      { type: 2, mac: 'c1ab000002', labels: [1], nextHop: '10.0.0.2', pmsi: null, frame: 17 },
    ]);
  });

  for (const [name, files, statement] of [
    ['the IMET capture alone (no data plane)', [IMET], 'EVPN routes with VXLAN VNIs seen but no VXLAN data plane: control and data plane not compared'],
    ['the MAC/IP capture alone (no type-3 routes)', [MACIP], 'no EVPN type-3 (IMET) routes seen: VXLAN flood lists (BUM senders and receivers) not compared with the control plane'],
    ['both captures as one story', [IMET, MACIP], null],
  ] as const) {
    it(`${name}: no control/data-plane finding, and the coverage says what was not compared`, async () => {
      const report = await analyze([...files]);
      const mine = report.findings.filter((f) => PLANE_IDS.includes(f.rule));
      expect(mine.map((f) => `${f.rule}: ${f.summary}`)).toEqual([]);
      expect(report.findings.filter((f) => f.severity !== 'info').map((f) => f.rule)).toEqual([]);
      const planeStatements = report.coverage.statements.filter((s) => /plane|IMET/.test(s));
      expect(planeStatements).toEqual(statement ? [statement] : []);
    });
  }
});
