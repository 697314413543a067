// ra-inconsistent and rogue-ra: IPv6 router advertisements on one link (broadcast domain) compared router by
// router (RFC 4861 §6.2.7: routers SHOULD inspect each other's RAs and log inconsistent ones), and RAs from a MAC
// that is no router of the link where the link's routers are known (rogue RAs, RFC 6104).
//
// State: per domain, a link (AgedNumberTable keyed by the domain, capped by maxMacs) holding its RA routers (at
// most ROUTERS_PER_LINK, keyed by source MAC, each with its first and latest RA) and the latest IPv6 FHRP hello.
// Everything is decided at the end of the capture, or when a link leaves the table: a router's latest RA stands
// for its configuration, so a router changing its own values over time is compared by what it says last.
//
// "Where routers exist" (rogue-ra), per link — a MAC that is an FHRP member or an FHRP virtual MAC (hellos seen,
// or a well-known virtual MAC range) is never rogue, nor is an RA that claims nothing (lifetime 0, no prefix):
//   - an IPv6 FHRP group (HSRPv2 for IPv6, VRRPv3 with an IPv6 address) serves the link: an RA from any other MAC
//     is rogue (error);
//   - otherwise, established RA routers: those that had sent at least rogueRaEstablished RAs before this MAC's first
//     RA (or are FHRP members). A newcomer advertising an on-link/autonomous prefix none of them advertises is
//     rogue (error); a newcomer that agrees with them but makes itself a default router after they had advertised
//     for rogueRaNewAfter seconds is a possible rogue (warning).
// A router judged rogue is left out of the ra-inconsistent comparison: its disagreement is the rogue finding.
import type { FhrpFact, RaPrefix, RouterAdvertFact } from '../facts/types.js';
import { AgedNumberTable } from './bounded.js';
import { MAX_MACS, setting } from './options.js';
import { LEARNED_FHRP, LEARNED_INTENT } from './shared.js';
import type { Evidence, Rule, RuleOption, Severity } from './types.js';
import { isFhrpVirtualMac } from './virtual-mac.js';
import { all, anyOf, domainFilter, mac } from './wireshark.js';

export const RA_INCONSISTENT = 'ra-inconsistent';
export const ROGUE_RA = 'rogue-ra';

/** Routers kept per link; beyond that the least recently advertising one is dropped (a link has a few). */
const ROUTERS_PER_LINK = 16;

export const ROGUE_RA_ESTABLISHED: RuleOption = {
  name: 'rogueRaEstablished',
  description: 'RAs a router must have sent before another MAC first advertises, to be an established router of the link',
  default: 3,
  unit: 'count',
};

export const ROGUE_RA_NEW_AFTER: RuleOption = {
  name: 'rogueRaNewAfter',
  description:
    'A router that agrees with the established routers is still a possible rogue when it first advertises this long after them',
  default: 1800,
  unit: 's',
};

interface Router {
  /** Source link-layer address (option, else Ethernet source): the key. */
  mac: number;
  /** Ethernet source, for the filter (0: none, use `mac`). */
  ethSrc: number;
  ip: string;
  first: RouterAdvertFact;
  last: RouterAdvertFact;
  count: number;
  /** Any RA that makes it a default router or gives a prefix. */
  claims: boolean;
  /** Latest RA that claims something (the one a rogue finding cites). */
  claim: RouterAdvertFact | null;
  /** The link's established routers when this one first advertised, and how long the oldest had advertised. */
  established: Router[];
  establishedFor: number;
}

interface Link {
  seen: number;
  domainId: number;
  routers: Router[];
  /** Latest hello of an IPv6 FHRP group in this domain. */
  fhrp6: FhrpFact | null;
  checked: boolean;
}

/** A value RFC 4861 §6.2.7 says routers check against each other; null: not advertised (not compared). */
interface Field {
  name: string;
  label: string;
  /** Wireshark field, appended as a presence test so the column is at hand. */
  wireshark: string;
  value(f: RouterAdvertFact): string | null;
}

