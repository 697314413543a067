// The scenes of the HTML report: after the analysis, the inputs are read once more and the facts the findings'
// pictures need are kept — every ARP of the finding's MACs and IPs in its domain, every EVPN route of its MAC,
// every hello of its FHRP group, and every cited frame — bounded per finding (MAX_SCENE_ITEMS). The analysis
// itself is untouched: this pass runs only for `--format html`, with the decoders and fact extraction the
// analysis used (the report room may import from the rooms to its left). stdin cannot be read twice: its
// findings are drawn from their evidence roles and the page says so.
import { CaptureInput } from '../../capture/input.js';
import { CaptureError } from '../../capture/types.js';
import { FrameDecoder } from '../../decode/frame.js';
import { DEFAULT_BGP_PORTS } from '../../decode/types.js';
import { DomainTable } from '../../facts/domains.js';
import { FactExtractor, type FactSink } from '../../facts/extract.js';
import type { AddressFormatter } from '../../facts/addresses.js';
import type { EvpnRouteFact, FhrpFact, NeighbourFact } from '../../facts/types.js';
import { EvpnIdentity } from '../../rules/evpn-identity.js';
import { MAX_EVPN_ROUTES } from '../../rules/options.js';
import type { Finding } from '../../rules/types.js';
import { formatMac, parseMac } from '../../util/net.js';
import type { Report } from '../types.js';
import {
  MAX_SCENE_ITEMS,
  pictureKind,
  type FhrpHello,
  type HtmlExtras,
  type MobilityEvent,
  type NeighbourMessage,
  type Scene,
} from './scene.js';

interface Wanted {
  finding: Finding;
  scene: Scene;
  /** "input:frame" of the cited frames: always kept. */
  cited: Set<string>;
}

/** Re-reads the report's inputs (files only) and builds the scenes of its findings. Never throws on bad input. */
export async function collectScenes(report: Report): Promise<HtmlExtras> {
  const extras: HtmlExtras = { scenes: new Map(), notes: [], replayed: false };
  const wanted: Wanted[] = [];
  for (const finding of report.findings) {
    const kind = pictureKind(finding.rule);
    if (kind === 'evidence') continue;
    const scene = { kind, items: [], total: 0 } as Scene;
    wanted.push({ finding, scene, cited: new Set(finding.evidence.items.map((i) => `${i.input}:${i.frame}`)) });
    extras.scenes.set(finding.id, scene);
  }
  if (wanted.length === 0) {
    extras.replayed = true;
    return extras;
  }
  const index = new SceneIndex(wanted);
  const vxlanPorts = numbers(report.settings.vxlanPorts);
  const bgpPorts = numbers(report.settings.bgpPorts) ?? DEFAULT_BGP_PORTS;
  const maxEvpnRoutes = typeof report.settings.maxEvpnRoutes === 'number' ? report.settings.maxEvpnRoutes : MAX_EVPN_ROUTES.default;
  let replayed = 0;
  for (let input = 0; input < report.inputs.length; input++) {
    const path = report.inputs[input].path;
    if (path === '-') {
      extras.notes.push('stdin cannot be read a second time: the pictures of its frames show the evidence roles only');
      continue;
    }
    let capture: CaptureInput;
    try {
      capture = await CaptureInput.open(path);
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      extras.notes.push(`${path}: not re-read for the pictures (${err.message})`);
      continue;
    }
    const domains = new DomainTable();
    let extractor: FactExtractor | undefined;
    const sink = index.sink(input, domains, () => (extractor as FactExtractor).addresses, new EvpnIdentity(maxEvpnRoutes));
    extractor = new FactExtractor(sink, domains, { bgpPorts });
    const decoder = new FrameDecoder({ vxlanPorts, bgpPorts });
    try {
      for (;;) {
        const record = capture.next();
        if (record) {
          const result = decoder.decode(record.bytes, record.linkType);
          if (!result.unsupportedLinkType) extractor.frame(result, record, input);
          continue;
        }
        if (!(await capture.fill())) break;
      }
      extractor.finish();
    } finally {
      capture.close();
    }
    replayed++;
  }
  for (const w of wanted) w.scene.items.sort((a, b) => a.time - b.time || a.input - b.input || a.frame - b.frame);
  for (const w of wanted) {
    if (w.scene.total > w.scene.items.length) {
      extras.notes.push(`${w.finding.id}: kept ${w.scene.items.length} of ${w.scene.total} related frames for the picture`);
    }
  }
  extras.replayed = replayed > 0;
  return extras;
}

/** Finds, per fact, the findings that want it, by number keys (a report may hold thousands of findings). */
class SceneIndex {
  private readonly byMac = new Map<number, Wanted[]>();
  /** By address text (IPv4 or IPv6, as findings print them). */
  private readonly byIp = new Map<string, Wanted[]>();
  private readonly byGroup = new Map<string, Wanted[]>();
  private readonly byMobilityMac = new Map<number, Wanted[]>();
  private readonly byCited = new Map<string, Wanted[]>();

