// CLI options as data: one list with flag, description, default and parser, shared by --help, parsing and the
// JSON report's `settings`. Rule thresholds come from each rule's meta.options, so a new rule gets its flags free.
import { InvalidArgumentError } from 'commander';
import { DEFAULT_BGP_PORTS, DEFAULT_VXLAN_PORTS } from '../decode/types.js';
import { ALL_RULES } from '../rules/index.js';
import type { RuleOption } from '../rules/types.js';
import { parseOptionValue } from '../config/option-values.js';

export interface OptionSpec {
  flags: string;
  description: string;
  defaultValue?: unknown;
  parse?: (value: string, previous: unknown) => unknown;
}

export function parsePort(value: string, previous: unknown): number[] {
  const list = Array.isArray(previous) ? [...(previous as number[])] : [];
  for (const part of value.split(',')) {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`'${part}' is not a port number (1-65535)`);
    if (!list.includes(n)) list.push(n);
  }
  return list;
}

/**
 * `--vxlan-port` / `--bgp-port`: each PORT is added to the default ports, as the README says ("UDP 4789 and 8472,
 * more with --vxlan-port") and as tshark's `-d` does; replacing them silently stopped decoding VXLAN on 4789.
 */
export function portsAddedTo(defaults: readonly number[]): (value: string, previous: unknown) => number[] {
  return (value, previous) => parsePort(value, previous ?? defaults);
}

export function parseList(value: string, previous: unknown): string[] {
  const list = Array.isArray(previous) ? [...(previous as string[])] : [];
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) if (!list.includes(part)) list.push(part);
  return list;
}

/** A threshold's flag value, checked against what its unit allows (`--flap-moves 0` or `2.5` is refused). */
function thresholdParser(option: RuleOption): (value: string) => number {
  return (value) => {
    const n = parseOptionValue(option, value);
    if (typeof n === 'string') throw new InvalidArgumentError(n);
    return n;
  };
}

