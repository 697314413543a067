// gateway-mac-drift: a gateway the config declares (intent.gateways: an IP and the MACs it may resolve to) claimed by
// a MAC the declaration does not list — in an ARP reply, a gratuitous ARP, an ARP request sent from the gateway's IP,
// an IPv6 NA or an NS from it. One frame is enough: the intent says what is right, the frame shows what hosts were
// told. Without a declaration a single claimant is no conflict (duplicate-gateway-mac needs two); with one, it is an
// error from the first packet — drift (a replaced router, `standby use-bia`, a changed group number) or spoofing.
//
// Every message that carries a sender binding counts, not only replies: hosts update an existing cache entry from
// the sender fields of any ARP packet (RFC 826, the merge flag) and from an NS's source link-layer option (RFC 4861
// §7.2.3). Probes carry no sender address (0.0.0.0, ::) and claim nothing.
//
// An EVPN MAC/IP advertisement (RFC 7432 §7.2) of a declared IP with an undeclared MAC is the same error on the
// control plane: every leaf that imports it answers ARP for the gateway with that MAC (ARP suppression) — a leaf
// missing its anycast-gateway MAC configuration advertises its system MAC. Declarations with `vni` (or no scope)
// hold there; one scoped by `vlan` only cannot be placed on a route.
//
// It restates what duplicate-gateway-mac (and its fhrp-vip-wrong-mac message), ip-conflict and arp-spoofing would say
// about the same IP in the same domain, so the finding explains those (one cause, one finding: the engine folds them into it).
import { addressIdentifier } from '../facts/addresses.js';
import type { NeighbourFact } from '../facts/types.js';
import { ARP_SPOOFING, DUPLICATE_GATEWAY_MAC, IP_CONFLICT } from './duplicate-gateway-mac.js';
import type { Rule } from './types.js';
import { vxlanVni } from './evpn.js';
import { all, domainFilter, familyName, mac } from './wireshark.js';

export const GATEWAY_MAC_DRIFT = 'gateway-mac-drift';

/** What a message is, for the words and the evidence role ('reply' and 'NA' as duplicate-gateway-mac cites the
 *  same frames: a frame folded in from there is one item, not two). */
function messageName(f: NeighbourFact): string {
  if (f.family === 6) return f.opcode === 135 ? 'NS' : 'NA';
  switch (f.arpClass) {
    case 'reply':
      return 'reply';
    case 'gratuitous-reply':
    case 'announcement':
    case 'gratuitous-request':
      return 'gratuitous ARP';
    default:
      return 'ARP request';
  }
}

/**
 * The frames that bind `ip` to a MAC — the sender fields of ARP, an NA's target, an NS's source — whichever MAC: the
 * foreign claims beside the declared gateway's own, as the evidence has them once the duplicate-gateway-mac or
 * arp-spoofing finding of the same IP is folded in. (`&& arp.src.hw_mac == MAC` narrows it to the foreign MAC.)
 */
function claimFilter(family: 4 | 6, ip: string): string {
  if (family === 4) return `arp.src.proto_ipv4 == ${ip}`;
  return `((icmpv6.type == 136 && icmpv6.nd.na.target_address == ${ip}) || (icmpv6.type == 135 && ipv6.src == ${ip}))`;
}

