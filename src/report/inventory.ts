// The inventory as text: one compact line per domain and EVPN instance for the table's header (and Markdown), and the
// full map for `gwcheck analyze --inventory`. The JSON's `inventory` is the source; nothing here counts anew.
import type { InventoryDomain, InventoryEvpnInstance, InventoryGateway, InventoryReport } from '../rules/inventory.js';

/** Compact lines shown in the table's header; more are counted (all of them with --inventory or in JSON). */
export const COMPACT_LINES = 8;
/** Gateways and PEs named on a compact line; more are counted. */
const NAMED_PER_LINE = 2;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function gatewayText(g: InventoryGateway): string {
  const macs = g.macs.map((m) => (m.declared === false ? `${m.mac} (not declared)` : m.mac));
  const more = g.macsMore ? ` +${g.macsMore}` : '';
  return `${g.ip} → ${macs.join(', ') || (g.declaredMacs ? `declared ${g.declaredMacs.join(', ')}, not seen` : 'no MAC seen')}${more}`;
}

/** "vlan 100: gateway 10.100.0.1 → 00:00:0c:07:ac:0a; hsrp 10 (active 10.100.0.2, standby 10.100.0.3); 5 MACs, 5 IPs" */
export function compactDomain(d: InventoryDomain): string {
  const parts: string[] = [];
  const gateways = d.gateways.length + d.gatewaysMore;
  if (gateways) {
    const named = d.gateways.slice(0, NAMED_PER_LINE).map(gatewayText).join('; ');
    const more = gateways - Math.min(NAMED_PER_LINE, d.gateways.length);
    parts.push(`${gateways === 1 ? 'gateway' : `${gateways} gateways`} ${named}${more ? `; +${more} more` : ''}`);
  }
  for (const g of d.fhrpGroups.slice(0, NAMED_PER_LINE)) {
    const routers = g.routers.map((r) => `${r.state} ${r.ip}`).join(', ');
    parts.push(`${g.protocol} ${g.group} (${routers}${g.routersMore ? `, +${g.routersMore}` : ''})`);
  }
  const groupsMore = d.fhrpGroups.length + d.fhrpGroupsMore - Math.min(NAMED_PER_LINE, d.fhrpGroups.length);
  if (groupsMore > 0) parts.push(`+${groupsMore} FHRP groups`);
  // Saying so beats an empty line: an IPv4 address many hosts ARP for is not called a gateway on that alone.
  if (!gateways && !d.fhrpGroups.length) parts.push('no gateway evidence (FHRP hello, RA, router NA, EVPN route, intent)');
  const approx = d.hosts.approximate ? '~' : '';
  parts.push(`${approx}${plural(d.hosts.macs, 'MAC')}, ${approx}${plural(d.hosts.ips, 'IP')} in ARP/ND`);
  return `${d.domain}: ${parts.join('; ')}`;
}

/** "evi vni 10100: 2 PEs 10.0.0.1 (2 advertised, 1 withdrawn, 1 MAC, highest seq 2), 10.0.0.2 (…)" */
export function compactEvpn(e: InventoryEvpnInstance): string {
  const total = e.pes.length + e.pesMore;
  const named = e.pes
    .slice(0, NAMED_PER_LINE)
    .map(
      (p) =>
        `${p.pe} (${p.advertisements} advertised, ${p.withdrawals} withdrawn, ${plural(p.macs, 'MAC')}` +
        `${p.highestSequence !== null ? `, highest seq ${p.highestSequence}` : ''})`,
    );
  const more = total - named.length;
  const gateways = e.gateways.length + e.gatewaysMore;
  return `${e.instance}: ${plural(total, 'PE')} ${named.join(', ')}${more ? `, +${more} more` : ''}${gateways ? `; ${plural(gateways, 'gateway route')}` : ''}`;
}

/** The compact lines (domains, then EVPN instances), at most COMPACT_LINES, and how many were left out. */
export function compactLines(inv: InventoryReport): { lines: string[]; more: number } {
  const all = [...inv.domains.map(compactDomain), ...inv.evpn.map(compactEvpn)];
  const more = all.length - Math.min(all.length, COMPACT_LINES) + inv.domainsMore + inv.evpnMore;
  return { lines: all.slice(0, COMPACT_LINES), more };
}