export const FORMATS = ['table', 'json', 'ndjson', 'sarif', 'junit', 'github', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** One `--output`: `FORMAT=FILE` (an extra output of that format), or a bare `FILE` (the --format report goes there). */
export interface OutputSpec {
  format: Format | null;
  file: string;
}

export function parseOutput(value: string, previous: unknown): OutputSpec[] {
  const list = Array.isArray(previous) ? [...(previous as OutputSpec[])] : [];
  const m = /^([a-z]+)=(.+)$/.exec(value);
  if (m && (FORMATS as readonly string[]).includes(m[1])) list.push({ format: m[1] as Format, file: m[2] });
  else if (m) {
    throw new InvalidArgumentError(`'${m[1]}' is not a format (choose ${FORMATS.join(', ')}; a file named so: ./${value})`);
  } else {
    if (list.some((o) => o.format === null)) throw new InvalidArgumentError('only one bare --output FILE (for the --format report); add others as FORMAT=FILE');
    list.push({ format: null, file: value });
  }
  return list;
}

export const VXLAN_PORT_HELP = `also decode UDP PORT as VXLAN (repeatable; always: ${DEFAULT_VXLAN_PORTS.join(' and ')})`;
export const BGP_PORT_HELP = `also reassemble TCP PORT as BGP (repeatable; always: ${DEFAULT_BGP_PORTS.join(' and ')})`;

export const FAIL_ON = ['error', 'warning', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const ANALYZE_OPTIONS: OptionSpec[] = [
  {
    flags: '-f, --format <format>',
    description:
      'report format: table (for people), json (CI and scripts), sarif (GitHub code scanning), junit (GitLab, Jenkins), ' +
      'github (workflow annotations, and the job summary when $GITHUB_STEP_SUMMARY is set) markdown (PR comments), ndjson (one JSON line per finding event — new, updated, resolved-at-end, folded — as the rules make them, then one line with the report) or html (one self-contained page with pictures; use with -o)',
    defaultValue: 'table',
    parse: (v) => {
      if (!(FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError(`choose one of ${FORMATS.join(', ')}`);
      return v;
    },
  },
  { flags: '--json', description: 'same as --format json' },
  {
    flags: '--follow',
    description:
      'live triage: keep reading a capture file as it grows (tcpdump -w FILE -U) or stdin until it closes, print each ' +
      'finding when it becomes certain, and the full report at the end or on Ctrl-C',
  },
  {
    flags: '-o, --output <file>',
    description: 'FILE: write the --format report to FILE instead of stdout; FORMAT=FILE (repeatable): also write that format, from the same pass (e.g. -o json=r.json -o sarif=r.sarif)',
    parse: parseOutput,
  },
  { flags: '--config <file>', description: 'read settings from FILE (default: ./gwcheck.config.json when it exists; schema/config.schema.json)' },
  { flags: '--no-config', description: 'ignore ./gwcheck.config.json' },
  { flags: '--baseline <report>', description: 'an earlier --format json report: findings are marked new or unchanged, gone ones listed as fixed; --fail-on counts only new ones' },
  {
    flags: '--fail-on <severity>',
    description: 'exit 1 when a finding is at or above this severity: error, warning, info or none',
    defaultValue: 'error',
    parse: (v) => {
      if (!(FAIL_ON as readonly string[]).includes(v)) throw new InvalidArgumentError(`choose one of ${FAIL_ON.join(', ')}`);
      return v;
    },
  },
  { flags: '--rules <ids>', description: 'run only these rules (comma-separated ids; see `gwcheck rules`)', parse: parseList },
  { flags: '--disable <ids>', description: 'leave these rules out (comma-separated ids)', parse: parseList },
  { flags: '--vxlan-port <port>', description: VXLAN_PORT_HELP, parse: portsAddedTo(DEFAULT_VXLAN_PORTS) },
  { flags: '--bgp-port <port>', description: BGP_PORT_HELP, parse: portsAddedTo(DEFAULT_BGP_PORTS) },
  { flags: '-v, --verbose', description: 'show each finding’s detail, evidence frames and remediation' },
  {
    flags: '--inventory',
    description:
      'print the whole map before the findings: per domain each gateway IP with its MACs and how each was learned (ARP reply, ' +
      'gratuitous ARP, NA, RA, FHRP hello, EVPN default-gateway route, intent), the FHRP groups with every router’s state, ' +
      'priority and timers, host counts; per EVPN instance the PEs (routes, MACs, highest MAC Mobility sequence). ' +
      'Without it the table shows one line per domain; JSON always has it',
  },
  { flags: '-q, --quiet', description: 'no progress line on stderr' },
  { flags: '--color', description: 'force colour (default: only on a terminal; NO_COLOR and FORCE_COLOR are honoured)' },
  { flags: '--no-color', description: 'never colour' },
];

/** `arpTimeout` → `--arp-timeout <s>` */
export function ruleOptionSpecs(): { option: RuleOption; spec: OptionSpec }[] {
  const seen = new Set<string>();
  const out: { option: RuleOption; spec: OptionSpec }[] = [];
  for (const rule of ALL_RULES) {
    for (const option of rule.meta.options) {
      if (seen.has(option.name)) continue;
      seen.add(option.name);
      const kebab = option.name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
      const unit = option.unit ? ` (${option.unit})` : '';
      // Labelled with the finding ids it tunes (flapMoves is mac-flapping's, though mac-mobility-regression's module declares it).
      const ids = option.findings ?? [rule.meta.id];
      out.push({
        option,
        spec: {
          flags: `--${kebab} <${option.unit === 's' ? 'seconds' : 'n'}>`,
          description: `${option.description}${unit} [${ids.join(', ')}]`,
          defaultValue: option.default,
          parse: thresholdParser(option),
        },
      });
    }
  }
  return out;
}
