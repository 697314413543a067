// unanswered-arp: neighbour resolutions — ARP requests and IPv6 Neighbour Solicitations — that get no reply in
// their broadcast domain within the timeout, per target. One id for both families (ids are a CI contract); the
// family is in the subject, the words and the filter. DAD probes never count (they expect silence), and a failed
// unicast NUD probe followed by multicast solicitations is one resolution (resolutions.ts).
import { addressIdentifier, type AddressFormatter } from '../facts/addresses.js';
import type { Rule } from './types.js';
import type { UnansweredRequest } from './resolutions.js';
import { AgedNumberTable } from './bounded.js';
import { ARP_PENDING_GRACE, ARP_TIMEOUT, MAX_PENDING_ARP, setting } from './options.js';
import { all, domainFilter, familyName, mac, neighbourFields } from './wireshark.js';

export const UNANSWERED_ARP = 'unanswered-arp';

/** The identifier of the unanswered-arp finding for one target, for rules that explain it. */
export function unansweredArpIdentifier(domainId: number, targetIp: number, addresses: AddressFormatter): string {
  return `${domainId}:${addressIdentifier(targetIp, addresses)}`;
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
    title: 'ARP request or IPv6 Neighbour Solicitation without a reply',
    rationale:
      'A host or gateway that cannot resolve an address cannot deliver to it: traffic towards that address is ' +
      'dropped at the first hop. Repeated unanswered requests for one target (Linux retries 3 times, 1 s apart; ' +
      'IPv6 sends MAX_MULTICAST_SOLICIT = 3 solicitations RetransTimer = 1 s apart, RFC 4861 §7.2.2) mean the ' +
      'target is down, in another broadcast domain, filtered, or that its replies go somewhere else.',
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
      unanswered: '{attempts} {requestName}(s) for {target} got no reply within {timeout} s',
      'unanswered-detail':
        '{requestName}s for {target} from {requesters} went unanswered in this domain ({attempts} attempt(s), ' +
        'no reply within {timeout} s). {retryNote}' +
        'A capture point can miss unicast replies: a SPAN of the requester side sees them, a mirror of another ' +
        'port may not. Requests within the last {timeout} s of the capture are treated as pending, not unanswered.',
    },
  },
  create(context) {
    const timeout = setting(context, ARP_TIMEOUT);
    const warnAttempts = context.settings.unansweredWarnAttempts;
    const ip = (key: number) => context.addresses.format(key);
    const cap = setting(context, MAX_PENDING_ARP);
    // Tallies only shape the words and the severity of a report; every unanswered request is reported when it
    // is decided, so an evicted tally loses no finding (the engine keeps the highest severity and counts on).
    const tallies = new AgedNumberTable<TargetTally>(cap);

    const onUnanswered = (r: UnansweredRequest): void => {
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
      const requesters = [...tally.requesters.keys()].sort((a, b) => a - b).map(ip);
      const target = ip(r.targetIp);
      const fields = neighbourFields(r.family);
      context.report({
        messageId: 'unanswered',
        detailMessageId: 'unanswered-detail',
        data: {
          target,
          requestName: r.family === 6 ? 'Neighbour Solicitation' : 'ARP request',
          retryNote:
            tally.attempts > 1
              ? 'Retries by the requester show that it did not get a reply either. '
              : 'A single attempt may be the capture point missing the reply. ',
          attempts: tally.attempts,
          requesters: requesters.join(', ') + (tally.moreRequesters ? ` and ${tally.moreRequesters} more` : ''),
          requesterCount: tally.requesters.size + tally.moreRequesters,
          timeout,
        },
        identifier: unansweredArpIdentifier(r.domainId, r.targetIp, context.addresses),
        severity: tally.attempts >= warnAttempts ? 'warning' : 'info',
        // Retries are the requester's own word that no reply arrived; a single miss may be the capture point's.
        confidence: tally.attempts >= warnAttempts ? 'confirmed' : 'inferred',
        domainId: r.domainId,
        subject: { ip: target, family: familyName(r.family) },
        evidence: [
          { ref: r.ref, role: `unanswered request from ${ip(r.senderIp)} (${mac(r.senderMac)})` },
        ],
        wiresharkFilter: all(
          fields.request,
          `${fields.requestTarget} == ${target}`,
          domainFilter(context.domains.get(r.domainId)),
        ),
      });
    };

    const tracker = context.shared.resolutions(onUnanswered);
    return {
      sizes: () => ({ pending: tracker.size, tallies: tallies.size }),
    };
  },
};
