// duplicate-gateway-mac / ip-conflict: one IP resolves to two or more MACs in one domain — several answers to
// one request, MACs that take turns (arpwatch's "flip flop"), EVPN type-2 routes for one IP with different
// MACs — and an FHRP virtual IP answered by a MAC that is not its group's virtual MAC. Who claims which IP is the
// shared neighbour table's (neighbours.ts); this rule keeps only the evidence of the IPs that have a conflict.
import { addressIdentifier, isIpv6Key, type AddressFormatter } from '../facts/addresses.js';
import { ND_OVERRIDE, type EvpnRouteFact, type FrameRef, type NeighbourFact } from '../facts/types.js';
import { AgedNumberTable, AgedRowTable, EvidenceLog, PagedArray, TextInterner } from './bounded.js';
import { Columns, FRAME, FrameColumn } from './columns.js';
import type { InternedInstance } from './evpn.js';
import { MAX_FINDINGS_PER_RULE } from './engine.js';
import { NO_CONTRADICTION, OTHER_FIRST, OTHER_LAST, MINE_FIRST, TWO_ANSWERS } from './neighbours.js';
import { DUPLICATE_WINDOW, GATEWAY_REQUESTERS, MAX_EVPN_ROUTES, MAX_MACS, setting } from './options.js';
import type { Evidence, Rule } from './types.js';
import { isFhrpVirtualMac, isGlbpForwarderOf } from './virtual-mac.js';
import { LEARNED_FHRP, LEARNED_INTENT, LEARNED_NA_ROUTER, LEARNED_RA } from './shared.js';
import { all, anyOf, domainFilter, familyName, ipv4, mac, neighbourFields } from './wireshark.js';

export const DUPLICATE_GATEWAY_MAC = 'duplicate-gateway-mac';
export const IP_CONFLICT = 'ip-conflict';
export const ARP_SPOOFING = 'arp-spoofing';

/** What an IP with a conflict has besides its row (reported on eviction or at the end). */
interface Conflict {
  evidence: EvidenceLog;
  macs: Set<number>;
}

/**
 * The EVPN table keeps, per (instance, IP), its last ROUTES_PER_IP live type-2 routes (AgedRowTable, and the
 * routes as ROUTES_PER_IP slots of a column set beside it, oldest first): two routes with different MACs are what
 * a conflict needs, and a route costs no object. The route's RD is a number (rd-numbers.ts); its PE text (interned
 * through the RD table) sits in a paged array by route slot.
 */
const ROUTES_PER_IP = 4;
const EVPN_ROW = {
  routes: Uint8Array,
  /** What the engine said about this row's finding, per finding id (bits): wanted 1 / dropped 2 (duplicate-
   *  gateway-mac), 4 / 8 (ip-conflict) — asked once per row, not once per report. */
  wants: Uint8Array,
};
const ROUTE = {
  mac: Float64Array,
  /** The RD (rdNumber). */
  rd: Float64Array,
  /** ADD-PATH id + 1, or 0 without. */
  path: Float64Array,
  /** Carries the default-gateway community, or RFC 9047's ARP/ND community with R. */
  gateway: Uint8Array,
  /** Cited in its row's finding already. */
  cited: Uint8Array,
  at: FRAME,
};
/** IP keys of addresses that are not IPv4 (interned texts) start here. */
const OTHER_IPS = 2 ** 32;

/** Route citations an EVPN conflict keeps: as many first and last as a finding keeps (the engine's 10 + 10). */
const CITE_HEAD = 10;
const CITE_TAIL = 10;

/**
 * What an (instance, IP) with an EVPN conflict has besides its row, per finding id it counts towards: reported
 * once, when the row leaves the table or at the end. (A report per conflicting advertisement made the engine keep
 * the latest and leave the earlier ones as old-space garbage.) Three objects: the live routes at the latest
 * conflict (which the finding's words describe) and the routes it cites — first CITE_HEAD, last CITE_TAIL — as
 * numbers beside the PE texts the route rows already hold; role texts are built when it is reported.
 */
class EvpnConflict {
  /** Conflicting advertisements seen. */
  count = 0;
  /** Routes live at the latest conflict: their MACs and PEs, entries [0 … live). */
  live = 0;
  // Plain arrays: a small typed array costs more to make than the few numbers it holds (a conflict is made per
  // conflicting row, thousands in a fabric's capture).
  private readonly liveMacs: number[] = [0, 0, 0, 0];
  private readonly livePes: string[] = ['', '', '', ''];
  /** Citations: first CITE_HEAD, then a ring of the last CITE_TAIL. */
  private readonly cited = new FrameColumn(CITE_HEAD + CITE_TAIL);
  private readonly citedMacs: number[] = [];
  private readonly citedPes: string[] = [];
  private firstCount = 0;
  private ringCount = 0;
  private next = 0;