/** "frame 12", or "b.pcapng frame 12" when several inputs make a frame number ambiguous. */
function frameText(input: number, frame: number, paths: readonly string[]): string {
  return paths.length > 1 ? `${paths[input] ?? `input ${input}`} frame ${frame}` : `frame ${frame}`;
}

function seconds(ms: number): string {
  return ms ? `${ms / 1000} s` : '-';
}

/** The whole map, for --inventory: every listed gateway with its MACs, every group with its routers, every PE. */
export function fullInventory(inv: InventoryReport, paths: readonly string[]): string[] {
  const out: string[] = [];
  if (inv.domains.length === 0 && inv.evpn.length === 0) return ['(nothing: no ARP, ND, FHRP or EVPN was read)'];
  for (const d of inv.domains) {
    const approx = d.hosts.approximate ? ' (approximate: a table cap evicted some)' : '';
    out.push(`${d.domain} — ${plural(d.hosts.macs, 'host MAC')}, ${plural(d.hosts.ips, 'IP')} seen in ARP/ND${approx}`);
    for (const g of d.gateways) {
      out.push(`  gateway ${g.ip}  (${g.basis.join(', ')}${g.fhrp ? `; ${g.fhrp}` : ''})`);
      for (const m of g.macs) {
        const mark = m.declared === true ? '  declared' : m.declared === false ? '  NOT DECLARED' : '';
        out.push(`    ${m.mac}  ${m.learned.join(', ')}  (first ${frameText(m.input, m.frame, paths)})${mark}`);
      }
      if (g.macsMore) out.push(`    … ${g.macsMore} more MAC(s)`);
      const silent = (g.declaredMacs ?? []).filter((m) => !g.macs.some((seen) => seen.mac === m));
      if (silent.length) out.push(`    declared, not seen: ${silent.join(', ')}`);
    }
    if (d.gatewaysMore) out.push(`  … ${d.gatewaysMore} more gateway(s) (JSON lists ${d.gateways.length})`);
    for (const g of d.fhrpGroups) {
      const vmac = g.forwarderMacs ? `forwarders ${g.forwarderMacs.join(', ')}` : (g.virtualMac ?? 'no virtual MAC');
      out.push(`  ${g.protocol} v${g.version} group ${g.group}  virtual ${g.virtualIps.join(', ') || '-'} ${vmac}  (most Active at once: ${g.activeAtOnce})`);
      for (const r of g.routers) {
        out.push(
          `    ${r.ip}  ${r.helloMacs.length > 1 ? r.helloMacs.join(' then ') : r.mac}  ${r.state}  priority ${r.priority}  hello ${seconds(r.helloMs)}  hold ${seconds(r.holdMs)}` +
            `  (${plural(r.hellos, 'hello')}, ${r.hellos > 1 ? `${frameText(r.input, r.firstFrame, paths).replace('frame', 'frames')}–${r.lastFrame}` : frameText(r.input, r.firstFrame, paths)})`,
        );
      }
      if (g.routersMore) out.push(`    … ${g.routersMore} more router(s)`);
    }
    if (d.fhrpGroupsMore) out.push(`  … ${d.fhrpGroupsMore} more FHRP group(s)`);
  }
  if (inv.domainsMore) out.push(`… ${inv.domainsMore} more domain(s)`);
  for (const e of inv.evpn) {
    out.push(`${e.instance} — route targets ${e.routeTargets.join(', ') || '-'}`);
    for (const p of e.pes) {
      out.push(
        `  PE ${p.pe}  ${plural(p.advertisements, 'advertisement')}, ${plural(p.withdrawals, 'withdrawal')}, ${plural(p.macs, 'MAC')}` +
          (p.highestSequence !== null ? `, highest MAC Mobility sequence ${p.highestSequence}` : ', no MAC Mobility community'),
      );
    }
    if (e.pesMore) out.push(`  … ${e.pesMore} more PE(s)`);
    for (const g of e.gateways) out.push(`  gateway route ${g.ip ?? '(MAC only)'} ${g.mac} from ${g.pe}  ${g.learned.join(', ')}  (first ${frameText(g.input, g.frame, paths)})`);
    if (e.gatewaysMore) out.push(`  … ${e.gatewaysMore} more gateway route(s)`);
  }
  if (inv.evpnMore) out.push(`… ${inv.evpnMore} more EVPN instance(s)`);
  if (inv.evpnApproximate) out.push('(PE MAC counts approximate: the MAC table cap, --max-macs, evicted some)');
  return out;
}
