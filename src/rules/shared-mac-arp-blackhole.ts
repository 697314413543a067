// shared-mac-arp-blackhole: one MAC sources ARP — or IPv6 Neighbour Solicitations — for several IPs in one
// domain (gateways configured with the same MAC, anycast without EVPN), and its requests fail: the replies go to
// whichever switch owns the MAC. One id for both families; a MAC's IPv4 and IPv6 bindings are kept apart (a
// dual-stack host has one of each). IPv6 hosts normally have several addresses (link-local, global, temporary),
// so for IPv6 link-local sources do not count, there is no "latent" form, and the failures must be requests
// repeated after their reply was seen, or come from two of the MAC's addresses.
import type { FrameRef, NeighbourFact } from '../facts/types.js';
import { isReply, type UnansweredRequest } from './resolutions.js';
import { AgedNumberTable, HeadTail, RowPool } from './bounded.js';
import { FRAME } from './columns.js';
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

interface MacState {
  seen: number;
  domainId: number;
  family: 4 | 6;
  mac: number;
  /** Its bindings: the first row of its list in the rule's binding pool (most MACs have one), and how many. */
  bindings: number;
  ipCount: number;
  /** Two of its IPs were in use at overlapping times; from then on its state is never dropped unreported. */
  shared: boolean;
  /** Failed requests and the targets they were for; created on the first failure (most MACs never fail). */
  failures: HeadTail<Evidence> | null;
  unanswered: number;
  retried: number;
  targets: Map<number, TargetFailures> | null;
  /** Its IPs whose requests failed (up to IPS_PER_MAC): an IPv6 finding needs two. */
  failedFrom: Set<number> | null;
  /** Its ring of the last replies (REPLIES_PER_MAC slots of a row of the rule's reply pool), or -1 before the
   *  first reply. Numbers, not FrameRefs, so nothing per reply is kept alive; a pool row,
   *  not an array per MAC, so MACs that come and go leave no small buffers behind. */
  replies: number;
  replyNext: number;
  /** Reported at least once (later reports refresh its words and evidence, count 0). */
  reported: boolean;
  /** Shared, and something changed since it was last reported: in `changed`, reported at the next flush. */
  dirty: boolean;
}

/** The IPs of a MAC bound at overlapping times (each pair's first..last intervals intersect): several devices,
 *  or one device with several addresses — not one host that changed its address (old IP last seen before the
 *  new one first appears). Sorted. */
function concurrentIps(pool: RowPool<typeof BINDING>, state: MacState): number[] {
  const b = pool.c;
  const shared = new Set<number>();
  for (let x = state.bindings; x >= 0; x = b.next[x] - 1) {
    for (let y = b.next[x] - 1; y >= 0; y = b.next[y] - 1) {
      if (Math.max(b.first.time(x), b.first.time(y)) <= Math.min(b.lastTime[x], b.lastTime[y])) shared.add(b.ip[x]).add(b.ip[y]);
    }
  }
  return [...shared].sort((p, q) => p - q);
}

/**
 * After binding row `row` was just used: does it overlap another IP of the MAC? With it used now, it overlaps
 * another exactly when that one was last used at or after this one was first used.
 */
