// hsrp-multiple-active and fhrp-mismatch: per (domain, protocol, group), more than one router Active (HSRP) or
// Master (VRRP) at the same time, and routers of one group that disagree on virtual IP, version, timers or
// authentication.
import type { FhrpFact, FrameRef } from '../facts/types.js';
import { BoundedMap } from './bounded.js';
import { MAX_MACS, setting } from './options.js';
import type { Rule } from './types.js';
import { all, domainFilter, mac } from './wireshark.js';

export const HSRP_MULTIPLE_ACTIVE = 'hsrp-multiple-active';
export const FHRP_MISMATCH = 'fhrp-mismatch';

const ROUTERS_PER_GROUP = 16;
/** Hold time assumed when a hello carries none (VRRP: 3 × the default 1 s advertisement interval + skew). */
const DEFAULT_HOLD_MS = 3600;

interface Router {
  key: string;
  srcIp: string;
  srcMac: number;
  last: FhrpFact;
  /** Start of the current uninterrupted run of Active/Master hellos, and its last hello. */
  activeSince: FrameRef | null;
  activeLast: FrameRef | null;
  holdMs: number;
  helloMs: number;
}

interface Group {
  domainId: number;
  protocol: string;
  group: number;
  routers: Map<string, Router>;
}

function isActive(f: FhrpFact): boolean {
  return f.state === 'active' || f.state === 'master';
}

/** The group field for the filter: hsrp (v1), hsrp2 (v2) or vrrp. */
function groupFilter(protocol: string, version: number, group: number): string {
  if (protocol === 'vrrp') return `vrrp.virt_rtr_id == ${group}`;
  return version === 2 ? `hsrp2.group == ${group}` : `hsrp.group == ${group}`;
}

function groupFilterAnyVersion(protocol: string, versions: number[], group: number): string {
  const parts = [...new Set(versions.map((v) => groupFilter(protocol, v, group)))];
  return parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}

const ATTRIBUTES: { name: string; label: string; value(f: FhrpFact): string | null }[] = [
  {
    name: 'vip',
    label: 'virtual IP',
    // HSRP routers may send 0.0.0.0 (or nothing) until they learn the VIP from the Active router.
    value: (f) => {
      const ips = f.virtualIps.filter((ip) => ip !== '0.0.0.0' && ip !== '::').sort();
      return ips.length ? ips.join(',') : null;
    },
  },
  { name: 'version', label: 'version', value: (f) => String(f.version) },
  { name: 'timers', label: 'timers (hello/hold ms)', value: (f) => `${f.helloMs}/${f.holdMs}` },
  { name: 'auth', label: 'authentication', value: (f) => (f.auth === '' ? 'none' : f.auth) },
];

