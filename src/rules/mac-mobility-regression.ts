// mac-mobility-regression and its siblings (RFC 7432 §7.7, §15): MAC Mobility sequence numbers that go
// backwards, ties between PEs, MACs that move too often (duplicate MAC detection, §15.1), sticky MACs that
// move (§15.2), and malformed MAC Mobility communities.
//
// Sequence numbers are compared with RFC 1982 serial-number arithmetic (see compareSerial): §15 requires
// wrap-around handling without saying how; FRR compares plain integers, so its view differs after 2^32-1.
import type { EvpnRouteFact, FrameRef } from '../facts/types.js';
import { BoundedMap } from './bounded.js';
import {
  advertisingPe,
  compareNextHop,
  compareSerial,
  evpnInstance,
  routeKey,
  type EvpnInstance,
} from './evpn.js';
import { MAX_EVPN_ROUTES, setting } from './options.js';
import type { Evidence, ReportDescriptor, Rule } from './types.js';
import { all, anyOf, mac as formatMac } from './wireshark.js';

export const MAC_MOBILITY_REGRESSION = 'mac-mobility-regression';
export const MAC_MOBILITY_TIE = 'mac-mobility-tie';
export const MAC_FLAPPING = 'mac-flapping';
export const STICKY_MAC_MOVED = 'sticky-mac-moved';
export const MAC_MOBILITY_COMMUNITY_INVALID = 'mac-mobility-community-invalid';

/** PEs remembered per MAC, and route keys per PE (MAC-only and MAC/IP routes, a few IPs). */
const PES_PER_MAC = 16;
const ROUTES_PER_PE = 8;

interface PeRoute {
  pe: string;
  seq: number;
  sticky: boolean;
  esi: string;
  esiZero: boolean;
  ref: FrameRef;
  routeKeys: Set<string>;
}

interface MacEntry {
  instance: EvpnInstance;
  mac: number;
  /** Live routes per PE (a PE with all its routes withdrawn is removed). */
  pes: Map<string, PeRoute>;
  /** The PE whose advertisement last won (highest sequence), with that sequence and ESI — survives withdrawal. */
  owner: { pe: string; seq: number; esi: string; esiZero: boolean } | null;
  /** Times of the recent moves (at most flapMoves). */
  moves: number[];
  movers: string[];
}

function multihomed(a: { esi: string; esiZero: boolean }, b: { esi: string; esiZero: boolean }): boolean {
  return !a.esiZero && !b.esiZero && a.esi === b.esi;
}

