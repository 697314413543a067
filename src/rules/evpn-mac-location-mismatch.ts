// evpn-mac-location-mismatch: the data plane shows MAC M entering the overlay at VTEP X (inner source of VXLAN
// frames from X) while every live EVPN type-2 route for M in that VNI has another next hop Y — for longer than a
// convergence grace. RFC 7432 §15 (MAC mobility): after a move the new PE advertises M with a higher sequence;
// until its route arrives, data from the new VTEP legitimately precedes it, hence the grace (planesGrace).
//
// Not judged: MACs whose route is multihomed (non-zero ESI: any VTEP of the segment may forward, RFC 7432 §8.4),
// default-gateway MACs (an anycast gateway MAC is sourced by every VTEP), MACs with no live route in the VNI
// (nothing to compare: the control plane is not visible for them).
import { formatIpv4, formatMac } from '../util/net.js';
import type { VxlanFrameFact } from '../facts/types.js';
import { setting } from './options.js';
import { EpisodeThrottle, evpnDomainOf, instanceText, latest, PLANES_GRACE, refOf, vtepTexts, type ControlPlane, type LiveRoute } from './planes.js';
import type { Evidence, Rule } from './types.js';
import { anyOf } from './wireshark.js';

export const EVPN_MAC_LOCATION_MISMATCH = 'evpn-mac-location-mismatch';

/** A mismatch that goes on is reported again at most this often (capture seconds); frames between are counted. */
export const REPORT_EVERY = 10;

/** A MAC whose routes (a list of `control.macs`) are not compared with its data: multihomed (non-zero ESI) or a
 *  default-gateway MAC. */
export function notComparable(control: ControlPlane, set: number): boolean {
  const routes = control.routes;
  for (let r = control.macs.first(set); r !== 0; r = control.macs.next(r)) if (!routes.esiZero(r) || routes.defaultGateway(r)) return true;
  return false;
}

/** Whether one of the routes (a list of `control.macs`) has the VTEP as its next hop. */
export function routedVia(control: ControlPlane, set: number, vtep: number): boolean {
  const routes = control.routes;
  for (let r = control.macs.first(set); r !== 0; r = control.macs.next(r)) if (routes.vtep(r) === vtep) return true;
  return false;
}

export const evpnMacLocationMismatch: Rule = {
  meta: {
    id: EVPN_MAC_LOCATION_MISMATCH,
    severity: 'warning',
    title: 'A MAC enters the VXLAN overlay at one VTEP while its EVPN route points at another',
    rationale:
      'The control plane (the type-2 route\'s next hop) and the data plane (the VTEP whose VXLAN frames carry the MAC ' +
      'as inner source) are two truths about where a MAC lives. When they disagree for longer than a move takes to ' +
      'converge, every other VTEP tunnels traffic for the MAC to the VTEP the route names, where the host no longer ' +
      'is: blackholed there, or hairpinned back through it. Typical causes: a route not withdrawn after a move (a ' +
      'lost MAC Mobility update), a host moved behind a static VXLAN peer that advertises nothing, a duplicated MAC.',
    remediation:
      'On the VTEP that carries the traffic, check that it learned the MAC and advertises it (show evpn mac / bridge ' +
      'fdb); on the VTEP the route names, check why it still advertises it (a stale local entry, a loop, a duplicate ' +
      'MAC). Clear the stale entry, or fix the MAC Mobility sequence so the new location wins.',
    options: [PLANES_GRACE],
    messages: {
      mismatch: 'MAC {mac} in {instance} arrives from VTEP {dataVtep} but its EVPN route points at {routeVtep}',
      'mismatch-detail':
        'For {seconds} s (past the {grace} s grace) VXLAN frames with inner source {mac} entered VNI {vni} at VTEP ' +
        '{dataVtep}, while the live type-2 route places {mac} at {routeVtep}: traffic to {mac} from every other ' +
        'VTEP is tunnelled to {routeVtep} and blackholed there (or hairpinned back through it).',
    },
  },
  create(context) {
    const planes = context.shared.planes();
    const control = planes.control;
    const grace = setting(context, PLANES_GRACE);
    const throttle = new EpisodeThrottle(planes.macs.rows.cap, REPORT_EVERY);

    function report(f: VxlanFrameFact | null, row: number, routes: readonly LiveRoute[], since: number, count: number): void {
      const macs = planes.macs;
      const vtep = macs.vtep[row];
      const vni = macs.rows.vni[row];
      const mac = macs.rows.key[row];
      const route = latest(routes);
      const dataVtep = formatIpv4(vtep);
      const routeVteps = vtepTexts(routes);
      const macText = formatMac(mac);
      const identifier = `${vni}|${mac}|${vtep}`;
      if (context.wants && !context.wants(EVPN_MAC_LOCATION_MISMATCH, identifier)) return;
      const last = f ? refOf(f) : macs.lastRef(row);
      const evidence: Evidence[] = [
        { ref: macs.firstRef(row), role: `inner source ${macText} from VTEP ${dataVtep}` },
        { ref: last, role: `inner source ${macText} from VTEP ${dataVtep}, still` },
        ...routes.map((r) => ({ ref: r.ref, role: `type-2 route for ${macText} via ${r.vtepText}` })),
      ];
      context.report({
        messageId: 'mismatch',
        detailMessageId: 'mismatch-detail',
        data: {
          mac: macText,
          vni,
          instance: instanceText(route),
          dataVtep,
          routeVtep: routeVteps.join(', '),
          seconds: Math.round((last.time - since) * 1000) / 1000,
          grace,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(route),
        subject: { mac: macText, vni, dataVtep, routeVtep: routeVteps, rd: route.rd },
        evidence,
        count,
        wiresharkFilter:
          `(vxlan.vni == ${vni} && ip.src == ${dataVtep} && eth.src == ${macText}) || ` +
          `(bgp.evpn.nlri.rt == 2 && bgp.evpn.nlri.mac_addr == ${macText} && ${anyOf('bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4', routeVteps)})`,
      });
    }

    return {
      vxlan(f) {
        const row = planes.lastMacRow;
        if (row < 0) return;
        const set = planes.lastMacRoutes;
        if (set < 0 || control.macs.count(set) === 0) return;
        if (routedVia(control, set, f.vtepSrc) || notComparable(control, set)) return;
        const since = Math.max(planes.macs.since[row], control.macs.changed(set));
        if (f.time - since < grace) return;
        const count = throttle.take(row, planes.macs.since[row], f.time);
        if (count > 0) report(f, row, control.listed(control.macs, set), since, count);
      },
      end() {
        if (planes.capped) context.capped?.(EVPN_MAC_LOCATION_MISMATCH);
        // Frames counted since the last report of a mismatch that still holds.
        for (let row = 0; row < planes.macs.rows.size; row++) {
          const set = control.macSet(planes.macs.rows.vni[row], planes.macs.rows.key[row]);
          if (set < 0 || control.macs.count(set) === 0 || routedVia(control, set, planes.macs.vtep[row])) continue;
          const count = throttle.flush(row, planes.macs.since[row]);
          if (count > 0) report(null, row, control.listed(control.macs, set), Math.max(planes.macs.since[row], control.macs.changed(set)), count);
        }
      },
      sizes: () => planes.sizes(),
    };
  },
};
