// hsrp-multiple-active and fhrp-mismatch: per (domain, protocol, group), more than one router Active (HSRP) or
// Master (VRRP) at the same time, and routers of one group that disagree on virtual IP, version, timers or
// authentication.
import type { FhrpFact, FrameRef } from '../facts/types.js';
import { AgedNumberTable } from './bounded.js';
import { MAX_MACS, setting } from './options.js';
import type { Evidence, Rule } from './types.js';
import { all, domainFilter, mac } from './wireshark.js';

export const HSRP_MULTIPLE_ACTIVE = 'hsrp-multiple-active';
export const FHRP_MISMATCH = 'fhrp-mismatch';

const ROUTERS_PER_GROUP = 16;
/** Hold time assumed when a hello carries none (VRRP: 3 × the default 1 s advertisement interval + skew). */
const DEFAULT_HOLD_MS = 3600;

interface Router {
  srcIp: string;
  srcMac: number;
  last: FhrpFact;
  /** Start of the current uninterrupted run of Active/Master hellos, and its last hello. */
  activeSince: FrameRef | null;
  activeLast: FrameRef | null;
  holdMs: number;
  helloMs: number;
  /** Evidence role of its Active hellos (made once). */
  role: string | null;
}

/** The words of a multiple-active finding for one set of Active routers. */
interface Described {
  count: number;
  routers: Router[];
  versions: number[];
  identifier: string;
  data: Record<string, string | number>;
  subject: Record<string, string | number | string[]>;
  filter: string;
}

interface Group {
  seen: number;
  domainId: number;
  protocol: string;
  group: number;
  /** At most ROUTERS_PER_GROUP, oldest first. */
  routers: Router[];
  described: Described | null;
}

function isActive(f: FhrpFact): boolean {
  return f.state === 'active' || f.state === 'master';
}

