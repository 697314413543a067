// duplicate-gateway-mac / ip-conflict: one IP resolves to two or more MACs in one domain — several answers to
// one request, MACs that take turns (arpwatch's "flip flop"), EVPN type-2 routes for one IP with different
// MACs — and an FHRP virtual IP answered by a MAC that is not its group's virtual MAC.
import type { ArpFact, EvpnRouteFact, FrameRef } from '../facts/types.js';
import { ipKey } from './arp-requests.js';
import { BoundedMap, HeadTail } from './bounded.js';
import { advertisingPe, evpnInstance, routeKey, type EvpnInstance } from './evpn.js';
import { ARP_TIMEOUT, MAX_EVPN_ROUTES, MAX_MACS, setting } from './options.js';
import type { Evidence, Rule, RuleContext } from './types.js';
import { isFhrpVirtualMac } from './virtual-mac.js';
import { all, anyOf, domainFilter, ipv4, mac } from './wireshark.js';

export const DUPLICATE_GATEWAY_MAC = 'duplicate-gateway-mac';
export const IP_CONFLICT = 'ip-conflict';

/** MACs remembered per IP. */
const MACS_PER_IP = 4;

interface Claim {
  mac: number;
  first: FrameRef;
  last: FrameRef;
  /** The last claim was a (non-gratuitous) reply. */
  lastWasReply: boolean;
  /** Order of the last claim among all claims (frames can share a timestamp). */
  lastSeq: number;
}

interface IpState {
  domainId: number;
  ip: number;
  claims: Claim[];
  lastRequest: number;
  requesters: Set<number>;
  /** Conflicts seen (reported on eviction or at the end, when the gateway question is settled). */
  conflicts: number;
  twoAnswers: number;
  /** Created on the first conflict: most IPs never have one. */
  evidence: HeadTail<Evidence> | null;
  conflictMacs: Set<number> | null;
}

interface EvpnIpRoute {
  mac: number;
  pe: string;
  esi: string;
  esiZero: boolean;
  ref: FrameRef;
  defaultGateway: boolean;
}

interface EvpnIpState {
  instance: EvpnInstance;
  ip: string;
  /** Live routes by route key. */
  routes: Map<string, EvpnIpRoute>;
}

function claimRole(f: ArpFact): string {
  const what = f.arpClass === 'reply' ? 'reply' : f.arpClass === 'request' ? 'request' : `${f.arpClass} ARP`;
  return `${what}: ${ipv4(f.senderIp)} is-at ${mac(f.senderMac)}`;
}

