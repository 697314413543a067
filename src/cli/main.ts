// argv → options → command → exit status. Never calls process.exit: bin/gwcheck.js sets process.exitCode.
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_BGP_PORTS, DEFAULT_VXLAN_PORTS } from '../decode/types.js';
import { ALL_RULES } from '../rules/index.js';
import { VERSION } from '../version.js';
import { runAnalyze, type AnalyzeCliOptions } from './analyze.js';
import { runAnnotate, type AnnotateCliOptions } from './annotate.js';
import { DECODE_FILTERS, runDecode, type DecodeCliOptions } from './decode.js';
import { EXIT_OK, EXIT_USAGE, processIo, type Io } from './io.js';
import {
  ANALYZE_OPTIONS,
  BGP_PORT_HELP,
  parseList,
  portsAddedTo,
  ruleOptionSpecs,
  VXLAN_PORT_HELP,
  type OptionSpec,
} from './options.js';
import { renderRuleList } from './rules.js';
import { runInit, type InitCliOptions } from './init.js';

export { yieldBackgroundThreads } from './threads.js';

const EXIT_HELP = `
Exit status:
  0    no finding at or above --fail-on (default: error)
  1    findings at or above --fail-on
  2    usage error, or an input that could not be read (not a capture, corrupt,
       missing), or stdout could not be written (disk full); a capture cut
       short is only a warning: what was readable is analysed
  130  a second Ctrl-C; the first stops reading and prints the report of what
       was read, with the status above (as does a reader that goes away,
       \`| head\`)

Environment:
  NO_COLOR, FORCE_COLOR    colour off / on (default: only on a terminal)
  GWCHECK_PROGRESS_DELAY   ms of reading before a long input's progress line
                           appears on a terminal (default 250; 0: at once)
  GWCHECK_BACKGROUND_NICE  Linux, 2+ cores: how much nicer than the main thread
                           Node's compiler and GC threads run, so they leave it
                           its core (default 10; 0: as Node starts them)

Examples:
  gwcheck analyze capture.pcapng                 triage table on the terminal
  gwcheck analyze -v leaf1.pcap leaf2.pcap       two switches' captures merged
                                                 by time, with details
  tcpdump -i eth0 -U -w - arp | gwcheck analyze -
                                                 from stdin; Ctrl-C prints the
                                                 report
  tcpdump -i eth0 -U -w - | gwcheck analyze --follow -
                                                 findings as they happen
  gwcheck analyze --follow --format ndjson cap.pcap
                                                 follow a growing file, one JSON
                                                 line per event
  gwcheck analyze --json --fail-on warning x.pcap > report.json   CI gate
  gwcheck analyze -o json=r.json -o sarif=r.sarif x.pcap
                                                 table here, JSON and SARIF to
                                                 files, one pass
  gwcheck analyze --baseline last-week.json x.pcap
                                                 only new findings fail the gate
  gwcheck init capture.pcap > gwcheck.config.json
                                                 a starting config from what the
                                                 capture shows
  gwcheck decode --filter arp,hsrp capture.pcap  what the decoders saw, one line
                                                 per frame
  gwcheck analyze export.json                    a ticket's tshark -T json -x
                                                 export (frame numbers kept)
  gwcheck annotate x.pcapng -o x-gwcheck.pcapng  the findings as packet
                                                 comments, for Wireshark
`;

