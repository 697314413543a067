// evpn-arp-suppression-off: ARP requests or IPv6 Neighbour Solicitations flooded into VXLAN (BUM, from a VTEP) for
// an address whose EVPN MAC/IP route is live. With ARP/ND suppression (RFC 7432 §10: a PE "SHOULD" answer from
// the MAC/IP bindings it learned; RFC 9161; the Linux bridge's neigh_suppress) the VTEP answers such a request
// itself and floods nothing; every request flooded anyway costs a copy per VTEP of the VNI and shows that
// suppression is off (or the binding is not installed) on the VTEP that floods it.
//
// Judged only for requests inside IPv4 VXLAN whose target's MAC/IP route was live for planesGrace before the
// request (a route that just arrived may not be installed yet). Gratuitous ARP, probes and unicast (refresh)
// requests are never flooded for resolution and are not counted.
import { formatIpv4, formatMac } from '../util/net.js';
import type { NeighbourFact } from '../facts/types.js';
import { setting } from './options.js';
import { evpnDomainOf, instanceText, PLANES_GRACE } from './planes.js';
import type { Rule } from './types.js';

export const EVPN_ARP_SUPPRESSION_OFF = 'evpn-arp-suppression-off';

export const evpnArpSuppressionOff: Rule = {
  meta: {
    id: EVPN_ARP_SUPPRESSION_OFF,
    severity: 'info',
    title: 'ARP requests or Neighbour Solicitations flooded in VXLAN although EVPN knows the answer',
    rationale:
      'EVPN distributes IP-to-MAC bindings in MAC/IP routes so that a VTEP can answer ARP and Neighbour ' +
      'Solicitations locally instead of flooding them (RFC 7432 §10, RFC 9161). A VTEP that still floods requests ' +
      'for addresses with a live MAC/IP route has suppression off: every request is replicated to every VTEP of the ' +
      'VNI and reaches every host, which in large segments is the bulk of the BUM traffic.',
    remediation:
      'Enable ARP/ND suppression on the flooding VTEP for the VNI (e.g. `neigh_suppress on` on the Linux bridge port ' +
      'of the VXLAN device with FRR, `arp-suppression` / `suppress-arp` on the switch OS), and check that it installs ' +
      'the remote MAC/IP bindings (its neighbour table or proxy-ARP table).',
    options: [],
    messages: {
      flooded: 'VTEP {vtep} floods {kind} in VNI {vni} for addresses EVPN already resolves (e.g. {target})',
      'flooded-detail':
        '{vtep} sent the {kind} for {target} into VXLAN as BUM although the MAC/IP route for {target} ({mac} at ' +
        '{routeVtep}, {instance}) is live: ARP/ND suppression is off on {vtep}, and every such request is flooded to ' +
        'every VTEP of VNI {vni}.',
    },
  },
  create(context) {
    const planes = context.shared.planes();
    const grace = setting(context, PLANES_GRACE);
    return {
      neighbour(f: NeighbourFact) {
        if (f.arpClass !== 'request' || f.unicast) return;
        if (f.family === 4 ? f.opcode !== 1 : f.opcode !== 135) return;
        // Only a request carried in the VXLAN frame just noted (IPv4 underlay), sent as BUM.
        if (planes.lastFrame !== f.ref.frame || planes.lastInput !== f.ref.input) return;
        // An IPv6 target is looked up as text: none is found (nor formatted) while no live route has such an IP.
        if (f.family !== 4 && !planes.control.anyTextIp) return;
        const vni = context.domains.get(f.domainId).vni;
        if (vni === null) return;
        // The first of the target's MAC/IP routes live for the grace before the request.
        const key = f.family === 4 ? f.targetIp : context.addresses.format(f.targetIp, 6);
        const live = planes.control.ipRouteLiveFor(vni, key, f.ref.time, grace);
        if (live === 0) return;
        const vtep = formatIpv4(planes.lastVtepSrc);
        const identifier = `${vni}|${planes.lastVtepSrc}`;
        if (context.wants && !context.wants(EVPN_ARP_SUPPRESSION_OFF, identifier)) return;
        const target = context.addresses.format(f.targetIp, f.family);
        const kind = f.family === 4 ? 'ARP requests' : 'Neighbour Solicitations';
        const route = planes.control.describe(live);
        const mac = formatMac(route.mac);
        context.report({
          messageId: 'flooded',
          detailMessageId: 'flooded-detail',
          data: { vtep, kind, vni, target, mac, routeVtep: route.vtepText, instance: instanceText(route) },
          identifier,
          confidence: 'confirmed',
          domainId: null,
          evpnDomain: evpnDomainOf(route),
          subject: { vtep, vni },
          evidence: [
            { ref: f.ref, role: `${f.family === 4 ? 'ARP request' : 'NS'} for ${target} flooded by ${vtep}` },
            { ref: route.ref, role: `MAC/IP route ${target} → ${mac} via ${route.vtepText}` },
          ],
          wiresharkFilter:
            `(vxlan.vni == ${vni} && ip.src == ${vtep} && (arp.opcode == 1 || icmpv6.type == 135) && eth.dst.ig == 1) || ` +
            `(bgp.evpn.nlri.rt == 2 && bgp.evpn.nlri.mac_addr == ${mac})`,
        });
      },
      end() {
        if (planes.capped) context.capped?.(EVPN_ARP_SUPPRESSION_OFF);
      },
      sizes: () => planes.sizes(),
    };
  },
};
