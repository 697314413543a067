// The contract of the rules room: facts in, findings out. All state and all policy live in rules.
import type { AddressFormatter } from '../facts/addresses.js';
import type { AnomalyFact, Domain, DomainLookup, EvpnRouteFact, FhrpFact, FrameRef, NeighbourFact, RouterAdvertFact, VxlanFrameFact } from '../facts/types.js';
import type { SharedState } from './shared.js';
import type { Intent } from '../config/types.js';

export type Severity = 'error' | 'warning' | 'info';
export type Confidence = 'confirmed' | 'inferred';

/** A threshold or switch of a rule; the CLI turns each into a flag (`--arp-timeout 2`). */
export interface RuleOption {
  /** camelCase key in settings ("arpTimeout"); the flag is its kebab-case form ("--arp-timeout"). */
  name: string;
  description: string;
  default: number;
  /** Unit shown in --help: "s", "count" … A count must be a whole number ≥ 1, seconds a number ≥ 0. */
  unit?: string;
  /** The finding ids this option tunes, when not the module's own id (flapMoves tunes mac-flapping). */
  findings?: string[];
}

export interface RuleMeta {
  /** Stable id, part of the JSON contract: file name = test name = docs/rules/<id>.md. */
  id: string;
  /** Extra finding ids this module reports besides `id` (e.g. mac-mobility-tie). Each has its own docs page. */
  alsoReports?: { id: string; severity: Severity; title: string; remediation?: string }[];
  severity: Severity;
  title: string;
  /** One paragraph: why this matters. */
  rationale: string;
  remediation: string;
  options: RuleOption[];
  /** Message templates by id, with {name} placeholders filled from `data`. */
  messages: Record<string, string>;
}

/** A frame cited as evidence, and why ("unanswered request", "binds MAC to 10.0.0.1", "advertisement seq 3"). */
export interface Evidence {
  ref: FrameRef;
  role: string;
}

export interface ReportDescriptor {
  /** Defaults to meta.id; set for the `alsoReports` ids. */
  rule?: string;
  messageId: string;
  /** Placeholders for the message template; `detailMessageId` uses the same data. */
  data: Record<string, string | number | boolean>;
  detailMessageId?: string;
  /** Merge key within the rule: reports with the same rule + identifier become one finding with a count. */
  identifier: string;
  severity?: Severity;
  confidence: Confidence;
  /** Domain of the finding (null for findings about BGP/EVPN state that has no VLAN). */
  domainId: number | null;
  /** For EVPN findings: the EVPN instance, e.g. { vni: 10100 } — shown as the domain. */
  evpnDomain?: { vni: number | null; ethernetTag: number; routeTargets: string[] };
  /** What the finding is about, formatted: { mac: "00:00:5e:00:01:01", ip: "10.0.0.1" }. */
  subject: Record<string, string | number | boolean | string[] | number[]>;
  evidence: Evidence[];
  /** A Wireshark display filter that isolates the evidence. */
  wiresharkFilter: string;
  /** How many occurrences this report stands for (default 1); added to the finding's `evidence.count`. */
  count?: number;
  /**
   * The report restates the whole finding (a rule that reports a finding as soon as it is certain and again as it
   * grows): its evidence replaces what earlier reports cited, so the last report alone decides the evidence — as
   * if it had been the only one. `count` is still added.
   */
  restates?: boolean;
  /**
   * Findings this one explains (e.g. the unanswered ARPs caused by a shared MAC): after end(), the engine drops
   * them and adds their count and evidence to this finding, so one cause is not reported twice.
   */
  explains?: { rule: string; identifier: string }[];
}

