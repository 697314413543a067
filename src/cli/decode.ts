// `gwcheck decode FILE…`: what the decoders saw, frame by frame — for a person (text) or a script (NDJSON).
import { CaptureInput } from '../capture/input.js';
import { CaptureError } from '../capture/types.js';
import { describeBgpMessage, describeEvpnRouteLine } from '../decode/bgp/describe.js';
import { describeLayers, domainText, summarizeFrame } from '../decode/describe.js';
import { FrameDecoder } from '../decode/frame.js';
import {
  DEFAULT_BGP_PORTS,
  DEFAULT_VXLAN_PORTS,
  INTEREST_ARP,
  INTEREST_GLBP,
  INTEREST_HSRP,
  INTEREST_ND,
  INTEREST_VRRP,
  INTEREST_VXLAN,
  type DecodeResult,
} from '../decode/types.js';
import { DomainTable } from '../facts/domains.js';
import { FactExtractor, type FactSink } from '../facts/extract.js';
import { formatIsoTime } from '../util/time.js';
import { BufferedOutput, EXIT_INPUT, EXIT_OK, EXIT_USAGE, stdinNamedTwice, stopOnInterrupt, writeFailed, type Io } from './io.js';

export const DECODE_FILTERS = ['arp', 'hsrp', 'vrrp', 'vxlan', 'bgp', 'nd', 'glbp', 'tunnel'] as const;

export interface DecodeCliOptions {
  format: 'text' | 'ndjson';
  all?: boolean;
  filter?: string[];
  vxlanPort?: number[];
  bgpPort?: number[];
}

const IGNORE: FactSink = { neighbour() {}, routerAdvert() {}, fhrp() {}, evpn() {}, anomaly() {} };

export async function runDecode(files: string[], opts: DecodeCliOptions, io: Io): Promise<number> {
  if (stdinNamedTwice(files, io)) return EXIT_USAGE;
  for (const name of opts.filter ?? []) {
    if (!(DECODE_FILTERS as readonly string[]).includes(name)) {
      io.stderr.write(`gwcheck: unknown --filter '${name}' (choose from ${DECODE_FILTERS.join(', ')})\n`);
      return EXIT_USAGE;
    }
  }
  const filter = new Set(opts.filter ?? []);
  let mask = 0;
  if (filter.has('arp')) mask |= INTEREST_ARP;
  if (filter.has('hsrp')) mask |= INTEREST_HSRP;
  if (filter.has('vrrp')) mask |= INTEREST_VRRP;
  if (filter.has('vxlan')) mask |= INTEREST_VXLAN;
  if (filter.has('nd')) mask |= INTEREST_ND;
  if (filter.has('glbp')) mask |= INTEREST_GLBP;
  // 'tunnel' (decodeAll): every frame with a depth inside a tunnel (VXLAN, Geneve, GRE, ERSPAN, MPLS, PBB …).
  const wantBgp = filter.size === 0 || filter.has('bgp');
  if (filter.size === 0) mask = INTEREST_ARP | INTEREST_HSRP | INTEREST_VRRP | INTEREST_VXLAN | INTEREST_ND | INTEREST_GLBP;

  // Ctrl-C stops reading: what was decoded is still written out (the output buffer is flushed), then the status.
  const stop = stopOnInterrupt(io);
  try {
    return await decodeAll(files, opts, io, mask, wantBgp, filter, stop.signal);
  } finally {
    stop.dispose();
  }
}

