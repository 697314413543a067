// fhrp-state-change: the Active router of an HSRP group, the Master of a VRRP group or the Active AVG of a GLBP
// group changed during the capture — a failover after the hold time, a coup, a resign, a preemption — told as a
// timeline, so a failover capture no longer reads "No findings".
//
// Per (domain, protocol, group) the rule keeps the router it believes Active and, while that one is still alive, a
// candidate: another router sending Active hellos. A change is decided only when the evidence is in:
//   - the new router's Active hello comes after the old one's hold time without an Active hello (failover), or
//     after the old one said it no longer is Active (a Speak/Standby/Listen hello, a resign, or — VRRP — silence
//     for more than 1.5 advertisement intervals while the candidate keeps advertising);
//   - two routers that stay Active together are not a change: that is hsrp-multiple-active.
// The kind is named from what was seen: a coup from the new router, a resign from the old one, a higher priority
// (preemption), or the hold time running out. One finding per group, at the end, with every change in order.
import type { FhrpFact, FrameRef } from '../facts/types.js';
import { formatIsoTime } from '../util/time.js';
import { AgedNumberTable } from './bounded.js';
import { MAX_MACS, setting } from './options.js';
import type { Evidence, Rule } from './types.js';
import { all, domainFilter } from './wireshark.js';

export const FHRP_STATE_CHANGE = 'fhrp-state-change';

/** Changes kept per group for the message and the evidence (more are counted). */
const CHANGES_KEPT = 16;
/** Changes spelled out in the summary line. */
const CHANGES_IN_SUMMARY = 3;
/** Silence after which a VRRP master that stopped advertising has ceased, in advertisement intervals. */
const SILENT_INTERVALS = 1.5;
/** Hold time assumed when a hello carries none (VRRP: 3 × the default 1 s interval + skew). */
const DEFAULT_HOLD_MS = 3600;

type Kind = 'failover' | 'coup' | 'resign' | 'preemption' | 'takeover';

interface Router {
  srcIp: string;
  srcMac: number;
  priority: number;
  holdMs: number;
  helloMs: number;
  /** Last Active hello, and last hello of any state. */
  lastActive: FrameRef | null;
  /** The router said it is not Active (non-Active hello or resign) after its last Active hello. */
  ceased: FrameRef | null;
  resigned: FrameRef | null;
  coup: FrameRef | null;
  /** First Active hello of its current run (the candidate's claim). */
  firstActive: FrameRef | null;
}

interface Change {
  kind: Kind;
  from: Router;
  to: string;
  toPriority: number;
  fromPriority: number;
  at: FrameRef;
  /** The old router's last Active hello, and the frame that made the kind (coup, resign, non-Active hello). */
  fromLast: FrameRef;
  cause: FrameRef | null;
  gapS: number;
  holdS: number;
}

interface Group {
  seen: number;
  domainId: number;
  protocol: string;
  group: number;
  version: number;
  routers: Map<string, Router>;
  current: Router | null;
  candidate: Router | null;
  changes: Change[];
  changeCount: number;
}

const ROUTERS_PER_GROUP = 16;

function activeWord(protocol: string): string {
  return protocol === 'vrrp' ? 'Master' : 'Active';
}

function isActive(f: FhrpFact): boolean {
  return f.state === 'active' || f.state === 'master';
}

function clock(ref: FrameRef): string {
  // 2008-06-19T05:47:46.037Z: to the millisecond, enough to find the frame in a timeline.
  const iso = formatIsoTime(ref.seconds, ref.nanos);
  return iso.slice(0, 23) + 'Z';
}

function seconds(s: number): string {
  return s >= 10 ? s.toFixed(0) : s.toFixed(1);
}

function groupFilter(protocol: string, version: number, group: number): string {
  if (protocol === 'vrrp') return `vrrp.virt_rtr_id == ${group}`;
  if (protocol === 'glbp') return `glbp.group == ${group}`;
  return version === 2 ? `hsrp2.group == ${group}` : `hsrp.group == ${group}`;
}

/** One change in words: "Active moved from 192.168.0.10 to 192.168.0.30 at …, after 10 s without hellos — the hold time". */
export function describeChange(protocol: string, c: Change): string {
  const word = activeWord(protocol);
  const from = c.from.srcIp;
  const when = clock(c.at);
  switch (c.kind) {
    case 'failover': {
      const hold = c.gapS >= 0.9 * c.holdS ? ` — the hold time (${seconds(c.holdS)} s)` : '';
      return `${word} moved from ${from} to ${c.to} at ${when}, after ${seconds(c.gapS)} s without hellos from ${from}${hold}`;
    }
    case 'coup':
      return `${c.to} took ${word} from ${from} by a coup at ${when} (priority ${c.toPriority} over ${c.fromPriority})`;
    case 'resign':
      return `${from} resigned, ${word} moved to ${c.to} at ${when}`;
    case 'preemption':
      return `${c.to} preempted ${from} as ${word} at ${when} (priority ${c.toPriority} over ${c.fromPriority})`;
    default:
      return `${word} moved from ${from} to ${c.to} at ${when} while ${from} still sent hellos`;
  }
}