export const gatewayMacDrift: Rule = {
  meta: {
    id: GATEWAY_MAC_DRIFT,
    severity: 'error',
    title: 'A declared gateway IP claimed by a MAC its declaration does not list',
    rationale:
      'A host sends everything off its subnet to the MAC it resolved its default gateway to. The config says which ' +
      'MACs the gateway may have (intent.gateways); a frame that binds the gateway IP to another MAC — a reply, a ' +
      'gratuitous ARP, an NA — moves the hosts that accept it to that MAC: traffic is blackholed or goes through a ' +
      'man in the middle. One such frame is evidence enough; no second claimant is needed.',
    remediation:
      'Find the port the MAC is learned on (show mac address-table address MAC). If it is a legitimate gateway ' +
      "(a replaced router, a new FHRP group, 'standby use-bia'), add the MAC to intent.gateways in gwcheck.config.json. " +
      'If it is not, shut that port and protect the gateway: Dynamic ARP Inspection with DHCP snooping for IPv4, ' +
      'RA Guard and ND inspection (SAVI) for IPv6; hosts that learned the wrong MAC recover at their next resolution ' +
      '(or clear their ARP/neighbour cache).',
    options: [],
    messages: {
      drift: '{ip} claimed by {mac}, which intent.gateways[{index}] does not list (allowed: {allowed})',
      'evpn-drift': '{ip} advertised with {mac} by {pe}, a MAC intent.gateways[{index}] does not list (allowed: {allowed})',
      'evpn-drift-detail':
        '{count} EVPN MAC/IP advertisement(s) from {pe} bind gateway {ip} to {mac}; the config declares {ip} with ' +
        '{allowed} only. Every leaf that imports the route answers ARP/ND for the gateway with {mac}: a leaf without ' +
        'its anycast-gateway MAC (it advertises its own), a stale route, or a host using the gateway address.',
      'drift-detail':
        '{count} frame(s) from {mac} (the latest a {message}) bound gateway {ip} to it; the config declares {ip} with ' +
        '{allowed} only. Hosts that accept ' +
        'it send their off-subnet traffic to {mac}: drift (the gateway changed MAC) or spoofing (someone else answers ' +
        'for it).',
    },
  },
  create(context) {
    const declared = context.shared.gateways.declared;
    if (!declared || declared.size === 0) return {};
    /** Claims counted per finding (for the words; the engine's count is the one reported). */
    const counts = new Map<string, number>();
    return {
      neighbour(f) {
        if (f.senderIp === 0 || f.senderMac === 0 || f.arpClass === 'probe' || f.arpClass === 'other') return;
        const d = declared.find(f.domainId, f.senderIp);
        if (!d || d.macs.has(f.senderMac)) return;
        const ip = d.ip;
        const m = mac(f.senderMac);
        const identifier = `${f.domainId}:${addressIdentifier(f.senderIp, context.addresses)}:${f.senderMac}`;
        if (context.wants && !context.wants(GATEWAY_MAC_DRIFT, identifier)) return;
        const count = (counts.get(identifier) ?? 0) + 1;
        if (counts.size < 10_000 || counts.has(identifier)) counts.set(identifier, count);
        const message = messageName(f);
        context.report({
          messageId: 'drift',
          detailMessageId: 'drift-detail',
          data: { ip, mac: m, index: d.index, allowed: d.macTexts.join(', ') || '(none)', count, message },
          identifier,
          confidence: 'confirmed',
          domainId: f.domainId,
          subject: { ip, mac: m, family: familyName(f.family), declaredMacs: d.macTexts },
          evidence: [{ ref: f.ref, role: `${message}: ${ip} is-at ${m}` }],
          wiresharkFilter: all(claimFilter(f.family, ip), domainFilter(context.domains.get(f.domainId))),
          explains: [
            { rule: DUPLICATE_GATEWAY_MAC, identifier: `${f.domainId}:${addressIdentifier(f.senderIp, context.addresses)}` },
            { rule: IP_CONFLICT, identifier: `${f.domainId}:${addressIdentifier(f.senderIp, context.addresses)}` },
            { rule: DUPLICATE_GATEWAY_MAC, identifier: `${f.domainId}:${f.senderIp}:vmac:${f.senderMac}` },
            { rule: ARP_SPOOFING, identifier: `${f.domainId}:${addressIdentifier(f.senderIp, context.addresses)}` },
          ],
        });
      },
      evpn(f) {
        if (f.action !== 'advertise' || f.routeType !== 2 || f.ip === null || f.mac === null) return;
        const vni = vxlanVni(f);
        const d = declared.findEvpn(f.ip, vni);
        if (!d || d.macs.has(f.mac)) return;
        const m = mac(f.mac);
        // The advertising PE as every EVPN rule names it (evpn-identity.ts).
        const pe = context.shared.evpnIdentity.pe;
        const identifier = `evpn:${vni ?? f.routeTargets.join(',')}/${f.ethernetTag}:${d.ip}:${f.mac}:${pe}`;
        if (context.wants && !context.wants(GATEWAY_MAC_DRIFT, identifier)) return;
        const count = (counts.get(identifier) ?? 0) + 1;
        if (counts.size < 10_000 || counts.has(identifier)) counts.set(identifier, count);
        const frames = f.frames.length ? f.frames : [f.ref.frame];
        context.report({
          messageId: 'evpn-drift',
          detailMessageId: 'evpn-drift-detail',
          data: { ip: d.ip, mac: m, pe, index: d.index, allowed: d.macTexts.join(', ') || '(none)', count },
          identifier,
          confidence: 'confirmed',
          domainId: null,
          evpnDomain: { vni, ethernetTag: f.ethernetTag, routeTargets: f.routeTargets },
          subject: { ip: d.ip, mac: m, family: d.family === 6 ? 'ipv6' : 'ipv4', declaredMacs: d.macTexts, pe },
          evidence: [{ ref: f.ref, role: `MAC/IP advertisement from ${pe}: ${d.ip} at ${m}${frames.length > 1 ? ` (frames ${frames[0]}–${frames[frames.length - 1]})` : ''}` }],
          wiresharkFilter: all(`${d.family === 6 ? 'bgp.evpn.nlri.ipv6.addr' : 'bgp.evpn.nlri.ip.addr'} == ${d.ip}`, `bgp.evpn.nlri.mac_addr == ${m}`),
        });
      },
      sizes: () => ({ counts: counts.size }),
    };
  },
};
