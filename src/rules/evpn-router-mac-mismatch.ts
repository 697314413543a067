// evpn-router-mac-mismatch: routed VXLAN traffic (symmetric IRB / type-5: frames in an L3 VNI) whose inner MACs
// disagree with the router MACs the VTEPs advertise. In an L3 VNI the inner Ethernet header runs from the ingress
// VTEP's router MAC to the egress VTEP's router MAC, both taken from the EVPN Router's MAC extended community
// (RFC 9135 §8.1, type 0x06 sub-type 0x03) of their type-5 / two-label type-2 routes (RFC 9136 §4.4.1).
//
//   source       the inner source differs from the sending VTEP's advertised router MAC: others address routed
//                traffic for its hosts to a MAC it does not route with
//   destination  the inner destination differs from the receiving VTEP's advertised router MAC: it drops them
//
// L3 VNIs are those seen as a type-5 label or a type-2 label2; a VTEP's router MAC is the one its latest such route
// carried, and is compared only planesGrace after it was advertised.
import { formatIpv4, formatMac } from '../util/net.js';
import type { FrameRef, VxlanFrameFact } from '../facts/types.js';
import { setting } from './options.js';
import { FrameColumn } from './columns.js';
import { EpisodeThrottle, PLANES_GRACE, refOf, type RouterMacInfo } from './planes.js';
import type { Rule } from './types.js';
import { REPORT_EVERY } from './evpn-mac-location-mismatch.js';

export const EVPN_ROUTER_MAC_MISMATCH = 'evpn-router-mac-mismatch';

type Which = 'source' | 'destination';

