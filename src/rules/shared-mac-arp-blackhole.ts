// shared-mac-arp-blackhole: one MAC sources ARP — or IPv6 Neighbour Solicitations — for several IPs in one
// domain (gateways configured with the same MAC, anycast without EVPN), and its requests fail: the replies go to
// whichever switch owns the MAC. One id for both families; a MAC's IPv4 and IPv6 bindings are kept apart (a
// dual-stack host has one of each). IPv6 hosts normally have several addresses (link-local, global, temporary),
// so for IPv6 link-local sources do not count, there is no "latent" form, and the failures must be requests
// repeated after their reply was seen, or come from two of the MAC's addresses.
import type { FrameRef, NeighbourFact } from '../facts/types.js';
import { isReply, type UnansweredRequest } from './resolutions.js';
import { AgedNumberTable, AgedRowTable, HeadTail, PagedArray, RowPool } from './bounded.js';
import { Columns, FRAME } from './columns.js';
import { MAX_MACS, MAX_PENDING_ARP, setting } from './options.js';
import type { Evidence, Rule } from './types.js';
import { UNANSWERED_ARP, unansweredArpIdentifier } from './unanswered-arp.js';
import { isFhrpVirtualMac } from './virtual-mac.js';
import { all, domainFilter, familyName, familyProtocol, mac, neighbourFields } from './wireshark.js';

export const SHARED_MAC_ARP_BLACKHOLE = 'shared-mac-arp-blackhole';

/** Table part of a MAC: its domain and address family (a dual-stack host's IPv4 and IPv6 bindings stay apart). */
function macPart(domainId: number, family: 4 | 6): number {
  return domainId * 2 + (family === 6 ? 1 : 0);
}

/** Sender IPs kept per MAC; a MAC with more is still shared, the rest are counted. */
const IPS_PER_MAC = 16;
/** Failed targets kept per MAC (for the fold and the message). */
const TARGETS_PER_MAC = 64;
/** Recent replies remembered per requester MAC, for "repeated after a reply" (a small ring). */
const REPLIES_PER_MAC = 4;
/** A remembered reply (a slot of a requester MAC's ring): who asked (-1: empty slot), who answered, its frame. */
const REPLY = { requesterIp: Float64Array, replyingIp: Float64Array, at: FRAME };

/** One IP of a MAC (a row of the rule's binding pool, linked from the MAC's state): the IP, the frame that first
 *  bound it, the time of its last use, the MAC's next binding + 1 (0: none). Rows, not objects, so the long-lived
 *  state holds no per-fact object and MACs that come and go leave no garbage. */
const BINDING = { ip: Float64Array, first: FRAME, lastTime: Float64Array, next: Int32Array };

/** Who failed to resolve one target: the first MAC, and whether any other MAC failed for it too. */
interface TargetFailures {
  seen: number;
  mac: number;
  others: boolean;
  /** Cited by a shared MAC's finding: kept (moved aside) when the table evicts it. */
  held: boolean;
}

/**
 * A MAC's state: a row of the rule's MAC pool (no object per MAC: the tables' sweeps and the per-fact lookups read
 * typed arrays, and MACs that come and go leave no garbage). Both tables (`macs`, `sharedMacs`) map (part, MAC)
 * to one of these rows, so a MAC moving from one to the other keeps its row.
 */
const MAC = {
  domainId: Float64Array,
  family: Uint8Array,
  mac: Float64Array,
  /** Its first binding inline (almost every MAC has one IP: no pool row for it): the IP, the frame that bound
   *  it, the time of its last use. */
  ip: Float64Array,
  bound: FRAME,
  lastTime: Float64Array,
  /** Its other bindings: the first row + 1 of their list in the rule's binding pool (0: none). */
  more: Int32Array,
  ipCount: Int32Array,
  /** Two of its IPs were in use at overlapping times; from then on its state is never dropped unreported. */
  shared: Uint8Array,
  unanswered: Float64Array,
  retried: Float64Array,
  /** The next slot of its ring of the last replies (the rule's `replyRings`, row for row). */
  replyNext: Uint8Array,
  /** Reported at least once (later reports refresh its words and evidence, count 0). */
  reported: Uint8Array,
  /** Shared, and something changed since it was last reported: in `changed`, reported at the next flush. */
  dirty: Uint8Array,
};

/** A table entry: the MAC pool row + 1 of its state (0 while the row is being inserted). */
const MAC_ENTRY = { state: Int32Array };