  constructor(wanted: Wanted[]) {
    for (const w of wanted) {
      for (const key of w.cited) push(this.byCited, key, w);
      const s = w.finding.subject;
      if (w.scene.kind === 'neighbour') {
        // A finding about one address (unanswered, duplicate gateway, conflict): the resolutions of that address —
        // requests for it, answers from it. A finding about a MAC (the shared-MAC blackhole): everything that MAC
        // sends or is sent. (A host MAC of a duplicate-gateway finding also resolves other addresses: not this story.)
        const one = typeof s.ip === 'string';
        if (!one) for (const m of strings(s.mac, s.macs)) if (!Number.isNaN(parseMac(m))) push(this.byMac, parseMac(m), w);
        for (const ip of strings(s.ip, s.ips)) push(this.byIp, ip, w);
      } else if (w.scene.kind === 'mobility') {
        for (const m of strings(s.mac)) if (!Number.isNaN(parseMac(m))) push(this.byMobilityMac, parseMac(m), w);
      } else if (w.scene.kind === 'fhrp') {
        push(this.byGroup, `${s.protocol}:${s.group}`, w);
      }
    }
  }

  /** `identity` names each route's PE as the rules did (a withdrawal carries no next hop: its RD's last one). */
  sink(input: number, domains: DomainTable, addresses: () => AddressFormatter, identity: EvpnIdentity): FactSink {
    return {
      routerAdvert: () => {},
      neighbour: (f: NeighbourFact) => {
        const book = addresses();
        const found = new Set<Wanted>();
        for (const key of [f.senderMac, f.targetMac, f.ethSrc, f.ethDst]) for (const w of this.byMac.get(key) ?? []) found.add(w);
        // The address asked about: a request's target, an answer's (or announcement's) sender.
        const asked = f.arpClass === 'request' || f.arpClass === 'probe' ? f.targetIp : f.senderIp;
        for (const w of this.byIp.get(book.format(asked, f.family)) ?? []) found.add(w);
        const cited = this.byCited.get(`${input}:${f.ref.frame}`) ?? [];
        for (const w of cited) found.add(w);
        if (found.size === 0) return;
        const label = domains.label(f.domainId);
        const message = neighbourMessage(f, book);
        for (const w of found) {
          if (w.scene.kind !== 'neighbour' || (w.finding.domainLabel !== label && !cited.includes(w))) continue;
          keep(w, message, cited.includes(w));
        }
      },
      fhrp: (f: FhrpFact) => {
        const cited = this.byCited.get(`${input}:${f.ref.frame}`) ?? [];
        const group = this.byGroup.get(`${f.protocol}:${f.group}`) ?? [];
        if (group.length === 0 && cited.length === 0) return;
        const label = domains.label(f.domainId);
        const hello: FhrpHello = {
          input,
          frame: f.ref.frame,
          time: f.ref.time,
          router: f.srcIp,
          state: f.state,
          priority: f.priority,
          holdMs: f.holdMs,
        };
        for (const w of new Set([...group, ...cited])) {
          if (w.scene.kind !== 'fhrp') continue;
          if (!cited.includes(w) && w.finding.domainLabel !== label) continue;
          keep(w, hello, cited.includes(w));
        }
      },
      evpn: (f: EvpnRouteFact) => {
        identity.observe(f);
        if (f.routeType !== 2 || f.mac === null) return;
        const found = this.byMobilityMac.get(f.mac);
        if (!found) return;
        const event: MobilityEvent = {
          input,
          frame: f.ref.frame,
          time: f.ref.time,
          action: f.action,
          pe: identity.pe,
          rd: f.rd,
          sequence: f.action === 'withdraw' ? null : (f.macMobility?.sequence ?? 0),
          sticky: f.macMobility?.sticky ?? false,
        };
        for (const w of found) keep(w, event, w.cited.has(`${input}:${f.ref.frame}`));
      },
      anomaly: () => undefined,
    };
  }
}

/** ARP as a neighbour message (IPv6 ND gets a sibling of this once its facts exist: same fields, family 'nd'). */
export function neighbourMessage(f: NeighbourFact, addresses: AddressFormatter): NeighbourMessage {
  const op =
    f.arpClass === 'request' || f.arpClass === 'probe'
      ? 'request'
      : f.arpClass === 'reply'
        ? 'reply'
        : f.arpClass === 'other'
          ? 'other'
          : 'announce';
  return {
    input: f.ref.input,
    frame: f.ref.frame,
    time: f.ref.time,
    family: f.family === 6 ? 'nd' : 'arp',
    op,
    ethSrc: formatMac(f.ethSrc),
    ethDst: formatMac(f.ethDst),
    senderMac: formatMac(f.senderMac),
    senderIp: addresses.format(f.senderIp, f.family),
    targetIp: addresses.format(f.targetIp, f.family),
    targetMac: formatMac(f.targetMac),
  };
}

function keep(w: Wanted, item: NeighbourMessage | MobilityEvent | FhrpHello, cited: boolean): void {
  const scene = w.scene;
  scene.total++;
  // Cited frames are always kept; the others up to the cap.
  if (scene.items.length < MAX_SCENE_ITEMS || cited) (scene.items as unknown[]).push(item);
}

function push<K>(map: Map<K, Wanted[]>, key: K, w: Wanted): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(w)) list.push(w);
  } else map.set(key, [w]);
}

function strings(...values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x);
  }
  return out;
}

function numbers(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
}
