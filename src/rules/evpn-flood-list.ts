// evpn-flood-list and its siblings: the flood list of a VNI as the control plane builds it (RFC 7432 §11, RFC 8365
// §5.1.3 / §8.3: every VTEP of the VNI advertises a type-3 Inclusive Multicast Ethernet Tag route, VNI in the PMSI
// Tunnel attribute's label; with ingress replication each VTEP replicates BUM traffic to the originators of those
// routes) held against the BUM traffic the capture shows.
//
//   evpn-flood-list            a VTEP floods BUM traffic in a VNI without a type-3 route for it: no other VTEP
//                              has it in its flood list (a static VXLAN peer never announced)
//   evpn-flood-to-unannounced  BUM traffic replicated to a VTEP that has no type-3 route for the VNI (a static
//                              flood-list entry)
//   evpn-imet-silent           a type-3 originator that receives the VNI's traffic but never sends in it (info)
//
// Judged only for VNIs whose flood list the capture shows (at least one live type-3 route for the VNI): without
// IMET routes nothing is said, and the report's coverage says so. A multicast underlay (outer destination in
// 224.0.0.0/4) replicates to a group, not to VTEPs: only its sender is judged.
import { formatIpv4 } from '../util/net.js';
import type { VxlanFrameFact } from '../facts/types.js';
import { setting } from './options.js';
import { EpisodeThrottle, evpnDomainOf, instanceText, PLANES_GRACE, refOf, vtepTexts, type LiveRoute } from './planes.js';
import type { Evidence, Rule, RuleOption } from './types.js';
import { REPORT_EVERY } from './evpn-mac-location-mismatch.js';
import { anyOf } from './wireshark.js';

export const EVPN_FLOOD_LIST = 'evpn-flood-list';
export const EVPN_FLOOD_TO_UNANNOUNCED = 'evpn-flood-to-unannounced';
export const EVPN_IMET_SILENT = 'evpn-imet-silent';

export const IMET_SILENT_AFTER: RuleOption = {
  name: 'imetSilentAfter',
  description: 'evpn-imet-silent: a type-3 originator receiving its VNI\'s traffic this long without sending any is silent',
  default: 10,
  unit: 's',
  findings: [EVPN_IMET_SILENT],
};

function imetFilter(vni: number, vteps: readonly string[]): string {
  return `(bgp.evpn.nlri.rt == 3 && ${anyOf('bgp.evpn.nlri.ip.addr', vteps)})`;
}