export const fhrpStateChange: Rule = {
  meta: {
    id: FHRP_STATE_CHANGE,
    severity: 'info',
    title: 'The Active (HSRP, GLBP) or Master (VRRP) router of a group changed',
    rationale:
      'A first-hop redundancy group moves its Active router on failover, maintenance, a coup or a preemption; ' +
      'while it moves, hosts keep sending to the virtual MAC and a few packets may be lost. Seeing when and why it ' +
      'moved — the old router fell silent for its hold time, the new one had a higher priority, someone resigned — ' +
      'is part of the story of a capture taken during an outage; repeated moves (flapping) are a problem of their own.',
    remediation:
      'A single change at a known maintenance time needs nothing. An unexpected failover after the hold time means ' +
      'the old Active stopped sending hellos (reload, link or CPU trouble, filtered multicast): look at it at that ' +
      'time. Repeated changes mean hellos are being lost or priorities and preemption (with tracking) fight each ' +
      'other: make one router clearly preferred, add a preemption delay, check the link between the routers.',
    options: [],
    messages: {
      changed: '{protocol} group {group}: {timeline}',
      'changed-detail':
        'The {word} router of {protocol} group {group} changed {count} time(s) during the capture: {all}. The ' +
        'hold time is {hold} s; hosts keep using the virtual MAC, so traffic follows the new {word} router without ' +
        'any ARP change.',
    },
  },
  create(context) {
    const groups = new AgedNumberTable<Group>(setting(context, MAX_MACS), (group) => reportGroup(group));

    function router(group: Group, f: FhrpFact): Router {
      // By IP only: an HSRP router sends from its own MAC until Active, then from the virtual MAC.
      const key = f.srcIp;
      let r = group.routers.get(key);
      if (!r) {
        if (group.routers.size >= ROUTERS_PER_GROUP) {
          // Forget the router heard from longest ago that is neither current nor candidate.
          for (const [k, old] of group.routers) {
            if (old !== group.current && old !== group.candidate) {
              group.routers.delete(k);
              break;
            }
          }
        }
        r = { srcIp: f.srcIp, srcMac: f.srcMac, priority: f.priority, holdMs: 0, helloMs: 0, lastActive: null, ceased: null, resigned: null, coup: null, firstActive: null };
        group.routers.set(key, r);
      }
      r.priority = f.priority;
      r.srcMac = f.srcMac;
      r.holdMs = f.holdMs > 0 ? f.holdMs : f.helloMs > 0 ? 3 * f.helloMs + 600 : DEFAULT_HOLD_MS;
      r.helloMs = f.helloMs > 0 ? f.helloMs : 1000;
      return r;
    }

    function record(group: Group, to: Router, at: FrameRef): void {
      const from = group.current as Router;
      const fromLast = from.lastActive as FrameRef;
      const gapS = at.time - fromLast.time;
      const holdS = from.holdMs / 1000;
      let kind: Kind;
      let cause: FrameRef | null = null;
      const recent = (r: FrameRef | null) => r !== null && at.time - r.time <= to.holdMs / 1000 && r.time >= fromLast.time - to.holdMs / 1000;
      if (recent(to.coup)) {
        kind = 'coup';
        cause = to.coup;
      } else if (recent(from.resigned)) {
        kind = 'resign';
        cause = from.resigned;
      } else if (gapS > holdS) {
        kind = 'failover';
      } else if (to.priority > from.priority) {
        kind = 'preemption';
        cause = from.ceased;
      } else {
        kind = 'takeover';
        cause = from.ceased;
      }
      group.changeCount++;
      if (group.changes.length < CHANGES_KEPT) {
        group.changes.push({ kind, from: { ...from }, to: to.srcIp, toPriority: to.priority, fromPriority: from.priority, at, fromLast, cause, gapS, holdS });
      }
      from.firstActive = null;
      group.current = to;
      group.candidate = null;
    }

    function reportGroup(group: Group): void {
      if (group.changes.length === 0) return;
      const texts = group.changes.map((c) => describeChange(group.protocol, c));
      const more = group.changeCount - group.changes.length;
      const shown = texts.slice(0, CHANGES_IN_SUMMARY).join('; ');
      const rest = group.changeCount - Math.min(CHANGES_IN_SUMMARY, texts.length);
      const evidence: Evidence[] = [];
      const word = activeWord(group.protocol);
      for (const c of group.changes) {
        evidence.push({ ref: c.fromLast, role: `last ${word} hello from ${c.from.srcIp}` });
        if (c.cause) evidence.push({ ref: c.cause, role: c.kind === 'coup' ? `coup from ${c.to}` : c.kind === 'resign' ? `resign from ${c.from.srcIp}` : `${c.from.srcIp} no longer ${word}` });
        evidence.push({ ref: c.at, role: `first ${word} hello from ${c.to}` });
      }
      context.report({
        messageId: 'changed',
        detailMessageId: 'changed-detail',
        data: {
          protocol: group.protocol.toUpperCase(),
          group: group.group,
          word,
          count: group.changeCount,
          timeline: shown + (rest > 0 ? `; … ${rest} more` : ''),
          all: texts.join('; ') + (more > 0 ? `; … ${more} more not kept` : ''),
          hold: seconds(group.changes[0].holdS),
          kinds: [...new Set(group.changes.map((c) => c.kind))].join(','),
        },
        identifier: `${group.domainId}:${group.protocol}:${group.group}`,
        confidence: 'confirmed',
        domainId: group.domainId,
        subject: {
          protocol: group.protocol,
          group: group.group,
          changes: group.changes.map((c) => `${c.kind}:${c.from.srcIp}>${c.to}`),
        },
        evidence,
        count: group.changeCount,
        wiresharkFilter: all(groupFilter(group.protocol, group.version, group.group), domainFilter(context.domains.get(group.domainId))),
      });
    }

    return {
      fhrp(f) {
        const key = (f.protocol === 'vrrp' ? 0x10000 : f.protocol === 'glbp' ? 0x20000 : 0) + f.group;
        let group = groups.get(f.domainId, key);
        if (group) groups.touch(group);
        else {
          group = { seen: 0, domainId: f.domainId, protocol: f.protocol, group: f.group, version: f.version, routers: new Map(), current: null, candidate: null, changes: [], changeCount: 0 };
          groups.set(f.domainId, key, group);
        }
        const r = router(group, f);
        const now = f.ref;
        // HSRP coup (1) and resign (2) are the transitions themselves: noted, decided on the next Active hello.
        if (f.protocol === 'hsrp' && f.opcode === 1) {
          r.coup = now;
          return;
        }
        if (f.protocol === 'hsrp' && f.opcode === 2) {
          r.resigned = now;
          r.ceased = now;
          return;
        }
        if (!isActive(f)) {
          if (r.lastActive !== null) r.ceased = now;
          r.firstActive = null;
          if (group.candidate === r) group.candidate = null;
          return;
        }
        if (r.firstActive === null || r.ceased !== null) r.firstActive = now;
        r.lastActive = now;
        r.ceased = null;
        const current = group.current;
        if (current === null) {
          group.current = r;
          return;
        }
        if (current === r) {
          // A candidate that stopped claiming Active for its hold time is forgotten (it lost, or it left).
          const c = group.candidate;
          if (c !== null && c.lastActive !== null && now.time - c.lastActive.time > c.holdMs / 1000) group.candidate = null;
          return;
        }
        const currentLast = current.lastActive as FrameRef;
        const silentS = now.time - currentLast.time;
        if (current.ceased !== null || current.resigned !== null || silentS > current.holdMs / 1000) {
          record(group, r, r.firstActive ?? now);
          current.resigned = null;
          return;
        }
        // The current one is still alive: r is a candidate. It has taken over once the current one has been silent
        // for SILENT_INTERVALS of its interval while r went on (VRRP backups do not advertise after preemption).
        if (group.candidate !== r) {
          group.candidate = r;
          return;
        }
        if (silentS > (SILENT_INTERVALS * current.helloMs) / 1000 && (r.firstActive as FrameRef).time > currentLast.time - current.helloMs / 1000) {
          record(group, r, r.firstActive as FrameRef);
        }
      },
      end() {
        groups.forEach((group) => {
          // A candidate still claiming Active after the current one fell silent for its intervals has taken over.
          const c = group.candidate;
          const cur = group.current;
          if (c && cur && c.lastActive && cur.lastActive && c.firstActive && c.lastActive.time - cur.lastActive.time > (SILENT_INTERVALS * cur.helloMs) / 1000) {
            record(group, c, c.firstActive);
          }
          reportGroup(group);
        });
      },
      sizes: () => ({ groups: groups.size }),
    };
  },
};
