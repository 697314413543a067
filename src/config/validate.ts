// Validation of a parsed gwcheck.config.json, by hand so that every problem names its path and, for a misspelt
// key or id, the nearest known one. The published schema (schema/config.schema.json) describes the same shape; the
// test suite checks both agree on a table of good and bad configs.
import { ALL_RULES } from '../rules/index.js';
import type { Rule, RuleOption } from '../rules/types.js';
import { parseMac } from '../util/net.js';
import { optionValueProblem } from './option-values.js';
import { didYouMean } from './suggest.js';
import type { GwcheckConfig } from './types.js';

const SEVERITIES = ['off', 'info', 'warning', 'error'];
/** The MAC spellings parseMac reads, as the schema's pattern states them. */
const MAC_TEXT = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$|^[0-9A-Fa-f]{12}$/;
const FAIL_ON = ['error', 'warning', 'info', 'none'];

/** Every finding id with the options of the module that reports it. */
export function findingIdOptions(rules: readonly Rule[] = ALL_RULES): Map<string, RuleOption[]> {
  const out = new Map<string, RuleOption[]>();
  for (const r of rules) for (const id of [r.meta.id, ...(r.meta.alsoReports ?? []).map((a) => a.id)]) out.set(id, r.meta.options);
  return out;
}

type Json = unknown;

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: Json): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function keys(p: Problems, path: string, obj: Record<string, Json>, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) p.add(path ? `${path}.${k}` : k, `unknown key${didYouMean(k, allowed)} (known: ${allowed.join(', ')})`);
}

function string(p: Problems, path: string, v: Json): v is string {
  if (typeof v === 'string' && v.trim() !== '') return true;
  p.add(path, `must be a non-empty string, not ${typeName(v)}`);
  return false;
}