  constructor(
    /** Kept: the instance table may start over before the row is reported. */
    readonly instance: InternedInstance,
    /** The finding's identifier, the one string `placed` holds too. */
    readonly identifier: string,
  ) {}

  setLive(j: number, macValue: number, pe: string): void {
    this.liveMacs[j] = macValue;
    this.livePes[j] = pe;
  }

  liveMac(j: number): number {
    return this.liveMacs[j];
  }

  livePe(j: number): string {
    return this.livePes[j];
  }

  /** Cites entry `i` of a route frame column. */
  cite(frames: FrameColumn, i: number, macValue: number, pe: string): void {
    let slot: number;
    if (this.firstCount < CITE_HEAD) slot = this.firstCount++;
    else {
      slot = CITE_HEAD + (this.ringCount < CITE_TAIL ? this.ringCount++ : this.next);
      this.next = (this.next + 1) % CITE_TAIL;
    }
    this.cited.copy(slot, frames, i);
    this.citedMacs[slot] = macValue;
    this.citedPes[slot] = pe;
  }

  private citation(slot: number, ip: string, macs: MacTexts): Evidence {
    return {
      ref: this.cited.ref(slot),
      role: `advertisement: ${ip} is-at ${macs.of(this.citedMacs[slot])} from ${this.citedPes[slot]}`,
    };
  }

  /** The first citations, then the last ones oldest first. */
  evidence(ip: string, macs: MacTexts): Evidence[] {
    const out: Evidence[] = [];
    for (let slot = 0; slot < this.firstCount; slot++) out.push(this.citation(slot, ip, macs));
    const start = this.ringCount < CITE_TAIL ? 0 : this.next;
    for (let k = 0; k < this.ringCount; k++) out.push(this.citation(CITE_HEAD + ((start + k) % CITE_TAIL), ip, macs));
    return out;
  }
}

/** The MAC texts of one report: its few MACs recur in its live routes, its list of MACs and its citations. */
class MacTexts {
  private readonly numbers: number[] = [];
  private readonly texts: string[] = [];

  of(value: number): string {
    for (let i = 0; i < this.numbers.length; i++) if (this.numbers[i] === value) return this.texts[i];
    const text = mac(value);
    this.numbers.push(value);
    this.texts.push(text);
    return text;
  }
}

function claimRole(f: NeighbourFact, addresses: AddressFormatter): string {
  let what: string;
  if (f.family === 6) what = f.opcode === 136 ? (f.arpClass === 'reply' ? 'NA' : 'unsolicited NA') : 'NS';
  else what = f.arpClass === 'reply' ? 'reply' : f.arpClass === 'request' ? 'request' : `${f.arpClass} ARP`;
  const via = f.ethSrc !== 0 && f.ethSrc !== f.senderMac ? ` (sent from Ethernet source ${mac(f.ethSrc)})` : '';
  return `${what}: ${addresses.format(f.senderIp)} is-at ${mac(f.senderMac)}${via}`;
}

/** A clause selecting the frames in which one of `macs` claims an address, per family. */
function claimFilter(family: 4 | 6, ip: string, macs: readonly string[]): string {
  if (family === 4) return all(`arp.src.proto_ipv4 == ${ip}`, anyOf('arp.src.hw_mac', macs));
  return all(
    `(icmpv6.nd.na.target_address == ${ip} || (icmpv6.type == 135 && ipv6.src == ${ip}))`,
    `(${anyOf('icmpv6.opt.linkaddr', macs)} || ${anyOf('eth.src', macs)})`,
  );
}

/**
 * The EVPN findings given conflict state for one finding id, by their identifier's parts: the instance key, then
 * the IP — an IPv4 address as its key, any other as its text (`evpn:${key}|${ip}` is one identifier per pair: no IP
 * text holds a '|'). A row that conflicts once the cap is full asks here without building its identifier.
 */
class PlacedFindings {
  size = 0;
  private readonly ipsByInstance = new Map<string, Set<number | string>>();

  has(instanceKey: string, ip: number | string): boolean {
    return this.ipsByInstance.get(instanceKey)?.has(ip) ?? false;
  }

  add(instanceKey: string, ip: number | string): void {
    let ips = this.ipsByInstance.get(instanceKey);
    if (!ips) {
      ips = new Set();
      this.ipsByInstance.set(instanceKey, ips);
    }
    if (ips.has(ip)) return;
    ips.add(ip);
    this.size++;
  }
}

/** A probe for an address (ARP from 0.0.0.0, RFC 5227; IPv6 DAD from ::, RFC 4862 §5.4), as numbers. */
interface Probe {
  seen: number;
  mac: number;
  /** The probe's frame (the fact's own reference, kept). */
  ref: FrameRef;
}

