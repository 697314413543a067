// evpn-vni-mismatch: VTEP X sends MAC M's traffic in VNI V (inner source M, VXLAN VNI V) while its own live
// type-2 route for M carries another VNI W in its label (RFC 8365 §5.1.3: label1 is the VNI) and no VTEP has a
// live route for M in V. Remote VTEPs then tunnel traffic for M to X in VNI W — a segment X does not use for M's
// bridge domain — where it is dropped. The usual cause: a VLAN-to-VNI mapping that differs between the data plane
// and the MAC-VRF (or between leaves), or a route re-originated with a translated VNI.
//
// Not judged: a VNI that is some route's L3 VNI (routed traffic, see evpn-router-mac-mismatch), default-gateway
// and multihomed MACs, and a MAC with a route in V (then evpn-mac-location-mismatch compares next hops).
import { formatIpv4, formatMac } from '../util/net.js';
import type { FrameRef } from '../facts/types.js';
import { setting } from './options.js';
import { EpisodeThrottle, evpnDomainOf, instanceText, latest, PLANES_GRACE, refOf, type ControlPlane, type LiveRoute } from './planes.js';
import type { Rule } from './types.js';
import { REPORT_EVERY } from './evpn-mac-location-mismatch.js';

export const EVPN_VNI_MISMATCH = 'evpn-vni-mismatch';

/**
 * The most recently advertised (the first of them: `latest`) of X's own live routes for the MAC in other VNIs, as
 * a route row — 0 when it has none, or when the frame's VNI is one the MAC's routes could be using (an L3 VNI of
 * theirs) or the MAC is not compared (multihomed, a default gateway).
 */
function otherVniLatest(control: ControlPlane, mac: number, vni: number, vtep: number): number {
  const list = control.macEverywhere(mac);
  if (list < 0) return 0;
  const routes = control.routes;
  const lists = control.macAnyVni;
  let best = 0;
  for (let r = lists.first(list); r !== 0; r = lists.next(r)) {
    if (routes.defaultGateway(r) || !routes.esiZero(r) || routes.l3Vni(r) === vni) return 0;
    if (routes.vtep(r) === vtep && routes.vni(r) !== vni && (best === 0 || routes.time(r) > routes.time(best))) best = r;
  }
  return best;
}

/** Those routes, as the finding cites them. */
function otherVniRoutes(control: ControlPlane, mac: number, vni: number, vtep: number): LiveRoute[] {
  const out: LiveRoute[] = [];
  const list = control.macEverywhere(mac);
  if (list < 0) return out;
  const routes = control.routes;
  const lists = control.macAnyVni;
  for (let r = lists.first(list); r !== 0; r = lists.next(r)) if (routes.vtep(r) === vtep && routes.vni(r) !== vni) out.push(control.describe(r));
  return out;
}