export const hsrpMultipleActive: Rule = {
  meta: {
    id: HSRP_MULTIPLE_ACTIVE,
    alsoReports: [{ id: FHRP_MISMATCH, severity: 'warning', title: 'Routers of one FHRP group disagree' }],
    severity: 'warning',
    title: 'More than one Active router in an HSRP group (or Master in a VRRP group)',
    rationale:
      'An FHRP group should have exactly one Active (HSRP) or Master (VRRP) router answering for the virtual ' +
      'IP and MAC. Two at once means they do not hear each other (VLAN split, filtered multicast, mismatched ' +
      'authentication or version) — or that every router was forced Active on purpose, the "anycast gateway ' +
      'without EVPN" trick, which works only when ARP is sourced from per-device MACs.',
    remediation:
      'Check that the routers hear each other in this VLAN (multicast 224.0.0.2/224.0.0.102 for HSRP, ' +
      '224.0.0.18 for VRRP), and that group, version, authentication and timers match. If every router is ' +
      'Active by design, make sure each sources ARP from its own interface MAC (see shared-mac-arp-blackhole).',
    options: [],
    messages: {
      'multiple-active': '{protocol} group {group}: {count} routers Active at once ({routers})',
      'multiple-active-detail':
        '{routers} all sent {state} hellos for {protocol} group {group} within each other\'s hold time. Either ' +
        'they do not hear each other (split VLAN, filtered multicast, mismatched authentication or version), ' +
        'or every router is forced Active on purpose — the anycast-gateway-without-EVPN trick, which is safe ' +
        'only if each router sources ARP from its own interface MAC.',
      mismatch: '{protocol} group {group}: routers disagree on {attribute} ({values})',
      'mismatch-detail':
        'Routers of {protocol} group {group} send different {attribute}: {values}. Routers that disagree on ' +
        'version or authentication ignore each other and may both become Active; different virtual IPs or ' +
        'timers give hosts different gateways after a failover.',
    },
  },
  create(context) {
    const groups = new BoundedMap<string, Group>(setting(context, MAX_MACS));

    function checkActive(group: Group, router: Router, f: FhrpFact): void {
      const actives = [...group.routers.values()].filter(
        (r) => r.activeLast && r.activeSince && f.ref.time - r.activeLast.time <= r.holdMs / 1000,
      );
      if (actives.length < 2 || !actives.includes(router)) return;
      // A coup or a preemption overlaps for a hello or so: require overlapping runs of at least one hello time.
      const overlapStart = Math.max(...actives.map((r) => (r.activeSince as FrameRef).time));
      const overlapEnd = Math.min(...actives.map((r) => (r.activeLast as FrameRef).time));
      const hello = Math.max(...actives.map((r) => r.helloMs)) / 1000;
      if (overlapEnd - overlapStart < hello) return;
      const names = actives.map((r) => `${r.srcIp} (${mac(r.srcMac)})`).sort();
      context.report({
        messageId: 'multiple-active',
        detailMessageId: 'multiple-active-detail',
        data: {
          protocol: group.protocol.toUpperCase(),
          group: group.group,
          count: actives.length,
          routers: names.join(', '),
          state: group.protocol === 'vrrp' ? 'Master' : 'Active',
        },
        identifier: `${group.domainId}:${group.protocol}:${group.group}`,
        confidence: 'confirmed',
        domainId: group.domainId,
        subject: { protocol: group.protocol, group: group.group, routers: actives.map((r) => r.srcIp).sort() },
        evidence: actives.map((r) => ({
          ref: r === router ? f.ref : (r.activeLast as FrameRef),
          role: `${group.protocol === 'vrrp' ? 'Master' : 'Active'} hello from ${r.srcIp}`,
        })),
        wiresharkFilter: all(
          groupFilterAnyVersion(group.protocol, actives.map((r) => r.last.version), group.group),
          domainFilter(context.domains.get(group.domainId)),
        ),
      });
    }

    function checkMismatch(group: Group): void {
      const routers = [...group.routers.values()];
      if (routers.length < 2) return;
      for (const attr of ATTRIBUTES) {
        const byValue = new Map<string, Router[]>();
        for (const r of routers) {
          const v = attr.value(r.last);
          if (v === null) continue;
          byValue.set(v, [...(byValue.get(v) ?? []), r]);
        }
        if (byValue.size < 2) continue;
        const values = [...byValue.entries()]
          .map(([v, rs]) => `${v} from ${rs.map((r) => r.srcIp).sort().join('/')}`)
          .sort();
        const cited = [...byValue.values()].flat();
        context.report({
          rule: FHRP_MISMATCH,
          messageId: 'mismatch',
          detailMessageId: 'mismatch-detail',
          data: {
            protocol: group.protocol.toUpperCase(),
            group: group.group,
            attribute: attr.label,
            values: values.join('; '),
          },
          identifier: `${group.domainId}:${group.protocol}:${group.group}:${attr.name}`,
          confidence: 'confirmed',
          domainId: group.domainId,
          subject: { protocol: group.protocol, group: group.group, attribute: attr.name },
          evidence: cited.map((r) => ({ ref: r.last.ref, role: `${attr.label} ${attr.value(r.last)} from ${r.srcIp}` })),
          wiresharkFilter: all(
            groupFilterAnyVersion(group.protocol, cited.map((r) => r.last.version), group.group),
            domainFilter(context.domains.get(group.domainId)),
          ),
        });
      }
    }

    return {
      fhrp(f) {
        // Coup and resign are transitions, not a steady state.
        if (f.protocol === 'hsrp' && (f.opcode === 1 || f.opcode === 2)) return;
        const key = `${f.domainId}:${f.protocol}:${f.group}`;
        const group: Group = groups.get(key) ?? {
          domainId: f.domainId,
          protocol: f.protocol,
          group: f.group,
          routers: new Map(),
        };
        groups.touch(key, group);
        const routerKey = `${f.srcIp}/${f.srcMac}`;
        let router = group.routers.get(routerKey);
        if (!router) {
          if (group.routers.size >= ROUTERS_PER_GROUP) group.routers.delete(group.routers.keys().next().value as string);
          router = { key: routerKey, srcIp: f.srcIp, srcMac: f.srcMac, last: f, activeSince: null, activeLast: null, holdMs: 0, helloMs: 0 };
          group.routers.set(routerKey, router);
        }
        router.last = f;
        router.holdMs = f.holdMs > 0 ? f.holdMs : f.helloMs > 0 ? 3 * f.helloMs + 600 : DEFAULT_HOLD_MS;
        router.helloMs = f.helloMs > 0 ? f.helloMs : 1000;
        if (isActive(f)) {
          if (!router.activeSince || (router.activeLast && f.ref.time - router.activeLast.time > router.holdMs / 1000)) {
            router.activeSince = f.ref;
          }
          router.activeLast = f.ref;
          checkActive(group, router, f);
        } else {
          router.activeSince = null;
          router.activeLast = null;
        }
      },
      end() {
        for (const group of groups.values()) checkMismatch(group);
      },
      sizes: () => ({ groups: groups.size }),
    };
  },
};