/** What a MAC that failed keeps (most MACs never fail: an object only for those, beside their row). */
interface MacFailures {
  /** Failed requests and the targets they were for. */
  evidence: HeadTail<Evidence>;
  targets: Map<number, TargetFailures>;
  /** Its IPs whose requests failed (up to IPS_PER_MAC): an IPv6 finding needs two. */
  failedFrom: Set<number>;
}

export const sharedMacArpBlackhole: Rule = {
  meta: {
    id: SHARED_MAC_ARP_BLACKHOLE,
    severity: 'error',
    title: 'ARP or IPv6 ND sourced from a MAC shared by several gateways',
    rationale:
      'When several gateways use the same MAC on their interfaces (an anycast gateway without EVPN), a gateway ' +
      "that ARPs for a host sends the request from the shared MAC. The host's reply is addressed to that MAC and " +
      "is consumed by the host's local switch, which owns the MAC too (and the request itself, sourced from a MAC " +
      'the receiving switch owns, may be dropped there). Any other gateway never resolves the host, and inbound ' +
      'traffic through it is blackholed.',
    remediation:
      'Source ARP from a per-device MAC: HSRP/VRRP with a shared virtual MAC and unique interface MACs (even with ' +
      'every router forced Active), or an EVPN control plane (type-2 MAC/IP routes, ARP suppression, RFC 9135 ' +
      'distributed anycast gateway).',
    options: [
      {
        name: 'arpRetryWindow',
        description:
          'A broadcast request repeated this soon after a reply to the same MAC counts as a failed resolution',
        default: 10,
        unit: 's',
      },
      MAX_MACS,
    ],
    messages: {
      blackhole: 'MAC {mac} sources {protocol} for {ipCount} IPs ({ips}) and its requests fail ({failed} failed)',
      'blackhole-detail':
        'In this domain {mac} is the {protocol} sender address for {ips}: several devices (gateways) use the same MAC. ' +
        '{unanswered} request(s) from it went unanswered and {retried} were repeated within {retryWindow} s ' +
        'after a reply to {mac} was seen, for target(s) {targets}. A reply to a shared MAC is consumed by the ' +
        "target's local switch, which owns that MAC too, and a request sourced from a MAC the receiving switch " +
        'owns may be dropped there: gateways other than the one next to the host never resolve it, and inbound ' +
        'traffic through them is blackholed.',
      latent: 'MAC {mac} sources {protocol} for {ipCount} IPs ({ips}) at the same time: latent shared-MAC blackhole',
      'latent-detail':
        'In this domain {mac} is the ARP sender address for {ips}, used at overlapping times. No ARP from it has ' +
        'failed in this capture yet. If these are different devices sharing one MAC (anycast gateway without ' +
        "EVPN), ARP from any of them for a host attached elsewhere will fail: the reply is consumed by the host's " +
        'local switch. One router with secondary addresses on one interface also looks like this; it is harmless.',
    },
  },
  create(context) {
    const retryWindow = context.settings.arpRetryWindow;
    const ip = (key: number) => context.addresses.format(key);
    const maxMacs = setting(context, MAX_MACS);
    const maxPending = setting(context, MAX_PENDING_ARP);

    /** MAC states (rows), for the MACs in `macs` and `sharedMacs`; failure records beside them by row. */
    const states = new Columns(MAC, 2 * (maxMacs + 1));
    /** State rows handed out so far (below `statesTop`) and given back (`spareStates`). Not a RowPool: a new
     *  MAC's row is written field by field, so it is not zeroed on the way in and out as well (a cache line per
     *  column each time, for the ~29k MACs a pass brings and drops). */
    let statesTop = 0;
    const spareStates: number[] = [];
    const failuresOf = new PagedArray<MacFailures>();

    /** The state being inserted into a table: a sweep inside `insert` may push out the new entry itself. */
    let inserting = -1;
    let insertedLeft = false;
    function stateOf(table: AgedRowTable<typeof MAC_ENTRY>, row: number): number {
      const s = table.c.state[row] - 1;
      if (s >= 0) return s;
      insertedLeft = true;
      return inserting;
    }
    /** Puts state `s` in `table` under (part, m) (touched; may push others out, or `s` itself). */
    function enter(table: AgedRowTable<typeof MAC_ENTRY>, part: number, m: number, s: number): void {
      const outer = inserting;
      const outerLeft = insertedLeft;
      inserting = s;
      insertedLeft = false;
      const row = table.insert(part, m);
      if (!insertedLeft) table.c.state[row] = s + 1;
      inserting = outer;
      insertedLeft = outerLeft;
    }

    // A shared MAC is a finding already (latent at least): when the busy table pushes it out it moves to
    // `sharedMacs`, so later unrelated traffic cannot make the capture forget it. Only when even that table
    // overflows is the oldest shared MAC reported there and then.
    const sharedMacs: AgedRowTable<typeof MAC_ENTRY> = new AgedRowTable(maxMacs, MAC_ENTRY, (row) => {
      const s = stateOf(sharedMacs, row);
      report(s);
      forget(s);
    });
    const macs: AgedRowTable<typeof MAC_ENTRY> = new AgedRowTable(maxMacs, MAC_ENTRY, (row, part, key) => {
      const s = stateOf(macs, row);
      if (states.c.shared[s] === 1) enter(sharedMacs, part, key, s);
      else forget(s);
    });
    /** Reply rings of the MACs in `macs` and `sharedMacs` (so at most 2 * (maxMacs + 1) rows). */
    /** Reply rings, one per MAC state row (REPLIES_PER_MAC slots each, made empty with the state): a fact reads
     *  its MAC's ring directly instead of first loading whether it has one — a cache line less per fact. Numbers,
     *  not FrameRefs, so nothing per reply is kept alive. */
    const replyRings = new Columns(REPLY, 2 * (maxMacs + 1), REPLIES_PER_MAC);
    /** The IPs bound to the MACs in `macs` and `sharedMacs`. */
    const bindings = new RowPool(BINDING, 2 * (maxMacs + 1));
    /** Binds another IP to MAC state `s` (its first is inline); returns its pool row. */
    function addBinding(s: number, f: NeighbourFact): number {
      const row = bindings.alloc();
      const b = bindings.c;
      const st = states.c;
      b.ip[row] = f.senderIp;
      b.first.set(row, f.ref);
      b.lastTime[row] = f.ref.time;
      b.next[row] = st.more[s];
      st.more[s] = row + 1;
      st.ipCount[s]++;
      return row;
    }

    /**
     * After binding `used` (a pool row, or -1: the inline one) was just used: does it overlap another IP of the
     * MAC? With it used now, it overlaps another exactly when that one was last used at or after this one was
     * first used.
     */
    function overlapsAnother(s: number, used: number): boolean {
      const st = states.c;
      const b = bindings.c;
      const since = used < 0 ? st.bound.time(s) : b.first.time(used);
      if (used >= 0 && st.lastTime[s] >= since) return true;
      for (let y = st.more[s] - 1; y >= 0; y = b.next[y] - 1) if (y !== used && b.lastTime[y] >= since) return true;
      return false;
    }

    /** The IPs of MAC `s` bound at overlapping times (each pair's first..last intervals intersect): several
     *  devices, or one device with several addresses — not one host that changed its address (old IP last seen
     *  before the new one first appears). Sorted. */
    function concurrentIps(s: number): number[] {
      const st = states.c;
      const b = bindings.c;
      const ips = [st.ip[s]];
      const firsts = [st.bound.time(s)];
      const lasts = [st.lastTime[s]];
      for (let y = st.more[s] - 1; y >= 0; y = b.next[y] - 1) {
        ips.push(b.ip[y]);
        firsts.push(b.first.time(y));
        lasts.push(b.lastTime[y]);
      }
      const shared = new Set<number>();
      for (let x = 0; x < ips.length; x++) {
        for (let y = x + 1; y < ips.length; y++) {
          if (Math.max(firsts[x], firsts[y]) <= Math.min(lasts[x], lasts[y])) shared.add(ips[x]).add(ips[y]);
        }
      }
      return [...shared].sort((p, q) => p - q);
    }

    /** The frame that first bound `address` to MAC `s`. */
    function firstBound(s: number, address: number): FrameRef {
      if (states.c.ip[s] === address) return states.c.bound.ref(s);
      let row = states.c.more[s] - 1;
      while (bindings.c.ip[row] !== address) row = bindings.c.next[row] - 1;
      return bindings.c.first.ref(row);
    }

    /** A MAC's state leaves both tables: its ring and other bindings go back to their pools, its row to the spares
     *  (what a stale reference to it still reads — ring, bindings, dirty — reads as empty). */
    function forget(s: number): void {
      const st = states.c;
      for (let row = st.more[s] - 1; row >= 0; ) {
        const next = bindings.c.next[row] - 1;
        bindings.release(row);
        row = next;
      }
      st.more[s] = 0;
      st.shared[s] = 0;
      st.dirty[s] = 0;
      failuresOf.set(s, undefined);
      spareStates.push(s);
    }

    /** A state for a MAC first seen binding `f`: every field written. */
    function newState(f: NeighbourFact): number {
      let s: number;
      if (spareStates.length > 0) s = spareStates.pop() as number;
      else {
        s = statesTop++;
        states.ensure(s);
        replyRings.ensure(s);
      }
      const st = states.c;
      st.domainId[s] = f.domainId;
      st.family[s] = f.family;
      st.mac[s] = f.senderMac;
      st.ip[s] = f.senderIp;
      st.bound.set(s, f.ref);
      st.lastTime[s] = f.ref.time;
      st.more[s] = 0;
      st.ipCount[s] = 1;
      st.shared[s] = 0;
      st.unanswered[s] = 0;
      st.retried[s] = 0;
      st.replyNext[s] = 0;
      const ring = replyRings.c;
      for (let slot = 0; slot < REPLIES_PER_MAC; slot++) ring.requesterIp[replyRings.slot(s, slot)] = -1;
      st.reported[s] = 0;
      st.dirty[s] = 0;
      return s;
    }

    /** Per (domain, target): which MACs' requests went unanswered. Only targets that failed for the shared MAC
     *  alone are folded into its finding, so another host's trouble is not hidden. Entries a shared MAC cites
     *  are moved aside, not dropped, when the table is full. */
    const heldTargets = new AgedNumberTable<TargetFailures>(maxPending);
    const failedBy = new AgedNumberTable<TargetFailures>(maxPending, (entry, domainId, target) => {
      if (entry.held) heldTargets.set(domainId, target, entry);
    });

    /**
     * Shared MACs whose finding changed (became shared, another failure): reported as soon as the rule next runs
     * (an ARP fact or a tick), so a live reader hears of a blackhole when it becomes certain, not at the end.
     * Reporting a finding again with count 0 refreshes it: the count stays one per MAC, as at the end alone.
     */
    const changed: number[] = [];
    function touchShared(s: number): void {
      const st = states.c;
      if (st.shared[s] === 0 || st.dirty[s] === 1) return;
      st.dirty[s] = 1;
      changed.push(s);
    }
    function flushChanged(): void {
      for (let i = 0; i < changed.length; i++) {
        const s = changed[i];
        if (states.c.dirty[s] === 0) continue;
        states.c.dirty[s] = 0;
        report(s, false);
      }
      changed.length = 0;
    }

    /** The state row of a MAC in either table, or -1. */
    function lookup(domainId: number, family: 4 | 6, m: number): number {
      const part = macPart(domainId, family);
      const row = macs.find(part, m);
      if (row >= 0) return macs.c.state[row] - 1;
      if (sharedMacs.size === 0) return -1;
      const shared = sharedMacs.find(part, m);
      return shared >= 0 ? sharedMacs.c.state[shared] - 1 : -1;
    }

    /** The MAC's failure records (made on its first failure), with `senderIp` noted among its failed IPs. */
    function failedFrom(s: number, senderIp: number): MacFailures {
      let failures = failuresOf.get(s);
      if (failures === undefined) {
        failures = { evidence: new HeadTail<Evidence>(10, 10), targets: new Map<number, TargetFailures>(), failedFrom: new Set<number>() };
        failuresOf.set(s, failures);
      }
      if (failures.failedFrom.size < IPS_PER_MAC) failures.failedFrom.add(senderIp);
      return failures;
    }

    function fail(s: number, failures: MacFailures, target: number, entry: TargetFailures | undefined): HeadTail<Evidence> {
      if (!failures.targets.has(target) && failures.targets.size < TARGETS_PER_MAC) {
        const cited = entry ?? { seen: 0, mac: states.c.mac[s], others: false, held: false };
        cited.held = true;
        failures.targets.set(target, cited);
      }
      return failures.evidence;
    }

    const onUnanswered = (r: UnansweredRequest): void => {
      let failures = failedBy.get(r.domainId, r.targetIp) ?? heldTargets.get(r.domainId, r.targetIp);
      if (!failures) {
        failures = { seen: 0, mac: r.senderMac, others: false, held: false };
        failedBy.set(r.domainId, r.targetIp, failures);
      } else {
        failedBy.touch(failures);
        if (failures.mac !== r.senderMac) failures.others = true;
      }
      const s = lookup(r.domainId, r.family, r.senderMac);
      if (s < 0) return;
      // A failure counts only where the capture would have seen the reply (shared.ts, Vantage).
      if (!context.shared.vantage.mayObserve(r.domainId, r.senderMac, r.targetIp)) return;
      states.c.unanswered[s]++;
      const records = failedFrom(s, r.senderIp);
      fail(s, records, r.targetIp, failures).push({ ref: r.ref, role: `unanswered request for ${ip(r.targetIp)}` });
      touchShared(s);
    };
    const tracker = context.shared.resolutions(onUnanswered);

    /** Binds the sender MAC to the sender IP; returns the MAC's state row (-1 when the fact does not bind). */
    function bind(f: NeighbourFact): number {
      // Plain replies do not bind: with proxy ARP a router answers for addresses that are not its own.
      if (f.senderIp === 0 || f.arpClass === 'probe' || f.arpClass === 'reply' || f.arpClass === 'other') return -1;
      if (f.ethSrc !== 0 && f.ethSrc !== f.senderMac) return -1;
      // IPv6: a host's link-local address sits beside its global ones; only the others tell devices apart.
      if (f.senderLinkLocal) return -1;
      // A group's virtual MAC (always of the well-known form, as facts derive it) speaking for its VIP is fine,
      // and a virtual MAC announcing addresses (gratuitous ARP for each VIP) is not a device sharing it. The
      // arithmetic test first: most senders are not virtual MACs, and they need no table lookup.
      if (isFhrpVirtualMac(f.senderMac)) {
        if (f.arpClass !== 'request') return -1;
        if (context.shared.gateways.fhrpGroup(f.domainId, f.senderIp)?.virtualMac === f.senderMac) return -1;
      }
      const part = macPart(f.domainId, f.family);
      let s: number;
      let row = macs.find(part, f.senderMac);
      if (row >= 0) {
        macs.touch(row);
        s = macs.c.state[row] - 1;
      } else if (sharedMacs.size > 0 && (row = sharedMacs.find(part, f.senderMac)) >= 0) {
        sharedMacs.touch(row);
        s = sharedMacs.c.state[row] - 1;
      } else {
        s = newState(f);
        enter(macs, part, f.senderMac, s);
        return s;
      }
      const st = states.c;
      // The inline binding (-1) or a pool row.
      let at = -1;
      if (st.ip[s] === f.senderIp) st.lastTime[s] = f.ref.time;
      else {
        const b = bindings.c;
        at = st.more[s] - 1;
        while (at >= 0 && b.ip[at] !== f.senderIp) at = b.next[at] - 1;
        if (at < 0) {
          if (st.ipCount[s] >= IPS_PER_MAC) return s;
          at = addBinding(s, f);
        }
        bindings.c.lastTime[at] = f.ref.time;
      }
      // More than one IP (`more`: the one column a single-IP MAC's fact still has to read here).
      if (st.more[s] > 0 && st.shared[s] === 0 && overlapsAnother(s, at)) {
        st.shared[s] = 1;
        // The targets it failed for so far are cited by its finding: keep their failure records.
        const records = failuresOf.get(s);
        if (records !== undefined) for (const t of records.targets.values()) t.held = true;
        touchShared(s);
      }
      return s;
    }

    function rememberReply(s: number, f: NeighbourFact): void {
      const st = states.c;
      const ring = replyRings.c;
      const at = replyRings.slot(s, st.replyNext[s]);
      ring.requesterIp[at] = f.targetIp;
      ring.replyingIp[at] = f.senderIp;
      ring.at.set(at, f.ref);
      st.replyNext[s] = (st.replyNext[s] + 1) % REPLIES_PER_MAC;
    }

    function noteRetry(s: number, f: NeighbourFact): void {
      const st = states.c;
      if (f.arpClass !== 'request' || f.unicast) return;
      const ring = replyRings.c;
      let latest = -1;
      for (let slot = 0; slot < REPLIES_PER_MAC; slot++) {
        const at = replyRings.slot(s, slot);
        if (ring.requesterIp[at] !== f.senderIp || ring.replyingIp[at] !== f.targetIp) continue;
        if (latest < 0 || ring.at.time(at) > ring.at.time(latest)) latest = at;
      }
      if (latest < 0 || f.ref.time - ring.at.time(latest) > retryWindow) return;
      const reply = ring.at.ref(latest);
      st.retried[s]++;
      const records = failedFrom(s, f.senderIp);
      let failures = failedBy.get(f.domainId, f.targetIp) ?? heldTargets.get(f.domainId, f.targetIp);
      if (failures && failures.mac !== st.mac[s]) failures.others = true;
      else if (!failures) {
        failures = { seen: 0, mac: st.mac[s], others: false, held: false };
        failedBy.set(f.domainId, f.targetIp, failures);
      }
      const evidence = fail(s, records, f.targetIp, failures);
      evidence.push({ ref: reply, role: `reply from ${ip(f.targetIp)} to ${mac(f.senderMac)}` });
      evidence.push({ ref: f.ref, role: `request for ${ip(f.targetIp)} repeated after that reply` });
      touchShared(s);
    }

    /**
     * `final`: the state's last report (end of capture, or evicted). Only that one names the unanswered-arp
     * findings it explains: a target that failed for this MAC alone so far may fail for another MAC later, and the
     * engine keeps every finding a report ever said it explains.
     */
    function report(s: number, final = true): void {
      const st = states.c;
      if (st.shared[s] === 0) return;
      const ips = concurrentIps(s);
      if (ips.length < 2) return;
      const domainId = st.domainId[s];
      const family = st.family[s] as 4 | 6;
      const macNumber = st.mac[s];
      const unanswered = st.unanswered[s];
      const retried = st.retried[s];
      const records = failuresOf.get(s);
      const m = mac(macNumber);
      const ipText = ips.map(ip);
      const cited: Evidence[] = ips.map((address) => ({ ref: firstBound(s, address), role: `binds ${m} to ${ip(address)}` }));
      const failed = unanswered + retried;
      // IPv6: several addresses of one host are normal. What points at several devices behind one MAC is a request
      // repeated after its reply was seen (one host's neighbour cache does not care which source address asked),
      // or failures from two of its addresses.
      if (family === 6 && retried === 0 && (records?.failedFrom.size ?? 0) < 2) return;
      const fields = neighbourFields(family);
      const targets = [...(records?.targets.keys() ?? [])].sort((a, b) => a - b);
      const explains = targets
        .filter((t) => {
          const by = records?.targets.get(t);
          return by !== undefined && by.mac === macNumber && !by.others;
        })
        .map((t) => ({ rule: UNANSWERED_ARP, identifier: unansweredArpIdentifier(domainId, t, context.addresses) }));
      context.report({
        messageId: failed > 0 ? 'blackhole' : 'latent',
        detailMessageId: failed > 0 ? 'blackhole-detail' : 'latent-detail',
        data: {
          mac: m,
          protocol: familyProtocol(family),
          ips: ipText.join(', '),
          ipCount: ips.length,
          failed,
          unanswered,
          retried,
          retryWindow,
          targets: targets.map(ip).join(', '),
        },
        identifier: family === 6 ? `${domainId}:${macNumber}:ipv6` : `${domainId}:${macNumber}`,
        severity: failed > 0 ? 'error' : 'warning',
        confidence: failed > 0 ? 'confirmed' : 'inferred',
        domainId,
        subject: { mac: m, ips: ipText, family: familyName(family) },
        evidence: [...cited, ...(records?.evidence.all() ?? [])],
        wiresharkFilter: all(
          fields.aboutMac(m),
          domainFilter(context.domains.get(domainId)),
        ),
        explains: final ? explains : undefined,
        count: st.reported[s] === 1 ? 0 : 1,
        restates: true,
      });
      states.c.reported[s] = 1;
    }

    return {
      neighbour(f) {
        const s = bind(f);
        if (s >= 0) noteRetry(s, f);
        if (isReply(f)) {
          const requester = lookup(f.domainId, f.family, f.targetMac);
          if (requester >= 0) rememberReply(requester, f);
        }
        if (changed.length > 0) flushChanged();
      },
      tick() {
        // The shared state has moved the pending requests' clock: flush what that decided.
        if (changed.length > 0) flushChanged();
      },
      end() {
        macs.forEach((row) => report(macs.c.state[row] - 1));
        sharedMacs.forEach((row) => report(sharedMacs.c.state[row] - 1));
      },
      sizes: () => ({
        macs: macs.size,
        sharedMacs: sharedMacs.size,
        pending: tracker.size,
        failedBy: failedBy.size,
        heldTargets: heldTargets.size,
      }),
    };
  },
};