export interface RuleContext {
  /** Effective settings: every option of every rule by name, defaults overridden by flags. */
  settings: Readonly<Record<string, number>>;
  domains: DomainLookup;
  /** Formats the address keys facts carry (IPv4 numbers and IPv6 keys): `context.addresses.format(f.senderIp)`. */
  addresses: AddressFormatter;
  /** What several rules read, kept once by the engine and updated before any rule sees a fact (shared.ts). */
  shared: SharedState;
  report(descriptor: ReportDescriptor): void;
  /**
   * False when a report with this finding id and identifier would be dropped (the cap of distinct findings per
   * id is reached and the identifier is new), so a rule can skip building it. Absent means true.
   */
  wants?(rule: string, identifier: string): boolean;
  /** True when findings are streamed as they are made (--follow, ndjson events): a rule that would wait for the
   *  end of the capture to decide should decide sooner. Absent means false. */
  live?(): boolean;
  /**
   * What the network is meant to look like (gwcheck.config.json `intent`): FHRP groups meant all-Active, gateways
   * with the MACs they must resolve to, anycast-by-design MACs. `gateways` is also in `shared.gateways` (LEARNED_INTENT,
   * `shared.gateways.declared`), which gateway-mac-drift, unanswered-arp and rogue-ra read from the first packet; the
   * rest is applied to findings afterwards (src/config/apply.ts).
   */
  intent?: Readonly<Intent>;
  /**
   * A table cap pushed out state that could still have become a finding of `findingId` (a pending ARP request, a
   * MAC's moves): the report names the id in `stats.findingsCapped`, so a capped run never looks clean silently.
   * Absent in tests that build a context by hand.
   */
  capped?(findingId: string): void;
}

export interface RuleHandlers {
  /** ARP and IPv6 ND neighbour resolution (see NeighbourFact). */
  neighbour?(fact: NeighbourFact): void;
  routerAdvert?(fact: RouterAdvertFact): void;
  fhrp?(fact: FhrpFact): void;
  evpn?(fact: EvpnRouteFact): void;
  anomaly?(fact: AnomalyFact): void;
  /** Every VXLAN data frame, after the engine noted it in `shared.planes()`: a scratch object — copy numbers out,
   *  keep nothing. Called only when some rule made the planes. */
  vxlan?(fact: VxlanFrameFact): void;
  /** Decisions that need the whole capture; `lastTime` is the time of the last frame of all inputs. */
  end?(lastTime: number): void;
  /**
   * Capture time has reached `now` (the engine calls it when capture time advances by TICK_INTERVAL, and a live
   * reader when no packet arrives): decide what time alone decides — a request unanswered for its timeout — and
   * report what has become certain, so `--follow` does not hold a finding back until the end of the capture.
   */
  tick?(now: number): void;
  /** Sizes of the rule's internal tables, so tests can check that state stays bounded. */
  sizes?(): Record<string, number>;
}

export interface Rule {
  meta: RuleMeta;
  create(context: RuleContext): RuleHandlers;
}

/** A finding as the report prints it (and as JSON serialises it). */
export interface Finding {
  /** Stable across runs: hash of rule + identifier. */
  id: string;
  rule: string;
  severity: Severity;
  confidence: Confidence;
  summary: string;
  detail: string;
  remediation: string;
  /** Null when the finding has no broadcast domain; EVPN findings give the VNI there. */
  domain: { vlans: number[]; vni: number | null; innerVlans: number[] } | null;
  domainLabel: string;
  subject: Record<string, string | number | boolean | string[] | number[]>;
  evidence: {
    /** Cited frame numbers, ascending (with several inputs, see `items[].input`). */
    frames: number[];
    /** `file` is the input's path as given (set by analyze(); several inputs are one story, so each frame names its file). */
    items: {
      input: number;
      file?: string;
      frame: number;
      time: string;
      role: string;
      /** The name of the interface the frame was captured on, when the input names it (set by analyze()). */
      interface?: string;
      /** The frame's packet comment in the input ("blackhole?"), when it has one (set by analyze()). */
      comment?: string;
    }[];
    firstTime: string;
    lastTime: string;
    /** How many reports were merged into this finding. */
    count: number;
  };
  wiresharkFilter: string;
  /** How to open the evidence in Wireshark (set by analyze(), which knows the files and ports). */
  wireshark?: WiresharkView;
}

/** The way back to Wireshark: per input file, the command that opens the finding's evidence. */
export interface WiresharkView {
  /** `-d` options the filter needs (VXLAN/BGP on non-default ports), e.g. "udp.port==8472,vxlan". */
  decodeAs: string[];
  files: {
    file: string;
    /** The cited frames of this file. */
    frames: number[];
    /** Exactly the cited frames: `frame.number in {3..5}` (the semantic filter may select more). */
    exactFilter: string;
    /** `wireshark -r FILE [-d …] -Y '<wiresharkFilter>'`. */
    command: string;
    /** `wireshark -r FILE -Y '<exactFilter>'`. */
    exactCommand: string;
  }[];
}

export type { Domain };
