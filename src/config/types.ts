// The shape of gwcheck.config.json (published as schema/config.schema.json). ESLint's conventions: `rules` maps a
// finding id to "off", a severity, or an object with a severity and that rule's thresholds.
import type { Severity } from '../rules/types.js';

export type RuleSeverity = Severity | 'off';

export interface RuleSettingObject {
  severity?: RuleSeverity;
  /** Thresholds of the module that reports this id (meta.options names), e.g. { "flapMoves": 3 }. */
  [threshold: string]: number | RuleSeverity | undefined;
}

/** ESLint's forms: "off" | severity | [severity, { thresholds }] | { severity?, ...thresholds }. */
export type RuleSetting = RuleSeverity | [RuleSeverity, Record<string, number>?] | RuleSettingObject;

/** What a suppression matches, compared with the finding's subject and domain. Every given field must match. */
export interface SuppressMatch {
  mac?: string;
  ip?: string;
  vlan?: number;
  vni?: number;
  group?: number;
}

export interface Suppression {
  rule: string;
  match?: SuppressMatch;
  /** Why this finding is accepted: required, shown in the report. */
  reason: string;
  /** Last day (UTC, YYYY-MM-DD) the suppression holds; after it the finding counts again. */
  until?: string;
}

/** An FHRP group whose routers are all Active on purpose (the anycast-gateway-without-EVPN design). */
export interface FhrpAllActiveIntent {
  protocol?: 'hsrp' | 'vrrp' | 'glbp';
  group: number;
  vlan?: number;
  vni?: number;
  reason?: string;
}

/** A gateway IP and every MAC it may resolve to; any other MAC answering for it is drift or spoofing. */
export interface GatewayIntent {
  ip: string;
  macs: string[];
  vlan?: number;
  vni?: number;
}

/** A MAC that is an anycast gateway MAC by design (an EVPN distributed anycast gateway: one MAC on every leaf). */
export interface AnycastMacIntent {
  mac: string;
  vlan?: number;
  vni?: number;
  reason?: string;
}

/** What the network is meant to look like. */
export interface Intent {
  fhrpAllActive?: FhrpAllActiveIntent[];
  gateways?: GatewayIntent[];
  anycastMacs?: AnycastMacIntent[];
}

export interface GwcheckConfig {
  $schema?: string;
  /** Default for --fail-on (the flag wins). */
  failOn?: 'error' | 'warning' | 'info' | 'none';
  rules?: Record<string, RuleSetting>;
  suppress?: Suppression[];
  intent?: Intent;
}

/** A config as loaded: the file it came from (null when built in code) and its validated content. */
export interface LoadedConfig {
  file: string | null;
  config: GwcheckConfig;
}

export const CONFIG_FILE_NAME = 'gwcheck.config.json';
