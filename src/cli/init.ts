// `gwcheck init FILE…`: a starting gwcheck.config.json from what the captures show — the FHRP groups (virtual IP
// and MAC) as gateways with the MACs seen answering for them, and the groups seen with several Active routers as
// all-Active candidates whose reason says to confirm them. It is a draft to review, not a verdict: everything it
// lists is what the capture showed, right or wrong.
import { existsSync, writeFileSync } from 'node:fs';
import { analyze, UsageError } from '../analyze.js';
import type { FhrpProtocol } from '../facts/types.js';
import type { Domain } from '../facts/types.js';
import type { GwcheckConfig, FhrpAllActiveIntent, GatewayIntent } from '../config/types.js';
import type { Rule } from '../rules/types.js';
import { formatIpv4, formatMac } from '../util/net.js';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE, stdinNamedTwice, type Io } from './io.js';

export interface InitCliOptions {
  output?: string;
  vxlanPort?: number[];
  bgpPort?: number[];
}

interface GroupSeen {
  protocol: FhrpProtocol;
  group: number;
  domain: Domain;
  vips: Set<string>;
  vips4: Set<number>;
  virtualMac: number;
  domainId: number;
  /** Active/Master routers by source IP, with the time of their last Active hello. */
  active: Map<string, number>;
  holdS: number;
  maxActive: number;
}

/** A watcher over FHRP and ARP facts; it reports nothing. */
function observer(groups: Map<string, GroupSeen>, answers: Map<string, Set<number>>): Rule {
  return {
    meta: { id: 'init-observer', severity: 'info', title: 'collects gateways for gwcheck init', rationale: '', remediation: '', options: [], messages: {} },
    create(context) {
      return {
        fhrp(f) {
          const key = `${f.domainId}|${f.protocol}|${f.group}`;
          let g = groups.get(key);
          if (!g) {
            g = {
              protocol: f.protocol,
              group: f.group,
              domain: context.domains.get(f.domainId),
              vips: new Set(),
              vips4: new Set(),
              virtualMac: f.virtualMac,
              domainId: f.domainId,
              active: new Map(),
              holdS: 0,
              maxActive: 0,
            };
            groups.set(key, g);
          }
          for (const ip of f.virtualIps) if (ip !== '0.0.0.0' && ip !== '::') g.vips.add(ip);
          for (const ip of f.virtualIps4) if (ip !== 0) g.vips4.add(ip);
          g.holdS = Math.max(g.holdS, (f.holdMs || 3600) / 1000);
          if (f.state === 'active' || f.state === 'master') {
            g.active.set(f.srcIp, f.ref.time);
            let live = 0;
            for (const t of g.active.values()) if (f.ref.time - t <= g.holdS) live++;
            g.maxActive = Math.max(g.maxActive, live);
          }
        },
        neighbour(f) {
          // IPv4 answers only: the config's gateways are matched against FHRP virtual IPs by IPv4 text.
          if (f.family !== 4 || f.opcode !== 2 || f.senderIp === 0) return;
          const key = `${f.domainId}|${f.senderIp}`;
          let macs = answers.get(key);
          if (!macs) {
            if (answers.size >= 100_000) return;
            answers.set(key, (macs = new Set()));
          }
          if (macs.size < 16) macs.add(f.senderMac);
        },
      };
    },
  };
}

function scope(d: Domain): { vlan?: number; vni?: number } {
  if (d.vni !== null) return { vni: d.vni };
  return d.vlans.length ? { vlan: d.vlans[0] } : {};
}

export async function runInit(files: string[], opts: InitCliOptions, io: Io): Promise<number> {
  if (stdinNamedTwice(files, io)) return EXIT_USAGE;
  if (opts.output && existsSync(opts.output)) {
    io.stderr.write(`gwcheck: ${opts.output} exists; init does not overwrite a config (remove it, or write elsewhere)\n`);
    return EXIT_USAGE;
  }
  const groups = new Map<string, GroupSeen>();
  const answers = new Map<string, Set<number>>();
  let report;
  try {
    report = await analyze(files, { rules: [], observers: [observer(groups, answers)], vxlanPorts: opts.vxlanPort, bgpPorts: opts.bgpPort });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`gwcheck: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const gateways: GatewayIntent[] = [];
  const allActive: FhrpAllActiveIntent[] = [];
  const sorted = [...groups.values()].sort((a, b) => a.domainId - b.domainId || a.protocol.localeCompare(b.protocol) || a.group - b.group);
  const names = files.join(', ');
  for (const g of sorted) {
    for (const vip of [...g.vips].sort()) {
      const macs = new Set<number>([g.virtualMac]);
      for (const ip4 of g.vips4) if (formatIpv4(ip4) === vip) for (const m of answers.get(`${g.domainId}|${ip4}`) ?? []) macs.add(m);
      gateways.push({ ip: vip, macs: [...macs].map(formatMac).sort(), ...scope(g.domain) });
    }
    if (g.maxActive > 1) {
      allActive.push({
        protocol: g.protocol,
        group: g.group,
        ...scope(g.domain),
        reason: `REVIEW: ${g.maxActive} routers were Active at once in ${names}; keep this entry only if every router is meant to be Active`,
      });
    }
  }
  const config: GwcheckConfig = {
    $schema: 'https://github.com/gwcheck/gwcheck/schema/config.schema.json',
    failOn: 'error',
    rules: {},
    suppress: [],
    intent: { fhrpAllActive: allActive, gateways, anycastMacs: [] },
  };
  const text = JSON.stringify(config, null, 2) + '\n';
  if (opts.output) {
    try {
      writeFileSync(opts.output, text, { flag: 'wx' });
    } catch (err) {
      io.stderr.write(`gwcheck: ${opts.output}: cannot write the config (${(err as NodeJS.ErrnoException).code ?? err})\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`gwcheck: wrote ${opts.output}: ${gateways.length} gateway(s), ${allActive.length} all-Active candidate(s) — review it before use\n`);
  } else {
    io.stdout.write(text);
  }
  for (const input of report.inputs) if (input.error) io.stderr.write(`gwcheck: ${input.path}: ${input.error.message}\n`);
  return report.inputs.some((i) => i.error) ? EXIT_INPUT : EXIT_OK;
}