/** Buckets of a ProbeFilter (a power of two): 64 KiB of counts, a few per cent of false hits at thousands of probes. */
const PROBE_BUCKETS = 1 << 14;

/**
 * How many probes the probe table holds per hash bucket of (domain, address). Almost no claim is for an address just
 * probed for (none of the 400k benchmark's 76k replies), so a claim whose bucket is empty skips the table lookup.
 * Exact: kept in step with the table (insert, delete, eviction).
 */
class ProbeFilter {
  private readonly counts = new Uint32Array(PROBE_BUCKETS);

  private static bucket(domainId: number, ip: number): number {
    // ToInt32 of an IPv6 key keeps its low 32 bits: good enough to spread, and the same every time.
    const h = Math.imul(ip ^ Math.imul(domainId + 1, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & (PROBE_BUCKETS - 1);
  }

  add(domainId: number, ip: number): void {
    this.counts[ProbeFilter.bucket(domainId, ip)]++;
  }

  remove(domainId: number, ip: number): void {
    this.counts[ProbeFilter.bucket(domainId, ip)]--;
  }

  mayHave(domainId: number, ip: number): boolean {
    return this.counts[ProbeFilter.bucket(domainId, ip)] !== 0;
  }
}

export const duplicateGatewayMac: Rule = {
  meta: {
    id: DUPLICATE_GATEWAY_MAC,
    alsoReports: [
      { id: IP_CONFLICT, severity: 'warning', title: 'Two MACs claim one IP' },
      { id: ARP_SPOOFING, severity: 'error', title: 'Unsolicited replies claim an IP its owner still answers for (ARP/ND spoofing)' },
    ],
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
      DUPLICATE_WINDOW,
      {
        name: 'spoofReplies',
        description: 'Unsolicited replies for an IP its owner answers for, from which arp-spoofing is reported',
        default: 2,
        unit: 'count',
      },
      {
        name: 'dadWindow',
        description: 'A claim for an address within this time of another MAC probing for it (ARP probe, IPv6 DAD) is a duplicate address',
        default: 2,
        unit: 's',
      },
      GATEWAY_REQUESTERS,
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
      spoofing: '{spoofer} sends unsolicited {protocol} claiming {ip}, which {owner} still answers for: spoofing',
      'spoofing-detail':
        '{spoofer} sent {unsolicited} {protocol} for {ip} ({gatewayReason}) that no request asked for, while {owner} ' +
        'answered {solicited} request(s) for it: the signature of ARP/ND spoofing (a man in the middle poisoning ' +
        'neighbour caches, as arpspoof and ettercap do), or of a misconfigured proxy. Hosts that take the ' +
        'unsolicited answer send their traffic for {ip} to {spoofer}.',
      'dad-conflict': 'Duplicate address {ip}: {owner} defends it against the {probe} of {prober}',
      'dad-conflict-detail':
        '{prober} probed for {ip} before using it ({probe}) and {owner} answered for it: two devices are ' +
        'configured with {ip} ({gatewayReason}). The prober must not use the address (RFC 4862 §5.4.5, RFC 5227 ' +
        '§2.1.1); if it does anyway, hosts flap between the two MACs.',
      'fhrp-vip-wrong-mac': 'FHRP virtual IP {ip} answered by {mac}, not the group virtual MAC {virtualMac}',
      'fhrp-vip-wrong-mac-detail':
        '{protocol} group {group} has virtual IP {ip} and virtual MAC {virtualMac}, but an ARP reply gives ' +
        '{mac}. Hosts that take this answer send to one router only and lose the gateway on failover. HSRP ' +
        '`standby use-bia` makes the active router answer with its burned-in MAC on purpose, and some VRRP ' +
        'owner setups answer with the interface MAC: if so, this is by design.',
    },
  },
  create(context) {
    const window = setting(context, DUPLICATE_WINDOW);
    const gatewayRequesters = setting(context, GATEWAY_REQUESTERS);
    const maxIps = setting(context, MAX_MACS);
    const maxRoutes = setting(context, MAX_EVPN_ROUTES);

    const gateways = context.shared.gateways;
    const addr = (key: number) => context.addresses.format(key);
    /** Probes per (domain, address): a claim for it from another MAC soon after is a duplicate address. */
    const probes = new AgedNumberTable<Probe>(maxIps, (_probe, domainId, ip) => probeFilter.remove(domainId, ip));
    const probeFilter = new ProbeFilter();
    const dadWindow = context.settings.dadWindow;
    const spoofReplies = context.settings.spoofReplies;
    // A conflict is certain when seen; its finding waits only for the gateway question (FHRP group, requester
    // count) and is made when the IP leaves the neighbour table or at the end — never lost to the cap.
    const table = context.shared.neighbours();
    table.onEvict((row) => {
      // Most rows have no conflict: storing undefined for each would fill the sparse array with entries.
      if (conflicts[row] === undefined) return;
      reportArp(row);
      conflicts[row] = undefined;
    });
    const claims = table.claims;
    /** Conflict state by row of the neighbour table, for the few IPs that have one. */
    const conflicts: (Conflict | undefined)[] = [];
    const evpnRoutes = new AgedRowTable(maxRoutes, EVPN_ROW, (row) => reportEvpnRow(row));
    /** Beside each row of `evpnRoutes`: its live routes, and their PE texts by route entry. */
    const routes = new Columns(ROUTE, maxRoutes + 1, ROUTES_PER_IP);
    const routePe = new PagedArray<string>();
    /** Conflict state by row of `evpnRoutes` * 2 + (1 for duplicate-gateway-mac, 0 for ip-conflict). */
    const evpnConflicts = new Map<number, EvpnConflict>();
    /** Rows of `evpnRoutes` with conflict state. */
    let evpnConflictRows = 0;
    /**
     * EVPN identifiers given conflict state, per finding id (0 ip-conflict, 1 duplicate-gateway-mac), up to the
     * engine's cap of findings per id. Reports are made late, so the engine's `wants` alone would let every
     * conflicting row keep state to the end, and which findings survive the cap would depend on the order rows
     * are reported in; this keeps the first to conflict, as reporting at once did.
     */
    const placed = [new PlacedFindings(), new PlacedFindings()];
    // Every route's RD, PE and instance, worked out once by the engine (evpn-identity.ts) before this rule sees it.
    const identity = context.shared.evpnIdentity;
    const instances = identity.instances;
    identity.onInstancesReset((below) => evpnRoutes.removeIf((row, part) => part < below && reportEvpnRow(row)));
    /** IP texts that are not IPv4 (IPv6), as keys from OTHER_IPS up; started over past the cap. */
    const otherIps = new Map<string, number>();
    const otherIpTexts = new Map<number, string>();
    let nextOtherIp = OTHER_IPS;
    /** Conflict evidence roles recur ("claim from 02:…" per turn): one copy each. */
    const roles = new TextInterner(maxIps);

    function gatewayReason(row: number): string | null {
      const group = gateways.fhrpGroup(table.domainOf(row), table.ipOf(row));
      if (group) return `${group.protocol} group ${group.group} virtual IP`;
      const router = gateways.routerIp(table.domainOf(row), table.ipOf(row));
      if (router & LEARNED_INTENT) return 'a gateway the config declares';
      if (router & LEARNED_NA_ROUTER) return 'advertised with the router flag';
      if (router & LEARNED_RA) return 'sends router advertisements';
      for (let j = 0; j < table.claimCount(row); j++) {
        if (isFhrpVirtualMac(claims.c.mac[table.claimEntry(row, j)])) return 'answered with an FHRP virtual MAC';
      }
      const requesters = table.requesterCount(row);
      if (requesters >= gatewayRequesters) return `ARPed for by ${requesters} hosts`;
      return null;
    }

    function reportArp(row: number): void {
      const conflict = conflicts[row];
      if (!conflict) return;
      const domainId = table.domainOf(row);
      const ipValue = table.ipOf(row);
      // GLBP: one virtual IP, a virtual MAC per forwarder by design — not a duplicate when every MAC is one of them.
      const glbp = gateways.fhrpGroup(domainId, ipValue);
      if (glbp && glbp.protocol === 'glbp' && [...conflict.macs].every((m) => isGlbpForwarderOf(m, glbp.group))) return;
      const reason = gatewayReason(row);
      const macs = [...conflict.macs].sort((a, b) => a - b).map(mac);
      const ip = addr(ipValue);
      const family = isIpv6Key(ipValue) ? 6 : 4;
      const spoof = spoofing(row);
      if (spoof) {
        const spoofer = mac(spoof.spoofer);
        const owner = mac(spoof.owner);
        context.report({
          rule: ARP_SPOOFING,
          messageId: 'spoofing',
          detailMessageId: 'spoofing-detail',
          data: {
            ip,
            spoofer,
            owner,
            unsolicited: spoof.unsolicited,
            solicited: spoof.solicited,
            protocol: family === 6 ? 'Neighbour Advertisements' : 'ARP replies',
            gatewayReason: reason ?? 'not a gateway',
          },
          identifier: `${domainId}:${addressIdentifier(ipValue, context.addresses)}`,
          severity: reason ? 'error' : 'warning',
          confidence: 'confirmed',
          domainId,
          subject: { ip, spoofer, owner, family: familyName(family) },
          evidence: conflict.evidence.all(),
          count: spoof.unsolicited,
          wiresharkFilter: all(claimFilter(family, ip, [spoofer, owner]), domainFilter(context.domains.get(domainId))),
          // The spoofer answering an FHRP virtual IP is this story, not a second finding.
          explains: [{ rule: DUPLICATE_GATEWAY_MAC, identifier: `${domainId}:${ipValue}:vmac:${spoof.spoofer}` }],
        });
        return;
      }
      context.report({
        rule: reason ? DUPLICATE_GATEWAY_MAC : IP_CONFLICT,
        messageId: 'duplicate',
        detailMessageId: 'duplicate-detail',
        data: {
          ip,
          macs: macs.join(', '),
          macCount: macs.length,
          protocol: family === 6 ? 'neighbour discovery' : 'ARP',
          gatewayReason: reason ?? 'not a gateway',
          window,
          conflicts: table.ips.c.conflicts[row],
          twoAnswers: table.ips.c.twoAnswers[row],
        },
        identifier: `${domainId}:${addressIdentifier(ipValue, context.addresses)}`,
        confidence: 'confirmed',
        domainId,
        subject: { ip, macs, family: familyName(family) },
        evidence: conflict.evidence.all(),
        count: table.ips.c.conflicts[row] + table.ips.c.twoAnswers[row],
        wiresharkFilter: all(claimFilter(family, ip, macs), domainFilter(context.domains.get(domainId))),
      });
    }

    /**
     * The man-in-the-middle signature (arpspoof, ettercap, and their ND twins): one MAC keeps sending replies nobody
     * asked for that claim the IP, while another — the owner — still answers the requests for it. Two MACs that
     * each answer requests are a duplicate instead; a move has the old MAC fall silent.
     */
    function spoofing(row: number): { spoofer: number; owner: number; unsolicited: number; solicited: number } | null {
      const c = claims.c;
      let spoofer = -1;
      let owner = -1;
      for (let j = 0; j < table.claimCount(row); j++) {
        const e = table.claimEntry(row, j);
        if (c.unsolicited[e] >= spoofReplies && c.solicited[e] === 0) {
          if (spoofer < 0 || c.unsolicited[e] > c.unsolicited[spoofer]) spoofer = e;
        } else if (c.solicited[e] > 0 && (owner < 0 || c.solicited[e] > c.solicited[owner])) owner = e;
      }
      if (spoofer < 0 || owner < 0) return null;
      return { spoofer: c.mac[spoofer], owner: c.mac[owner], unsolicited: c.unsolicited[spoofer], solicited: c.solicited[owner] };
    }

    /** The conflict the shared table saw in this claim, if any: its evidence. */
    function noteContradiction(f: NeighbourFact): void {
      const event = table.last;
      if (event.fact !== f || event.contradiction === NO_CONTRADICTION) return;
      const row = event.row;
      const otherMac = event.otherMac;
      const sender = f.senderMac;
      let conflict = conflicts[row];
      if (!conflict) {
        conflict = { evidence: new EvidenceLog(10, 10, roles), macs: new Set<number>() };
        conflicts[row] = conflict;
        conflict.evidence.pushFrom(event.frames, OTHER_FIRST, `first claim: ${addr(f.senderIp)} is-at ${mac(otherMac)}`);
        if (event.hadClaimed) conflict.evidence.pushFrom(event.frames, MINE_FIRST, `first claim: ${addr(f.senderIp)} is-at ${mac(sender)}`);
      }
      conflict.macs.add(otherMac).add(sender);
      const answer = event.contradiction === TWO_ANSWERS;
      conflict.evidence.pushFrom(event.frames, OTHER_LAST, `${answer ? 'answer' : 'claim'} from ${mac(otherMac)}`);
      conflict.evidence.push(f.ref, claimRole(f, context.addresses));
    }

    function checkVirtualMac(f: NeighbourFact): void {
      const group = gateways.fhrpGroup(f.domainId, f.senderIp);
      if (!group || group.virtualMac === f.senderMac) return;
      if (group.protocol === 'glbp' && isGlbpForwarderOf(f.senderMac, group.group)) return;
      const ip = addr(f.senderIp);
      const fields = neighbourFields(f.family);
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
        subject: { ip, mac: mac(f.senderMac), family: familyName(f.family) },
        evidence: [{ ref: f.ref, role: `${f.family === 6 ? 'NA' : 'reply'}: ${ip} is-at ${mac(f.senderMac)}` }],
        wiresharkFilter: all(
          fields.reply,
          `${fields.claimedIp} == ${ip}`,
          fields.fromMac(mac(f.senderMac)),
          domainFilter(context.domains.get(f.domainId)),
        ),
      });
    }

