// mac-mobility-regression and its siblings (RFC 7432 §7.7, §15): MAC Mobility sequence numbers that go
// backwards, ties between PEs, MACs that move too often (duplicate MAC detection, §15.1), sticky MACs that
// move (§15.2), and malformed MAC Mobility communities.
//
// Sequence numbers are compared with RFC 1982 serial-number arithmetic (see compareSerial): §15 requires
// wrap-around handling without saying how; FRR compares plain integers, so its view differs after 2^32-1.
//
// State is rows of named columns (columns.ts), not objects (a long capture churns through hundreds of thousands
// of MACs, and objects per MAC, PE and route pile up as old-space garbage): one row per (EVPN instance, MAC) in
// an AgedRowTable, the MAC's PEs and each PE's routes as linked rows of two RowPools, its recent moves as a ring
// in the slots of a row of a third. PEs, RDs, ESIs and route keys are numbers; a frame is kept in a FrameColumn
// and rebuilt as a FrameRef only for a report.
import type { EvpnRouteFact } from '../facts/types.js';
import { AgedRowTable, RowPool } from './bounded.js';
import { FRAME } from './columns.js';
import { compareNextHop, compareSerial, type InternedInstance } from './evpn.js';
import { hashText } from './rd-numbers.js';
import { MAX_EVPN_ROUTES, setting } from './options.js';
import type { Evidence, ReportDescriptor, Rule } from './types.js';
import { all, anyOf, mac as formatMac, ipv4 as formatIpv4 } from './wireshark.js';

export const MAC_MOBILITY_REGRESSION = 'mac-mobility-regression';
export const MAC_MOBILITY_TIE = 'mac-mobility-tie';
export const MAC_FLAPPING = 'mac-flapping';
export const STICKY_MAC_MOVED = 'sticky-mac-moved';
export const MAC_MOBILITY_COMMUNITY_INVALID = 'mac-mobility-community-invalid';

/** PEs remembered per MAC, and routes per PE (MAC-only and MAC/IP routes, a few IPs). */
const PES_PER_MAC = 16;
const ROUTES_PER_PE = 8;
/** Moves remembered per MAC at most, whatever flapMoves says (the slots of a move ring). */
const MAX_FLAP_MOVES = 1024;

// The columns of each table. A link to a row of a pool is its index + 1 (0: none), so a zeroed row links nowhere.
// Sequence numbers are 32 bits on the wire (RFC 7432 §7.7); PE ids pass 2^32 (OTHER_PES), ids and stamps count up.

/** A row of the MAC table, per (instance id, MAC). */
const MAC_COLUMNS = {
  /** The PE whose advertisement last won (highest sequence), as PE id + 1 — survives withdrawal; 0 before any. */
  owner: Float64Array,
  ownerSeq: Uint32Array,
  /** The owner's ESI id (0: single-homed). */
  ownerEsi: Float64Array,
  /** First of the MAC's live PEs (PE pool), in the order they first advertised. */
  pes: Uint32Array,
  /** Its ring of recent moves (move pool), made on the first move. */
  moves: Uint32Array,
  /** Moves in the ring, and the slot of the oldest. */
  moveCount: Uint16Array,
  moveHead: Uint16Array,
  /** First of the pending regressions about this row (pending pool). */
  pending: Uint32Array,
};

/** A PE of a MAC (PE pool). */
const PE_COLUMNS = {
  next: Uint32Array,
  /** PE id: an IPv4 next hop as its number, other texts interned from OTHER_PES up. */
  pe: Float64Array,
  seq: Uint32Array,
  /** ESI id of its last advertisement (0: single-homed), and whether that was sticky (1). */
  esi: Float64Array,
  sticky: Uint8Array,
  /** Its last advertisement. */
  last: FRAME,
  /** Time of the PE's last withdrawal of any route for this MAC with one of its RDs; -Infinity if none. */
  withdrew: Float64Array,
  /** Unique per PE row use, so a pending regression can tell that the PE it compared against is still the same. */
  incarnation: Float64Array,
  /** First of its live routes (route pool). */
  routes: Uint32Array,
};