const FIELDS: Field[] = [
  { name: 'cur-hop-limit', label: 'cur hop limit', wireshark: 'icmpv6.nd.ra.cur_hop_limit', value: (f) => (f.curHopLimit === 0 ? null : String(f.curHopLimit)) },
  { name: 'managed', label: 'M flag (managed address configuration)', wireshark: 'icmpv6.nd.ra.flag.m', value: (f) => (f.managed ? 'M=1' : 'M=0') },
  { name: 'other-config', label: 'O flag (other configuration)', wireshark: 'icmpv6.nd.ra.flag.o', value: (f) => (f.otherConfig ? 'O=1' : 'O=0') },
  { name: 'reachable-time', label: 'reachable time', wireshark: 'icmpv6.nd.ra.reachable_time', value: (f) => (f.reachableTime === 0 ? null : `${f.reachableTime} ms`) },
  { name: 'retrans-timer', label: 'retrans timer', wireshark: 'icmpv6.nd.ra.retrans_timer', value: (f) => (f.retransTimer === 0 ? null : `${f.retransTimer} ms`) },
  { name: 'mtu', label: 'MTU', wireshark: 'icmpv6.opt.mtu', value: (f) => (f.mtu < 0 ? null : String(f.mtu)) },
];

const PREFIX_FIELDS: { name: string; label: string; wireshark: string; value(p: RaPrefix): number }[] = [
  { name: 'valid-lifetime', label: 'valid lifetime', wireshark: 'icmpv6.opt.prefix.valid_lifetime', value: (p) => p.validLifetime },
  { name: 'preferred-lifetime', label: 'preferred lifetime', wireshark: 'icmpv6.opt.prefix.preferred_lifetime', value: (p) => p.preferredLifetime },
];

function lifetime(seconds: number): string {
  return seconds === 0xffffffff ? 'infinity' : `${seconds} s`;
}

function prefixFlags(p: RaPrefix): string {
  return [p.onLink ? 'on-link' : '', p.autonomous ? 'autonomous' : ''].filter((s) => s !== '').join(', ');
}

const claimsSomething = (f: RouterAdvertFact): boolean => f.routerLifetime > 0 || f.prefixes.length > 0 || f.morePrefixes > 0;