export const macMobilityRegression: Rule = {
  meta: {
    id: MAC_MOBILITY_REGRESSION,
    alsoReports: [
      { id: MAC_MOBILITY_TIE, severity: 'warning', title: 'Two PEs advertise one MAC with the same sequence' },
      { id: MAC_FLAPPING, severity: 'warning', title: 'MAC moves too often (duplicate MAC detection)' },
      { id: STICKY_MAC_MOVED, severity: 'error', title: 'A sticky (static) MAC is advertised by another PE' },
      {
        id: MAC_MOBILITY_COMMUNITY_INVALID,
        severity: 'warning',
        title: 'Malformed MAC Mobility extended community',
      },
    ],
    severity: 'error',
    title: 'MAC Mobility sequence number goes backwards',
    rationale:
      'EVPN picks the route with the highest MAC Mobility sequence number when a MAC moves (RFC 7432 §15). An ' +
      'advertisement with a lower sequence than a live route from another PE loses everywhere, so the PE that ' +
      'really has the MAC cannot attract its traffic: the MAC is blackholed or keeps bouncing between PEs.',
    remediation:
      'Find the PE that advertises the lower sequence (the evidence cites both advertisements); clear the MAC ' +
      'there or upgrade software that mishandles the sequence (wrap-around, restart). Check for a real ' +
      'duplicate MAC behind two PEs.',
    options: [
      {
        name: 'flapMoves',
        description: 'mac-flapping: this many MAC moves within flapWindow (RFC 7432 §15.1 N; FRR, Junos: 5)',
        default: 5,
        unit: 'count',
      },
      {
        name: 'flapWindow',
        description: 'mac-flapping: window for flapMoves (RFC 7432 §15.1 M; FRR, Junos: 180 s)',
        default: 180,
        unit: 's',
      },
      MAX_EVPN_ROUTES,
    ],
    messages: {
      regression: '{mac} advertised by {pe} with sequence {seq}, lower than live {otherSeq} from {otherPe}',
      'regression-detail':
        '{pe} advertises {mac} with MAC Mobility sequence {seq} while {otherPe} has a live route with sequence ' +
        '{otherSeq}. Sequences compare by RFC 1982 serial arithmetic (wrap-around after 4294967295). The ' +
        'advertisement loses the best-path selection of RFC 7432 §15: the MAC stays at {otherPe}.',
      'same-pe-regression': '{mac}: {pe} lowered its MAC Mobility sequence from {otherSeq} to {seq}',
      'same-pe-regression-detail':
        '{pe} replaced its own live route for {mac} (sequence {otherSeq}) with sequence {seq}: sequence numbers ' +
        'must not go backwards (RFC 7432 §15). A PE restart that lost its state, or wrap-around handled as plain ' +
        'integers, does this.',
      'serial-ambiguous': '{mac}: sequences {seq} ({pe}) and {otherSeq} ({otherPe}) are 2^31 apart — undefined order',
      'serial-ambiguous-detail':
        'RFC 1982 leaves the order of two serial numbers exactly 2^31 apart undefined; implementations will ' +
        'disagree on which route for {mac} wins.',
      tie: '{mac} advertised by {pe} and {otherPe} with the same sequence {seq}; {winner} wins',
      'tie-detail':
        'Two PEs have live routes for {mac} with MAC Mobility sequence {seq}. RFC 7432 §15.1 breaks the tie in ' +
        'favour of the lowest next-hop IP ({winner}); the other PE should have raised its sequence when it ' +
        'learned the MAC locally.',
      flapping: '{mac} moved {moves} times within {window} s ({pes})',
      'flapping-detail':
        '{mac} moved between PEs {moves} times within {window} s (flapMoves {threshold}, flapWindow {window} s). ' +
        'RFC 7432 §15.1 duplicate MAC detection stops advertising such a MAC; usually two hosts share the MAC ' +
        'or a loop moves it.',
      'sticky-moved': 'sticky MAC {mac} of {otherPe} advertised by {pe}',
      'sticky-moved-detail':
        '{otherPe} advertises {mac} as sticky (static, RFC 7432 §15.2), yet {pe} advertises it too: the MAC ' +
        'must not move, so another device is using it (spoofing or a misconfigured static entry).',
      'multiple-communities': '{pe} advertises {mac} with {count} MAC Mobility communities',
      'multiple-communities-detail':
        'A route must carry at most one MAC Mobility extended community (RFC 7432 §7.7); receivers disagree on ' +
        'which one to use.',
      'sticky-with-sequence': '{pe} advertises {mac} as sticky with sequence {seq}',
      'sticky-with-sequence-detail':
        'A sticky (static) MAC has sequence 0. An old implementation set the sticky bit on every MAC Mobility ' +
        'community it sent, making every moving MAC look static to its peers — an interop trap.',
    },
  },
  create(context) {
    const flapMoves = context.settings.flapMoves ?? 5;
    const flapWindow = context.settings.flapWindow ?? 180;
    const maxRoutes = setting(context, MAX_EVPN_ROUTES);
    const macs = new BoundedMap<string, MacEntry>(maxRoutes);
    const routes = new BoundedMap<string, { macKey: string; pe: string }>(maxRoutes);
    const peByRd = new BoundedMap<string, string>(maxRoutes);

    function report(
      entry: MacEntry,
      d: Pick<ReportDescriptor, 'messageId' | 'identifier' | 'confidence' | 'evidence'> & {
        rule: string;
        data: Record<string, string | number | boolean>;
        seqs: number[];
      },
    ): void {
      const m = formatMac(entry.mac);
      const seqFilter = d.seqs.every((s) => s !== 0) ? anyOf('bgp.ext_com_evpn.mmac.seq', d.seqs) : '';
      context.report({
        rule: d.rule,
        messageId: d.messageId,
        detailMessageId: `${d.messageId}-detail`,
        data: { mac: m, ...d.data },
        identifier: d.identifier,
        confidence: d.confidence,
        domainId: null,
        evpnDomain: {
          vni: entry.instance.vni,
          ethernetTag: entry.instance.ethernetTag,
          routeTargets: entry.instance.routeTargets,
        },
        subject: { mac: m },
        evidence: d.evidence,
        wiresharkFilter: all(`bgp.evpn.nlri.mac_addr == ${m}`, seqFilter),
      });
    }

    const role = (r: { pe: string; seq: number }): string => `advertisement from ${r.pe}, sequence ${r.seq}`;

    function advertise(f: EvpnRouteFact, macValue: number): void {
      if (f.nextHop) peByRd.touch(f.rd, f.nextHop);
      const instance = evpnInstance(f);
      const macKey = `${instance.key}|${macValue}`;
      const entry: MacEntry = macs.get(macKey) ?? {
        instance,
        mac: macValue,
        pes: new Map(),
        owner: null,
        moves: [],
        movers: [],
      };
      macs.touch(macKey, entry);
      const pe = advertisingPe(f, peByRd);
      const seq = f.macMobility?.sequence ?? 0;
      const sticky = f.macMobility?.sticky ?? false;
      const self = { pe, seq, esi: f.esi, esiZero: f.esiZero };
      const here: Evidence = { ref: f.ref, role: role(self) };

      if (f.macMobilityCount > 1) {
        report(entry, {
          rule: MAC_MOBILITY_COMMUNITY_INVALID,
          messageId: 'multiple-communities',
          data: { pe, count: f.macMobilityCount },
          identifier: `${macKey}|${pe}|multiple`,
          confidence: 'confirmed',
          evidence: [{ ref: f.ref, role: `advertisement from ${pe} with ${f.macMobilityCount} MAC Mobility communities` }],
          seqs: [],
        });
      }
      if (sticky && seq !== 0) {
        report(entry, {
          rule: MAC_MOBILITY_COMMUNITY_INVALID,
          messageId: 'sticky-with-sequence',
          data: { pe, seq },
          identifier: `${macKey}|${pe}|sticky-seq`,
          confidence: 'confirmed',
          evidence: [{ ref: f.ref, role: `sticky advertisement from ${pe}, sequence ${seq}` }],
          seqs: [seq],
        });
      }

      const previous = entry.pes.get(pe);
      if (previous && compareSerial(seq, previous.seq) < 0) {
        report(entry, {
          rule: MAC_MOBILITY_REGRESSION,
          messageId: 'same-pe-regression',
          data: { pe, seq, otherSeq: previous.seq, otherPe: pe },
          identifier: macKey,
          confidence: 'confirmed',
          evidence: [{ ref: previous.ref, role: role(previous) }, here],
          seqs: [seq, previous.seq],
        });
      }

      for (const other of entry.pes.values()) {
        if (other.pe === pe || multihomed(self, other)) continue;
        const data = { pe, seq, otherPe: other.pe, otherSeq: other.seq };
        const both = [{ ref: other.ref, role: role(other) }, here];
        if (other.sticky) {
          report(entry, {
            rule: STICKY_MAC_MOVED,
            messageId: 'sticky-moved',
            data,
            identifier: macKey,
            confidence: 'confirmed',
            evidence: both,
            seqs: [],
          });
        }
        const order = compareSerial(seq, other.seq);
        if (Number.isNaN(order)) {
          report(entry, {
            rule: MAC_MOBILITY_REGRESSION,
            messageId: 'serial-ambiguous',
            data,
            identifier: macKey,
            confidence: 'inferred',
            evidence: both,
            seqs: [seq, other.seq],
          });
        } else if (order < 0) {
          report(entry, {
            rule: MAC_MOBILITY_REGRESSION,
            messageId: 'regression',
            data,
            identifier: macKey,
            confidence: 'confirmed',
            evidence: both,
            seqs: [seq, other.seq],
          });
        } else if (order === 0) {
          const winner = compareNextHop(pe, other.pe) <= 0 ? pe : other.pe;
          report(entry, {
            rule: MAC_MOBILITY_TIE,
            messageId: 'tie',
            data: { ...data, winner },
            identifier: macKey,
            confidence: 'confirmed',
            evidence: both,
            seqs: [seq],
          });
        }
      }

      // A move: a PE other than the last winner (and not its multihoming peer) wins with a higher sequence.
      const owner = entry.owner;
      if (owner && owner.pe !== pe && !entry.pes.has(owner.pe)) {
        // The last winner withdrew first: whatever this PE says now, the MAC has moved here.
        if (!multihomed(self, owner)) move(entry, macKey, f, pe, owner.pe);
        entry.owner = self;
      } else if (!owner || owner.pe === pe) {
        if (!owner || compareSerial(seq, owner.seq) > 0) entry.owner = self;
      } else if (compareSerial(seq, owner.seq) > 0) {
        if (!multihomed(self, owner)) move(entry, macKey, f, pe, owner.pe);
        entry.owner = self;
      }

      const route: PeRoute = previous ?? { ...self, sticky, ref: f.ref, routeKeys: new Set() };
      route.seq = seq;
      route.sticky = sticky;
      route.esi = f.esi;
      route.esiZero = f.esiZero;
      route.ref = f.ref;
      const rkey = routeKey(f);
      if (route.routeKeys.size < ROUTES_PER_PE) route.routeKeys.add(rkey);
      if (!previous) {
        if (entry.pes.size >= PES_PER_MAC) entry.pes.delete(entry.pes.keys().next().value as string);
        entry.pes.set(pe, route);
      }
      routes.touch(rkey, { macKey, pe });
    }

    function move(entry: MacEntry, macKey: string, f: EvpnRouteFact, to: string, from: string): void {
      const now = f.ref.time;
      entry.moves.push(now);
      entry.movers.push(`${from}→${to}`);
      while (entry.moves.length > 0 && now - entry.moves[0] > flapWindow) {
        entry.moves.shift();
        entry.movers.shift();
      }
      while (entry.moves.length > flapMoves) {
        entry.moves.shift();
        entry.movers.shift();
      }
      if (entry.moves.length < flapMoves) return;
      const pes = [...new Set(entry.movers.flatMap((m) => m.split('→')))].sort(compareNextHop);
      report(entry, {
        rule: MAC_FLAPPING,
        messageId: 'flapping',
        data: { moves: entry.moves.length, window: flapWindow, threshold: flapMoves, pes: pes.join(', ') },
        identifier: macKey,
        confidence: 'confirmed',
        evidence: [{ ref: f.ref, role: `move ${from} → ${to}, sequence ${f.macMobility?.sequence ?? 0}` }],
        seqs: [],
      });
    }

    function withdraw(f: EvpnRouteFact): void {
      const rkey = routeKey(f);
      const where = routes.get(rkey);
      if (!where) return;
      routes.delete(rkey);
      const entry = macs.get(where.macKey);
      const route = entry?.pes.get(where.pe);
      if (!entry || !route) return;
      route.routeKeys.delete(rkey);
      if (route.routeKeys.size === 0) entry.pes.delete(where.pe);
    }

    return {
      evpn(f) {
        if (f.routeType !== 2 || f.mac === null) return;
        if (f.action === 'withdraw') withdraw(f);
        else advertise(f, f.mac);
      },
      sizes: () => ({ macs: macs.size, routes: routes.size, peByRd: peByRd.size }),
    };
  },
};