    function noteProbe(f: NeighbourFact): void {
      const known = probes.get(f.domainId, f.targetIp);
      if (known) {
        probes.touch(known);
        if (known.mac !== f.senderMac) return; // two hosts probing at once: each will see the other's probe
        known.ref = f.ref;
        return;
      }
      // Counted first: the insert may evict, and the filter must hold the entry by then.
      probeFilter.add(f.domainId, f.targetIp);
      probes.set(f.domainId, f.targetIp, { seen: 0, mac: f.senderMac, ref: f.ref });
    }

    /** A claim (reply, gratuitous, NA) for an address another MAC probed for within dadWindow: a duplicate address. */
    function checkProbe(f: NeighbourFact): void {
      if (!probeFilter.mayHave(f.domainId, f.senderIp)) return;
      const p = probes.get(f.domainId, f.senderIp);
      if (!p || p.mac === f.senderMac || f.ref.time - p.ref.time > dadWindow || f.ref.time < p.ref.time) return;
      probes.delete(f.domainId, f.senderIp);
      probeFilter.remove(f.domainId, f.senderIp);
      const ip = addr(f.senderIp);
      const family = f.family;
      const probeRole = family === 6 ? 'DAD probe (NS from ::)' : 'ARP probe (from 0.0.0.0)';
      const reason = gatewayReasonFor(f.domainId, f.senderIp);
      context.report({
        rule: IP_CONFLICT,
        messageId: 'dad-conflict',
        detailMessageId: 'dad-conflict-detail',
        data: { ip, prober: mac(p.mac), owner: mac(f.senderMac), probe: probeRole, gatewayReason: reason ?? 'not a gateway' },
        identifier: `${f.domainId}:${addressIdentifier(f.senderIp, context.addresses)}:dad:${p.mac}`,
        severity: reason ? 'error' : 'warning',
        confidence: 'confirmed',
        domainId: f.domainId,
        subject: { ip, macs: [mac(p.mac), mac(f.senderMac)].sort(), family: familyName(family) },
        evidence: [
          { ref: p.ref, role: `${probeRole} for ${ip} by ${mac(p.mac)}` },
          { ref: f.ref, role: `defended: ${claimRole(f, context.addresses)}` },
        ],
        wiresharkFilter: all(
          family === 6
            ? `(icmpv6.nd.ns.target_address == ${ip} || icmpv6.nd.na.target_address == ${ip})`
            : `(arp.dst.proto_ipv4 == ${ip} || arp.src.proto_ipv4 == ${ip})`,
          domainFilter(context.domains.get(f.domainId)),
        ),
      });
    }