/** A live route of a PE for the MAC (route pool): the parts of its key besides the MAC (RFC 7432 §7.2). */
const ROUTE_COLUMNS = {
  next: Uint32Array,
  /** The RD as a number (rdNumber). */
  rd: Float64Array,
  /** IP and ADD-PATH id as one number (routeKeyOf). */
  key: Float64Array,
  /** Unique per advertisement, so a pending regression knows whether its route was withdrawn or sent again. */
  generation: Float64Array,
};

/**
 * A move, in a slot of a move ring (move pool, one row per MAC, as many slots as flapMoves): from and to PE id,
 * the sequence, and the frame (its time is the move's) — so that a flapping finding cites every move it counts.
 * The ring's count and oldest slot are in the MAC's row.
 */
const MOVE_COLUMNS = {
  from: Float64Array,
  to: Float64Array,
  seq: Uint32Array,
  at: FRAME,
};

/**
 * A pending regression (pending pool): a lower sequence than another PE's live route, waiting out the grace
 * period (RFC 7432 §15 convergence) from the time of its advertisement.
 */
const PENDING_COLUMNS = {
  /** The MAC row, or -1 once the row left the table (its verdict is then frozen in `state`). */
  row: Int32Array,
  /** Next pending regression of the same row (index + 1). */
  next: Uint32Array,
  /** The PE and the route whose advertisement had the lower sequence, at this generation. */
  pe: Uint32Array,
  route: Uint32Array,
  generation: Float64Array,
  seq: Uint32Array,
  at: FRAME,
  /** The other PE with the higher live sequence, as it was then. */
  other: Uint32Array,
  otherIncarnation: Float64Array,
  otherSeq: Uint32Array,
  otherAt: FRAME,
  mac: Float64Array,
  /** 0 while its row is in the table; once the row left, 1 if it was still a regression then, 2 if not. */
  state: Uint8Array,
};

/** PE ids of next hops that are not IPv4 start here. */
const OTHER_PES = 2 ** 32;

/** What a pending regression needs in text (its instance and both PEs), kept beside its row of numbers. */
interface PendingNames {
  instance: InternedInstance;
  pe: string;
  otherPe: string;
}

/**
 * The route's IP and ADD-PATH id as one number: IP 0 when absent, 1 + the IPv4 address, or 2^33 + a 32-bit hash
 * of other texts; plus (pathId mod (2^18 - 1) + 1) * 2^34 with ADD-PATH. Two routes of one PE for one MAC that
 * differ only where these fold together (an IPv6 hash collision) would be taken for one.
 */
function routeKeyOf(f: EvpnRouteFact): number {
  let ip = 0;
  if (f.ip !== null) {
    ip = Number.isNaN(f.ipV4) ? 2 ** 33 + hashText(f.ip, 0x811c9dc5) : 1 + f.ipV4;
  }
  return f.pathId === null ? ip : ip + ((f.pathId % (2 ** 18 - 1)) + 1) * 2 ** 34;
}

/** Two routes of one Ethernet segment (same non-zero ESI id) are multihoming, not a move. */
function multihomed(esiA: number, esiB: number): boolean {
  return esiA !== 0 && esiA === esiB;
}

const role = (pe: string, seq: number): string => `advertisement from ${pe}, sequence ${seq}`;

