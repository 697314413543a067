// `gwcheck init FILE…`: a starting gwcheck.config.json from what the captures show — the FHRP groups' virtual IPs as
// gateways with the MACs seen for them (the virtual MAC, and every MAC that answered for the virtual IP), and the
// groups seen with several Active routers at once as all-Active candidates whose reason says to confirm them. It reads
// the report's inventory (src/rules/inventory.ts), the map `analyze` prints: one collection, not a second one here.
// It is a draft to review, not a verdict: everything it lists is what the capture showed, right or wrong.
import { existsSync, writeFileSync } from 'node:fs';
import { analyze, UsageError } from '../analyze.js';
import type { GwcheckConfig, FhrpAllActiveIntent, GatewayIntent } from '../config/types.js';
import type { DomainSummary } from '../report/types.js';
import { EXIT_INPUT, EXIT_OK, EXIT_USAGE, stdinNamedTwice, type Io } from './io.js';

export interface InitCliOptions {
  output?: string;
  vxlanPort?: number[];
  bgpPort?: number[];
}

function scope(d: DomainSummary | undefined): { vlan?: number; vni?: number } {
  if (!d) return {};
  if (d.vni !== null) return { vni: d.vni };
  return d.vlans.length ? { vlan: d.vlans[0] } : {};
}

export async function runInit(files: string[], opts: InitCliOptions, io: Io): Promise<number> {
  if (stdinNamedTwice(files, io)) return EXIT_USAGE;
  if (opts.output && existsSync(opts.output)) {
    io.stderr.write(`gwcheck: ${opts.output} exists; init does not overwrite a config (remove it, or write elsewhere)\n`);
    return EXIT_USAGE;
  }
  let report;
  try {
    // No rules: the engine's inventory is collected whatever rules run.
    report = await analyze(files, { rules: [], vxlanPorts: opts.vxlanPort, bgpPorts: opts.bgpPort });
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`gwcheck: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const gateways: GatewayIntent[] = [];
  const allActive: FhrpAllActiveIntent[] = [];
  const names = files.join(', ');
  const domains = new Map(report.domains.map((d) => [d.label, d]));
  for (const d of report.inventory?.domains ?? []) {
    const where = scope(domains.get(d.domain));
    const groups = [...d.fhrpGroups].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.group - b.group);
    for (const g of groups) {
      for (const vip of g.virtualIps) {
        const seen = d.gateways.find((gw) => gw.ip === vip);
        const macs = new Set<string>(g.virtualMac ? [g.virtualMac] : []);
        for (const m of seen?.macs ?? []) macs.add(m.mac);
        gateways.push({ ip: vip, macs: [...macs].sort(), ...where });
      }
      if (g.activeAtOnce > 1) {
        allActive.push({
          protocol: g.protocol as FhrpAllActiveIntent['protocol'],
          group: g.group,
          ...where,
          reason: `REVIEW: ${g.activeAtOnce} routers were Active at once in ${names}; keep this entry only if every router is meant to be Active`,
        });
      }
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