function overlapsAnother(pool: RowPool<typeof BINDING>, state: MacState, row: number): boolean {
  const b = pool.c;
  for (let y = state.bindings; y >= 0; y = b.next[y] - 1) if (y !== row && b.lastTime[y] >= b.first.time(row)) return true;
  return false;
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

    // A shared MAC is a finding already (latent at least): when the busy table pushes it out it moves to
    // `sharedMacs`, so later unrelated traffic cannot make the capture forget it. Only when even that table
    // overflows is the oldest shared MAC reported there and then.
    const sharedMacs = new AgedNumberTable<MacState>(maxMacs, (state) => {
      report(state);
      forget(state);
    });
    const macs = new AgedNumberTable<MacState>(maxMacs, (state) => {
      if (state.shared) sharedMacs.set(macPart(state.domainId, state.family), state.mac, state);
      else forget(state);
    });
    /** Reply rings of the MACs in `macs` and `sharedMacs` (so at most 2 * (maxMacs + 1) rows). */
    const replyRings = new RowPool(REPLY, maxMacs + 1, REPLIES_PER_MAC);
    /** The IPs bound to the MACs in `macs` and `sharedMacs`. */
    const bindings = new RowPool(BINDING, 2 * (maxMacs + 1));

    function addBinding(state: MacState, f: NeighbourFact): number {
      const row = bindings.alloc();
      const b = bindings.c;
      b.ip[row] = f.senderIp;
      b.first.set(row, f.ref);
      b.lastTime[row] = f.ref.time;
      b.next[row] = state.bindings + 1;
      state.bindings = row;
      state.ipCount++;
      return row;
    }

    /**
     * States of MACs that left both tables, for new MACs to reuse: MACs come and go all along a long capture, and
     * a new state (and binding) per MAC was old-space garbage — the most this rule promoted — until a full GC.
     * Up to a sweep's worth (a quarter of the table).
     */
    const spareStates: MacState[] = [];
    const maxSpareStates = Math.ceil(Math.max(1, maxMacs) / 4) + 1;

    /** A MAC's state leaves both tables: its ring goes back to the pool, the state to `spareStates`. */
    function forget(state: MacState): void {
      if (state.replies >= 0) replyRings.release(state.replies);
      state.replies = -1;
      for (let row = state.bindings; row >= 0; ) {
        const next = bindings.c.next[row] - 1;
        bindings.release(row);
        row = next;
      }
      state.bindings = -1;
      state.ipCount = 0;
      state.dirty = false;
      if (spareStates.length >= maxSpareStates) return;
      state.failures = null;
      state.targets = null;
      state.failedFrom = null;
      spareStates.push(state);
    }

    /** A state for a MAC first seen binding `f` (reused when one is spare). */
    function newState(f: NeighbourFact): MacState {
      const state = spareStates.pop() ?? {
        seen: 0,
        domainId: 0,
        family: 4,
        mac: 0,
        bindings: -1,
        ipCount: 0,
        shared: false,
        failures: null,
        unanswered: 0,
        retried: 0,
        targets: null,
        failedFrom: null,
        replies: -1,
        replyNext: 0,
        reported: false,
        dirty: false,
      };
      state.seen = 0;
      state.domainId = f.domainId;
      state.family = f.family;
      state.mac = f.senderMac;
      state.shared = false;
      state.unanswered = 0;
      state.retried = 0;
      state.replyNext = 0;
      state.reported = false;
      state.dirty = false;
      addBinding(state, f);
      return state;
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
    const changed: MacState[] = [];
    function touchShared(state: MacState): void {
      if (!state.shared || state.dirty) return;
      state.dirty = true;
      changed.push(state);
    }
    function flushChanged(): void {
      for (let i = 0; i < changed.length; i++) {
        const state = changed[i];
        if (!state.dirty) continue;
        state.dirty = false;
        report(state, false);
      }
      changed.length = 0;
    }

    function lookup(domainId: number, family: 4 | 6, m: number): MacState | undefined {
      const part = macPart(domainId, family);
      return macs.get(part, m) ?? (sharedMacs.size > 0 ? sharedMacs.get(part, m) : undefined);
    }

    function noteFailedFrom(state: MacState, senderIp: number): void {
      state.failedFrom ??= new Set<number>();
      if (state.failedFrom.size < IPS_PER_MAC) state.failedFrom.add(senderIp);
    }

    function fail(state: MacState, target: number, failures: TargetFailures | undefined): HeadTail<Evidence> {
      state.failures ??= new HeadTail<Evidence>(10, 10);
      state.targets ??= new Map<number, TargetFailures>();
      if (!state.targets.has(target) && state.targets.size < TARGETS_PER_MAC) {
        const entry = failures ?? { seen: 0, mac: state.mac, others: false, held: false };
        entry.held = true;
        state.targets.set(target, entry);
      }
      return state.failures;
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
      const state = lookup(r.domainId, r.family, r.senderMac);
      if (!state) return;
      // A failure counts only where the capture would have seen the reply (shared.ts, Vantage).
      if (!context.shared.vantage.mayObserve(r.domainId, r.senderMac, r.targetIp)) return;
      state.unanswered++;
      noteFailedFrom(state, r.senderIp);
      fail(state, r.targetIp, failures).push({ ref: r.ref, role: `unanswered request for ${ip(r.targetIp)}` });
      touchShared(state);
    };
    const tracker = context.shared.resolutions(onUnanswered);

    /** Binds the sender MAC to the sender IP; returns the MAC's state (undefined when the fact does not bind). */
    function bind(f: NeighbourFact): MacState | undefined {
      // Plain replies do not bind: with proxy ARP a router answers for addresses that are not its own.
      if (f.senderIp === 0 || f.arpClass === 'probe' || f.arpClass === 'reply' || f.arpClass === 'other') return;
      if (f.ethSrc !== 0 && f.ethSrc !== f.senderMac) return;
      // IPv6: a host's link-local address sits beside its global ones; only the others tell devices apart.
      if (f.senderLinkLocal) return;
      // A group's virtual MAC (always of the well-known form, as facts derive it) speaking for its VIP is fine,
      // and a virtual MAC announcing addresses (gratuitous ARP for each VIP) is not a device sharing it. The
      // arithmetic test first: most senders are not virtual MACs, and they need no table lookup.
      if (isFhrpVirtualMac(f.senderMac)) {
        if (f.arpClass !== 'request') return;
        if (context.shared.gateways.fhrpGroup(f.domainId, f.senderIp)?.virtualMac === f.senderMac) return;
      }
      const part = macPart(f.domainId, f.family);
      let state = macs.get(part, f.senderMac);
      if (state) macs.touch(state);
      else if (sharedMacs.size > 0 && (state = sharedMacs.get(part, f.senderMac))) sharedMacs.touch(state);
      else {
        state = newState(f);
        macs.set(part, f.senderMac, state);
        return state;
      }
      const b = bindings.c;
      let row = state.bindings;
      while (row >= 0 && b.ip[row] !== f.senderIp) row = b.next[row] - 1;
      if (row < 0) {
        if (state.ipCount >= IPS_PER_MAC) return state;
        row = addBinding(state, f);
      }
      bindings.c.lastTime[row] = f.ref.time;
      if (!state.shared && state.ipCount > 1 && overlapsAnother(bindings, state, row)) {
        state.shared = true;
        // The targets it failed for so far are cited by its finding: keep their failure records.
        if (state.targets) for (const t of state.targets.values()) t.held = true;
        touchShared(state);
      }
      return state;
    }

    function rememberReply(state: MacState, f: NeighbourFact): void {
      if (state.replies < 0) {
        state.replies = replyRings.alloc();
        for (let slot = 0; slot < REPLIES_PER_MAC; slot++) replyRings.c.requesterIp[replyRings.columns.slot(state.replies, slot)] = -1;
      }
      const ring = replyRings.c;
      const at = replyRings.columns.slot(state.replies, state.replyNext);
      ring.requesterIp[at] = f.targetIp;
      ring.replyingIp[at] = f.senderIp;
      ring.at.set(at, f.ref);
      state.replyNext = (state.replyNext + 1) % REPLIES_PER_MAC;
    }

    function noteRetry(state: MacState, f: NeighbourFact): void {
      if (state.replies < 0 || f.arpClass !== 'request' || f.unicast) return;
      const ring = replyRings.c;
      let latest = -1;
      for (let slot = 0; slot < REPLIES_PER_MAC; slot++) {
        const at = replyRings.columns.slot(state.replies, slot);
        if (ring.requesterIp[at] !== f.senderIp || ring.replyingIp[at] !== f.targetIp) continue;
        if (latest < 0 || ring.at.time(at) > ring.at.time(latest)) latest = at;
      }
      if (latest < 0 || f.ref.time - ring.at.time(latest) > retryWindow) return;
      const reply = ring.at.ref(latest);
      state.retried++;
      noteFailedFrom(state, f.senderIp);
      let failures = failedBy.get(f.domainId, f.targetIp) ?? heldTargets.get(f.domainId, f.targetIp);
      if (failures && failures.mac !== state.mac) failures.others = true;
      else if (!failures) {
        failures = { seen: 0, mac: state.mac, others: false, held: false };
        failedBy.set(f.domainId, f.targetIp, failures);
      }
      const evidence = fail(state, f.targetIp, failures);
      evidence.push({ ref: reply, role: `reply from ${ip(f.targetIp)} to ${mac(f.senderMac)}` });
      evidence.push({ ref: f.ref, role: `request for ${ip(f.targetIp)} repeated after that reply` });
      touchShared(state);
    }

    /**
     * `final`: the state's last report (end of capture, or evicted). Only that one names the unanswered-arp
     * findings it explains: a target that failed for this MAC alone so far may fail for another MAC later, and the
     * engine keeps every finding a report ever said it explains.
     */
    function report(state: MacState, final = true): void {
      if (!state.shared) return;
      const ips = concurrentIps(bindings, state);
      if (ips.length < 2) return;
      const m = mac(state.mac);
      const ipText = ips.map(ip);
      const firstOf = (address: number): FrameRef => {
        let row = state.bindings;
        while (bindings.c.ip[row] !== address) row = bindings.c.next[row] - 1;
        return bindings.c.first.ref(row);
      };
      const cited: Evidence[] = ips.map((address) => ({ ref: firstOf(address), role: `binds ${m} to ${ip(address)}` }));
      const failed = state.unanswered + state.retried;
      // IPv6: several addresses of one host are normal. What points at several devices behind one MAC is a request
      // repeated after its reply was seen (one host's neighbour cache does not care which source address asked),
      // or failures from two of its addresses.
      if (state.family === 6 && state.retried === 0 && (state.failedFrom?.size ?? 0) < 2) return;
      const fields = neighbourFields(state.family);
      const targets = [...(state.targets?.keys() ?? [])].sort((a, b) => a - b);
      const explains = targets
        .filter((t) => {
          const by = state.targets?.get(t);
          return by !== undefined && by.mac === state.mac && !by.others;
        })
        .map((t) => ({ rule: UNANSWERED_ARP, identifier: unansweredArpIdentifier(state.domainId, t, context.addresses) }));
      context.report({
        messageId: failed > 0 ? 'blackhole' : 'latent',
        detailMessageId: failed > 0 ? 'blackhole-detail' : 'latent-detail',
        data: {
          mac: m,
          protocol: familyProtocol(state.family),
          ips: ipText.join(', '),
          ipCount: ips.length,
          failed,
          unanswered: state.unanswered,
          retried: state.retried,
          retryWindow,
          targets: targets.map(ip).join(', '),
        },
        identifier: state.family === 6 ? `${state.domainId}:${state.mac}:ipv6` : `${state.domainId}:${state.mac}`,
        severity: failed > 0 ? 'error' : 'warning',
        confidence: failed > 0 ? 'confirmed' : 'inferred',
        domainId: state.domainId,
        subject: { mac: m, ips: ipText, family: familyName(state.family) },
        evidence: [...cited, ...(state.failures?.all() ?? [])],
        wiresharkFilter: all(
          fields.aboutMac(m),
          domainFilter(context.domains.get(state.domainId)),
        ),
        explains: final ? explains : undefined,
        count: state.reported ? 0 : 1,
        restates: true,
      });
      state.reported = true;
    }

    return {
      neighbour(f) {
        const state = bind(f);
        if (state) noteRetry(state, f);
        if (isReply(f)) {
          const requester = lookup(f.domainId, f.family, f.targetMac);
          if (requester) rememberReply(requester, f);
        }
        if (changed.length > 0) flushChanged();
      },
      tick() {
        // The shared state has moved the pending requests' clock: flush what that decided.
        if (changed.length > 0) flushChanged();
      },
      end() {
        macs.forEach((state) => report(state));
        sharedMacs.forEach((state) => report(state));
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