async function decodeAll(
  files: string[],
  opts: DecodeCliOptions,
  io: Io,
  mask: number,
  wantBgp: boolean,
  filter: Set<string>,
  signal: AbortSignal,
): Promise<number> {
  const bgpPorts = opts.bgpPort ?? DEFAULT_BGP_PORTS;
  const wantTunnel = filter.has('tunnel');
  const out = new BufferedOutput(io.stdout);
  let status = EXIT_OK;
  for (const path of files) {
    // The reader went away (`| head`): nothing more is wanted, and nothing is wrong.
    if (out.closed || signal.aborted) break;
    const label = files.length > 1 ? path : undefined;
    const decoder = new FrameDecoder({ vxlanPorts: opts.vxlanPort ?? DEFAULT_VXLAN_PORTS, bgpPorts });
    const extractor = new FactExtractor(IGNORE, new DomainTable(), { bgpPorts });
    let input: CaptureInput;
    try {
      input = await CaptureInput.open(path, { signal });
    } catch (err) {
      if (!(err instanceof CaptureError)) throw err;
      io.stderr.write(`gwcheck: ${path}: ${err.message}\n`);
      status = EXIT_INPUT;
      continue;
    }
    for (;;) {
      const record = input.next();
      if (!record) {
        if (await input.fill()) continue;
        break;
      }
      const result = decoder.decode(record.bytes, record.linkType);
      extractor.frame(result, record, 0);
      const messages = wantBgp ? extractor.lastBgpMessages : [];
      const interesting =
        (result.root.interest & mask) !== 0 ||
        messages.length > 0 ||
        (wantTunnel && result.root.inner !== null) ||
        (filter.size === 0 && result.anomalies.length > 0);
      if (!opts.all && !interesting) continue;
      const time = record.hasTimestamp ? formatIsoTime(record.seconds, record.nanos) : null;
      if (opts.format === 'ndjson') {
        const layers: object[] = result.unsupportedLinkType ? [] : describeLayers(result);
        if (messages.length) layers.push({ proto: 'bgp', messages: messages.map(describeBgpMessage) });
        const line: Record<string, unknown> = {};
        if (label) line.file = label;
        Object.assign(line, {
          frame: record.frame,
          time,
          interface: record.interfaceId,
          capturedLength: record.capturedLength,
          originalLength: record.originalLength,
          linkType: record.linkType,
          layers,
        });
        if (result.anomalies.length) line.anomalies = result.anomalies;
        if (record.interfaceName !== undefined) line.interfaceName = record.interfaceName;
        if (record.comment !== undefined) line.comment = record.comment;
        await out.write(JSON.stringify(line) + '\n');
      } else {
        await out.write(textLines(label, record.frame, time, result, messages));
        // What the capture's author wrote on the frame, and where it was captured, under the frame's lines.
        if (record.comment !== undefined || record.interfaceName !== undefined) await out.write(noteLines(label, record.frame, record.interfaceName, record.comment));
      }
      if (out.closed) break;
    }
    input.close();
    if (out.closed) break;
    // Messages held behind a hole that never filled complete only now; they are shown after the frames, marked.
    extractor.finish();
    if (wantBgp) {
      for (const rec of extractor.lastBgpMessages) {
        const time = formatIsoTime(rec.ref.seconds, rec.ref.nanos);
        if (opts.format === 'ndjson') {
          const line: Record<string, unknown> = label ? { file: label } : {};
          Object.assign(line, { frame: rec.ref.frame, time, completedAtEnd: true, layers: [{ proto: 'bgp', messages: [describeBgpMessage(rec)] }] });
          await out.write(JSON.stringify(line) + '\n');
        } else {
          await out.write(`${label ? label + ':' : ''}${rec.ref.frame} ${time} BGP ${rec.message.type.toUpperCase()} (completed at the end of the capture: bytes before it were never captured)\n`);
        }
      }
    }
    await out.flush();
    const info = input.info;
    if (info.interrupted) io.stderr.write(`gwcheck: ${path}: interrupted after frame ${info.packets}\n`);
    if (info.error) {
      io.stderr.write(`gwcheck: ${path}: ${info.error.message}\n`);
      status = EXIT_INPUT;
    } else if (info.truncated) {
      io.stderr.write(`gwcheck: ${path}: warning: the capture is cut short after frame ${info.packets}\n`);
    }
  }
  await out.flush();
  out.detach();
  if (writeFailed(out, io, 'the decoded frames')) return EXIT_USAGE;
  return status;
}

function textLines(
  label: string | undefined,
  frame: number,
  time: string | null,
  result: DecodeResult,
  messages: FactExtractor['lastBgpMessages'],
): string {
  const head = `${label ? label + ':' : ''}${frame} ${time ?? '-'} ${result.unsupportedLinkType ? '-' : domainText(result)}`;
  let out = '';
  // A segment that completes BGP messages is shown as those messages; any other frame as its summary.
  if (messages.length === 0) out += `${head} ${result.unsupportedLinkType ? 'unsupported link type' : summarizeFrame(result)}\n`;
  for (const rec of messages) {
    const routes = rec.message.type === 'update' ? evpnRoutesOf(rec) : [];
    if (routes.length === 0) out += `${head} BGP ${rec.message.type.toUpperCase()}\n`;
    for (const route of routes) out += `${head} ${describeEvpnRouteLine(route)}\n`;
  }
  for (const a of result.anomalies) out += `${head} ! ${a.severity} ${a.code} at ${a.offset}: ${a.detail}\n`;
  return out;
}

function noteLines(label: string | undefined, frame: number, interfaceName: string | undefined, comment: string | undefined): string {
  const head = `${label ? label + ':' : ''}${frame}`;
  let out = '';
  if (interfaceName !== undefined) out += `${head}   interface ${interfaceName}\n`;
  if (comment !== undefined) for (const line of comment.split('\n')) out += `${head}   comment: ${line}\n`;
  return out;
}

function evpnRoutesOf(rec: FactExtractor['lastBgpMessages'][number]): Parameters<typeof describeEvpnRouteLine>[0][] {
  const message = rec.message as { evpn?: Parameters<typeof describeEvpnRouteLine>[0][] };
  return message.evpn ?? [];
}

