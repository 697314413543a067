// Every rule, in a stable order (the order findings are produced in before sorting, and of --help).
import { duplicateGatewayMac } from './duplicate-gateway-mac.js';
import { evpnArpSuppressionOff } from './evpn-arp-suppression-off.js';
import { evpnFloodList } from './evpn-flood-list.js';
import { evpnMacLocationMismatch } from './evpn-mac-location-mismatch.js';
import { evpnRouterMacMismatch } from './evpn-router-mac-mismatch.js';
import { evpnVniMismatch } from './evpn-vni-mismatch.js';
import { fhrpStateChange } from './fhrp-state-change.js';
import { gatewayMacDrift } from './gateway-mac-drift.js';
import { hsrpMultipleActive } from './hsrp-multiple-active.js';
import { macMobilityRegression } from './mac-mobility-regression.js';
import { routerAdvertInconsistent } from './router-advert-inconsistent.js';
import { sharedMacArpBlackhole } from './shared-mac-arp-blackhole.js';
import type { Rule } from './types.js';
import { unansweredArp } from './unanswered-arp.js';

export const ALL_RULES: Rule[] = [
  sharedMacArpBlackhole,
  duplicateGatewayMac,
  unansweredArp,
  macMobilityRegression,
  hsrpMultipleActive,
  routerAdvertInconsistent,
  fhrpStateChange,
  evpnMacLocationMismatch,
  evpnVniMismatch,
  evpnFloodList,
  evpnArpSuppressionOff,
  evpnRouterMacMismatch,
  gatewayMacDrift,
];

export { RuleEngine, defaultSettings, messageOf, findingId } from './engine.js';
export type { FindingMessage } from './engine.js';
