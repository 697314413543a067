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
import { setting } from './options.js';
import { CountedReports, evpnDomainOf, instanceText, PLANES_GRACE, vtepTexts, type LiveRoute } from './planes.js';
import type { Rule, RuleOption } from './types.js';
import { REPORT_EVERY } from './evpn-mac-location-mismatch.js';
import { anyOf } from './wireshark.js';

export const EVPN_FLOOD_LIST = 'evpn-flood-list';
export const EVPN_FLOOD_TO_UNANNOUNCED = 'evpn-flood-to-unannounced';
export const EVPN_IMET_SILENT = 'evpn-imet-silent';

export const IMET_SILENT_AFTER: RuleOption = {
  name: 'imetSilentAfter',
  description: 'evpn-imet-silent: a type-3 originator receiving unicast traffic of its VNI this long without sending any is silent',
  default: 10,
  unit: 's',
  findings: [EVPN_IMET_SILENT],
};

function imetFilter(vteps: readonly string[]): string {
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
    options: [IMET_SILENT_AFTER],
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
        title: 'A type-3 (IMET) originator receives unicast traffic of its VNI but never sends in it',
        remediation:
          'Check that the VTEP really serves the VNI (a proxy may announce a static peer that is not configured for ' +
          'it); if it has no hosts in the VNI this is expected.',
      },
    ],
    messages: {
      'unannounced-sender': 'VTEP {vtep} floods BUM traffic in VNI {vni} without a type-3 route ({announced} announce one)',
      'unannounced-sender-detail':
        '{frames} BUM frame(s) (broadcast or multicast inner destination) entered VNI {vni} at {vtep} over {seconds} s, ' +
        'but {vtep} has no live type-3 (IMET) route for {instance}: the other VTEPs ({announced}) do not replicate ' +
        'to it, so their floods (ARP requests, unknown unicast) never reach the hosts behind {vtep}.',
      'unannounced-receiver': 'VTEP {sender} replicates BUM traffic of VNI {vni} to {vtep}, which has no type-3 route for it',
      'unannounced-receiver-detail':
        '{frames} BUM frame(s) of VNI {vni} were replicated to {vtep} (the last by {sender}) over {seconds} s, but only {announced} ' +
        'announce {instance}: {vtep} gets the floods of {sender} alone (a static flood-list entry), and is in no ' +
        'other VTEP\'s flood list.',
      silent: 'VTEP {vtep} announces VNI {vni} (type-3 route) but sends nothing in it',
      'silent-detail':
        '{vtep} advertises a type-3 route for {instance} and {received} unicast VXLAN frame(s) of VNI {vni} were sent ' +
        'to it over {seconds} s, but it sent none: traffic for the hosts believed behind {vtep} is blackholed there ' +
        '(an announced static peer not configured for VNI {vni}?), and the VNI\'s floods are replicated to it for nothing.',
    },
  },
  create(context) {
    const planes = context.shared.planes();
    const control = planes.control;
    const vteps = planes.vteps;
    const grace = setting(context, PLANES_GRACE);
    const silentAfter = setting(context, IMET_SILENT_AFTER);
    const senders = new CountedReports(vteps.rows.cap, REPORT_EVERY);
    const receivers = new CountedReports(vteps.rows.cap, REPORT_EVERY);

    /** A VTEP in a VNI whose flood list is visible, not in it, for `grace` past its first BUM frame and the last IMET change. */
    function unannounced(vni: number, vtep: number, since: number, now: number): boolean {
      return control.imetsFor(vni) > 0 && control.imetCount(vni, vtep) === 0 && now - Math.max(since, control.imetChangedAt(vni)) >= grace;
    }

    function reportSender(vni: number, row: number, now: number, force: boolean): void {
      const vtep = vteps.rows.key[row];
      const count = senders.take(row, vteps.bumSent[row], now, force);
      if (count === 0) return;
      const imets = control.imetVteps(vni);
      const identifier = `${vni}|${vtep}`;
      if (context.wants && !context.wants(EVPN_FLOOD_LIST, identifier)) return;
      const vtepText = formatIpv4(vtep);
      const announced = vtepTexts(imets);
      const first = vteps.firstBumSent.ref(row);
      const last = vteps.lastBumSent.ref(row);
      context.report({
        messageId: 'unannounced-sender',
        detailMessageId: 'unannounced-sender-detail',
        data: {
          vtep: vtepText,
          vni,
          announced: announced.join(', '),
          instance: instanceText(imets[0]),
          frames: vteps.bumSent[row],
          seconds: Math.round((last.time - first.time) * 1000) / 1000,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(imets[0]),
        subject: { vtep: vtepText, vni, announced },
        evidence: [
          { ref: first, role: `BUM frame from VTEP ${vtepText}, no type-3 route` },
          { ref: last, role: `BUM frame from VTEP ${vtepText}, still no type-3 route` },
          ...imets.map((r) => ({ ref: r.ref, role: `type-3 route for VNI ${vni} from ${r.vtepText}` })),
        ],
        count,
        wiresharkFilter: `(vxlan.vni == ${vni} && ip.src == ${vtepText} && eth.dst.ig == 1) || ${imetFilter(announced)}`,
      });
    }

    function reportReceiver(vni: number, row: number, now: number, force: boolean): void {
      const vtepNumber = vteps.rows.key[row];
      const count = receivers.take(row, vteps.bumReceived[row], now, force);
      if (count === 0) return;
      const imets = control.imetVteps(vni);
      const identifier = `${vni}|${vtepNumber}`;
      if (context.wants && !context.wants(EVPN_FLOOD_TO_UNANNOUNCED, identifier)) return;
      const vtep = formatIpv4(vtepNumber);
      const sender = formatIpv4(vteps.lastBumSender[row]);
      const announced = vtepTexts(imets);
      const first = vteps.firstBumReceived.ref(row);
      const last = vteps.lastBumReceived.ref(row);
      context.report({
        rule: EVPN_FLOOD_TO_UNANNOUNCED,
        messageId: 'unannounced-receiver',
        detailMessageId: 'unannounced-receiver-detail',
        data: {
          vtep,
          sender,
          vni,
          announced: announced.join(', '),
          instance: instanceText(imets[0]),
          frames: vteps.bumReceived[row],
          seconds: Math.round((last.time - first.time) * 1000) / 1000,
        },
        identifier,
        confidence: 'inferred',
        domainId: null,
        evpnDomain: evpnDomainOf(imets[0]),
        subject: { vtep, sender, vni, announced },
        evidence: [
          { ref: first, role: `BUM frame replicated to VTEP ${vtep}, no type-3 route` },
          { ref: last, role: `BUM frame from ${sender} replicated to ${vtep}` },
          ...imets.map((r) => ({ ref: r.ref, role: `type-3 route for VNI ${vni} from ${r.vtepText}` })),
        ],
        count,
        wiresharkFilter: `(vxlan.vni == ${vni} && ip.dst == ${vtep} && eth.dst.ig == 1) || ${imetFilter(announced)}`,
      });
    }

    function silent(vni: number, route: LiveRoute, lastTime: number): void {
      const row = vteps.rows.find(vni, route.vtep, lastTime);
      // Unicast sent to it: some VTEP believes a host is behind it. Floods alone reach every announced VTEP.
      if (row < 0 || vteps.unicastReceived[row] === 0 || vteps.sent[row] > 0) return;
      const first = vteps.firstReceived.ref(row);
      const since = Math.max(first.time, route.ref.time);
      if (lastTime - since < silentAfter) return;
      const identifier = `${vni}|${route.vtep}`;
      if (context.wants && !context.wants(EVPN_IMET_SILENT, identifier)) return;
      context.report({
        rule: EVPN_IMET_SILENT,
        messageId: 'silent',
        detailMessageId: 'silent-detail',
        data: {
          vtep: route.vtepText,
          vni,
          instance: instanceText(route),
          received: vteps.unicastReceived[row],
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
        wiresharkFilter: `(vxlan.vni == ${vni} && ip.dst == ${route.vtepText}) || ${imetFilter([route.vtepText])}`,
      });
    }

    return {
      vxlan(f) {
        if (!f.bum || control.imetsFor(f.vni) === 0) return;
        const row = planes.lastSenderRow;
        if (unannounced(f.vni, f.vtepSrc, vteps.firstBumSent.time(row), f.time)) reportSender(f.vni, row, f.time, false);
        const to = planes.lastReceiverRow;
        if (to >= 0 && f.vtepDst !== f.vtepSrc && unannounced(f.vni, f.vtepDst, vteps.firstBumReceived.time(to), f.time)) {
          reportReceiver(f.vni, to, f.time, false);
        }
      },
      end(lastTime) {
        if (planes.capped) for (const id of [EVPN_FLOOD_LIST, EVPN_FLOOD_TO_UNANNOUNCED, EVPN_IMET_SILENT]) context.capped?.(id);
        for (const vni of [...control.imetVnis()]) {
          if (control.imetsFor(vni) === 0) continue;
          // What went on since the last report, or BUM frames that came before the grace ran out (the capture went on).
          for (const row of vteps.rows.rowsOf(vni) ?? []) {
            const vtep = vteps.rows.key[row];
            if (vteps.bumSent[row] > 0 && unannounced(vni, vtep, vteps.firstBumSent.time(row), lastTime)) reportSender(vni, row, lastTime, true);
            if (vteps.bumReceived[row] > 0 && vteps.lastBumSender[row] !== vtep && unannounced(vni, vtep, vteps.firstBumReceived.time(row), lastTime)) {
              reportReceiver(vni, row, lastTime, true);
            }
          }
          for (const route of control.imetVteps(vni)) silent(vni, route, lastTime);
        }
      },
      sizes: () => planes.sizes(),
    };
  },
};