export const macMobilityRegression: Rule = {
  meta: {
    id: MAC_MOBILITY_REGRESSION,
    alsoReports: [
      {
        id: MAC_MOBILITY_TIE,
        severity: 'warning',
        title: 'Two PEs advertise one MAC with the same sequence',
        remediation:
          'Find why the PE that learned the MAC last did not raise its sequence (RFC 7432 §15): a software bug, or ' +
          'the same MAC really behind both PEs (a dual-homed host without an ESI, a loop). If it is an anycast ' +
          'gateway MAC advertised by every leaf, declare it in the config (intent.anycastMacs).',
      },
      {
        id: MAC_FLAPPING,
        severity: 'warning',
        title: 'MAC moves too often (duplicate MAC detection)',
        remediation:
          'Look behind the PEs the MAC moves between (the evidence cites the moves): two hosts sharing one MAC ' +
          '(cloned VMs, a misconfigured virtual MAC) or a layer-2 loop outside the fabric. Fix the duplicate or ' +
          'the loop, then clear the MAC on the PEs that froze it.',
      },
      {
        id: STICKY_MAC_MOVED,
        severity: 'error',
        title: 'A sticky (static) MAC is advertised by another PE',
        remediation:
          'A sticky MAC must not move: find the device behind the second PE that uses it (spoofing, a copied ' +
          'configuration, a static entry left behind) and remove it there, or move the static entry if the ' +
          'host really moved.',
      },
      {
        id: MAC_MOBILITY_COMMUNITY_INVALID,
        severity: 'warning',
        title: 'Malformed MAC Mobility extended community',
        remediation:
          'Fix the advertising PE: at most one MAC Mobility community per route, and sequence 0 on a sticky MAC ' +
          '(RFC 7432 §7.7, §15.2); upgrade software that sends otherwise.',
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
        description: 'this many MAC moves within flapWindow (RFC 7432 §15.1 N; FRR, Junos: 5)',
        default: 5,
        unit: 'count',
        findings: [MAC_FLAPPING],
      },
      {
        name: 'flapWindow',
        description: 'window for flapMoves (RFC 7432 §15.1 M; FRR, Junos: 180 s)',
        default: 180,
        unit: 's',
        findings: [MAC_FLAPPING],
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
    const flapMoves = context.settings.flapMoves;
    const flapWindow = context.settings.flapWindow;
    const grace = context.settings.mobilityGrace;
    const maxRoutes = setting(context, MAX_EVPN_ROUTES);
    const ringSize = Math.max(1, Math.min(MAX_FLAP_MOVES, Math.ceil(flapMoves)));

    // Reserved for what a full MAC table usually needs (a PE or two per MAC, a route per PE, a move ring per MAC
    // at most): paid for as used, so a pool copies itself only past it.
    const pes = new RowPool(PE_COLUMNS, 2 * maxRoutes);
    const routes = new RowPool(ROUTE_COLUMNS, 2 * maxRoutes);
    const moveRings = new RowPool(MOVE_COLUMNS, maxRoutes, ringSize);
    const pendingRows = new RowPool(PENDING_COLUMNS);
    const pendingNames: (PendingNames | undefined)[] = [];
    /** Pending regressions in time order (the grace period is the same for all): a queue with a head index. */
    let queue: number[] = [];
    let queueHead = 0;
    /** Unique numbers for a PE's incarnation and a route's generation. */
    let stamp = 0;

    // A MAC leaving the table takes its PEs, routes and moves along; what its pending regressions would decide
    // is decided now (nothing can change it any more), and reported when their grace ends.
    // A MAC pushed out by the cap loses its routes and moves: later regressions, ties or flapping of it may be missed.
    const macs = new AgedRowTable(maxRoutes, MAC_COLUMNS, (row) => {
      for (const id of [MAC_MOBILITY_REGRESSION, MAC_MOBILITY_TIE, MAC_FLAPPING, STICKY_MAC_MOVED]) context.capped?.(id);
      dropRow(row);
    });
    // Every route's RD, PE and instance, worked out once by the engine (evpn-identity.ts) before this rule sees it.
    const identity = context.shared.evpnIdentity;
    const instances = identity.instances;
    // Instances past the cap start over: rows of the old ones are dropped (their ids are never reused).
    identity.onInstancesReset((below) => {
      macs.removeIf((row, part) => {
        if (part >= below) return false;
        dropRow(row);
        return true;
      });
    });
    /** Next hops that are not IPv4 (IPv6 VTEPs), interned from OTHER_PES up; started over past the cap. */
    const otherPes = new Map<string, number>();
    const otherPeTexts = new Map<number, string>();
    let nextOtherPe = OTHER_PES;
    /** Non-zero ESIs as ids from 1 (the decoder's ESI text is a rope of 30 pieces); started over past the cap. */
    const esis = new Map<string, number>();
    let nextEsi = 1;

    /** The PE id of a PE's text; `v4` is ipv4Key of it (a fact's nextHopV4). */
    function peIdOf(text: string, v4: number): number {
      if (!Number.isNaN(v4)) return v4;
      let id = otherPes.get(text);
      if (id === undefined) {
        if (otherPes.size >= Math.max(1, maxRoutes)) {
          const below = nextOtherPe;
          otherPes.clear();
          otherPeTexts.clear();
          macs.removeIf((row) => {
            if (!usesOtherPe(row, below)) return false;
            dropRow(row);
            return true;
          });
        }
        id = nextOtherPe++;
        otherPes.set(text, id);
        otherPeTexts.set(id, text);
      }
      return id;
    }

    function peText(id: number): string {
      return id < OTHER_PES ? formatIpv4(id) : (otherPeTexts.get(id) ?? '?');
    }

    function usesOtherPe(row: number, below: number): boolean {
      const old = (id: number) => id >= OTHER_PES && id < below;
      const M = macs.c;
      const P = pes.c;
      if (M.owner[row] > 0 && old(M.owner[row] - 1)) return true;
      for (let p = M.pes[row] - 1; p >= 0; p = P.next[p] - 1) if (old(P.pe[p])) return true;
      const ring = M.moves[row] - 1;
      if (ring >= 0) {
        const V = moveRings.c;
        for (let k = 0; k < M.moveCount[row]; k++) {
          const move = moveRings.columns.slot(ring, (M.moveHead[row] + k) % ringSize);
          if (old(V.from[move]) || old(V.to[move])) return true;
        }
      }
      return false;
    }

    function esiIdOf(f: EvpnRouteFact): number {
      if (f.esiZero) return 0;
      let id = esis.get(f.esi);
      if (id === undefined) {
        // Ids are not reused: an ESI seen before the restart no longer matches itself (rare: maxEvpnRoutes ESIs).
        if (esis.size >= Math.max(1, maxRoutes)) esis.clear();
        id = nextEsi++;
        esis.set(f.esi, id);
      }
      return id;
    }

    /** Frees a PE row and its routes. */
    function releasePe(p: number): void {
      for (let r = pes.c.routes[p] - 1; r >= 0; ) {
        const next = routes.c.next[r] - 1;
        routes.release(r);
        r = next;
      }
      pes.release(p);
    }

    /** A MAC row leaves the table: freeze its pending regressions, free what hangs off it. */
    function dropRow(row: number): void {
      const M = macs.c;
      const Q = pendingRows.c;
      for (let q = M.pending[row] - 1; q >= 0; ) {
        Q.state[q] = stillRegression(q) ? 1 : 2;
        Q.row[q] = -1;
        const next = Q.next[q] - 1;
        Q.next[q] = 0;
        q = next;
      }
      for (let p = M.pes[row] - 1; p >= 0; ) {
        const next = pes.c.next[p] - 1;
        releasePe(p);
        p = next;
      }
      if (M.moves[row] > 0) moveRings.release(M.moves[row] - 1);
      macs.columns.clearRow(row);
    }

    function report(
      instance: InternedInstance,
      macValue: number,
      d: Pick<ReportDescriptor, 'messageId' | 'confidence' | 'evidence'> & {
        rule: string;
        /** Suffix of the identifier after the MAC key ('' for findings about the MAC itself). */
        suffix?: string;
        data: Record<string, string | number | boolean>;
        seqs: number[];
      },
    ): void {
      const m = formatMac(macValue);
      const seqFilter = d.seqs.every((s) => s !== 0) ? anyOf('bgp.ext_com_evpn.mmac.seq', d.seqs) : '';
      context.report({
        rule: d.rule,
        messageId: d.messageId,
        detailMessageId: `${d.messageId}-detail`,
        data: { mac: m, ...d.data },
        identifier: `${instance.key}|${macValue}${d.suffix ?? ''}`,
        confidence: d.confidence,
        domainId: null,
        evpnDomain: { vni: instance.vni, ethernetTag: instance.ethernetTag, routeTargets: instance.routeTargets },
        subject: { mac: m },
        evidence: d.evidence,
        wiresharkFilter: all(`bgp.evpn.nlri.mac_addr == ${m}`, seqFilter),
      });
    }

    /**
     * Whether a pending regression still stands: its route neither withdrawn nor sent again (that advertisement
     * has its own wait), its PE neither withdrew another route for the MAC (MAC-only vs MAC/IP: one sequence
     * covers all routes of a MAC, RFC 7432 §7.7) nor raised its sequence, and the higher route still live.
     */
    function stillRegression(q: number): boolean {
      const Q = pendingRows.c;
      const P = pes.c;
      if (routes.c.generation[Q.route[q]] !== Q.generation[q]) return false;
      const pe = Q.pe[q];
      if (P.withdrew[pe] >= Q.at.time(q)) return false;
      if (compareSerial(P.seq[pe], Q.seq[q]) > 0) return false;
      const other = Q.other[q];
      if (P.incarnation[other] !== Q.otherIncarnation[q]) return false;
      return compareSerial(Q.seq[q], P.seq[other]) < 0;
    }

    /** Decides pending regressions whose grace period ended by `now` (all of them at the end of the capture). */
    function settle(now: number, ending: boolean): void {
      while (queueHead < queue.length) {
        const q = queue[queueHead];
        const time = pendingRows.c.at.time(q);
        const elapsed = now - time >= grace;
        if (!elapsed && !ending) break;
        queueHead++;
        const row = pendingRows.c.row[q];
        let stands: boolean;
        if (row >= 0) {
          stands = stillRegression(q);
          unlinkPending(row, q);
        } else stands = pendingRows.c.state[q] === 1;
        const names = pendingNames[q] as PendingNames;
        if (stands) {
          const Q = pendingRows.c;
          const seq = Q.seq[q];
          const otherSeq = Q.otherSeq[q];
          report(names.instance, Q.mac[q], {
            rule: MAC_MOBILITY_REGRESSION,
            messageId: 'regression',
            data: { pe: names.pe, seq, otherPe: names.otherPe, otherSeq },
            confidence: elapsed ? 'confirmed' : 'inferred',
            evidence: [
              { ref: Q.otherAt.ref(q), role: role(names.otherPe, otherSeq) },
              { ref: Q.at.ref(q), role: role(names.pe, seq) },
            ],
            seqs: [seq, otherSeq],
          });
        }
        pendingNames[q] = undefined;
        pendingRows.release(q);
      }
      if (queueHead === queue.length) {
        if (queue.length > 0) queue = [];
        queueHead = 0;
      } else if (queueHead > 1024 && queueHead * 2 > queue.length) {
        queue = queue.slice(queueHead);
        queueHead = 0;
      }
    }

    function unlinkPending(row: number, q: number): void {
      const M = macs.c;
      const Q = pendingRows.c;
      if (M.pending[row] - 1 === q) {
        M.pending[row] = Q.next[q];
        return;
      }
      for (let p = M.pending[row] - 1; p >= 0; p = Q.next[p] - 1) {
        if (Q.next[p] - 1 === q) {
          Q.next[p] = Q.next[q];
          return;
        }
      }
    }

    function advertise(f: EvpnRouteFact, macValue: number): void {
      const rd = identity.rd;
      const pe = peIdOf(identity.pe, identity.peV4);
      // A type-2 advertisement with a MAC always has its instance.
      const instance = identity.instance as InternedInstance;
      let row = macs.find(instance.id, macValue);
      if (row < 0) row = macs.insert(instance.id, macValue);
      else macs.touch(row);
      // Nothing below inserts into the MAC table: its columns stay these arrays.
      const M = macs.c;
      const seq = f.macMobility?.sequence ?? 0;
      const sticky = f.macMobility?.sticky ?? false;
      const esi = esiIdOf(f);

      if (f.macMobilityCount > 1) {
        const name = peText(pe);
        report(instance, macValue, {
          rule: MAC_MOBILITY_COMMUNITY_INVALID,
          messageId: 'multiple-communities',
          data: { pe: name, count: f.macMobilityCount },
          suffix: `|${name}|multiple`,
          confidence: 'confirmed',
          evidence: [{ ref: f.ref, role: `advertisement from ${name} with ${f.macMobilityCount} MAC Mobility communities` }],
          seqs: [],
        });
      }
      if (sticky && seq !== 0) {
        const name = peText(pe);
        report(instance, macValue, {
          rule: MAC_MOBILITY_COMMUNITY_INVALID,
          messageId: 'sticky-with-sequence',
          data: { pe: name, seq },
          suffix: `|${name}|sticky-seq`,
          confidence: 'confirmed',
          evidence: [{ ref: f.ref, role: `sticky advertisement from ${name}, sequence ${seq}` }],
          seqs: [seq],
        });
      }

      // One walk of the MAC's PEs: this PE's row, the last row, how many, and whether the last winner is live.
      const owner = M.owner[row] - 1;
      let P = pes.c;
      let previous = -1;
      let last = -1;
      let count = 0;
      let ownerLive = false;
      for (let p = M.pes[row] - 1; p >= 0; p = P.next[p] - 1) {
        const id = P.pe[p];
        if (id === pe) previous = p;
        else if (id === owner) ownerLive = true;
        last = p;
        count++;
      }
      if (previous >= 0 && compareSerial(seq, P.seq[previous]) < 0) {
        // One PE's own sequence going down has no race to wait for: its messages arrive in order.
        const name = peText(pe);
        const previousSeq = P.seq[previous];
        report(instance, macValue, {
          rule: MAC_MOBILITY_REGRESSION,
          messageId: 'same-pe-regression',
          data: { pe: name, seq, otherSeq: previousSeq, otherPe: name },
          confidence: 'confirmed',
          evidence: [
            { ref: P.last.ref(previous), role: role(name, previousSeq) },
            { ref: f.ref, role: role(name, seq) },
          ],
          seqs: [seq, previousSeq],
        });
      }

      // The highest live sequence of another PE above this one: a regression candidate.
      let above = -1;
      for (let p = M.pes[row] - 1; p >= 0; p = P.next[p] - 1) {
        const otherId = P.pe[p];
        const otherSeq = P.seq[p];
        if (otherId === pe || multihomed(esi, P.esi[p])) continue;
        const otherSticky = P.sticky[p] === 1;
        const order = compareSerial(seq, otherSeq);
        if (order < 0) {
          if (above < 0 || compareSerial(otherSeq, P.seq[above]) > 0) above = p;
          if (!otherSticky) continue;
        } else if (!otherSticky && order > 0) continue; // a higher sequence than a plain route: nothing to say
        const name = peText(pe);
        const otherName = peText(otherId);
        const data = { pe: name, seq, otherPe: otherName, otherSeq };
        const both: Evidence[] = [{ ref: P.last.ref(p), role: role(otherName, otherSeq) }, { ref: f.ref, role: role(name, seq) }];
        if (otherSticky) {
          report(instance, macValue, { rule: STICKY_MAC_MOVED, messageId: 'sticky-moved', data, confidence: 'confirmed', evidence: both, seqs: [] });
        }
        if (Number.isNaN(order)) {
          report(instance, macValue, {
            rule: MAC_MOBILITY_REGRESSION,
            messageId: 'serial-ambiguous',
            data,
            confidence: 'inferred',
            evidence: both,
            seqs: [seq, otherSeq],
          });
        } else if (order === 0) {
          const winner = compareNextHop(name, otherName) <= 0 ? name : otherName;
          report(instance, macValue, {
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
      const notPeer = !multihomed(esi, M.ownerEsi[row]);
      if (owner >= 0 && owner !== pe && !ownerLive) {
        // The last winner withdrew first: whatever this PE says now, the MAC has moved here.
        if (notPeer) move(row, instance, f, pe, owner);
        setOwner(row, pe, seq, esi);
      } else if (owner < 0 || owner === pe) {
        if (owner < 0 || compareSerial(seq, M.ownerSeq[row]) > 0) setOwner(row, pe, seq, esi);
      } else if (compareSerial(seq, M.ownerSeq[row]) > 0) {
        if (notPeer) move(row, instance, f, pe, owner);
        setOwner(row, pe, seq, esi);
      }

      let mine = previous;
      if (mine < 0) {
        if (count >= PES_PER_MAC) {
          // The oldest PE is forgotten (its pending regressions then find their route gone).
          const oldest = M.pes[row] - 1;
          M.pes[row] = P.next[oldest];
          if (last === oldest) last = -1;
          releasePe(oldest);
        }
        mine = pes.alloc();
        P = pes.c;
        P.pe[mine] = pe;
        P.withdrew[mine] = -Infinity;
        P.incarnation[mine] = ++stamp;
        if (last < 0) M.pes[row] = mine + 1;
        else P.next[last] = mine + 1;
      }
      P.seq[mine] = seq;
      P.esi[mine] = esi;
      P.sticky[mine] = sticky ? 1 : 0;
      P.last.set(mine, f.ref);

      const key = routeKeyOf(f);
      let R = routes.c;
      let route = -1;
      let lastRoute = -1;
      let routeCount = 0;
      for (let r = P.routes[mine] - 1; r >= 0; r = R.next[r] - 1) {
        if (R.rd[r] === rd && R.key[r] === key) route = r;
        lastRoute = r;
        routeCount++;
      }
      if (route < 0) {
        if (routeCount >= ROUTES_PER_PE) {
          const oldest = P.routes[mine] - 1;
          P.routes[mine] = R.next[oldest];
          if (lastRoute === oldest) lastRoute = -1;
          routes.release(oldest);
        }
        route = routes.alloc();
        R = routes.c;
        R.rd[route] = rd;
        R.key[route] = key;
        if (lastRoute < 0) P.routes[mine] = route + 1;
        else R.next[lastRoute] = route + 1;
      }
      const generation = ++stamp;
      R.generation[route] = generation;

      if (above >= 0) {
        const q = pendingRows.alloc();
        const Q = pendingRows.c;
        Q.row[q] = row;
        Q.next[q] = M.pending[row];
        M.pending[row] = q + 1;
        Q.pe[q] = mine;
        Q.route[q] = route;
        Q.generation[q] = generation;
        Q.seq[q] = seq;
        Q.at.set(q, f.ref);
        Q.other[q] = above;
        Q.otherIncarnation[q] = P.incarnation[above];
        Q.otherSeq[q] = P.seq[above];
        Q.otherAt.copy(q, P.last, above);
        Q.mac[q] = macValue;
        pendingNames[q] = { instance, pe: peText(pe), otherPe: peText(P.pe[above]) };
        queue.push(q);
        // Bounded like every table: past the cap the oldest is decided now, before its grace has run out.
        if (queue.length - queueHead > maxRoutes) {
          settle(pendingRows.c.at.time(queue[queueHead]) + grace, false);
        }
      }
    }

    function setOwner(row: number, pe: number, seq: number, esi: number): void {
      const M = macs.c;
      M.owner[row] = pe + 1;
      M.ownerSeq[row] = seq;
      M.ownerEsi[row] = esi;
    }

    function move(row: number, instance: InternedInstance, f: EvpnRouteFact, to: number, from: number): void {
      const now = f.ref.time;
      const M = macs.c;
      if (M.moves[row] === 0) M.moves[row] = moveRings.alloc() + 1;
      const ring = M.moves[row] - 1;
      const V = moveRings.c;
      const rings = moveRings.columns;
      // Append; past the ring's size the oldest is overwritten. Then drop moves older than the window.
      let count = M.moveCount[row];
      let head = M.moveHead[row];
      const at = rings.slot(ring, (head + count) % ringSize);
      V.from[at] = from;
      V.to[at] = to;
      V.seq[at] = f.macMobility?.sequence ?? 0;
      V.at.set(at, f.ref);
      if (count < ringSize) count++;
      else head = (head + 1) % ringSize;
      while (count > 0 && (now - V.at.time(rings.slot(ring, head)) > flapWindow || count > flapMoves)) {
        head = (head + 1) % ringSize;
        count--;
      }
      M.moveCount[row] = count;
      M.moveHead[row] = head;
      if (count >= flapMoves) reportFlapping(row, instance, ring, head, count);
    }

    /**
     * The flapping finding for the `count` moves of a ring from slot `head`. Apart from `move` (and so from
     * `advertise`, which inlines it): a report's object literals share their hidden classes with those `settle`
     * makes, and the first regression it reported widened a field type that the optimised `advertise` had relied on
     * through this code, throwing that code away a third of the way into a capture.
     */
    function reportFlapping(row: number, instance: InternedInstance, ring: number, head: number, count: number): void {
      const V = moveRings.c;
      const rings = moveRings.columns;
      const ids: number[] = [];
      // Every move counted is cited ("moved 5 times" shows the 5 moves), each with the same role whichever
      // report cites it, so the engine keeps one item per move.
      const evidence: Evidence[] = [];
      for (let k = 0; k < count; k++) {
        const move = rings.slot(ring, (head + k) % ringSize);
        for (const id of [V.from[move], V.to[move]]) if (!ids.includes(id)) ids.push(id);
        evidence.push({ ref: V.at.ref(move), role: `move ${peText(V.from[move])} → ${peText(V.to[move])}, sequence ${V.seq[move]}` });
      }
      const names = ids.map(peText).sort(compareNextHop);
      report(instance, macs.keyOf(row), {
        rule: MAC_FLAPPING,
        messageId: 'flapping',
        data: { moves: count, window: flapWindow, threshold: flapMoves, pes: names.join(', ') },
        confidence: 'confirmed',
        evidence,
        seqs: [],
      });
    }

    function withdrawIn(id: number, f: EvpnRouteFact, rd: number, key: number, macValue: number): void {
      const row = macs.find(id, macValue);
      if (row < 0) return;
      const sameTag = instances.get(id)?.ethernetTag === f.ethernetTag;
      const M = macs.c;
      const P = pes.c;
      const R = routes.c;
      let before = -1;
      for (let p = M.pes[row] - 1; p >= 0; ) {
        const next = P.next[p] - 1;
        let match = -1;
        let previousRoute = -1;
        for (let r = P.routes[p] - 1, prior = -1; r >= 0; prior = r, r = R.next[r] - 1) {
          if (R.rd[r] !== rd) continue;
          P.withdrew[p] = f.ref.time;
          if (sameTag && R.key[r] === key) {
            match = r;
            previousRoute = prior;
          }
        }
        if (match >= 0) {
          if (previousRoute < 0) P.routes[p] = R.next[match];
          else R.next[previousRoute] = R.next[match];
          routes.release(match);
          if (P.routes[p] === 0) {
            // No live route left: the PE no longer has the MAC.
            if (before < 0) M.pes[row] = next + 1;
            else P.next[before] = next + 1;
            pes.release(p);
            p = next;
            continue;
          }
        }
        before = p;
        p = next;
      }
    }

    function withdraw(f: EvpnRouteFact, macValue: number): void {
      // A withdrawal carries no encapsulation (no VNI): look in the instances its RD was advertised in.
      const rd = identity.rd;
      const key = routeKeyOf(f);
      const n = identity.rdInstanceCount();
      if (n >= 0) {
        for (let k = 0; k < n; k++) withdrawIn(identity.rdInstance(k), f, rd, key, macValue);
      } else for (const id of instances.ids()) withdrawIn(id, f, rd, key, macValue);
    }

    return {
      evpn(f) {
        if (queueHead < queue.length) settle(f.ref.time, false);
        if (f.routeType !== 2 || f.mac === null) return;
        if (f.action === 'withdraw') withdraw(f, f.mac);
        else advertise(f, f.mac);
      },
      end(lastTime) {
        settle(lastTime, true);
      },
      sizes: () => ({ macs: macs.size, pendingRegressions: queue.length - queueHead }),
    };
  },
};