/** The group field for the filter: hsrp (v1), hsrp2 (v2) or vrrp. */
function groupFilter(protocol: string, version: number, group: number): string {
  if (protocol === 'vrrp') return `vrrp.virt_rtr_id == ${group}`;
  if (protocol === 'glbp') return `glbp.group == ${group}`;
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
    alsoReports: [
      {
        id: FHRP_MISMATCH,
        severity: 'warning',
        title: 'Routers of one FHRP group disagree',
        remediation:
          'Make every router of the group send the same value (the evidence cites one hello per value): the same ' +
          'virtual IP, version, authentication and hello/hold timers. Routers that disagree on version or ' +
          'authentication ignore each other and each becomes Active.',
      },
    ],
    severity: 'warning',
    title: 'More than one Active router in an HSRP group (or Master in a VRRP group, or Active AVG in a GLBP group)',
    rationale:
      'An FHRP group should have exactly one Active (HSRP) or Master (VRRP) router answering for the virtual ' +
      'IP and MAC. Two at once means they do not hear each other (VLAN split, filtered multicast, mismatched ' +
      'authentication or version) — or that every router was forced Active on purpose, the "anycast gateway ' +
      'without EVPN" trick, which works only when ARP is sourced from per-device MACs.',
    remediation:
      'Check that the routers hear each other in this VLAN (multicast 224.0.0.2/224.0.0.102 for HSRP, ' +
      '224.0.0.18 for VRRP, 224.0.0.102 UDP 3222 for GLBP), and that group, version, authentication and timers match. If every router is ' +
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
    // A group pushed out by the cap is checked for mismatches as it leaves, as at the end: never lost unchecked.
    const groups = new AgedNumberTable<Group>(setting(context, MAX_MACS), (group) => checkMismatch(group));

    const isLive = (r: Router, now: number): boolean =>
      r.activeLast !== null && r.activeSince !== null && now - r.activeLast.time <= r.holdMs / 1000;

    function checkActive(group: Group, router: Router, f: FhrpFact): void {
      // Counted without building arrays: most hellos come from a group with one Active router.
      const now = f.ref.time;
      let count = 0;
      let overlapStart = -Infinity;
      let overlapEnd = Infinity;
      let helloMs = 0;
      for (const r of group.routers) {
        if (!isLive(r, now)) continue;
        count++;
        overlapStart = Math.max(overlapStart, (r.activeSince as FrameRef).time);
        overlapEnd = Math.min(overlapEnd, (r.activeLast as FrameRef).time);
        helloMs = Math.max(helloMs, r.helloMs);
      }
      if (count < 2 || !isLive(router, now)) return;
      // A coup or a preemption overlaps for a hello or so: require overlapping runs of at least one hello time.
      if (overlapEnd - overlapStart < helloMs / 1000) return;
      // The words of the finding change only when the set of Active routers (or their versions) does: build
      // them once per set, not once per hello (an all-Active group reports every hello).
      let same = group.described !== null && group.described.count === count;
      if (same) {
        let k = 0;
        for (const r of group.routers) {
          if (!isLive(r, now)) continue;
          const was = (group.described as Described).routers[k++];
          if (was !== r || was.role === null || (group.described as Described).versions[k - 1] !== r.last.version) same = false;
        }
      }
      if (!same) group.described = describe(group, now, count);
      const described = group.described as Described;
      // A new set of Active routers cites each one's latest hello; while the set holds, a hello cites itself only
      // (the others' hellos were cited by their own reports): one evidence item per hello, not one per router.
      const evidence: Evidence[] = [];
      if (same) evidence.push({ ref: f.ref, role: router.role as string });
      else {
        for (const r of described.routers) {
          evidence.push({ ref: r === router ? f.ref : (r.activeLast as FrameRef), role: r.role as string });
        }
      }
      context.report({
        messageId: 'multiple-active',
        detailMessageId: 'multiple-active-detail',
        data: described.data,
        identifier: described.identifier,
        confidence: 'confirmed',
        domainId: group.domainId,
        subject: described.subject,
        evidence,
        wiresharkFilter: described.filter,
      });
    }

    function describe(group: Group, now: number, count: number): Described {
      const actives = group.routers.filter((r) => isLive(r, now));
      const state = group.protocol === 'vrrp' ? 'Master' : 'Active';
      for (const r of actives) r.role ??= `${state} hello from ${r.srcIp}`;
      const names = actives.map((r) => `${r.srcIp} (${mac(r.srcMac)})`).sort();
      return {
        count,
        routers: actives,
        versions: actives.map((r) => r.last.version),
        identifier: `${group.domainId}:${group.protocol}:${group.group}`,
        data: {
          protocol: group.protocol.toUpperCase(),
          group: group.group,
          count: actives.length,
          routers: names.join(', '),
          state,
        },
        subject: { protocol: group.protocol, group: group.group, routers: actives.map((r) => r.srcIp).sort() },
        filter: all(
          groupFilterAnyVersion(group.protocol, actives.map((r) => r.last.version), group.group),
          domainFilter(context.domains.get(group.domainId)),
        ),
      };
    }

    function checkMismatch(group: Group): void {
      const routers = group.routers;
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
        // HSRP groups go up to 4095, VRRP ids to 255, GLBP groups to 1023: one number keys all three, per domain.
        // GLBP: the hello's state is the AVG's (active virtual gateway), so two Active AVGs are two Active routers.
        const key = (f.protocol === 'vrrp' ? 0x10000 : f.protocol === 'glbp' ? 0x20000 : 0) + f.group;
        let group = groups.get(f.domainId, key);
        if (group) groups.touch(group);
        else {
          group = { seen: 0, domainId: f.domainId, protocol: f.protocol, group: f.group, routers: [], described: null };
          groups.set(f.domainId, key, group);
        }
        let router: Router | undefined;
        for (const r of group.routers) if (r.srcMac === f.srcMac && r.srcIp === f.srcIp) router = r;
        if (!router) {
          if (group.routers.length >= ROUTERS_PER_GROUP) group.routers.shift();
          router = { srcIp: f.srcIp, srcMac: f.srcMac, last: f, activeSince: null, activeLast: null, holdMs: 0, helloMs: 0, role: null };
          group.routers.push(router);
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
        groups.forEach(checkMismatch);
      },
      sizes: () => ({ groups: groups.size }),
    };
  },
};