export const evpnFloodList: Rule = {
  meta: {
    id: EVPN_FLOOD_LIST,
    severity: 'warning',
    title: 'A VTEP floods BUM traffic in a VNI without announcing a type-3 (IMET) route for it',
    rationale:
      'EVPN builds each VNI\'s flood list from type-3 routes: a VTEP that floods broadcast, unknown-unicast and ' +
      'multicast traffic in a VNI without advertising one is in no other VTEP\'s list. Its own floods reach the ' +
      'others, but theirs never reach it: ARP requests for its hosts go unanswered, one-way flooding. This is the ' +
      'static VXLAN peer left out of an EVPN fabric during a migration (or an EVPN proxy that does not announce it).',
    remediation:
      'Announce the VTEP: enable EVPN for the VNI on it, or (for a static VXLAN peer) have the EVPN proxy advertise a ' +
      'type-3 route on its behalf; or add it as a static flood-list entry on every VTEP of the VNI.',
    options: [PLANES_GRACE, IMET_SILENT_AFTER],
    alsoReports: [
      {
        id: EVPN_FLOOD_TO_UNANNOUNCED,
        severity: 'warning',
        title: 'BUM traffic replicated to a VTEP that has no type-3 (IMET) route for the VNI',
        remediation:
          'The sending VTEP has a static flood-list entry (or a stale type-3 route) for a VTEP that is not in the ' +
          'VNI\'s EVPN flood list: remove the static entry, or make the receiving VTEP advertise the VNI.',
      },
      {
        id: EVPN_IMET_SILENT,
        severity: 'info',
        title: 'A type-3 (IMET) originator receives its VNI\'s traffic but never sends in it',
        remediation:
          'Check that the VTEP really serves the VNI (a proxy may announce a static peer that is not configured for ' +
          'it); if it has no hosts in the VNI this is expected.',
      },
    ],
    messages: {
      unannouncedSender: 'VTEP {vtep} floods BUM traffic in VNI {vni} without a type-3 route ({announced} announce one)',
      unannouncedSenderDetail:
        '{frames} BUM frame(s) (broadcast or multicast inner destination) entered VNI {vni} at {vtep} over {seconds} s, ' +
        'but {vtep} has no live type-3 (IMET) route for {instance}: the other VTEPs ({announced}) do not replicate ' +
        'to it, so their floods (ARP requests, unknown unicast) never reach the hosts behind {vtep}.',
      unannouncedReceiver: 'VTEP {sender} replicates BUM traffic of VNI {vni} to {vtep}, which has no type-3 route for it',
      unannouncedReceiverDetail:
        '{frames} BUM frame(s) of VNI {vni} were sent by {sender} to {vtep} over {seconds} s, but only {announced} ' +
        'announce {instance}: {vtep} gets the floods of {sender} alone (a static flood-list entry), and is in no ' +
        'other VTEP\'s flood list.',
      silent: 'VTEP {vtep} announces VNI {vni} (type-3 route) but sends nothing in it',
      silentDetail:
        '{vtep} advertises a type-3 route for {instance} and {received} VXLAN frame(s) of VNI {vni} were sent to it ' +
        'over {seconds} s, but it sent none: BUM traffic of VNI {vni} is replicated to {vtep} for nothing, and if ' +
        'hosts are meant to be behind it, they are not attached to VNI {vni} there.',
    },
  },
  create(context) {
    const planes = context.shared.planes();
    const control = planes.control;
    const vteps = planes.vteps;
    const grace = setting(context, PLANES_GRACE);
    const silentAfter = setting(context, IMET_SILENT_AFTER);
    const senders = new EpisodeThrottle(vteps.rows.cap, REPORT_EVERY);
    const receivers = new EpisodeThrottle(vteps.rows.cap, REPORT_EVERY);

    function reportSender(vni: number, vtep: number, row: number, last: Evidence, time: number, count: number): void {
      const imets = control.imetVteps(vni);
      if (imets.length === 0) return;
      const identifier = `${vni}|${vtep}`;
      if (context.wants && !context.wants(EVPN_FLOOD_LIST, identifier)) return;
      const vtepText = formatIpv4(vtep);
      const announced = vtepTexts(imets);
      context.report({
        messageId: 'unannouncedSender',
        detailMessageId: 'unannouncedSenderDetail',
        data: {
          vtep: vtepText,
          vni,
          announced: announced.join(', '),
          instance: instanceText(imets[0]),
          frames: vteps.bumSent[row],
          seconds: Math.round((time - vteps.firstBumTime[row]) * 1000) / 1000,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(imets[0]),
        subject: { vtep: vtepText, vni, announced },
        evidence: [
          { ref: vteps.firstBumRef(row), role: `BUM frame from VTEP ${vtepText}, no type-3 route` },
          last,
          ...imets.map((r) => ({ ref: r.ref, role: `type-3 route for VNI ${vni} from ${r.vtepText}` })),
        ],
        count,
        wiresharkFilter: `(vxlan.vni == ${vni} && ip.src == ${vtepText} && eth.dst.ig == 1) || ${imetFilter(vni, announced)}`,
      });
    }

    function reportReceiver(f: VxlanFrameFact, row: number, count: number): void {
      const imets = control.imetVteps(f.vni);
      const identifier = `${f.vni}|${f.vtepDst}`;
      if (context.wants && !context.wants(EVPN_FLOOD_TO_UNANNOUNCED, identifier)) return;
      const vtep = formatIpv4(f.vtepDst);
      const sender = formatIpv4(f.vtepSrc);
      const announced = vtepTexts(imets);
      const first = vteps.firstReceivedRef(row);
      context.report({
        rule: EVPN_FLOOD_TO_UNANNOUNCED,
        messageId: 'unannouncedReceiver',
        detailMessageId: 'unannouncedReceiverDetail',
        data: {
          vtep,
          sender,
          vni: f.vni,
          announced: announced.join(', '),
          instance: instanceText(imets[0]),
          frames: count,
          seconds: Math.round((f.time - first.time) * 1000) / 1000,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(imets[0]),
        subject: { vtep, sender, vni: f.vni, announced },
        evidence: [
          { ref: first, role: `VXLAN frame to VTEP ${vtep}, no type-3 route` },
          { ref: refOf(f), role: `BUM frame from ${sender} replicated to ${vtep}` },
          ...imets.map((r) => ({ ref: r.ref, role: `type-3 route for VNI ${f.vni} from ${r.vtepText}` })),
        ],
        count,
        wiresharkFilter: `(vxlan.vni == ${f.vni} && ip.dst == ${vtep} && eth.dst.ig == 1) || ${imetFilter(f.vni, announced)}`,
      });
    }

    return {
      vxlan(f) {
        if (!f.bum || control.imetsFor(f.vni) === 0) return;
        const changed = control.imetChangedAt(f.vni);
        const row = planes.lastSenderRow;
        if (!control.imet(f.vni, f.vtepSrc)?.routes.length && f.time - Math.max(vteps.firstBumTime[row], changed) >= grace) {
          const count = senders.take(row, vteps.firstBumTime[row], f.time);
          if (count > 0) {
            const vtep = formatIpv4(f.vtepSrc);
            reportSender(f.vni, f.vtepSrc, row, { ref: refOf(f), role: `BUM frame from VTEP ${vtep}, still no type-3 route` }, f.time, count);
          }
        }
        const to = planes.lastReceiverRow;
        if (to < 0 || f.vtepDst === f.vtepSrc || control.imet(f.vni, f.vtepDst)?.routes.length) return;
        const first = vteps.firstReceivedRef(to);
        if (f.time - Math.max(first.time, changed) < grace) return;
        const count = receivers.take(to, vteps.firstReceivedFrame[to], f.time);
        if (count > 0) reportReceiver(f, to, count);
      },
      end(lastTime) {
        for (const vni of [...control.imetVnis()]) {
          if (control.imetsFor(vni) === 0) continue;
          const changed = control.imetChangedAt(vni);
          // Senders without a type-3 route whose only BUM frames came before the grace ran out (the capture went on).
          for (const row of vteps.rows.rowsOf(vni) ?? []) {
            const vtep = vteps.rows.key[row];
            if (vteps.bumSent[row] === 0 || control.imet(vni, vtep)?.routes.length) continue;
            if (lastTime - Math.max(vteps.firstBumTime[row], changed) < grace) continue;
            const episode = vteps.firstBumTime[row];
            const count = senders.reported(row, episode) ? senders.flush(row, episode) : vteps.bumSent[row];
            if (count === 0) continue;
            reportSender(vni, vtep, row, { ref: vteps.firstBumRef(row), role: `BUM frame from VTEP ${formatIpv4(vtep)}, no type-3 route` }, lastTime, count);
          }
          // Originators that receive but never send.
          for (const route of control.imetVteps(vni)) silent(vni, route, lastTime);
        }
      },
      sizes: () => planes.sizes(),
    };

    function silent(vni: number, route: LiveRoute, lastTime: number): void {
      const row = vteps.rows.find(vni, route.vtep, lastTime);
      if (row < 0 || vteps.received[row] === 0 || vteps.sent[row] > 0) return;
      const first = vteps.firstReceivedRef(row);
      const since = Math.max(first.time, route.ref.time);
      if (lastTime - since < silentAfter) return;
      const identifier = `${vni}|${route.vtep}`;
      if (context.wants && !context.wants(EVPN_IMET_SILENT, identifier)) return;
      context.report({
        rule: EVPN_IMET_SILENT,
        messageId: 'silent',
        detailMessageId: 'silentDetail',
        data: {
          vtep: route.vtepText,
          vni,
          instance: instanceText(route),
          received: vteps.received[row],
          seconds: Math.round((lastTime - since) * 1000) / 1000,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(route),
        subject: { vtep: route.vtepText, vni },
        evidence: [
          { ref: route.ref, role: `type-3 route for VNI ${vni} from ${route.vtepText}` },
          { ref: first, role: `VXLAN frame to ${route.vtepText}` },
        ],
        wiresharkFilter: `(vxlan.vni == ${vni} && ip.addr == ${route.vtepText}) || ${imetFilter(vni, [route.vtepText])}`,
      });
    }
  },
};