const TABLE_HELP = `
The table:
  ${'seen'}      how many times the rule observed the problem (requests, replies,
            hellos or advertisements) merged into the row; the JSON has it as
            evidence.count
  frames    the cited frame numbers (Wireshark's numbering; with several
            inputs, each with its file)
  Wireshark filters are listed under the table, one per line, to paste whole.
  Narrower than 120 columns, severity, rule and domain share one column and
  frames go under the table.
  inventory one line per domain above the table: its gateways (IP → MAC), FHRP
            groups (state and router IP), and how many host MACs and IPs sent
            ARP/ND; one per EVPN instance: its PEs. --inventory prints the
            whole map instead (how each gateway MAC was learned, priorities,
            timers, frames); the JSON always has it as "inventory".

Config: ./gwcheck.config.json (or --config FILE; schema/config.schema.json)
sets rule severities ("off", "info", "warning", "error"), thresholds,
suppressions with a reason and an expiry, and the network's intent. Flags
override the file; the JSON report echoes the file and what was in force.
`;

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  let status = EXIT_OK;
  const program = new Command('gwcheck')
    .description(
      // One paragraph: commander wraps it to the terminal; a hard break mid-sentence left a ragged short line.
      'Find out from a packet capture why first-hop / anycast gateways misbehave: shared-MAC ARP blackholes, ' +
        'duplicate gateway MACs, unanswered ARP, EVPN MAC-mobility errors, HSRP/VRRP disagreements.\n' +
        'Reads pcap and pcapng (also gzip-compressed, also from stdin as -), and Wireshark/tshark exports with bytes ' +
        '(JSON, EK, plain text, hex dumps).',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also: gwcheck help COMMAND)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', EXIT_HELP);

  const analyzeCmd = program
    .command('analyze')
    .description('analyse captures and report gateway problems (table, or JSON for CI)')
    .argument('<files...>', 'pcap/pcapng files (.gz fine); - for stdin; several are merged by timestamp')
    .helpOption('-h, --help', 'show help for analyze')
    .addHelpText('after', TABLE_HELP + EXIT_HELP);
  for (const spec of ANALYZE_OPTIONS) addOption(analyzeCmd, spec);
  const thresholds = ruleOptionSpecs();
  for (const { spec } of thresholds) addOption(analyzeCmd, spec);
  analyzeCmd.action(async (files: string[], raw: Record<string, unknown>) => {
    // Only thresholds given as flags: the config file's come next, then the defaults (flags override the file).
    const settings: Record<string, number> = {};
    for (const { option } of thresholds) {
      if (analyzeCmd.getOptionValueSource(option.name) !== 'default') settings[option.name] = raw[option.name] as number;
    }
    const failOnGiven = analyzeCmd.getOptionValueSource('failOn') !== 'default';
    status = await runAnalyze(files, { ...(raw as unknown as AnalyzeCliOptions), settings, failOnGiven }, io);
  });

  const annotateCmd = program
    .command('annotate')
    .description('write a pcapng copy in which every frame a finding cites carries a packet comment (Wireshark shows them)')
    .argument('<files...>', 'pcap/pcapng files or exports (.gz fine); several: -o names a directory, one copy each')
    .addHelpText('after', EXIT_HELP);
  for (const spec of ANALYZE_OPTIONS) {
    // -o is the annotated capture here; the report goes to stdout as with analyze.
    if (spec.flags.startsWith('-o,')) addOption(annotateCmd, { flags: '-o, --output <path>', description: 'the annotated pcapng (several inputs: a directory)' });
    else addOption(annotateCmd, spec);
  }
  for (const { spec } of thresholds) addOption(annotateCmd, spec);
  annotateCmd.action(async (files: string[], raw: Record<string, unknown>) => {
    const settings: Record<string, number> = {};
    for (const { option } of thresholds) settings[option.name] = raw[option.name] as number;
    status = await runAnnotate(files, { ...(raw as unknown as AnnotateCliOptions), settings }, io);
  });

  const decodeCmd = program
    .command('decode')
    .description('show what gwcheck decoded, one line (or one JSON object) per frame of interest')
    .argument('<files...>', 'pcap/pcapng files (.gz fine); - for stdin')
    .helpOption('-h, --help', 'show help for decode')
    .addOption(new Option('-f, --format <format>', 'text or ndjson').choices(['text', 'ndjson']).default('text'))
    .option('--all', 'include frames with no layer of interest')
    .option('--filter <protocols>', `only frames carrying these (comma-separated: ${DECODE_FILTERS.join(', ')})`, parseList)
    .option('--vxlan-port <port>', VXLAN_PORT_HELP, portsAddedTo(DEFAULT_VXLAN_PORTS))
    .option('--bgp-port <port>', BGP_PORT_HELP, portsAddedTo(DEFAULT_BGP_PORTS))
    .action(async (files: string[], raw: DecodeCliOptions) => {
      status = await runDecode(files, raw, io);
    });
  void decodeCmd;

  program
    .command('rules')
    .description('list the rules, their severities, thresholds (with flags and defaults) and docs')
    .helpOption('-h, --help', 'show help for rules')
    .action(() => {
      io.stdout.write(renderRuleList(ALL_RULES));
    });

  program
    .command('init')
    .description('write a starting gwcheck.config.json from captures: the gateways and FHRP groups they show')
    .argument('<files...>', 'pcap/pcapng files (.gz fine); - for stdin')
    .helpOption('-h, --help', 'show help for init')
    .option('-o, --output <file>', 'write the config to FILE (refuses to overwrite it) instead of stdout')
    .option('--vxlan-port <port>', VXLAN_PORT_HELP, portsAddedTo(DEFAULT_VXLAN_PORTS))
    .option('--bgp-port <port>', BGP_PORT_HELP, portsAddedTo(DEFAULT_BGP_PORTS))
    .action(async (files: string[], raw: InitCliOptions) => {
      status = await runInit(files, raw, io);
    });

  if (argv.length === 0) {
    // A usage error like any other: the help (with the exit statuses) goes to stderr, stdout stays clean.
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw err;
  }
  return status;
}

function addOption(cmd: Command, spec: OptionSpec): void {
  const option = new Option(spec.flags, spec.description);
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  if (spec.parse) option.argParser(spec.parse as (v: string, p: unknown) => unknown);
  cmd.addOption(option);
}