function integer(p: Problems, path: string, v: Json, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) p.add(path, `must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
}

function mac(p: Problems, path: string, v: Json): void {
  if (!string(p, path, v)) return;
  if (!MAC_TEXT.test(v) || Number.isNaN(parseMac(v))) p.add(path, `'${v}' is not a MAC address (aa:bb:cc:dd:ee:ff)`);
}

function ip(p: Problems, path: string, v: Json): void {
  if (!string(p, path, v)) return;
  if (!isIp(v)) p.add(path, `'${v}' is not an IPv4 or IPv6 address`);
}

export function isIp(text: string): boolean {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(text)) return true;
  return /^[0-9a-fA-F:]+$/.test(text) && text.includes(':') && text.split('::').length <= 2;
}

function scope(p: Problems, path: string, obj: Record<string, Json>): void {
  if (obj.vlan !== undefined) integer(p, `${path}.vlan`, obj.vlan, 0, 4095);
  if (obj.vni !== undefined) integer(p, `${path}.vni`, obj.vni, 0, 0xffffff);
}

function list(p: Problems, path: string, v: Json, each: (item: Record<string, Json>, path: string) => void): void {
  if (!Array.isArray(v)) {
    p.add(path, `must be an array, not ${typeName(v)}`);
    return;
  }
  v.forEach((item, i) => {
    if (!isObject(item)) p.add(`${path}[${i}]`, `must be an object, not ${typeName(item)}`);
    else each(item, `${path}[${i}]`);
  });
}

function findingId(p: Problems, path: string, id: string, known: string[]): boolean {
  if (known.includes(id)) return true;
  p.add(path, `no such finding id${didYouMean(id, known)}`);
  return false;
}

/** The problems of `raw` as a config, each "path: message"; empty when it is valid. */
export function configProblems(raw: Json): string[] {
  const p = new Problems();
  if (!isObject(raw)) {
    p.add('(top level)', `must be an object, not ${typeName(raw)}`);
    return p.list;
  }
  const byId = findingIdOptions();
  const known = [...byId.keys()];
  keys(p, '', raw, ['$schema', 'failOn', 'rules', 'suppress', 'intent']);
  if (raw.$schema !== undefined && typeof raw.$schema !== 'string') p.add('$schema', `must be a string, not ${typeName(raw.$schema)}`);
  if (raw.failOn !== undefined && !FAIL_ON.includes(raw.failOn as string)) p.add('failOn', `must be one of ${FAIL_ON.join(', ')}, not ${JSON.stringify(raw.failOn)}`);

  if (raw.rules !== undefined) {
    if (!isObject(raw.rules)) p.add('rules', `must be an object, not ${typeName(raw.rules)}`);
    else {
      for (const [id, setting] of Object.entries(raw.rules)) {
        const path = `rules.${id}`;
        if (!findingId(p, path, id, known)) continue;
        if (typeof setting === 'string') {
          if (!SEVERITIES.includes(setting)) p.add(path, `must be one of ${SEVERITIES.join(', ')}${didYouMean(setting, SEVERITIES)}`);
          continue;
        }
        let entries: Record<string, Json>;
        let at = path;
        if (Array.isArray(setting)) {
          // ESLint's [severity, options].
          if (setting.length < 1 || setting.length > 2 || typeof setting[0] !== 'string' || !SEVERITIES.includes(setting[0])) {
            p.add(path, `an array must be [severity, { thresholds }] with severity one of ${SEVERITIES.join(', ')}`);
            continue;
          }
          if (setting.length === 2 && !isObject(setting[1])) {
            p.add(`${path}[1]`, `must be an object of thresholds, not ${typeName(setting[1])}`);
            continue;
          }
          entries = (setting[1] ?? {}) as Record<string, Json>;
          if ('severity' in entries) {
            p.add(`${path}[1].severity`, 'the severity is the first element of the array');
            continue;
          }
          at = `${path}[1]`;
        } else if (isObject(setting)) {
          entries = setting;
        } else {
          p.add(path, `must be "off", a severity, [severity, { thresholds }] or an object with "severity" and thresholds, not ${typeName(setting)}`);
          continue;
        }
        const options = byId.get(id) ?? [];
        const names = ['severity', ...options.map((o) => o.name)];
        for (const [k, v] of Object.entries(entries)) {
          if (k === 'severity') {
            if (!SEVERITIES.includes(v as string)) p.add(`${path}.severity`, `must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(v)}`);
            continue;
          }
          const option = options.find((o) => o.name === k);
          if (!option) {
            p.add(`${at}.${k}`, `not a threshold of ${id}${didYouMean(k, names)} (known: ${names.join(', ')})`);
            continue;
          }
          const problem = optionValueProblem(option, v);
          if (problem) p.add(`${at}.${k}`, `${JSON.stringify(v)} ${problem}`);
        }
      }
    }
  }

  if (raw.suppress !== undefined) {
    list(p, 'suppress', raw.suppress, (s, path) => {
      keys(p, path, s, ['rule', 'match', 'reason', 'until']);
      if (s.rule === undefined) p.add(`${path}.rule`, 'is required (the finding id to suppress)');
      else if (string(p, `${path}.rule`, s.rule)) findingId(p, `${path}.rule`, s.rule, known);
      if (s.reason === undefined) p.add(`${path}.reason`, 'is required: say why this finding is accepted');
      else string(p, `${path}.reason`, s.reason);
      if (s.until !== undefined && !(typeof s.until === 'string' && validDate(s.until))) {
        p.add(`${path}.until`, `must be a date YYYY-MM-DD, not ${JSON.stringify(s.until)}`);
      }
      if (s.match !== undefined) {
        if (!isObject(s.match)) p.add(`${path}.match`, `must be an object, not ${typeName(s.match)}`);
        else {
          const m = s.match;
          keys(p, `${path}.match`, m, ['mac', 'ip', 'vlan', 'vni', 'group']);
          if (m.mac !== undefined) mac(p, `${path}.match.mac`, m.mac);
          if (m.ip !== undefined) ip(p, `${path}.match.ip`, m.ip);
          scope(p, `${path}.match`, m);
          if (m.group !== undefined) integer(p, `${path}.match.group`, m.group, 0, 4095);
        }
      }
    });
  }

  if (raw.intent !== undefined) {
    if (!isObject(raw.intent)) p.add('intent', `must be an object, not ${typeName(raw.intent)}`);
    else {
      const intent = raw.intent;
      keys(p, 'intent', intent, ['fhrpAllActive', 'gateways', 'anycastMacs']);
      if (intent.fhrpAllActive !== undefined) {
        list(p, 'intent.fhrpAllActive', intent.fhrpAllActive, (g, path) => {
          keys(p, path, g, ['protocol', 'group', 'vlan', 'vni', 'reason']);
          if (g.protocol !== undefined && g.protocol !== 'hsrp' && g.protocol !== 'vrrp' && g.protocol !== 'glbp') p.add(`${path}.protocol`, `must be hsrp, vrrp or glbp, not ${JSON.stringify(g.protocol)}`);
          if (g.group === undefined) p.add(`${path}.group`, 'is required');
          else integer(p, `${path}.group`, g.group, 0, 4095);
          scope(p, path, g);
          if (g.reason !== undefined) string(p, `${path}.reason`, g.reason);
        });
      }
      if (intent.gateways !== undefined) {
        list(p, 'intent.gateways', intent.gateways, (g, path) => {
          keys(p, path, g, ['ip', 'macs', 'vlan', 'vni']);
          if (g.ip === undefined) p.add(`${path}.ip`, 'is required');
          else ip(p, `${path}.ip`, g.ip);
          if (g.macs === undefined) p.add(`${path}.macs`, 'is required (the MACs this gateway may resolve to)');
          else if (!Array.isArray(g.macs) || g.macs.length === 0) p.add(`${path}.macs`, `must be a non-empty array of MACs, not ${typeName(g.macs)}`);
          else g.macs.forEach((m, i) => mac(p, `${path}.macs[${i}]`, m));
          scope(p, path, g);
        });
      }
      if (intent.anycastMacs !== undefined) {
        list(p, 'intent.anycastMacs', intent.anycastMacs, (a, path) => {
          keys(p, path, a, ['mac', 'vlan', 'vni', 'reason']);
          if (a.mac === undefined) p.add(`${path}.mac`, 'is required');
          else mac(p, `${path}.mac`, a.mac);
          scope(p, path, a);
          if (a.reason !== undefined) string(p, `${path}.reason`, a.reason);
        });
      }
    }
  }
  return p.list;
}

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function asConfig(raw: Json): GwcheckConfig {
  return raw as GwcheckConfig;
}
