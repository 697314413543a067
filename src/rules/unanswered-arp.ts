// unanswered-arp: ARP requests that get no reply in their broadcast domain within the timeout, per target.
import type { Rule } from './types.js';
import { sharedArpTracker, type PendingRequest } from './arp-requests.js';
import { AgedNumberTable } from './bounded.js';
import { ARP_PENDING_GRACE, ARP_TIMEOUT, MAX_PENDING_ARP, setting } from './options.js';
import { all, domainFilter, ipv4, mac } from './wireshark.js';

export const UNANSWERED_ARP = 'unanswered-arp';

/** The identifier of the unanswered-arp finding for one target, for rules that explain it. */
export function unansweredArpIdentifier(domainId: number, targetIp: number): string {
  return `${domainId}:${targetIp}`;
}

/** Requesters listed per target; more are counted. */
const REQUESTERS_LISTED = 8;

interface TargetTally {
  seen: number;
  attempts: number;
  requesters: Map<number, number>; // IP → MAC
  moreRequesters: number;
}

export const unansweredArp: Rule = {
  meta: {
    id: UNANSWERED_ARP,
    severity: 'warning',
    title: 'ARP request without a reply',
    rationale:
      'A host or gateway that cannot resolve an address cannot deliver to it: traffic towards that address is ' +
      'dropped at the first hop. Repeated unanswered requests for one target (Linux retries 3 times, 1 s apart) ' +
      'mean the target is down, in another broadcast domain, filtered, or that its replies go somewhere else.',
    remediation:
      'Check that the target is up and in the same VLAN/VNI as the requester; look for a reply on the ' +
      "target's own port (a capture point can miss unicast replies); if the requester's MAC is shared with " +
      'another device, see shared-mac-arp-blackhole.',
    options: [
      ARP_TIMEOUT,
      ARP_PENDING_GRACE,
      {
        name: 'unansweredWarnAttempts',
        description: 'Unanswered requests for one target from which unanswered-arp is a warning (info below)',
        default: 3,
        unit: 'count',
      },
      MAX_PENDING_ARP,
    ],
    messages: {
      unanswered: '{attempts} ARP request(s) for {target} got no reply within {timeout} s',
      'unanswered-detail':
        'Requests for {target} from {requesters} went unanswered in this domain ({attempts} attempt(s), ' +
        'no reply within {timeout} s). Retries by the requester show that it did not get a reply either. ' +
        'A capture point can miss unicast replies: a SPAN of the requester side sees them, a mirror of another ' +
        'port may not. Requests within the last {timeout} s of the capture are treated as pending, not unanswered.',
    },
  },
  create(context) {
    const timeout = setting(context, ARP_TIMEOUT);
    const grace = setting(context, ARP_PENDING_GRACE);
    const warnAttempts = context.settings.unansweredWarnAttempts ?? 3;
    const cap = setting(context, MAX_PENDING_ARP);
    // Tallies only shape the words and the severity of a report; every unanswered request is reported when it
    // is decided, so an evicted tally loses no finding (the engine keeps the highest severity and counts on).
    const tallies = new AgedNumberTable<TargetTally>(cap);

    const onUnanswered = (r: PendingRequest): void => {
      let tally = tallies.get(r.domainId, r.targetIp);
      if (tally) tallies.touch(tally);
      else {
        tally = { seen: 0, attempts: 0, requesters: new Map(), moreRequesters: 0 };
        tallies.set(r.domainId, r.targetIp, tally);
      }
      tally.attempts++;
      if (!tally.requesters.has(r.senderIp)) {
        if (tally.requesters.size < REQUESTERS_LISTED) tally.requesters.set(r.senderIp, r.senderMac);
        else tally.moreRequesters++;
      }
      const requesters = [...tally.requesters.keys()].sort((a, b) => a - b).map(ipv4);
      const target = ipv4(r.targetIp);
      context.report({
        messageId: 'unanswered',
        detailMessageId: 'unanswered-detail',
        data: {
          target,
          attempts: tally.attempts,
          requesters: requesters.join(', ') + (tally.moreRequesters ? ` and ${tally.moreRequesters} more` : ''),
          requesterCount: tally.requesters.size + tally.moreRequesters,
          timeout,
        },
        identifier: unansweredArpIdentifier(r.domainId, r.targetIp),
        severity: tally.attempts >= warnAttempts ? 'warning' : 'info',
        // Retries are the requester's own word that no reply arrived; a single miss may be the capture point's.
        confidence: tally.attempts >= warnAttempts ? 'confirmed' : 'inferred',
        domainId: r.domainId,
        subject: { ip: target },
        evidence: [
          { ref: r.ref, role: `unanswered request from ${ipv4(r.senderIp)} (${mac(r.senderMac)})` },
        ],
        wiresharkFilter: all(
          'arp.opcode == 1',
          `arp.dst.proto_ipv4 == ${target}`,
          domainFilter(context.domains.get(r.domainId)),
        ),
      });
    };

    const tracker = sharedArpTracker(context, timeout, cap, onUnanswered);
    return {
      arp(f) {
        tracker.observe(f);
      },
      // Time alone decides a request unanswered: without this, one left pending when ARP traffic stops waited for
      // the end of the capture (live, for ever).
      tick(now) {
        tracker.advance(now);
      },
      end(lastTime) {
        tracker.end(lastTime, grace);
      },
      sizes: () => ({ pending: tracker.size, tallies: tallies.size }),
    };
  },
};