    function gatewayReasonFor(domainId: number, ip: number): string | null {
      const group = gateways.fhrpGroup(domainId, ip);
      if (group) return `${group.protocol} group ${group.group} virtual IP`;
      const router = gateways.routerIp(domainId, ip);
      if (router & LEARNED_INTENT) return 'a gateway the config declares';
      if (router & (LEARNED_NA_ROUTER | LEARNED_RA | LEARNED_FHRP)) return 'a router address';
      return null;
    }

    /** The key of a route's IP text; `v4` is ipv4Key of it (the fact's ipV4). */
    function ipKey(ip: string, v4: number, add: boolean): number {
      if (!Number.isNaN(v4)) return v4;
      let key = otherIps.get(ip);
      if (key === undefined) {
        if (!add) return NaN;
        if (otherIps.size >= Math.max(1, maxRoutes)) {
          const below = nextOtherIp;
          // Rows report their conflicts as they go, while their IP texts are still known.
          evpnRoutes.removeIf((row, _part, k) => k >= OTHER_IPS && k < below && reportEvpnRow(row));
          otherIps.clear();
          otherIpTexts.clear();
        }
        key = nextOtherIp++;
        otherIps.set(ip, key);
        otherIpTexts.set(key, ip);
      }
      return key;
    }

    function ipText(key: number): string {
      return key < OTHER_IPS ? ipv4(key) : (otherIpTexts.get(key) ?? '?');
    }