export const evpnRouterMacMismatch: Rule = {
  meta: {
    id: EVPN_ROUTER_MAC_MISMATCH,
    severity: 'warning',
    title: 'Routed VXLAN traffic whose inner MAC is not the router MAC its VTEP advertises',
    rationale:
      'With symmetric IRB and type-5 routes, routed traffic crosses the fabric in an L3 VNI with the ingress VTEP\'s ' +
      'router MAC as inner source and the egress VTEP\'s router MAC as inner destination, both advertised in the ' +
      'EVPN Router\'s MAC extended community (RFC 9135 §8.1). A VTEP that routes with another MAC than it advertises ' +
      '(a changed system MAC, an MLAG pair with two MACs, a misconfigured anycast router MAC) has the others address ' +
      'its traffic to a MAC it does not accept: routed traffic to it is dropped at its L3 VNI.',
    remediation:
      'Make the router MAC the VTEP advertises (show bgp evpn route ... rmac) the MAC its L3 VNI interface routes ' +
      'with (e.g. the SVI / vrf bridge MAC); on an MLAG/vPC pair, both members must advertise and use one router MAC.',
    options: [],
    messages: {
      source: 'VTEP {vtep} routes in L3 VNI {vni} with inner source {mac}, not the router MAC {routerMac} it advertises',
      'source-detail':
        'Routed VXLAN traffic in L3 VNI {vni} from {vtep} carries inner source {mac}, but {vtep}\'s EVPN routes (RD ' +
        '{rd}, RT {rt}) advertise router MAC {routerMac}: the other VTEPs address routed traffic for {vtep}\'s hosts ' +
        'to {routerMac}, which {vtep} does not route with — blackholed at {vtep} unless it also owns {routerMac}.',
      destination: 'Routed traffic to VTEP {vtep} in L3 VNI {vni} is addressed to {mac}, not its router MAC {routerMac}',
      'destination-detail':
        '{sender} sends routed VXLAN traffic in L3 VNI {vni} to {vtep} with inner destination {mac}, but {vtep}\'s ' +
        'EVPN routes (RD {rd}, RT {rt}) advertise router MAC {routerMac}: {vtep} does not take the frames as ' +
        'addressed to itself — blackholed at {vtep}; {sender} uses a stale or wrong router MAC for it.',
    },
  },
  create(context) {
    const planes = context.shared.planes();
    const control = planes.control;
    const grace = setting(context, PLANES_GRACE);
    const sources = new EpisodeThrottle(planes.vteps.rows.cap, REPORT_EVERY);
    const destinations = new EpisodeThrottle(planes.vteps.rows.cap, REPORT_EVERY);

    /** The last frame counted but not yet reported, per throttle row and direction, with the router MAC it was
     *  held against (as it was then: its route's frame, RD and RTs), for the end flush. */
    const cap = planes.vteps.rows.cap;
    const pendingFrames = () => ({
      vni: new Uint32Array(cap),
      src: new Uint32Array(cap),
      dst: new Uint32Array(cap),
      mac: new Float64Array(cap),
      ref: new FrameColumn(cap),
      /** 1: a frame is pending (or was: flushed rows are flushed again, as nothing). */
      any: new Uint8Array(cap),
      routerMac: new Float64Array(cap),
      route: new FrameColumn(cap),
      rd: [] as string[],
      routeTargets: [] as string[][],
    });
    const pending = { source: pendingFrames(), destination: pendingFrames() };

    function report(vni: number, vtepSrc: number, vtepDst: number, innerMac: number, ref: FrameRef, which: Which, info: RouterMacInfo, count: number): void {
      const vtepNumber = which === 'source' ? vtepSrc : vtepDst;
      const identifier = `${vni}|${vtepNumber}|${which}`;
      if (context.wants && !context.wants(EVPN_ROUTER_MAC_MISMATCH, identifier)) return;
      const vtep = formatIpv4(vtepNumber);
      const sender = formatIpv4(vtepSrc);
      const mac = formatMac(innerMac);
      const routerMac = formatMac(info.mac);
      const rt = info.routeTargets.join(', ') || 'none';
      context.report({
        messageId: which,
        detailMessageId: `${which}-detail`,
        data: { vtep, sender, vni, mac, routerMac, rd: info.rd, rt },
        identifier,
        confidence: 'confirmed',
        domainId: null,
        evpnDomain: { vni, ethernetTag: 0, routeTargets: info.routeTargets },
        subject: { vtep, vni, mac, routerMac, [which === 'source' ? 'peer' : 'sender']: which === 'source' ? formatIpv4(vtepDst) : sender },
        evidence: [
          { ref, role: `routed frame ${which === 'source' ? 'from' : 'to'} ${vtep}, inner ${which} ${mac}` },
          { ref: info.ref, role: `route from ${vtep} with router MAC ${routerMac}` },
        ],
        count,
        wiresharkFilter:
          `(vxlan.vni == ${vni} && ${which === 'source' ? `ip.src == ${vtep} && eth.src == ${mac}` : `ip.dst == ${vtep} && eth.dst == ${mac}`}) || ` +
          `(bgp.ext_com_evpn.esi.router_mac == ${routerMac} && bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4 == ${vtep})`,
      });
    }

    /** `macRow`: the control plane's router MAC row of the VTEP (its episode: the time of the route that set it). */
    function mismatch(f: VxlanFrameFact, which: Which, row: number, macRow: number): void {
      const throttle = which === 'source' ? sources : destinations;
      const innerMac = which === 'source' ? f.innerSrc : f.innerDst;
      const count = throttle.take(row, control.routerMacTime(macRow), f.time);
      if (count > 0) {
        report(f.vni, f.vtepSrc, f.vtepDst, innerMac, refOf(f), which, control.routerMacInfo(macRow), count);
        return;
      }
      const p = pending[which];
      p.vni[row] = f.vni;
      p.src[row] = f.vtepSrc;
      p.dst[row] = f.vtepDst;
      p.mac[row] = innerMac;
      p.ref.set(row, f);
      p.any[row] = 1;
      p.routerMac[row] = control.routerMac(macRow);
      p.route.copy(row, control.routerMacs.ref, macRow);
      p.rd[row] = control.routerMacRd(macRow);
      p.routeTargets[row] = control.routerMacTargets(macRow);
    }

    return {
      vxlan(f) {
        if (!control.isL3Vni(f.vni)) return;
        const from = control.routerMacOf(f.vtepSrc);
        if (from >= 0 && control.routerMac(from) !== f.innerSrc && f.time - control.routerMacTime(from) >= grace) mismatch(f, 'source', planes.lastSenderRow, from);
        if (f.bum || planes.lastReceiverRow < 0) return;
        const to = control.routerMacOf(f.vtepDst);
        if (to >= 0 && control.routerMac(to) !== f.innerDst && f.time - control.routerMacTime(to) >= grace) mismatch(f, 'destination', planes.lastReceiverRow, to);
      },
      end() {
        if (planes.capped) context.capped?.(EVPN_ROUTER_MAC_MISMATCH);
        // Frames counted since the last report of each mismatch: reported with the last of them.
        for (const which of ['source', 'destination'] as const) {
          const p = pending[which];
          const throttle = which === 'source' ? sources : destinations;
          for (let row = 0; row < cap; row++) {
            if (p.any[row] === 0) continue;
            const count = throttle.flush(row, p.route.time(row));
            if (count === 0) continue;
            const info: RouterMacInfo = { mac: p.routerMac[row], ref: p.route.ref(row), rd: p.rd[row], routeTargets: p.routeTargets[row] };
            report(p.vni[row], p.src[row], p.dst[row], p.mac[row], p.ref.ref(row), which, info, count);
          }
        }
      },
      sizes: () => planes.sizes(),
    };
  },
};
