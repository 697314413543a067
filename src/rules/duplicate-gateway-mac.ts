// duplicate-gateway-mac / ip-conflict: one IP resolves to two or more MACs in one domain — several answers to
// one request, MACs that take turns (arpwatch's "flip flop"), EVPN type-2 routes for one IP with different
// MACs — and an FHRP virtual IP answered by a MAC that is not its group's virtual MAC.
import type { ArpFact, EvpnRouteFact, FrameRef } from '../facts/types.js';
import { AgedNumberTable, AgedTable, HeadTail } from './bounded.js';
import { advertisingPe, describeInstance, vxlanVni } from './evpn.js';
import { ARP_TIMEOUT, MAX_EVPN_ROUTES, MAX_MACS, setting } from './options.js';
import type { Evidence, Rule } from './types.js';
import { isFhrpVirtualMac } from './virtual-mac.js';
import { all, anyOf, domainFilter, ipv4, mac } from './wireshark.js';

export const DUPLICATE_GATEWAY_MAC = 'duplicate-gateway-mac';
export const IP_CONFLICT = 'ip-conflict';

/** MACs remembered per IP. */
const MACS_PER_IP = 4;
/** Live EVPN routes remembered per IP and EVPN instance. */
const ROUTES_PER_IP = MACS_PER_IP * 4;

interface Claim {
  mac: number;
  first: FrameRef;
  /** The last claim, as numbers (updated on every ARP of the IP: a kept FrameRef per fact would be promoted). */
  lastTime: number;
  lastSeconds: number;
  lastNanos: number;
  lastFrame: number;
  lastInput: number;
  /** The last claim was a (non-gratuitous) reply. */
  lastWasReply: boolean;
  /** Order of the last claim among all claims (frames can share a timestamp). */
  lastSeq: number;
}

interface IpState {
  seen: number;
  domainId: number;
  ip: number;
  /** Created on the first claim (many IPs are only ever asked for). */
  claims: Claim[] | null;
  lastRequest: number;
  /** Distinct requesters, up to gatewayRequesters (a tiny array: a Set per IP would cost more). */
  requesters: number[];
  /** Conflicts seen (reported on eviction or at the end, when the gateway question is settled). */
  conflicts: number;
  twoAnswers: number;
  /** Created on the first conflict: most IPs never have one. */
  evidence: HeadTail<Evidence> | null;
  conflictMacs: Set<number> | null;
}

interface EvpnIpRoute {
  /** The route's key within its IP and instance (RFC 7432 §7.2: RD, Ethernet tag, MAC; ADD-PATH id). */
  rd: string;
  ethernetTag: number;
  pathId: number | null;
  mac: number;
  pe: string;
  ref: FrameRef;
  defaultGateway: boolean;
}

/** The live routes of one IP in one EVPN instance; the table holds the first, `next` links other instances. */
interface EvpnIpInstance {
  seen: number;
  next: EvpnIpInstance | null;
  /** VNI with VXLAN encapsulation; else null and `rtKey` identifies the instance. */
  vni: number | null;
  ethernetTag: number;
  rtKey: string;
  /** Route targets, to name an instance without VNI in a report (not kept with a VNI: not part of its name). */
  routeTargets: readonly string[];
  routes: EvpnIpRoute[];
}

const NO_TARGETS: readonly string[] = [];

