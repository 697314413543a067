// The report: what `gwcheck analyze` prints, and exactly what `--format json` serialises (schema/report.schema.json).
import type { AnnotatedFinding, ConfigEcho } from '../config/apply.js';
import type { BaselineEcho } from '../config/baseline.js';
import type { Severity } from '../rules/types.js';
import type { InventoryReport } from '../rules/inventory.js';

export const SCHEMA_VERSION = 1;

export interface InputSummary {
  path: string;
  /** pcap/pcapng, or the Wireshark/tshark export it is (see docs/inputs.md). */
  format: 'pcap' | 'pcapng' | 'tshark-json' | 'tshark-ek' | 'text-export' | 'hex-dump' | 'unknown';
  /** 'absolute', or 'relative' (seconds since the export's first packet) or 'none' (a hex dump without times). */
  timestamps: 'absolute' | 'relative' | 'none';
  compressed: boolean;
  linkTypes: number[];
  packets: number;
  bytes: number;
  firstTime: string | null;
  lastTime: string | null;
  truncated: boolean;
  /** Reading was stopped (Ctrl-C, SIGTERM) before this input ended: the report covers what was read until then. */
  interrupted: boolean;
  /** One line each: input warnings (truncated record, skipped link types, …) and the fatal error, if any. */
  warnings: string[];
  /** The error that stopped reading this input (the findings still cover what was read). */
  error: { code: string; offset: number; message: string } | null;
}

export interface ReportStats {
  packets: number;
  arp: number;
  hsrp: number;
  vrrp: number;
  vxlan: number;
  bgpMessages: number;
  evpnRoutes: number;
  /** Malformed or truncated layers (decoding of that frame stopped there). */
  anomalies: number;
  /** Valid oddities (reserved bits, unknown TLVs). */
  notes: number;
  /** Anomalies and notes by dotted code. */
  anomalyCodes: Record<string, number>;
  /** ARP packets whose Ethernet source differs from their sender hardware address (proxy ARP, spoofing, bridging). */
  arpSourceMismatch: number;
  /** Valid IPv6 neighbour-discovery messages (NS, NA, RA) used as evidence. */
  nd: number;
  /** ND messages a node must ignore (RFC 4861 §6.1/§7.1: hop limit, code …): counted, not evidence. */
  ndInvalid: number;
  /** Frames inside VXLAN that were copies of one just seen (head-end replication to several VTEPs): used once. */
  replicatedCopies: number;
  /** GLBP packets. */
  glbp: number;
  /**
   * Packets whose payload was never opened, by reason (every reason present, zeros included): 'unknown-ether-type',
   * 'unsupported-link-type', 'undecoded-tunnel', 'undecoded-ip-protocol', 'fragment', 'macsec', 'too-deep'.
   */
  notOpened: Record<string, number>;
  /**
   * Finding ids some of whose findings were dropped: the cap of findings kept per id (settings.maxFindingsPerRule)
   * was reached, or a rule's table cap (--max-macs, --max-pending-arp, --max-evpn-routes) pushed out state that
   * could still have become one.
   */
  findingsCapped: string[];
  domains: number;
  /** Domains not in the report's list: past the list's cap (MAX_REPORTED_DOMAINS) or aged out of the domain table. */
  domainsOmitted: number;
}

/** A broadcast domain seen in the capture: the VLAN stack and, inside VXLAN, the VNI and inner tags. */
export interface DomainSummary {
  label: string;
  vlans: number[];
  vni: number | null;
  innerVlans: number[];
  /** Underlay paths its frames arrived through ("outer vlan 40"): beside the domain, not part of it. */
  via?: string[];
}

/**
 * What the capture let gwcheck judge, said plainly: "nothing wrong" is a verdict only where it could look. The
 * table prints the statements in its header and, when nothing gateway-related was readable, instead of the
 * all-clear sentence.
 */
export interface Coverage {
  /** Anything gateway-related was decoded (ARP, ND, FHRP hellos, BGP): without it no finding means nothing. */
  judged: boolean;
  /** One sentence each: the capture point ("host-side capture in untagged: …"), what was not opened. */
  statements: string[];
  /** Unanswered requests not judged because their reply would not be visible from this capture point. */
  unjudgedRequests: number;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'gwcheck'; version: string };
  inputs: InputSummary[];
  stats: ReportStats;
  /** The domains that carried ARP, FHRP, VXLAN or BGP, sorted by label; at most 1000 (see stats.domainsOmitted). */
  domains: DomainSummary[];
  coverage: Coverage;
  /** The engine's findings, with what the config and the baseline said of each (all optional fields). */
  findings: AnnotatedFinding[];
  /** Findings by severity; suppressed findings are not counted. */
  summary: Record<Severity, number>;
  settings: Record<string, number | string | boolean | number[] | string[]>;
  /** Present when a config file was used: which one, and what of it was in force. */
  config?: ConfigEcho;
  /** Present with --baseline: counts of new and unchanged findings, and the baseline's findings now gone. */
  baseline?: BaselineEcho;
  /**
   * The map before the findings: per domain the gateways (IP → MACs, how each was learned), FHRP groups and host
   * counts; per EVPN instance the PEs and default-gateway routes (src/rules/inventory.ts). Always set by analyze();
   * optional for reports written before it existed (baselines).
   */
  inventory?: InventoryReport;
}
