// mac-mobility-regression and its siblings (RFC 7432 §7.7, §15): MAC Mobility sequence numbers that go
// backwards, ties between PEs, MACs that move too often (duplicate MAC detection, §15.1), sticky MACs that
// move (§15.2), and malformed MAC Mobility communities.
//
// Sequence numbers are compared with RFC 1982 serial-number arithmetic (see compareSerial): §15 requires
// wrap-around handling without saying how; FRR compares plain integers, so its view differs after 2^32-1.
import type { EvpnRouteFact, FrameRef } from '../facts/types.js';
import { AgedNumberTable, AgedTable } from './bounded.js';
import { advertisingPe, compareNextHop, compareSerial, EvpnInstances, ipv4Key, type InternedInstance } from './evpn.js';
import { MAX_EVPN_ROUTES, setting } from './options.js';
import type { Evidence, ReportDescriptor, Rule } from './types.js';
import { all, anyOf, mac as formatMac } from './wireshark.js';

export const MAC_MOBILITY_REGRESSION = 'mac-mobility-regression';
export const MAC_MOBILITY_TIE = 'mac-mobility-tie';
export const MAC_FLAPPING = 'mac-flapping';
export const STICKY_MAC_MOVED = 'sticky-mac-moved';
export const MAC_MOBILITY_COMMUNITY_INVALID = 'mac-mobility-community-invalid';

/** PEs remembered per MAC, and routes per PE (MAC-only and MAC/IP routes, a few IPs). */
const PES_PER_MAC = 16;
const ROUTES_PER_PE = 8;

/** One live route of a PE for the MAC: the parts of its key besides the MAC (RFC 7432 §7.2). */
interface RouteId {
  rd: string;
  ethernetTag: number;
  /** The route's IP: an IPv4 address as its number (no copy of the fact's text kept), other text as is. */
  ip: number | string | null;
  pathId: number | null;
  /** Bumped by every advertisement of the route, so a pending regression knows whether it was re-sent. */
  generation: number;
  /** False once withdrawn (or pushed out by ROUTES_PER_PE). */
  live: boolean;
}

interface PeRoute {
  pe: string;
  seq: number;
  sticky: boolean;
  esi: string;
  esiZero: boolean;
  /** The last advertisement, as numbers (a kept FrameRef per fact would be promoted and pile up as garbage). */
  refSeconds: number;
  refNanos: number;
  refFrame: number;
  refInput: number;
  routes: RouteId[];
  /** False once all its routes are withdrawn (or it was pushed out by PES_PER_MAC). */
  live: boolean;
  /** Time of the PE's last withdrawal of any route for this MAC (same RD), -Infinity if none. */
  withdrewAt: number;
}

/** One MAC in one EVPN instance; the table holds the first, `next` links a MAC's other instances (rare). */
interface MacEntry {
  seen: number;
  next: MacEntry | null;
  /** The EVPN instance, interned (one object per instance, shared by its MACs). */
  instance: InternedInstance;
  mac: number;
  /** Live routes per PE (a PE with all its routes withdrawn is removed). */
  pes: PeRoute[];
  /** The PE whose advertisement last won (highest sequence), with that sequence and ESI — survives withdrawal. */
  ownerPe: string | null;
  ownerSeq: number;
  ownerEsi: string;
  ownerEsiZero: boolean;
  /** Times and PEs of the recent moves (at most flapMoves); created on the first move. */
  moves: number[] | null;
  movedFrom: string[] | null;
  movedTo: string[] | null;
}

/** A lower sequence than another PE's live route, waiting out the grace period (RFC 7432 §15 convergence). */
interface PendingRegression {
  time: number;
  entry: MacEntry;
  /** The PE, and the route whose advertisement had the lower sequence (at this generation). */
  pe: PeRoute;
  route: RouteId;
  generation: number;
  seq: number;
  ref: FrameRef;
  /** The other PE with the higher live sequence, as it was then. */
  other: PeRoute;
  otherPe: string;
  otherSeq: number;
  otherRef: FrameRef;
}