    /** Index of the route of `f` (same RD, MAC and ADD-PATH id; tag and instance are the row's) in a row, or -1. */
    function routeIndex(row: number, f: EvpnRouteFact, rd: number): number {
      const r = routes.c;
      const path = f.pathId === null ? 0 : f.pathId + 1;
      for (let j = 0, n = evpnRoutes.c.routes[row]; j < n; j++) {
        const e = routes.slot(row, j);
        if (r.mac[e] === f.mac && r.path[e] === path && r.rd[e] === rd) return j;
      }
      return -1;
    }

    function removeRoute(row: number, j: number): void {
      const n = evpnRoutes.c.routes[row];
      for (let k = j; k < n - 1; k++) {
        const to = routes.slot(row, k);
        const from = routes.slot(row, k + 1);
        routes.copyEntry(to, from);
        routePe.set(to, routePe.get(from));
      }
      // The vacated slot is past the count (never read); only its PE text is let go.
      routePe.set(routes.slot(row, n - 1), undefined);
      evpnRoutes.c.routes[row] = n - 1;
    }

    function withdraw(f: EvpnRouteFact, ip: string): void {
      const key = ipKey(ip, f.ipV4, false);
      if (Number.isNaN(key)) return;
      const rd = identity.rd;
      // A withdrawal carries no encapsulation (no VNI): look in the instances its RD was advertised in.
      const visit = (id: number) => {
        if (instances.get(id)?.ethernetTag !== f.ethernetTag) return;
        const row = evpnRoutes.find(id, key);
        if (row < 0) return;
        const j = routeIndex(row, f, rd);
        if (j >= 0) removeRoute(row, j);
      };
      const n = identity.rdInstanceCount();
      if (n >= 0) for (let k = 0; k < n; k++) visit(identity.rdInstance(k));
      else for (const id of instances.ids()) visit(id);
    }

