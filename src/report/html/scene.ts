// What the HTML report draws for a finding, beyond what the JSON report holds: who sent what to whom, per frame.
// Built after the analysis by re-reading the inputs (./collect.ts), never on the analysis hot path; a finding
// without a scene (stdin input, unknown kind) is drawn from its evidence roles alone.

/** The picture made for a finding's kind. */
export type PictureKind = 'neighbour' | 'mobility' | 'fhrp' | 'evidence';

/**
 * Which picture a finding id gets. Ids are matched by family so new rules of a family (IPv6 ND findings reuse the
 * neighbour ids; an arp-spoofing rule would match 'arp') get their picture without a table edit.
 */
export function pictureKind(rule: string): PictureKind {
  if (/^(mac-mobility-|mac-flapping|sticky-mac)/.test(rule)) return 'mobility';
  if (/^(hsrp-|vrrp-|fhrp-)/.test(rule)) return 'fhrp';
  if (/(arp|nd-|neighbo|gateway-mac|ip-conflict|spoof)/.test(rule)) return 'neighbour';
  return 'evidence';
}

/** One address-resolution message, ARP or IPv6 NS/NA: the ladder is family-agnostic. */
export interface NeighbourMessage {
  input: number;
  frame: number;
  /** Seconds (epoch, float). */
  time: number;
  family: 'arp' | 'nd';
  /** A solicitation (ARP request, NS) or an answer (ARP reply, NA); gratuitous/announcements are 'announce'. */
  op: 'request' | 'reply' | 'announce' | 'other';
  ethSrc: string;
  ethDst: string;
  senderMac: string;
  senderIp: string;
  /** The address asked about (request) or the requester answered (ARP reply target; for NA the destination). */
  targetIp: string;
  targetMac: string;
}

/** One EVPN type-2 route event for the finding's MAC. */
export interface MobilityEvent {
  input: number;
  frame: number;
  time: number;
  action: 'advertise' | 'withdraw';
  /** The PE the route belongs to: next hop, else the PE learnt for its RD, else the BGP speaker. */
  pe: string;
  rd: string;
  /** MAC Mobility sequence (0 without the community); null for withdrawals. */
  sequence: number | null;
  sticky: boolean;
}

/** One HSRP hello / VRRP advertisement of the finding's group. */
export interface FhrpHello {
  input: number;
  frame: number;
  time: number;
  router: string;
  state: string;
  priority: number;
  holdMs: number;
}

export type Scene =
  | { kind: 'neighbour'; items: NeighbourMessage[]; total: number }
  | { kind: 'mobility'; items: MobilityEvent[]; total: number }
  | { kind: 'fhrp'; items: FhrpHello[]; total: number };

/** Everything the page knows beyond the report. */
export interface HtmlExtras {
  /** Scenes by finding id. */
  scenes: Map<string, Scene>;
  /** One line each: how the scenes were made, and what could not be (stdin inputs, unreadable files). */
  notes: string[];
  /** False when no input could be re-read: every picture is drawn from the evidence roles alone. */
  replayed: boolean;
}

/** Facts kept per finding while re-reading (memory bound); the pictures draw fewer (see each picture's cap). */
export const MAX_SCENE_ITEMS = 2000;