export const routerAdvertInconsistent: Rule = {
  meta: {
    id: RA_INCONSISTENT,
    alsoReports: [{ id: ROGUE_RA, severity: 'warning', title: 'Router advertisement from a MAC that is no router of the link' }],
    severity: 'warning',
    title: 'Routers on one link advertise inconsistent RAs',
    rationale:
      'Hosts configure themselves from every router advertisement they hear: with two routers on a link ' +
      'advertising different hop limits, M/O flags, MTUs, timers or prefixes, a host ends up with whatever it ' +
      'heard last, or with addresses from a prefix only one router routes (RFC 4861 §6.2.7 says routers SHOULD ' +
      'check each other and log inconsistencies). An RA from a MAC that is none of the link\'s routers — a host ' +
      'with forwarding or connection sharing on, a lab router plugged into an access port, an attacker — makes ' +
      'hosts send traffic to it, or number themselves from a prefix nobody routes (RFC 6104).',
    remediation:
      'Inconsistent RAs: make the IPv6 RA configuration (ipv6 nd …: hop limit, managed/other flags, MTU, ' +
      'reachable/retrans timers, prefixes and their lifetimes) identical on every router of the link; a router ' +
      'that is not meant to be a default router should say so on purpose (router lifetime 0). Rogue RAs: find ' +
      'the MAC in the switches\' MAC tables, stop RAs at that host (disable forwarding/ICS or the RA daemon), ' +
      'and enable RA Guard (RFC 6105, `ipv6 nd raguard` / `ipv6 nd ra-guard`) on access ports so that only router ' +
      'ports may send RAs.',
    options: [ROGUE_RA_ESTABLISHED, ROGUE_RA_NEW_AFTER],
    messages: {
      field: 'IPv6 routers disagree on {label}: {routerA} advertises {valueA}, {routerB} {valueB}',
      'field-detail':
        'Router advertisements on this link carry different {label}: {routerA} says {valueA}, {routerB} says ' +
        '{valueB}{more}. RFC 4861 §6.2.7 says routers SHOULD advertise consistent values; a host takes the value ' +
        'of the RA it heard last, so its configuration flips with every advertisement.',
      'prefix-lifetime': 'IPv6 routers disagree on the {label} of {prefix}: {routerA} advertises {valueA}, {routerB} {valueB}',
      'prefix-lifetime-detail':
        'Both routers advertise prefix {prefix}, with different {label}: {routerA} says {valueA}, {routerB} ' +
        'says {valueB}. Hosts\' addresses from the prefix expire (or are deprecated) at whichever time they ' +
        'heard last (RFC 4861 §6.2.7).',
      'prefix-missing': 'IPv6 router {routerA} advertises prefix {prefix} that {routerB} does not',
      'prefix-missing-detail':
        '{routerA} advertises {prefix} ({flags}); {routerB}, another router of this link, advertises ' +
        '{otherPrefixes} but not {prefix}. Hosts form addresses from every autonomous prefix they hear: if only ' +
        'one router routes {prefix}, traffic sourced from it through the other router is dropped.',
      'not-default-router': 'IPv6 router {routerA} says it is not a default router (router lifetime 0), beside {routerB} (lifetime {valueB})',
      'not-default-router-detail':
        '{routerA} advertises router lifetime 0, so hosts do not use it as a default router, while {routerB} ' +
        'advertises {valueB}. That is right for a router meant only to give prefixes or flags; if it is meant ' +
        'to share the default-gateway load, its RA configuration is wrong.',
      'rogue-fhrp': 'Rogue IPv6 RA: {router} advertises itself on a link whose gateway is {protocol} group {group} ({vmac})',
      'rogue-fhrp-detail':
        '{router} sent {count} router advertisement(s) ({claim}) on a link whose IPv6 gateway is {protocol} group ' +
        '{group}, virtual MAC {vmac}; it is none of the group\'s routers. Hosts that hear it use it as a router ' +
        '(RFC 6104).',
      'rogue-prefix': 'Rogue IPv6 RA: {router} advertises {prefix}, which the link\'s routers ({routers}) do not',
      'rogue-prefix-detail':
        '{router} first advertised after {routers} had been advertising ({established} or more RAs each), and ' +
        'gives prefix {prefix} that none of them gives ({claim}). Hosts form addresses from it, and from a ' +
        'router lifetime above 0 take it as a default router (RFC 6104).',
      'rogue-new': 'Possible rogue IPv6 RA: {router} became a default router {after} s after {routers} were advertising',
      'rogue-new-detail':
        '{router} first advertised ({claim}) {after} s after the link\'s established routers {routers}, which ' +
        'it agrees with. A router added during the capture looks the same; a host advertising as a router ' +
        'takes a share of the hosts\' traffic (RFC 6104).',
    },
  },
  create(context) {
    const established = setting(context, ROGUE_RA_ESTABLISHED);
    const newAfter = setting(context, ROGUE_RA_NEW_AFTER);
    const gateways = context.shared.gateways;
    // A link pushed out by the cap is judged as it leaves, as at the end: never lost unchecked.
    const links = new AgedNumberTable<Link>(setting(context, MAX_MACS), (link) => check(link));

    function linkOf(domainId: number): Link {
      let link = links.get(domainId, 0);
      if (link) links.touch(link);
      else {
        link = { seen: 0, domainId, routers: [], fhrp6: null, checked: false };
        links.set(domainId, 0, link);
      }
      return link;
    }

    const name = (r: Router): string => `${r.ip} (${mac(r.mac)})`;
    const filterMac = (r: Router): string => mac(r.ethSrc !== 0 ? r.ethSrc : r.mac);
    const raFilter = (link: Link, routers: Router[], ...extra: string[]): string =>
      all('icmpv6.type == 134', anyOf('eth.src', routers.map(filterMac)), ...extra, domainFilter(context.domains.get(link.domainId)));

    /** An FHRP member or virtual MAC, or a MAC the config's intent.gateways declares: a router of the link, never rogue. */
    function isFhrpMac(link: Link, m: number): boolean {
      return (gateways.routerMac(link.domainId, m) & (LEARNED_FHRP | LEARNED_INTENT)) !== 0 || isFhrpVirtualMac(m);
    }

    function claimText(f: RouterAdvertFact): string {
      const prefixes = f.prefixes.map((p) => p.prefix);
      return `router lifetime ${f.routerLifetime} s${prefixes.length ? `, prefix ${prefixes.join(', ')}` : ''}`;
    }

    function reportRogue(link: Link, r: Router, messageId: string, severity: Severity, data: Record<string, string | number>, others: Evidence[]): void {
      const claim = r.claim as RouterAdvertFact;
      const evidence: Evidence[] = [{ ref: r.first.ref, role: `first RA from ${name(r)}` }];
      if (claim !== r.first) evidence.push({ ref: claim.ref, role: `RA from ${name(r)}: ${claimText(claim)}` });
      context.report({
        rule: ROGUE_RA,
        messageId,
        detailMessageId: `${messageId}-detail`,
        data: { router: name(r), count: r.count, claim: claimText(claim), ...data },
        identifier: `${link.domainId}:${r.mac}`,
        severity,
        confidence: 'inferred',
        domainId: link.domainId,
        subject: { family: 'ipv6', mac: mac(r.mac), ip: r.ip, prefixes: claim.prefixes.map((p) => p.prefix) },
        evidence: [...evidence, ...others],
        wiresharkFilter: raFilter(link, [r]),
        count: r.count,
      });
    }

    /** Judges each router of the link; returns the ones found rogue. */
    function rogues(link: Link): Set<Router> {
      const out = new Set<Router>();
      for (const r of link.routers) {
        if (!r.claims || isFhrpMac(link, r.mac)) continue;
        const hello = link.fhrp6;
        if (hello) {
          out.add(r);
          reportRogue(link, r, 'rogue-fhrp', 'error', {
            protocol: hello.protocol.toUpperCase(),
            group: hello.group,
            vmac: mac(hello.virtualMac),
          }, [{ ref: hello.ref, role: `${hello.protocol.toUpperCase()} group ${hello.group} hello from ${hello.srcIp}` }]);
          continue;
        }
        if (r.established.length === 0) continue;
        const routers = r.established.map(name).sort().join(', ');
        const others: Evidence[] = r.established.map((e) => ({ ref: e.last.ref, role: `RA from established router ${name(e)}` }));
        const known = new Set<string>();
        let complete = true;
        for (const e of r.established) {
          for (const p of e.last.prefixes) known.add(p.prefix);
          if (e.last.morePrefixes > 0) complete = false;
        }
        const claim = r.claim as RouterAdvertFact;
        const foreign = complete ? claim.prefixes.find((p) => (p.onLink || p.autonomous) && !known.has(p.prefix)) : undefined;
        if (foreign) {
          out.add(r);
          reportRogue(link, r, 'rogue-prefix', 'error', { prefix: foreign.prefix, routers, established }, others);
        } else if (claim.routerLifetime > 0 && r.establishedFor >= newAfter) {
          out.add(r);
          reportRogue(link, r, 'rogue-new', 'warning', { routers, after: Math.round(r.establishedFor) }, others);
        }
      }
      return out;
    }

    /** How a pair finding differs by kind: its subject, filter clause, severity and the two evidence roles. */
    interface PairExtra {
      subject?: Record<string, string>;
      filter?: string;
      severity?: Severity;
      roleA: string;
      roleB: string;
    }

    function reportPair(link: Link, messageId: string, key: string, a: Router, b: Router, data: Record<string, string | number>, extra: PairExtra): void {
      context.report({
        messageId,
        detailMessageId: `${messageId}-detail`,
        data: { routerA: name(a), routerB: name(b), ...data },
        identifier: `${link.domainId}:${key}`,
        severity: extra.severity,
        confidence: 'confirmed',
        domainId: link.domainId,
        subject: { family: 'ipv6', field: key.split(':')[0], routers: [a.ip, b.ip], macs: [mac(a.mac), mac(b.mac)], ...extra.subject },
        evidence: [
          { ref: a.last.ref, role: extra.roleA },
          { ref: b.last.ref, role: extra.roleB },
        ],
        wiresharkFilter: raFilter(link, [a, b], extra.filter ?? ''),
      });
    }

    function compare(link: Link, routers: Router[]): void {
      for (const field of FIELDS) {
        let a: Router | null = null;
        let b: Router | null = null;
        let valueA: string | null = null;
        const distinct = new Set<string>();
        for (const r of routers) {
          const v = field.value(r.last);
          if (v === null) continue;
          distinct.add(v);
          if (a === null) [a, valueA] = [r, v];
          else if (b === null && v !== valueA) b = r;
        }
        if (a === null || b === null) continue;
        const valueB = field.value(b.last) as string;
        const more = distinct.size > 2 ? ` (and ${distinct.size - 2} more value(s) from other routers)` : '';
        reportPair(link, 'field', field.name, a, b, { label: field.label, valueA: valueA as string, valueB, more }, {
          filter: field.wireshark,
          roleA: `RA from ${name(a)}: ${field.label} ${valueA}`,
          roleB: `RA from ${name(b)}: ${field.label} ${valueB}`,
        });
      }
      // Prefix lifetimes, for a prefix two routers both advertise.
      const byPrefix = new Map<string, { router: Router; prefix: RaPrefix }[]>();
      for (const r of routers) {
        for (const p of r.last.prefixes) {
          const list = byPrefix.get(p.prefix);
          if (list) list.push({ router: r, prefix: p });
          else byPrefix.set(p.prefix, [{ router: r, prefix: p }]);
        }
      }
      for (const [prefix, list] of byPrefix) {
        if (list.length < 2) continue;
        for (const field of PREFIX_FIELDS) {
          const first = list[0];
          const other = list.find((x) => field.value(x.prefix) !== field.value(first.prefix));
          if (!other) continue;
          const valueA = lifetime(field.value(first.prefix));
          const valueB = lifetime(field.value(other.prefix));
          reportPair(link, 'prefix-lifetime', `${field.name}:${prefix}`, first.router, other.router, { label: field.label, prefix, valueA, valueB }, {
            subject: { prefix },
            filter: `icmpv6.opt.prefix == ${prefix}`,
            roleA: `RA from ${name(first.router)}: ${prefix} ${field.label} ${valueA}`,
            roleB: `RA from ${name(other.router)}: ${prefix} ${field.label} ${valueB}`,
          });
        }
      }
      // Prefix sets: an on-link or autonomous prefix one router gives and another (which gives prefixes, all of
      // them kept) does not. A router that gives no prefix at all is not compared: one router may carry them.
      for (const [prefix, list] of byPrefix) {
        const giver = list.find((x) => x.prefix.onLink || x.prefix.autonomous);
        if (!giver) continue;
        const lacking = routers.find((r) => r.last.prefixes.length > 0 && r.last.morePrefixes === 0 && !r.last.prefixes.some((p) => p.prefix === prefix));
        if (!lacking) continue;
        const otherPrefixes = lacking.last.prefixes.map((p) => p.prefix).join(', ');
        reportPair(link, 'prefix-missing', `prefix:${prefix}`, giver.router, lacking, { prefix, flags: prefixFlags(giver.prefix), otherPrefixes }, {
          subject: { prefix },
          roleA: `RA from ${name(giver.router)} with ${prefix}`,
          roleB: `RA from ${name(lacking)} without ${prefix}`,
        });
      }
      // Router lifetime 0 beside live routers: said on purpose or not, worth knowing.
      const silent = routers.find((r) => r.last.routerLifetime === 0);
      const live = routers.find((r) => r.last.routerLifetime > 0);
      if (silent && live) {
        reportPair(link, 'not-default-router', 'router-lifetime', silent, live, { valueB: `${live.last.routerLifetime} s` }, {
          severity: 'info',
          filter: 'icmpv6.nd.ra.router_lifetime',
          roleA: `RA from ${name(silent)}: router lifetime 0`,
          roleB: `RA from ${name(live)}: router lifetime ${live.last.routerLifetime} s`,
        });
      }
    }

    function check(link: Link): void {
      if (link.checked) return;
      link.checked = true;
      if (link.routers.length === 0) return;
      const rogue = rogues(link);
      const routers = link.routers.filter((r) => !rogue.has(r));
      if (routers.length >= 2) compare(link, routers);
    }

    return {
      routerAdvert(f) {
        const key = f.srcMac !== 0 ? f.srcMac : f.ethSrc;
        if (key === 0) return;
        const link = linkOf(f.domainId);
        let router: Router | undefined;
        for (const r of link.routers) if (r.mac === key) router = r;
        if (router) {
          router.last = f;
          router.count++;
        } else {
          // The routers established when this one first advertises: enough RAs already, or FHRP members.
          const before: Router[] = [];
          let since = 0;
          for (const r of link.routers) {
            if (!r.claims || (r.count < established && !isFhrpMac(link, r.mac))) continue;
            before.push(r);
            since = Math.max(since, f.ref.time - r.first.ref.time);
          }
          if (link.routers.length >= ROUTERS_PER_LINK) {
            // Drop the router whose latest RA is the oldest.
            let oldest = 0;
            for (let i = 1; i < link.routers.length; i++) if (link.routers[i].last.ref.time < link.routers[oldest].last.ref.time) oldest = i;
            link.routers.splice(oldest, 1);
          }
          router = {
            mac: key,
            ethSrc: f.ethSrc,
            ip: f.routerIpText,
            first: f,
            last: f,
            count: 1,
            claims: false,
            claim: null,
            established: before,
            establishedFor: since,
          };
          link.routers.push(router);
        }
        if (claimsSomething(f)) {
          router.claims = true;
          router.claim = f;
        }
      },
      fhrp(f) {
        if (f.ipVersion !== 6) return;
        linkOf(f.domainId).fhrp6 = f;
      },
      end() {
        links.forEach(check);
      },
      sizes: () => {
        let routers = 0;
        links.forEach((link) => (routers += link.routers.length));
        return { links: links.size, routers };
      },
    };
  },
};
