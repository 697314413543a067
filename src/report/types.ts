// The report: what `gwcheck analyze` prints, and exactly what `--format json` serialises (schema/report.schema.json).
import type { Finding, Severity } from '../rules/types.js';

export const SCHEMA_VERSION = 1;

export interface InputSummary {
  path: string;
  format: 'pcap' | 'pcapng' | 'unknown';
  compressed: boolean;
  linkTypes: number[];
  packets: number;
  bytes: number;
  firstTime: string | null;
  lastTime: string | null;
  truncated: boolean;
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
  /** Finding ids that reached the cap of findings kept per id (settings.maxFindingsPerRule): more existed. */
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
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'gwcheck'; version: string };
  inputs: InputSummary[];
  stats: ReportStats;
  /** The domains that carried ARP, FHRP, VXLAN or BGP, sorted by label; at most 1000 (see stats.domainsOmitted). */
  domains: DomainSummary[];
  findings: Finding[];
  summary: Record<Severity, number>;
  settings: Record<string, number | string | boolean | number[] | string[]>;
}
