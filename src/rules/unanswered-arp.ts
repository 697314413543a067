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
import { LEARNED_INTENT } from './shared.js';

export const UNANSWERED_ARP = 'unanswered-arp';

/** The identifier of the unanswered-arp finding for one target, for rules that explain it. */
export function unansweredArpIdentifier(domainId: number, targetIp: number, addresses: AddressFormatter): string {
  return `${domainId}:${addressIdentifier(targetIp, addresses)}`;
}

/** Requesters listed per target; more are counted. */
const REQUESTERS_LISTED = 8;

/** Unanswered requests kept per target while the capture point's view is not known; more are counted. */
const DEFERRED_PER_TARGET = 20;
/** Seconds of capture time a deferred request waits, live, for the capture point's view to be known. */
const VIEW_WAIT = 10;

interface Deferred {
  seen: number;
  requests: UnansweredRequest[];
  more: number;
}

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
      unobservable: '{attempts} {requestName}(s) for {target} without a reply the capture could see',
      'unobservable-detail':
        '{requestName}s for {target} from {requesters} got no reply in this capture, but the capture point sees ' +
        'no unicast frames to these requesters (a capture on one host, a mirror of one port): a reply would be ' +
        'unicast to them and would not be seen from here, so this is not evidence that they went unanswered. ' +
        'Capture on the requester side or on a trunk to judge.',
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

    const vantage = context.shared.vantage;
    /**
     * Requests whose requester the capture may not be able to see replies to: what the capture point can see is
     * known only as the capture goes on, so they wait (a few per target, the rest counted) and are judged at the
     * end — or when the table needs room — with what is known then.
     */
    const deferred = new AgedNumberTable<Deferred>(cap, (d) => release(d));
    function release(d: Deferred): void {
      for (let i = 0; i < d.requests.length; i++) {
        const r = d.requests[i];
        judge(r, vantage.observable(r.domainId, r.senderMac, r.targetIp), i === d.requests.length - 1 ? d.more : 0);
      }
    }

    const onUnanswered = (r: UnansweredRequest): void => {
      // A reply is unicast to the requester: where the capture never sees unicast to it, absence proves nothing.
      if (vantage.certainlyObservable(r.domainId, r.senderMac, r.targetIp)) {
        judge(r, true, 0);
        return;
      }
      let d = deferred.get(r.domainId, r.targetIp);
      if (d) deferred.touch(d);
      else {
        d = { seen: 0, requests: [], more: 0 };
        deferred.set(r.domainId, r.targetIp, d);
      }
      if (d.requests.length < DEFERRED_PER_TARGET) d.requests.push(r);
      else d.more++;
    };

    /** Reports one request (standing for `1 + more`) as unanswered, or as not observable from this capture. */
    const judge = (r: UnansweredRequest, judged: boolean, more: number): void => {
      if (!judged) vantage.noteUnjudged(r.domainId);
      let tally = tallies.get(r.domainId, r.targetIp);
      if (tally) tallies.touch(tally);
      else {
        tally = { seen: 0, attempts: 0, requesters: new Map(), moreRequesters: 0 };
        tallies.set(r.domainId, r.targetIp, tally);
      }
      tally.attempts += 1 + more;
      if (!tally.requesters.has(r.senderIp)) {
        if (tally.requesters.size < REQUESTERS_LISTED) tally.requesters.set(r.senderIp, r.senderMac);
        else tally.moreRequesters++;
      }
      const requesters = [...tally.requesters.keys()].sort((a, b) => a - b).map(ip);
      const target = ip(r.targetIp);
      const fields = neighbourFields(r.family);
      // A gateway the config declares (intent.gateways) that does not answer cuts every host using it off its
      // subnet: an error once the requester's retries confirm it (never on a single miss or an unobservable view).
      const declaredGateway = (context.shared.gateways.routerIp(r.domainId, r.targetIp) & LEARNED_INTENT) !== 0;
      const confirmed = judged && tally.attempts >= warnAttempts;
      context.report({
        messageId: judged ? 'unanswered' : 'unobservable',
        detailMessageId: judged ? 'unanswered-detail' : 'unobservable-detail',
        data: {
          target,
          requestName: r.family === 6 ? 'Neighbour Solicitation' : 'ARP request',
          retryNote:
            (tally.attempts > 1
              ? 'Retries by the requester show that it did not get a reply either. '
              : 'A single attempt may be the capture point missing the reply. ') +
            (declaredGateway ? `${target} is a gateway the config declares (intent.gateways): hosts using it cannot leave their subnet. ` : ''),
          attempts: tally.attempts,
          requesters: requesters.join(', ') + (tally.moreRequesters ? ` and ${tally.moreRequesters} more` : ''),
          requesterCount: tally.requesters.size + tally.moreRequesters,
          timeout,
        },
        identifier: unansweredArpIdentifier(r.domainId, r.targetIp, context.addresses),
        severity: confirmed ? (declaredGateway ? 'error' : 'warning') : 'info',
        // Retries are the requester's own word that no reply arrived; a single miss may be the capture point's.
        confidence: confirmed ? 'confirmed' : 'inferred',
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
        ...(more > 0 ? { count: 1 + more } : {}),
      });
    };

    const tracker = context.shared.resolutions(onUnanswered);
    return {
      // Live (--follow, ndjson events): a request whose reply the capture may not see waits VIEW_WAIT seconds of
      // capture time for the view to become known, then is judged with what is known then.
      tick(now) {
        if (deferred.size === 0) return;
        // A run over a whole capture decides at its end, when the view is known; live, the end may never come.
        if (!context.live?.()) return;
        deferred.removeIf((d) => {
          if (now - d.requests[0].ref.time < VIEW_WAIT) return false;
          release(d);
          return true;
        });
      },
      end() {
        deferred.drain(release);
      },
      sizes: () => ({ pending: tracker.size, tallies: tallies.size, deferred: deferred.size }),
    };
  },
};
