// shared-mac-arp-blackhole: one MAC sources ARP for several IPs in one domain (gateways configured with the
// same MAC, anycast without EVPN), and its requests fail — the replies go to whichever switch owns the MAC.
import type { ArpFact, FrameRef } from '../facts/types.js';
import { ArpRequestTracker, ipKey, isRequest, type PendingRequest } from './arp-requests.js';
import { BoundedMap, HeadTail } from './bounded.js';
import { ARP_PENDING_GRACE, ARP_TIMEOUT, MAX_MACS, MAX_PENDING_ARP, setting } from './options.js';
import type { Evidence, Rule } from './types.js';
import { UNANSWERED_ARP, unansweredArpIdentifier } from './unanswered-arp.js';
import { isFhrpVirtualMac } from './virtual-mac.js';
import { all, domainFilter, ipv4, mac } from './wireshark.js';

export const SHARED_MAC_ARP_BLACKHOLE = 'shared-mac-arp-blackhole';

const BROADCAST = 0xffffffffffff;
/** Sender IPs kept per MAC; a MAC with more is still shared, the rest are counted. */
const IPS_PER_MAC = 16;
/** Failed targets kept per MAC (for the fold and the message). */
const TARGETS_PER_MAC = 64;

interface Binding {
  first: FrameRef;
  last: FrameRef;
}

interface MacState {
  domainId: number;
  mac: number;
  ips: Map<number, Binding>;
  /** Failed requests and the targets they were for; created on the first failure (most MACs never fail). */
  failures: HeadTail<Evidence> | null;
  unanswered: number;
  retried: number;
  targets: Set<number> | null;
}

/**
 * The IPs of a MAC that were in use at overlapping times (each pair's first..last intervals intersect): several
 * devices, or one device with several addresses — not one host that changed its address (old IP last seen
 * before the new one first appears).
 */
function concurrentIps(ips: Map<number, Binding>): number[] {
  const list = [...ips.entries()];
  const shared = new Set<number>();
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [a, x] = list[i];
      const [b, y] = list[j];
      if (Math.max(x.first.time, y.first.time) <= Math.min(x.last.time, y.last.time)) shared.add(a).add(b);
    }
  }
  return [...shared].sort((p, q) => p - q);
}