function setLast(claim: Claim, ref: FrameRef): void {
  claim.lastTime = ref.time;
  claim.lastSeconds = ref.seconds;
  claim.lastNanos = ref.nanos;
  claim.lastFrame = ref.frame;
  claim.lastInput = ref.input;
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

    interface FhrpGroup {
      seen: number;
      protocol: string;
      group: number;
      virtualMac: number;
    }
    /** FHRP virtual IP → group, per domain. */
    const fhrpGroups = new AgedNumberTable<FhrpGroup>(maxIps);
    // A conflict is certain when seen; its finding waits only for the gateway question (FHRP group, requester
    // count) and is made when the IP leaves the table or at the end — never lost to the cap.
    const ips = new AgedNumberTable<IpState>(maxIps, (state) => reportArp(state));
    /** By the IP as the route carries it (text): the instances it is advertised in. */
    const evpnIps = new AgedTable<string, EvpnIpInstance>(maxRoutes);
    /** RD → the next hop it was last advertised with, for withdrawals (which carry none). */
    /** RD → its PE (next hop); also interns both texts, which every fact carries copies of. */
    const peByRd = new AgedTable<string, { seen: number; rd: string; pe: string }>(maxRoutes);
    const peLookup = { get: (rd: string) => peByRd.get(0, rd)?.pe };
    let claimSeq = 0;

    function gatewayReason(state: IpState): string | null {
      const group = fhrpGroups.get(state.domainId, state.ip);
      if (group) return `${group.protocol} group ${group.group} virtual IP`;
      if (state.claims?.some((c) => isFhrpVirtualMac(c.mac))) return 'answered with an FHRP virtual MAC';
      if (state.requesters.length >= gatewayRequesters) return `ARPed for by ${state.requesters.length} hosts`;
      return null;
    }

    function reportArp(state: IpState): void {
      if (!state.evidence || !state.conflictMacs) return;
      const reason = gatewayReason(state);
      const macs = [...state.conflictMacs].sort((a, b) => a - b).map(mac);
      const ip = ipv4(state.ip);
      context.report({
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
          domainFilter(context.domains.get(state.domainId)),
        ),
      });
    }

    function stateFor(domainId: number, ip: number): IpState {
      let state = ips.get(domainId, ip);
      if (state) {
        ips.touch(state);
        return state;
      }
      state = {
        seen: 0,
        domainId,
        ip,
        claims: null,
        lastRequest: -Infinity,
        requesters: [],
        conflicts: 0,
        twoAnswers: 0,
        evidence: null,
        conflictMacs: null,
      };
      ips.set(domainId, ip, state);
      return state;
    }

    function claim(f: ArpFact): void {
      const state = stateFor(f.domainId, f.senderIp);
      const claims = (state.claims ??= []);
      const t = f.ref.time;
      const isPlainReply = f.arpClass === 'reply';
      let mine: Claim | undefined;
      for (const c of claims) if (c.mac === f.senderMac) mine = c;
      // Several answers to one request: another MAC replied since the last request, within the reply window.
      // Taking turns: another MAC claimed the IP after this MAC's previous claim (a clean move never comes back).
      let rival: Claim | undefined;
      let turn: Claim | undefined;
      for (const c of claims) {
        if (c.mac === f.senderMac || t - c.lastTime > window) continue;
        if (isPlainReply && !rival && c.lastWasReply && c.lastTime >= state.lastRequest && t - c.lastTime <= replyWindow) {
          rival = c;
        }
        if (mine && !turn && c.lastSeq > mine.lastSeq) turn = c;
      }
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
        const otherLast: FrameRef = {
          input: other.lastInput,
          frame: other.lastFrame,
          seconds: other.lastSeconds,
          nanos: other.lastNanos,
          time: other.lastTime,
        };
        state.evidence.push({ ref: otherLast, role: `${rival ? 'answer' : 'claim'} from ${mac(other.mac)}` });
        state.evidence.push({ ref: f.ref, role: claimRole(f) });
      }
      claimSeq++;
      if (mine) {
        setLast(mine, f.ref);
        mine.lastWasReply = isPlainReply;
        mine.lastSeq = claimSeq;
      } else {
        if (claims.length >= MACS_PER_IP) claims.shift();
        const claim: Claim = {
          mac: f.senderMac,
          first: f.ref,
          lastTime: f.ref.time,
          lastSeconds: f.ref.seconds,
          lastNanos: f.ref.nanos,
          lastFrame: f.ref.frame,
          lastInput: f.ref.input,
          lastWasReply: isPlainReply,
          lastSeq: claimSeq,
        };
        if (claims.length === 0) state.claims = [claim];
        else claims.push(claim);
      }
    }

    function checkVirtualMac(f: ArpFact): void {
      const group = fhrpGroups.get(f.domainId, f.senderIp);
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

    function sameRoute(r: EvpnIpRoute, f: EvpnRouteFact): boolean {
      return r.mac === f.mac && r.rd === f.rd && r.ethernetTag === f.ethernetTag && r.pathId === f.pathId;
    }

    function withdraw(f: EvpnRouteFact, ip: string): void {
      // A withdrawal carries no encapsulation (no VNI): look in every instance of the IP.
      for (let instance = evpnIps.get(0, ip) ?? null; instance; instance = instance.next) {
        const i = instance.routes.findIndex((r) => sameRoute(r, f));
        if (i >= 0) instance.routes.splice(i, 1);
      }
    }

    function instanceOf(ip: string, f: EvpnRouteFact): EvpnIpInstance {
      const head = evpnIps.get(0, ip);
      if (head) evpnIps.touch(head);
      const vni = vxlanVni(f);
      const rtKey = vni === null ? f.routeTargets.join(',') : '';
      for (let instance = head ?? null; instance; instance = instance.next) {
        if (instance.vni === vni && instance.ethernetTag === f.ethernetTag && instance.rtKey === rtKey) return instance;
      }
      const instance: EvpnIpInstance = {
        seen: 0,
        next: null,
        vni,
        ethernetTag: f.ethernetTag,
        rtKey,
        routeTargets: vni === null ? f.routeTargets : NO_TARGETS,
        routes: [],
      };
      if (head) {
        instance.next = head.next;
        head.next = instance;
      } else evpnIps.set(0, ip, instance);
      return instance;
    }

    function evpn(f: EvpnRouteFact): void {
      if (f.routeType !== 2 || f.mac === null) return;
      if (f.action === 'withdraw') {
        if (f.ip !== null) withdraw(f, f.ip);
        return;
      }
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
      if (f.ip === null) return;
      const instance = instanceOf(f.ip, f);
      const routes = instance.routes;
      let route: EvpnIpRoute | undefined;
      let differs = false;
      for (const r of routes) {
        if (sameRoute(r, f)) route = r;
        else if (r.mac !== f.mac) differs = true;
      }
      const pe = known && f.nextHop ? known.pe : advertisingPe(f, peLookup);
      if (route) {
        // The newest advertisement of a route goes to the end (the oldest are dropped first).
        routes.splice(routes.indexOf(route), 1);
        route.pe = pe;
        route.ref = f.ref;
        route.defaultGateway = f.defaultGateway;
      } else {
        if (routes.length >= ROUTES_PER_IP) routes.shift();
        route = { rd: known ? known.rd : f.rd, ethernetTag: f.ethernetTag, pathId: f.pathId, mac: f.mac, pe, ref: f.ref, defaultGateway: f.defaultGateway };
      }
      if (routes.length === 0) instance.routes = [route];
      else routes.push(route);
      if (differs) reportEvpn(f, f.ip, instance, route);
    }

    function reportEvpn(f: EvpnRouteFact, ip: string, at: EvpnIpInstance, route: EvpnIpRoute): void {
      const live = at.routes;
      const differing = live.filter((r) => r.mac !== route.mac);
      const instance = describeInstance(at.vni, at.ethernetTag, at.routeTargets);
      const macs = [...new Set(live.map((r) => r.mac))].sort((a, b) => a - b).map(mac);
      const gateway = live.some((r) => r.defaultGateway);
      const routes = live.map((r) => `${mac(r.mac)} from ${r.pe}`).join(', ');
      context.report({
        rule: gateway ? DUPLICATE_GATEWAY_MAC : IP_CONFLICT,
        messageId: 'evpn-duplicate',
        detailMessageId: 'evpn-duplicate-detail',
        data: {
          ip,
          macs: macs.join(', '),
          macCount: macs.length,
          instance: instance.key,
          routes,
          gatewayReason: gateway
            ? 'A route carries the EVPN default-gateway community: this is a gateway address'
            : 'No route carries the default-gateway community: a host address',
        },
        identifier: `evpn:${instance.key}|${ip}`,
        confidence: 'confirmed',
        domainId: null,
        evpnDomain: { vni: instance.vni, ethernetTag: instance.ethernetTag, routeTargets: instance.routeTargets },
        subject: { ip, macs },
        evidence: [
          ...differing.map((r) => ({ ref: r.ref, role: `advertisement: ${ip} is-at ${mac(r.mac)} from ${r.pe}` })),
          { ref: f.ref, role: `advertisement: ${ip} is-at ${mac(route.mac)} from ${route.pe}` },
        ],
        wiresharkFilter: all(
          ip.includes(':') ? `bgp.evpn.nlri.ipv6_addr == ${ip}` : `bgp.evpn.nlri.ipv4_addr == ${ip}`,
          anyOf('bgp.evpn.nlri.mac_addr', macs),
        ),
      });
    }

    return {
      fhrp(f) {
        for (const ip of f.virtualIps4) {
          const known = fhrpGroups.get(f.domainId, ip);
          if (known) {
            known.protocol = f.protocol;
            known.group = f.group;
            known.virtualMac = f.virtualMac;
            fhrpGroups.touch(known);
          } else {
            fhrpGroups.set(f.domainId, ip, { seen: 0, protocol: f.protocol, group: f.group, virtualMac: f.virtualMac });
          }
        }
      },
      arp(f) {
        if (f.arpClass === 'request') {
          const target = stateFor(f.domainId, f.targetIp);
          target.lastRequest = f.ref.time;
          if (target.requesters.length < gatewayRequesters && !target.requesters.includes(f.senderIp)) {
            if (target.requesters.length === 0) target.requesters = [f.senderIp];
            else target.requesters.push(f.senderIp);
          }
        }
        if (f.senderIp === 0 || f.arpClass === 'probe' || f.arpClass === 'other') return;
        claim(f);
        if (f.opcode === 2 && fhrpGroups.size > 0) checkVirtualMac(f);
      },
      evpn,
      end() {
        ips.drain((state) => reportArp(state));
      },
      sizes: () => ({ ips: ips.size, fhrpGroups: fhrpGroups.size, evpnIps: evpnIps.size, peByRd: peByRd.size }),
    };
  },
};