export const duplicateGatewayMac: Rule = {
  meta: {
    id: DUPLICATE_GATEWAY_MAC,
    alsoReports: [{ id: IP_CONFLICT, severity: 'warning', title: 'Two MACs claim one IP' }],
    severity: 'error',
    title: 'A gateway IP resolves to two or more MACs',
    rationale:
      'When a gateway IP resolves to several MACs, hosts pick whichever answer came last and flap between ' +
      'them: first-hop routing is no longer local, traffic hairpins or is dropped by a gateway that is not ' +
      'meant to forward it, and an inconsistent distributed anycast gateway (RFC 9135) splits the VLAN.',
    remediation:
      'Find the devices behind the MACs (the evidence frames give both). For FHRP, make every router of the ' +
      'group use the same virtual IP and virtual MAC; for an EVPN anycast gateway, configure the same ' +
      'anycast-gateway MAC on every VTEP; for a plain IP conflict, renumber or remove one of the hosts.',
    options: [
      {
        name: 'duplicateWindow',
        description: 'Two MACs claiming one IP within this time (taking turns) are a duplicate',
        default: 60,
        unit: 's',
      },
      {
        name: 'gatewayRequesters',
        description: 'An IP that this many hosts ARP for is treated as a gateway',
        default: 3,
        unit: 'count',
      },
    ],
    messages: {
      duplicate: '{ip} resolves to {macCount} MACs ({macs})',
      'duplicate-detail':
        '{ip} ({gatewayReason}) was claimed in ARP by {macs} within {window} s: {twoAnswers} request(s) got ' +
        'answers from different MACs and the MACs took turns {conflicts} time(s). Hosts keep whichever answer ' +
        'came last and flap between them. A clean move (the old MAC never seen again after the new one ' +
        'announces itself) is not reported.',
      'evpn-duplicate': '{ip} is advertised in EVPN type-2 routes with {macCount} MACs ({macs})',
      'evpn-duplicate-detail':
        'Live MAC/IP routes for {ip} in {instance} carry different MACs: {routes}. {gatewayReason}. With a ' +
        'distributed anycast gateway (RFC 9135) every PE must advertise the same gateway MAC; otherwise hosts ' +
        'moving between PEs keep a stale gateway MAC.',
      'fhrp-vip-wrong-mac': 'FHRP virtual IP {ip} answered by {mac}, not the group virtual MAC {virtualMac}',
      'fhrp-vip-wrong-mac-detail':
        '{protocol} group {group} has virtual IP {ip} and virtual MAC {virtualMac}, but an ARP reply gives ' +
        '{mac}. Hosts that take this answer send to one router only and lose the gateway on failover. HSRP ' +
        '`standby use-bia` makes the active router answer with its burned-in MAC on purpose, and some VRRP ' +
        'owner setups answer with the interface MAC: if so, this is by design.',
    },
  },
  create(context) {
    const window = context.settings.duplicateWindow ?? 60;
    const gatewayRequesters = context.settings.gatewayRequesters ?? 3;
    const replyWindow = setting(context, ARP_TIMEOUT);
    const maxIps = setting(context, MAX_MACS);
    const maxRoutes = setting(context, MAX_EVPN_ROUTES);

    /** FHRP virtual IP → group, per domain. */
    const fhrpGroups = new BoundedMap<number, { protocol: string; group: number; virtualMac: number }>(maxIps);
    const ips = new BoundedMap<number, IpState>(maxIps, (_key, state) => reportArp(context, state));
    const evpnIps = new BoundedMap<string, EvpnIpState>(maxRoutes);
    /** Route key → "instance|ip" key of evpnIps, so a withdrawal (RD + route key only) finds its route. */
    const evpnRoutes = new BoundedMap<string, string>(maxRoutes);
    const peByRd = new BoundedMap<string, string>(maxRoutes);
    let claimSeq = 0;

    function gatewayReason(state: IpState): string | null {
      const group = fhrpGroups.get(ipKey(state.domainId, state.ip));
      if (group) return `${group.protocol} group ${group.group} virtual IP`;
      if (state.claims.some((c) => isFhrpVirtualMac(c.mac))) return 'answered with an FHRP virtual MAC';
      if (state.requesters.size >= gatewayRequesters) return `ARPed for by ${state.requesters.size} hosts`;
      return null;
    }

    function reportArp(ctx: RuleContext, state: IpState): void {
      if (!state.evidence || !state.conflictMacs) return;
      const reason = gatewayReason(state);
      const macs = [...state.conflictMacs].sort((a, b) => a - b).map(mac);
      const ip = ipv4(state.ip);
      ctx.report({
        rule: reason ? DUPLICATE_GATEWAY_MAC : IP_CONFLICT,
        messageId: 'duplicate',
        detailMessageId: 'duplicate-detail',
        data: {
          ip,
          macs: macs.join(', '),
          macCount: macs.length,
          gatewayReason: reason ?? 'not a gateway',
          window,
          conflicts: state.conflicts,
          twoAnswers: state.twoAnswers,
        },
        identifier: `${state.domainId}:${state.ip}`,
        confidence: 'confirmed',
        domainId: state.domainId,
        subject: { ip, macs },
        evidence: state.evidence.all(),
        count: state.conflicts + state.twoAnswers,
        wiresharkFilter: all(
          `arp.src.proto_ipv4 == ${ip}`,
          anyOf('arp.src.hw_mac', macs),
          domainFilter(ctx.domains.get(state.domainId)),
        ),
      });
    }

    function stateFor(domainId: number, ip: number): IpState {
      const key = ipKey(domainId, ip);
      const state = ips.get(key) ?? {
        domainId,
        ip,
        claims: [],
        lastRequest: -Infinity,
        requesters: new Set<number>(),
        conflicts: 0,
        twoAnswers: 0,
        evidence: null,
        conflictMacs: null,
      };
      ips.touch(key, state);
      return state;
    }

    function claim(f: ArpFact): void {
      const state = stateFor(f.domainId, f.senderIp);
      const t = f.ref.time;
      const isPlainReply = f.arpClass === 'reply';
      const mine = state.claims.find((c) => c.mac === f.senderMac);
      const others = state.claims.filter((c) => c.mac !== f.senderMac && t - c.last.time <= window);
      // Several answers to one request: another MAC replied since the last request, within the reply window.
      const rival = isPlainReply
        ? others.find((c) => c.lastWasReply && c.last.time >= state.lastRequest && t - c.last.time <= replyWindow)
        : undefined;
      // Taking turns: another MAC claimed the IP after this MAC's previous claim (a clean move never comes back).
      const turn = mine ? others.find((c) => c.lastSeq > mine.lastSeq) : undefined;
      const other = rival ?? turn;
      if (other) {
        if (rival) state.twoAnswers++;
        else state.conflicts++;
        state.conflictMacs ??= new Set<number>();
        state.conflictMacs.add(other.mac).add(f.senderMac);
        if (!state.evidence) {
          state.evidence = new HeadTail<Evidence>(10, 10);
          state.evidence.push({ ref: other.first, role: `first claim: ${ipv4(f.senderIp)} is-at ${mac(other.mac)}` });
          if (mine) state.evidence.push({ ref: mine.first, role: `first claim: ${ipv4(f.senderIp)} is-at ${mac(f.senderMac)}` });
        }
        state.evidence.push({ ref: other.last, role: `${rival ? 'answer' : 'claim'} from ${mac(other.mac)}` });
        state.evidence.push({ ref: f.ref, role: claimRole(f) });
      }
      claimSeq++;
      if (mine) {
        mine.last = f.ref;
        mine.lastWasReply = isPlainReply;
        mine.lastSeq = claimSeq;
      } else {
        if (state.claims.length >= MACS_PER_IP) state.claims.shift();
        state.claims.push({ mac: f.senderMac, first: f.ref, last: f.ref, lastWasReply: isPlainReply, lastSeq: claimSeq });
      }
    }

    function checkVirtualMac(f: ArpFact): void {
      if (f.opcode !== 2) return;
      const group = fhrpGroups.get(ipKey(f.domainId, f.senderIp));
      if (!group || group.virtualMac === f.senderMac) return;
      const ip = ipv4(f.senderIp);
      context.report({
        messageId: 'fhrp-vip-wrong-mac',
        detailMessageId: 'fhrp-vip-wrong-mac-detail',
        data: {
          ip,
          mac: mac(f.senderMac),
          virtualMac: mac(group.virtualMac),
          protocol: group.protocol.toUpperCase(),
          group: group.group,
        },
        identifier: `${f.domainId}:${f.senderIp}:vmac:${f.senderMac}`,
        severity: 'warning',
        confidence: 'inferred',
        domainId: f.domainId,
        subject: { ip, mac: mac(f.senderMac) },
        evidence: [{ ref: f.ref, role: `reply: ${ip} is-at ${mac(f.senderMac)}` }],
        wiresharkFilter: all(
          'arp.opcode == 2',
          `arp.src.proto_ipv4 == ${ip}`,
          `arp.src.hw_mac == ${mac(f.senderMac)}`,
          domainFilter(context.domains.get(f.domainId)),
        ),
      });
    }

    function evpn(f: EvpnRouteFact): void {
      if (f.routeType !== 2 || f.mac === null) return;
      const rkey = routeKey(f);
      if (f.action === 'withdraw') {
        const ipKey = evpnRoutes.get(rkey);
        if (ipKey !== undefined) evpnIps.get(ipKey)?.routes.delete(rkey);
        evpnRoutes.delete(rkey);
        return;
      }
      if (f.nextHop) peByRd.touch(f.rd, f.nextHop);
      if (f.ip === null) return;
      const instance = evpnInstance(f);
      const ipKey = `${instance.key}|${f.ip}`;
      const state = evpnIps.get(ipKey) ?? { instance, ip: f.ip, routes: new Map<string, EvpnIpRoute>() };
      const route: EvpnIpRoute = {
        mac: f.mac,
        pe: advertisingPe(f, peByRd),
        esi: f.esi,
        esiZero: f.esiZero,
        ref: f.ref,
        defaultGateway: f.defaultGateway,
      };
      state.routes.delete(rkey);
      if (state.routes.size >= MACS_PER_IP * 4) state.routes.delete(state.routes.keys().next().value as string);
      state.routes.set(rkey, route);
      evpnIps.touch(ipKey, state);
      evpnRoutes.touch(rkey, ipKey);
      const differing = [...state.routes.values()].filter((r) => r.mac !== route.mac);
      if (differing.length === 0) return;
      const live = [...state.routes.values()];
      const macs = [...new Set(live.map((r) => r.mac))].sort((a, b) => a - b).map(mac);
      const gateway = live.some((r) => r.defaultGateway);
      const routes = live.map((r) => `${mac(r.mac)} from ${r.pe}`).join(', ');
      context.report({
        rule: gateway ? DUPLICATE_GATEWAY_MAC : IP_CONFLICT,
        messageId: 'evpn-duplicate',
        detailMessageId: 'evpn-duplicate-detail',
        data: {
          ip: f.ip,
          macs: macs.join(', '),
          macCount: macs.length,
          instance: instance.key,
          routes,
          gatewayReason: gateway
            ? 'A route carries the EVPN default-gateway community: this is a gateway address'
            : 'No route carries the default-gateway community: a host address',
        },
        identifier: `evpn:${ipKey}`,
        confidence: 'confirmed',
        domainId: null,
        evpnDomain: { vni: instance.vni, ethernetTag: instance.ethernetTag, routeTargets: instance.routeTargets },
        subject: { ip: f.ip, macs },
        evidence: [
          ...differing.map((r) => ({ ref: r.ref, role: `advertisement: ${f.ip} is-at ${mac(r.mac)} from ${r.pe}` })),
          { ref: f.ref, role: `advertisement: ${f.ip} is-at ${mac(route.mac)} from ${route.pe}` },
        ],
        wiresharkFilter: all(
          f.ip.includes(':') ? `bgp.evpn.nlri.ipv6_addr == ${f.ip}` : `bgp.evpn.nlri.ipv4_addr == ${f.ip}`,
          anyOf('bgp.evpn.nlri.mac_addr', macs),
        ),
      });
    }

    return {
      fhrp(f) {
        for (const ip of f.virtualIps4) {
          fhrpGroups.touch(ipKey(f.domainId, ip), { protocol: f.protocol, group: f.group, virtualMac: f.virtualMac });
        }
      },
      arp(f) {
        if (f.arpClass === 'request') {
          const target = stateFor(f.domainId, f.targetIp);
          target.lastRequest = f.ref.time;
          if (target.requesters.size < gatewayRequesters) target.requesters.add(f.senderIp);
        }
        if (f.senderIp === 0 || f.arpClass === 'probe' || f.arpClass === 'other') return;
        claim(f);
        checkVirtualMac(f);
      },
      evpn,
      end() {
        ips.flush();
      },
      sizes: () => ({ ips: ips.size, fhrpGroups: fhrpGroups.size, evpnIps: evpnIps.size, evpnRoutes: evpnRoutes.size }),
    };
  },
};