export const sharedMacArpBlackhole: Rule = {
  meta: {
    id: SHARED_MAC_ARP_BLACKHOLE,
    severity: 'error',
    title: 'ARP sourced from a MAC shared by several gateways',
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
      blackhole: 'MAC {mac} sources ARP for {ipCount} IPs ({ips}) and its requests fail ({failed} failed)',
      'blackhole-detail':
        'In this domain {mac} is the ARP sender address for {ips}: several devices (gateways) use the same MAC. ' +
        '{unanswered} request(s) from it went unanswered and {retried} were repeated within {retryWindow} s ' +
        'after a reply to {mac} was seen, for target(s) {targets}. A reply to a shared MAC is consumed by the ' +
        "target's local switch, which owns that MAC too, and a request sourced from a MAC the receiving switch " +
        'owns may be dropped there: gateways other than the one next to the host never resolve it, and inbound ' +
        'traffic through them is blackholed.',
      latent: 'MAC {mac} sources ARP for {ipCount} IPs ({ips}) at the same time: latent shared-MAC blackhole',
      'latent-detail':
        'In this domain {mac} is the ARP sender address for {ips}, used at overlapping times. No ARP from it has ' +
        'failed in this capture yet. If these are different devices sharing one MAC (anycast gateway without ' +
        "EVPN), ARP from any of them for a host attached elsewhere will fail: the reply is consumed by the host's " +
        'local switch. One router with secondary addresses on one interface also looks like this; it is harmless.',
    },
  },
  create(context) {
    const timeout = setting(context, ARP_TIMEOUT);
    const grace = setting(context, ARP_PENDING_GRACE);
    const retryWindow = context.settings.arpRetryWindow ?? 10;
    const maxMacs = setting(context, MAX_MACS);
    const maxPending = setting(context, MAX_PENDING_ARP);

    const macs = new BoundedMap<string, MacState>(maxMacs);
    /** FHRP virtual IP → the group's virtual MAC, per domain: a virtual MAC speaking for its VIP is fine. */
    const virtualIps = new BoundedMap<number, number>(maxMacs);
    /** Replies seen to a MAC: "domain:mac:requesterIp:targetIp" → the reply. */
    const repliesTo = new BoundedMap<string, FrameRef>(maxMacs);
    /** "domain:target" → the MACs whose requests for it went unanswered (a few): only targets that failed for
     *  the shared MAC alone are folded into its finding, so another host's trouble is not hidden. */
    const failedBy = new BoundedMap<number, Set<number>>(maxMacs);

    const fail = (state: MacState, target: number, evidence: Evidence[]): void => {
      state.failures ??= new HeadTail<Evidence>(10, 10);
      state.targets ??= new Set<number>();
      for (const e of evidence) state.failures.push(e);
      if (state.targets.size < TARGETS_PER_MAC) state.targets.add(target);
    };

    const onUnanswered = (r: PendingRequest): void => {
      const state = macs.get(`${r.domainId}:${r.senderMac}`);
      if (state && state.ips.size > 0) {
        state.unanswered++;
        fail(state, r.targetIp, [{ ref: r.ref, role: `unanswered request for ${ipv4(r.targetIp)}` }]);
      }
      const key = ipKey(r.domainId, r.targetIp);
      const by = failedBy.get(key) ?? new Set<number>();
      if (by.size < 4) by.add(r.senderMac);
      failedBy.touch(key, by);
    };
    const tracker = new ArpRequestTracker(timeout, maxPending, onUnanswered);

    const bind = (f: ArpFact): void => {
      // Plain replies do not bind: with proxy ARP a router answers for addresses that are not its own.
      if (f.senderIp === 0 || f.arpClass === 'probe' || f.arpClass === 'reply' || f.arpClass === 'other') return;
      if (f.ethSrc !== 0 && f.ethSrc !== f.senderMac) return;
      const vip = virtualIps.get(ipKey(f.domainId, f.senderIp));
      if (vip === f.senderMac) return;
      // A virtual MAC announcing addresses (gratuitous ARP for each VIP of a group) is not a device sharing it.
      if (isFhrpVirtualMac(f.senderMac) && !isRequest(f)) return;
      const key = `${f.domainId}:${f.senderMac}`;
      const state: MacState = macs.get(key) ?? {
        domainId: f.domainId,
        mac: f.senderMac,
        ips: new Map(),
        failures: null,
        unanswered: 0,
        retried: 0,
        targets: null,
      };
      const binding = state.ips.get(f.senderIp);
      if (binding) binding.last = f.ref;
      else if (state.ips.size < IPS_PER_MAC) state.ips.set(f.senderIp, { first: f.ref, last: f.ref });
      macs.touch(key, state);
    };

    const noteRetry = (f: ArpFact): void => {
      if (!isRequest(f) || (f.ethDst !== BROADCAST && f.ethDst !== 0)) return;
      const key = `${f.domainId}:${f.senderMac}:${f.senderIp}:${f.targetIp}`;
      const reply = repliesTo.get(key);
      if (!reply || f.ref.time - reply.time > retryWindow) return;
      const state = macs.get(`${f.domainId}:${f.senderMac}`);
      if (!state) return;
      state.retried++;
      fail(state, f.targetIp, [
        { ref: reply, role: `reply from ${ipv4(f.targetIp)} to ${mac(f.senderMac)}` },
        { ref: f.ref, role: `request for ${ipv4(f.targetIp)} repeated after that reply` },
      ]);
    };

    return {
      fhrp(f) {
        for (const ip of f.virtualIps4) virtualIps.touch(ipKey(f.domainId, ip), f.virtualMac);
      },
      arp(f) {
        bind(f);
        noteRetry(f);
        tracker.observe(f);
        if (f.opcode === 2 && f.senderIp !== 0) {
          repliesTo.touch(`${f.domainId}:${f.targetMac}:${f.targetIp}:${f.senderIp}`, f.ref);
        }
      },
      end(lastTime) {
        tracker.end(lastTime, grace);
        for (const state of macs.values()) {
          const ips = concurrentIps(state.ips);
          if (ips.length < 2) continue;
          const m = mac(state.mac);
          const ipText = ips.map(ipv4);
          const bindings: Evidence[] = ips.map((ip) => ({
            ref: (state.ips.get(ip) as Binding).first,
            role: `binds ${m} to ${ipv4(ip)}`,
          }));
          const failed = state.unanswered + state.retried;
          const targets = [...(state.targets ?? [])].sort((a, b) => a - b);
          const explains = targets
            .filter((t) => {
              const by = failedBy.get(ipKey(state.domainId, t));
              return by !== undefined && by.size === 1 && by.has(state.mac);
            })
            .map((t) => ({ rule: UNANSWERED_ARP, identifier: unansweredArpIdentifier(state.domainId, t) }));
          context.report({
            messageId: failed > 0 ? 'blackhole' : 'latent',
            detailMessageId: failed > 0 ? 'blackhole-detail' : 'latent-detail',
            data: {
              mac: m,
              ips: ipText.join(', '),
              ipCount: ips.length,
              failed,
              unanswered: state.unanswered,
              retried: state.retried,
              retryWindow,
              targets: targets.map(ipv4).join(', '),
            },
            identifier: `${state.domainId}:${state.mac}`,
            severity: failed > 0 ? 'error' : 'warning',
            confidence: failed > 0 ? 'confirmed' : 'inferred',
            domainId: state.domainId,
            subject: { mac: m, ips: ipText },
            evidence: [...bindings, ...(state.failures?.all() ?? [])],
            wiresharkFilter: all(
              `(arp.src.hw_mac == ${m} || arp.dst.hw_mac == ${m})`,
              domainFilter(context.domains.get(state.domainId)),
            ),
            explains,
          });
        }
      },
      sizes: () => ({
        macs: macs.size,
        pending: tracker.size,
        virtualIps: virtualIps.size,
        repliesTo: repliesTo.size,
        failedBy: failedBy.size,
      }),
    };
  },
};