export const evpnVniMismatch: Rule = {
  meta: {
    id: EVPN_VNI_MISMATCH,
    severity: 'warning',
    title: 'A VTEP sends a MAC\'s traffic in one VNI but advertises the MAC with another',
    rationale:
      'In VXLAN EVPN the type-2 route\'s label is the VNI that remote VTEPs put on traffic for the MAC (RFC 8365 ' +
      '§5.1.3). When the VTEP that has the MAC sends its traffic in a different VNI than the one it advertises, the ' +
      'two planes disagree on the segment: remote VTEPs send traffic for the MAC in the advertised VNI, which the ' +
      'VTEP does not map to the MAC\'s bridge domain, and it is dropped there; the MAC is learned (by data-plane ' +
      'learning peers) in the other segment.',
    remediation:
      'Compare the VLAN-to-VNI mapping of the VTEP\'s bridge domain with the VNI of its MAC-VRF / EVI (and with the ' +
      'other leaves: the same segment must use the same VNI fabric-wide, unless VNI translation is configured on ' +
      'purpose on both sides).',
    options: [],
    messages: {
      mismatch: 'VTEP {vtep} sends MAC {mac} in VNI {dataVni} but advertises it in {instance}',
      'mismatch-detail':
        'VXLAN frames from {vtep} carry inner source {mac} in VNI {dataVni} for {seconds} s, while {vtep}\'s live ' +
        'type-2 route for {mac} has label (VNI) {routeVni} and no VTEP advertises {mac} in VNI {dataVni}: traffic to ' +
        '{mac} from the other VTEPs is tunnelled to {vtep} in VNI {routeVni} and blackholed at {vtep}.',
    },
  },
  create(context) {
    const planes = context.shared.planes();
    const grace = setting(context, PLANES_GRACE);
    const control = planes.control;
    const throttle = new EpisodeThrottle(planes.macs.rows.cap, REPORT_EVERY);
    /** The latest route that disagrees with (vni, mac) entering at vtep (a route row), or 0 when the planes agree or
     *  cannot be compared. */
    function disagreeing(vni: number, mac: number, vtep: number, here = control.macSet(vni, mac)): number {
      if ((here >= 0 && control.macs.count(here) > 0) || control.isL3Vni(vni)) return 0;
      return otherVniLatest(control, mac, vni, vtep);
    }

    function report(row: number, last: FrameRef, count: number): void {
      const vni = planes.macs.rows.vni[row];
      const macNumber = planes.macs.rows.key[row];
      const vtepNumber = planes.macs.vtep[row];
      const identifier = `${vni}|${macNumber}|${vtepNumber}`;
      if (context.wants && !context.wants(EVPN_VNI_MISMATCH, identifier)) return;
      const routes = otherVniRoutes(control, macNumber, vni, vtepNumber);
      const vtep = formatIpv4(vtepNumber);
      const mac = formatMac(macNumber);
      const route = latest(routes);
      const routeVnis = [...new Set(routes.map((r) => r.vni))].sort((a, b) => a - b);
      context.report({
        messageId: 'mismatch',
        detailMessageId: 'mismatch-detail',
        data: {
          vtep,
          mac,
          dataVni: vni,
          routeVni: routeVnis.join(', '),
          instance: instanceText(route),
          seconds: Math.round((last.time - planes.macs.since[row]) * 1000) / 1000,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(route),
        subject: { mac, vtep, dataVni: vni, routeVni: routeVnis, rd: route.rd },
        evidence: [
          { ref: planes.macs.firstRef(row), role: `inner source ${mac} in VNI ${vni} from VTEP ${vtep}` },
          { ref: last, role: `inner source ${mac} in VNI ${vni} from VTEP ${vtep}, still` },
          ...routes.map((r) => ({ ref: r.ref, role: `type-2 route for ${mac} via ${r.vtepText}, VNI ${r.vni}` })),
        ],
        count,
        wiresharkFilter:
          `(vxlan.vni == ${vni} && ip.src == ${vtep} && eth.src == ${mac}) || ` +
          `(bgp.evpn.nlri.rt == 2 && bgp.evpn.nlri.mac_addr == ${mac} && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == ${vtep})`,
      });
    }

    return {
      vxlan(f) {
        const row = planes.lastMacRow;
        if (row < 0) return;
        const here = planes.lastMacRoutes;
        const latestRoute = disagreeing(f.vni, f.innerSrc, f.vtepSrc, here);
        if (latestRoute === 0) return;
        const since = Math.max(planes.macs.since[row], control.routes.time(latestRoute), here >= 0 ? control.macs.changed(here) : 0);
        if (f.time - since < grace) return;
        const count = throttle.take(row, planes.macs.since[row], f.time);
        if (count > 0) report(row, refOf(f), count);
      },
      end() {
        if (planes.capped) context.capped?.(EVPN_VNI_MISMATCH);
        // Frames counted since the last report of a mismatch that still holds.
        const macs = planes.macs;
        for (let row = 0; row < macs.rows.size; row++) {
          if (!throttle.reported(row, macs.since[row])) continue;
          if (disagreeing(macs.rows.vni[row], macs.rows.key[row], macs.vtep[row]) === 0) continue;
          const count = throttle.flush(row, macs.since[row]);
          if (count > 0) report(row, macs.lastRef(row), count);
        }
      },
      sizes: () => planes.sizes(),
    };
  },
};