function multihomed(esiZeroA: boolean, esiA: string, esiZeroB: boolean, esiB: string): boolean {
  return !esiZeroA && !esiZeroB && esiA === esiB;
}

/** The IP of a route as RouteId keeps it. */
function ipOf(f: EvpnRouteFact): number | string | null {
  if (f.ip === null) return null;
  const v4 = ipv4Key(f.ip);
  return Number.isNaN(v4) ? f.ip : v4;
}

function sameRoute(r: RouteId, f: EvpnRouteFact, ip: number | string | null): boolean {
  return r.rd === f.rd && r.ethernetTag === f.ethernetTag && r.ip === ip && r.pathId === f.pathId;
}

function refOf(r: PeRoute): FrameRef {
  return { input: r.refInput, frame: r.refFrame, seconds: r.refSeconds, nanos: r.refNanos, time: r.refSeconds + r.refNanos / 1e9 };
}

function setRef(r: PeRoute, ref: FrameRef): void {
  r.refSeconds = ref.seconds;
  r.refNanos = ref.nanos;
  r.refFrame = ref.frame;
  r.refInput = ref.input;
}

const role = (pe: string, seq: number): string => `advertisement from ${pe}, sequence ${seq}`;

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
      {
        name: 'mobilityGrace',
        description:
          'mac-mobility-regression: a lower sequence than another PE\'s live route is a regression only if it is ' +
          'still advertised (not withdrawn or raised) this long after — the wait of RFC 7432 §15 convergence',
        default: 3,
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
    const grace = context.settings.mobilityGrace ?? 3;
    const maxRoutes = setting(context, MAX_EVPN_ROUTES);
    const macs = new AgedNumberTable<MacEntry>(maxRoutes);
    // Instances past the cap start over: entries of the old ones are dropped (their ids are never reused).
    const instances = new EvpnInstances(maxRoutes, (below) =>
      macs.forEach((head, part, key) => {
        // A MAC's other instances hang off its table entry: keep the chain of the current ones.
        let first: MacEntry | null = head;
        while (first && first.instance.id < below) first = first.next;
        for (let e = first; e; ) {
          let next = e.next;
          while (next && next.instance.id < below) next = next.next;
          e.next = next;
          e = next;
        }
        if (!first) macs.delete(part, key);
        else if (first !== head) macs.set(part, key, first);
      }),
    );
    /** RD → its PE (next hop). It also interns both texts: each fact carries its own copies, and a route kept
     *  per MAC would otherwise keep them all. */
    const peByRd = new AgedTable<string, { seen: number; rd: string; pe: string }>(maxRoutes);
    const peLookup = { get: (rd: string) => peByRd.get(0, rd)?.pe };
    /** Pending regressions in time order (the grace period is the same for all): a queue with a head index. */
    let pending: PendingRegression[] = [];
    let pendingHead = 0;

    function report(
      entry: MacEntry,
      d: Pick<ReportDescriptor, 'messageId' | 'confidence' | 'evidence'> & {
        rule: string;
        /** Suffix of the identifier after the MAC key ('' for findings about the MAC itself). */
        suffix?: string;
        data: Record<string, string | number | boolean>;
        seqs: number[];
      },
    ): void {
      const m = formatMac(entry.mac);
      const instance = entry.instance;
      const seqFilter = d.seqs.every((s) => s !== 0) ? anyOf('bgp.ext_com_evpn.mmac.seq', d.seqs) : '';
      context.report({
        rule: d.rule,
        messageId: d.messageId,
        detailMessageId: `${d.messageId}-detail`,
        data: { mac: m, ...d.data },
        identifier: `${instance.key}|${entry.mac}${d.suffix ?? ''}`,
        confidence: d.confidence,
        domainId: null,
        evpnDomain: { vni: instance.vni, ethernetTag: instance.ethernetTag, routeTargets: instance.routeTargets },
        subject: { mac: m },
        evidence: d.evidence,
        wiresharkFilter: all(`bgp.evpn.nlri.mac_addr == ${m}`, seqFilter),
      });
    }

    function entryFor(f: EvpnRouteFact, macValue: number): MacEntry {
      const head = macs.get(0, macValue);
      if (head) macs.touch(head);
      const instance = instances.of(f);
      for (let entry: MacEntry | null | undefined = head; entry; entry = entry.next) {
        if (entry.instance === instance) return entry;
      }
      const entry: MacEntry = {
        seen: 0,
        next: null,
        instance,
        mac: macValue,
        pes: [],
        ownerPe: null,
        ownerSeq: 0,
        ownerEsi: '',
        ownerEsiZero: true,
        moves: null,
        movedFrom: null,
        movedTo: null,
      };
      // Arrays are created with their first element (exact size): an empty literal grown by push reserves 17
      // slots, and there is one of these per MAC.
      if (head) {
        entry.next = head.next;
        head.next = entry;
      } else macs.set(0, macValue, entry);
      return entry;
    }

    /** Decides pending regressions whose grace period ended by `now` (all of them at the end of the capture). */
    function settle(now: number, ending: boolean): void {
      while (pendingHead < pending.length) {
        const p = pending[pendingHead];
        const elapsed = now - p.time >= grace;
        if (!elapsed && !ending) break;
        pendingHead++;
        // Withdrawn, sent again (that advertisement has its own wait), raised by its PE, or the higher route is
        // gone: convergence, not a regression.
        if (!p.route.live || p.route.generation !== p.generation || !p.pe.live) continue;
        // A withdrawal of another of its routes for the MAC (MAC-only vs MAC/IP) is the PE reacting to the
        // higher sequence too: one sequence number covers all routes of a MAC (RFC 7432 §7.7).
        if (p.pe.withdrewAt >= p.time) continue;
        if (compareSerial(p.pe.seq, p.seq) > 0) continue;
        if (!p.other.live || !(compareSerial(p.seq, p.other.seq) < 0)) continue;
        report(p.entry, {
          rule: MAC_MOBILITY_REGRESSION,
          messageId: 'regression',
          data: { pe: p.pe.pe, seq: p.seq, otherPe: p.otherPe, otherSeq: p.otherSeq },
          confidence: elapsed ? 'confirmed' : 'inferred',
          evidence: [
            { ref: p.otherRef, role: role(p.otherPe, p.otherSeq) },
            { ref: p.ref, role: role(p.pe.pe, p.seq) },
          ],
          seqs: [p.seq, p.otherSeq],
        });
      }
      if (pendingHead === pending.length) {
        pending = [];
        pendingHead = 0;
      } else if (pendingHead > 1024 && pendingHead * 2 > pending.length) {
        pending = pending.slice(pendingHead);
        pendingHead = 0;
      }
    }

    function advertise(f: EvpnRouteFact, macValue: number): void {
      let known = peByRd.get(0, f.rd);
      if (f.nextHop) {
        if (known) {
          if (known.pe !== f.nextHop) known.pe = f.nextHop;
          peByRd.touch(known);
        } else {
          known = { seen: 0, rd: f.rd, pe: f.nextHop };
          peByRd.set(0, f.rd, known);
        }
      }
      const entry = entryFor(f, macValue);
      const pe = known && f.nextHop ? known.pe : advertisingPe(f, peLookup);
      const rd = known ? known.rd : f.rd;
      const seq = f.macMobility?.sequence ?? 0;
      const sticky = f.macMobility?.sticky ?? false;

      if (f.macMobilityCount > 1) {
        report(entry, {
          rule: MAC_MOBILITY_COMMUNITY_INVALID,
          messageId: 'multiple-communities',
          data: { pe, count: f.macMobilityCount },
          suffix: `|${pe}|multiple`,
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
          suffix: `|${pe}|sticky-seq`,
          confidence: 'confirmed',
          evidence: [{ ref: f.ref, role: `sticky advertisement from ${pe}, sequence ${seq}` }],
          seqs: [seq],
        });
      }

      let previous: PeRoute | undefined;
      for (const r of entry.pes) if (r.pe === pe) previous = r;
      if (previous && compareSerial(seq, previous.seq) < 0) {
        // One PE's own sequence going down has no race to wait for: its messages arrive in order.
        report(entry, {
          rule: MAC_MOBILITY_REGRESSION,
          messageId: 'same-pe-regression',
          data: { pe, seq, otherSeq: previous.seq, otherPe: pe },
          confidence: 'confirmed',
          evidence: [{ ref: refOf(previous), role: role(pe, previous.seq) }, { ref: f.ref, role: role(pe, seq) }],
          seqs: [seq, previous.seq],
        });
      }

      // The highest live sequence of another PE above this one: a regression candidate.
      let above: PeRoute | undefined;
      for (const other of entry.pes) {
        if (other.pe === pe || multihomed(f.esiZero, f.esi, other.esiZero, other.esi)) continue;
        const order = compareSerial(seq, other.seq);
        if (!other.sticky && order < 0) {
          if (!above || compareSerial(other.seq, above.seq) > 0) above = other;
          continue;
        }
        const data = { pe, seq, otherPe: other.pe, otherSeq: other.seq };
        const both: Evidence[] = [{ ref: refOf(other), role: role(other.pe, other.seq) }, { ref: f.ref, role: role(pe, seq) }];
        if (other.sticky) {
          report(entry, { rule: STICKY_MAC_MOVED, messageId: 'sticky-moved', data, confidence: 'confirmed', evidence: both, seqs: [] });
        }
        if (Number.isNaN(order)) {
          report(entry, {
            rule: MAC_MOBILITY_REGRESSION,
            messageId: 'serial-ambiguous',
            data,
            confidence: 'inferred',
            evidence: both,
            seqs: [seq, other.seq],
          });
        } else if (order < 0) {
          if (!above || compareSerial(other.seq, above.seq) > 0) above = other;
        } else if (order === 0) {
          const winner = compareNextHop(pe, other.pe) <= 0 ? pe : other.pe;
          report(entry, {
            rule: MAC_MOBILITY_TIE,
            messageId: 'tie',
            data: { ...data, winner },
            confidence: 'confirmed',
            evidence: both,
            seqs: [seq],
          });
        }
      }

      // A move: a PE other than the last winner (and not its multihoming peer) wins with a higher sequence.
      const ownerPe = entry.ownerPe;
      let ownerLive = false;
      if (ownerPe !== null && ownerPe !== pe) for (const r of entry.pes) if (r.pe === ownerPe) ownerLive = true;
      const notPeer = !multihomed(f.esiZero, f.esi, entry.ownerEsiZero, entry.ownerEsi);
      if (ownerPe !== null && ownerPe !== pe && !ownerLive) {
        // The last winner withdrew first: whatever this PE says now, the MAC has moved here.
        if (notPeer) move(entry, f, pe, ownerPe);
        setOwner(entry, f, pe, seq);
      } else if (ownerPe === null || ownerPe === pe) {
        if (ownerPe === null || compareSerial(seq, entry.ownerSeq) > 0) setOwner(entry, f, pe, seq);
      } else if (compareSerial(seq, entry.ownerSeq) > 0) {
        if (notPeer) move(entry, f, pe, ownerPe);
        setOwner(entry, f, pe, seq);
      }

      let route = previous;
      if (!route) {
        if (entry.pes.length >= PES_PER_MAC) (entry.pes.shift() as PeRoute).live = false;
        route = {
          pe,
          seq,
          sticky,
          esi: '',
          esiZero: true,
          refSeconds: 0,
          refNanos: 0,
          refFrame: 0,
          refInput: 0,
          routes: [],
          live: true,
          withdrewAt: -Infinity,
        };
        if (entry.pes.length === 0) entry.pes = [route];
        else entry.pes.push(route);
      }
      route.seq = seq;
      route.sticky = sticky;
      // Only a non-zero ESI is kept: the decoder's ESI text is a rope of 30 pieces, a kilobyte per MAC.
      route.esi = f.esiZero ? '' : f.esi;
      route.esiZero = f.esiZero;
      setRef(route, f.ref);
      const ip = ipOf(f);
      let id: RouteId | undefined;
      for (const r of route.routes) if (sameRoute(r, f, ip)) id = r;
      if (!id) {
        if (route.routes.length >= ROUTES_PER_PE) (route.routes.shift() as RouteId).live = false;
        id = { rd, ethernetTag: f.ethernetTag, ip, pathId: f.pathId, generation: 0, live: true };
        if (route.routes.length === 0) route.routes = [id];
        else route.routes.push(id);
      }
      id.generation++;

      if (above) {
        pending.push({
          time: f.ref.time,
          entry,
          pe: route,
          route: id,
          generation: id.generation,
          seq,
          ref: f.ref,
          other: above,
          otherPe: above.pe,
          otherSeq: above.seq,
          otherRef: refOf(above),
        });
        // Bounded like every table: past the cap the oldest is decided now, before its grace has run out.
        if (pending.length - pendingHead > maxRoutes) {
          const oldest = pending[pendingHead];
          settle(oldest.time + grace, false);
        }
      }
    }

    function setOwner(entry: MacEntry, f: EvpnRouteFact, pe: string, seq: number): void {
      entry.ownerPe = pe;
      entry.ownerSeq = seq;
      entry.ownerEsi = f.esiZero ? '' : f.esi;
      entry.ownerEsiZero = f.esiZero;
    }

    function move(entry: MacEntry, f: EvpnRouteFact, to: string, from: string): void {
      const now = f.ref.time;
      const moves = (entry.moves ??= []);
      const movedFrom = (entry.movedFrom ??= []);
      const movedTo = (entry.movedTo ??= []);
      moves.push(now);
      movedFrom.push(from);
      movedTo.push(to);
      while (moves.length > 0 && (now - moves[0] > flapWindow || moves.length > flapMoves)) {
        moves.shift();
        movedFrom.shift();
        movedTo.shift();
      }
      if (moves.length < flapMoves) return;
      const pes = [...new Set([...movedFrom, ...movedTo])].sort(compareNextHop);
      report(entry, {
        rule: MAC_FLAPPING,
        messageId: 'flapping',
        data: { moves: moves.length, window: flapWindow, threshold: flapMoves, pes: pes.join(', ') },
        confidence: 'confirmed',
        evidence: [{ ref: f.ref, role: `move ${from} → ${to}, sequence ${f.macMobility?.sequence ?? 0}` }],
        seqs: [],
      });
    }

    function withdraw(f: EvpnRouteFact, macValue: number): void {
      const ip = ipOf(f);
      for (let entry: MacEntry | null | undefined = macs.get(0, macValue); entry; entry = entry.next) {
        for (let i = 0; i < entry.pes.length; i++) {
          const route = entry.pes[i];
          if (route.routes.some((r) => r.rd === f.rd)) route.withdrewAt = f.ref.time;
          const at = route.routes.findIndex((r) => sameRoute(r, f, ip));
          if (at < 0) continue;
          route.routes[at].live = false;
          route.routes.splice(at, 1);
          if (route.routes.length === 0) {
            route.live = false;
            entry.pes.splice(i, 1);
            i--;
          }
        }
      }
    }

    return {
      evpn(f) {
        if (pendingHead < pending.length) settle(f.ref.time, false);
        if (f.routeType !== 2 || f.mac === null) return;
        if (f.action === 'withdraw') withdraw(f, f.mac);
        else advertise(f, f.mac);
      },
      end(lastTime) {
        settle(lastTime, true);
      },
      sizes: () => ({ macs: macs.size, instances: instances.size, peByRd: peByRd.size, pendingRegressions: pending.length - pendingHead }),
    };
  },
};