    function evpn(f: EvpnRouteFact): void {
      if (f.routeType !== 2 || f.mac === null) return;
      if (f.action === 'withdraw') {
        if (f.ip !== null) withdraw(f, f.ip);
        return;
      }
      if (f.ip === null) return;
      const rd = identity.rd;
      // A type-2 advertisement with a MAC always has its instance.
      const instance = identity.instance as InternedInstance;
      const key = ipKey(f.ip, f.ipV4, true);
      let row = evpnRoutes.find(instance.id, key);
      if (row < 0) {
        row = evpnRoutes.insert(instance.id, key);
        // No clearing: slots past the row's count are never read, and the one a route takes is written whole (its
        // PE text too).
        routes.ensure(row);
      } else evpnRoutes.touch(row);
      const same = routeIndex(row, f, rd);
      // The newest advertisement of a route goes to the end (the oldest are dropped first).
      if (same >= 0) removeRoute(row, same);
      if (evpnRoutes.c.routes[row] >= ROUTES_PER_IP) removeRoute(row, 0);
      const r = routes.c;
      const n = evpnRoutes.c.routes[row];
      let differs = false;
      for (let j = 0; j < n; j++) if (r.mac[routes.slot(row, j)] !== f.mac) differs = true;
      const e = routes.slot(row, n);
      r.mac[e] = f.mac;
      r.path[e] = f.pathId === null ? 0 : f.pathId + 1;
      r.gateway[e] = f.defaultGateway || f.arpNd?.router ? 1 : 0;
      r.cited[e] = 0;
      r.at.set(e, f.ref);
      r.rd[e] = rd;
      // The PE text, one copy per RD (evpn-identity.ts).
      routePe.set(e, identity.pe);
      evpnRoutes.c.routes[row] = n + 1;
      if (differs) noteEvpnConflict(row, instance);
    }

    /**
     * Counts the conflict the newest route of `row` makes towards its finding and keeps what the finding will say
     * (the live routes now, the routes it cites — each route once per finding); reported by reportEvpnRow.
     */
    function noteEvpnConflict(row: number, at: InternedInstance): void {
      const r = routes.c;
      const n = evpnRoutes.c.routes[row];
      let gateway = false;
      for (let j = 0; j < n; j++) if (r.gateway[routes.slot(row, j)] === 1) gateway = true;
      // Past the cap of findings a new identifier is dropped: keep no state for it (asked once per row).
      const wantBit = gateway ? 1 : 4;
      // One multiplication for both uses: a second one, reached only once the engine refuses a finding (late in a
      // capture), had no feedback in the optimised code, which was thrown away there.
      const droppedBit = wantBit * 2;
      const wants = evpnRoutes.c.wants[row];
      if (wants & droppedBit) return;
      let identifier = '';
      if (!(wants & wantBit)) {
        const key = evpnRoutes.keyOf(row);
        const ip = key < OTHER_IPS ? key : ipText(key);
        const kept = placed[gateway ? 1 : 0];
        let wanted = kept.has(at.key, ip);
        // Past the cap only a finding placed before is wanted: no identifier is built for the rest.
        if (!wanted && kept.size < MAX_FINDINGS_PER_RULE) {
          identifier = `evpn:${at.key}|${ipText(key)}`;
          wanted = context.wants?.(gateway ? DUPLICATE_GATEWAY_MAC : IP_CONFLICT, identifier) ?? true;
        }
        if (wanted) kept.add(at.key, ip);
        evpnRoutes.c.wants[row] = wants + (wanted ? wantBit : droppedBit);
        if (!wanted) return;
      }
      const slot = row * 2 + (gateway ? 1 : 0);
      let conflict = evpnConflicts.get(slot);
      if (!conflict) {
        if (!evpnConflicts.get(slot ^ 1)) evpnConflictRows++;
        // A row's first conflict for a finding id has just asked for its place (and built the identifier).
        conflict = new EvpnConflict(at, identifier || `evpn:${at.key}|${ipText(evpnRoutes.keyOf(row))}`);
        evpnConflicts.set(slot, conflict);
      }
      conflict.count++;
      conflict.live = n;
      const newMac = r.mac[routes.slot(row, n - 1)];
      for (let j = 0; j < n; j++) {
        const e = routes.slot(row, j);
        const m = r.mac[e];
        const pe = routePe.get(e) as string;
        conflict.setLive(j, m, pe);
        if ((m !== newMac || j === n - 1) && r.cited[e] === 0) {
          r.cited[e] = 1;
          conflict.cite(r.at, e, m, pe);
        }
      }
    }

