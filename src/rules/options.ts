// Options shared by more than one rule. Each option is declared in exactly one rule's meta (the CLI makes one
// flag per option); other rules read it from settings through `setting`, which falls back to the default when
// the declaring rule is not loaded.
import type { RuleContext, RuleOption } from './types.js';
import { smallInteger } from '../util/double.js';

export const ARP_TIMEOUT: RuleOption = {
  name: 'arpTimeout',
  description: 'An ARP request with no reply in its domain within this time is unanswered',
  default: 1,
  unit: 's',
};

export const ARP_PENDING_GRACE: RuleOption = {
  name: 'arpPendingGrace',
  description: 'A request within arpTimeout + this of the end of the capture is pending, not unanswered',
  default: 0.5,
  unit: 's',
};

export const MAX_PENDING_ARP: RuleOption = {
  name: 'maxPendingArp',
  description: 'Cap on ARP targets with pending requests (and on per-target aggregates); the oldest go first',
  default: 10_000,
  unit: 'count',
};

export const MAX_MACS: RuleOption = {
  name: 'maxMacs',
  description: 'Cap on MAC and IP address tables per rule; the least recently seen go first',
  default: 10_000,
  unit: 'count',
};

export const MAX_EVPN_ROUTES: RuleOption = {
  name: 'maxEvpnRoutes',
  description: 'Cap on EVPN route tables per rule; the least recently advertised go first',
  default: 100_000,
  unit: 'count',
};

export const DUPLICATE_WINDOW: RuleOption = {
  name: 'duplicateWindow',
  description: 'Two MACs claiming one IP within this time (taking turns) are a duplicate',
  default: 60,
  unit: 's',
};

export const GATEWAY_REQUESTERS: RuleOption = {
  name: 'gatewayRequesters',
  description: 'An IP that this many hosts ARP for is treated as a gateway',
  default: 3,
  unit: 'count',
};

export function setting(context: RuleContext, option: RuleOption): number {
  const value = context.settings[option.name];
  return typeof value === 'number' && Number.isFinite(value) ? value : smallInteger(option.default);
}