    /** Reports the conflicts of a row that leaves the table (or at the end), once per finding id; true. */
    function reportEvpnRow(row: number): boolean {
      if (evpnConflicts.size === 0) return true;
      const ipConflict = evpnConflicts.get(row * 2);
      const gatewayConflict = evpnConflicts.get(row * 2 + 1);
      if (!ipConflict && !gatewayConflict) return true;
      const ip = ipText(evpnRoutes.keyOf(row));
      if (ipConflict) reportEvpn(ipConflict, ip, false);
      if (gatewayConflict) reportEvpn(gatewayConflict, ip, true);
      evpnConflicts.delete(row * 2);
      evpnConflicts.delete(row * 2 + 1);
      evpnConflictRows--;
      return true;
    }

    function reportEvpn(conflict: EvpnConflict, ip: string, gateway: boolean): void {
      const at = conflict.instance;
      const texts = new MacTexts();
      const macNumbers: number[] = [];
      const parts: string[] = [];
      for (let j = 0; j < conflict.live; j++) {
        const m = conflict.liveMac(j);
        if (!macNumbers.includes(m)) macNumbers.push(m);
        parts.push(`${texts.of(m)} from ${conflict.livePe(j)}`);
      }
      const macs = macNumbers.sort((a, b) => a - b).map((m) => texts.of(m));
      context.report({
        rule: gateway ? DUPLICATE_GATEWAY_MAC : IP_CONFLICT,
        messageId: 'evpn-duplicate',
        detailMessageId: 'evpn-duplicate-detail',
        data: {
          ip,
          macs: macs.join(', '),
          macCount: macs.length,
          instance: at.key,
          routes: parts.join(', '),
          gatewayReason: gateway
            ? 'A route carries the EVPN default-gateway community or an ARP/ND community with the router flag (RFC 9047): this is a gateway address'
            : 'No route carries the default-gateway community: a host address',
        },
        identifier: conflict.identifier,
        confidence: 'confirmed',
        domainId: null,
        evpnDomain: { vni: at.vni, ethernetTag: at.ethernetTag, routeTargets: at.routeTargets },
        subject: { ip, macs },
        evidence: conflict.evidence(ip, texts),
        count: conflict.count,
        wiresharkFilter: all(
          ip.includes(':') ? `bgp.evpn.nlri.ipv6.addr == ${ip}` : `bgp.evpn.nlri.ip.addr == ${ip}`,
          anyOf('bgp.evpn.nlri.mac_addr', macs),
        ),
      });
    }

    return {
      neighbour(f) {
        if (f.arpClass === 'probe') {
          noteProbe(f);
          return;
        }
        if (f.senderIp === 0 || f.arpClass === 'other') return;
        // An NA without the override flag does not replace a cache entry: anycast addresses (RFC 4861 §4.4,
        // §7.2.7) and proxies answer so, and several MACs answering for one is the design, not a conflict.
        if (f.opcode === 136 && f.family === 6 && (f.ndFlags & ND_OVERRIDE) === 0) return;
        if (probes.size > 0 && f.arpClass !== 'request') checkProbe(f);
        noteContradiction(f);
        if ((f.arpClass === 'reply' || f.arpClass === 'gratuitous-reply') && gateways.vipCount > 0) checkVirtualMac(f);
      },
      evpn,
      end() {
        // EVPN first: its identifiers were given their places under the cap when they conflicted, so the order
        // they are reported in changes nothing (the engine sorts the findings). Only the rows with conflict state
        // are visited, through that state (a row's report takes both its entries out of the map as it goes), not
        // every slot of the table (up to 2^18 at the default cap). The rows stay (nothing follows the end), so no row costs a removal.
        for (const slot of evpnConflicts.keys()) reportEvpnRow(slot >> 1);
        evpnConflicts.clear();
        conflicts.forEach((conflict, row) => {
          if (conflict) reportArp(row);
        });
        conflicts.length = 0;
      },
      sizes: () => ({
        ips: table.size,
        probes: probes.size,
        evpnIps: evpnRoutes.size,
        evpnConflicts: evpnConflictRows,
      }),
    };
  },
};
