// Live output of `gwcheck analyze`: findings printed as the rules make them (`--follow`, `--format ndjson`) and a
// one-line status on a terminal's stderr. The full report still follows at the end (or on Ctrl-C).
//
// ndjson: one JSON object per line, the finding as in the report plus `event` first:
//   new              the finding was just made (it is certain from now on)
//   updated          its count, severity or words changed (at most once a second per finding, and at the end)
//   resolved-at-end  made only by the end of the capture (a request still pending, a latent shared MAC)
//   folded           made live, then explained by another finding at the end ({event, id, rule} only)
// and last, unless -o takes the report, {"event":"report","report":{…}}.
// table: one line per new finding (and per finding whose severity rose), then the table.
import type { LiveStatus } from '../analyze.js';
import type { Finding, Severity } from '../rules/types.js';
import type { BufferedOutput, Io } from './io.js';

export type LiveEvent = 'new' | 'updated' | 'resolved-at-end' | 'folded';

export interface LiveOutput {
  finding(event: 'new' | 'updated', key: string, render: () => Finding | undefined): void;
  tick(status: LiveStatus): void;
  /** The findings of the final report: the last events (ndjson). */
  end(findings: Finding[]): void;
  /** Clears the status line. */
  done(): void;
}

/** What was last shown of a finding, to tell whether an update changed anything worth a line. */
interface Shown {
  rule: string;
  severity: Severity;
  count: number;
  summary: string;
}

export function createLiveOutput(options: {
  format: 'table' | 'ndjson';
  out: BufferedOutput;
  io: Io;
  /** Show the status line (stderr is a terminal and not --quiet). */
  status: boolean;
  /** The reader of stdout went away. */
  onClosed: () => void;
}): LiveOutput {
  const { format, out, io } = options;
  const shown = new Map<string, Shown>();
  const pending = new Map<string, () => Finding | undefined>();
  let statusShown = false;
  let lastPackets = 0;
  let lastElapsed = 0;

  const clearStatus = (): void => {
    if (!statusShown) return;
    io.stderr.write('\r\x1b[K');
    statusShown = false;
  };

  const emit = (event: LiveEvent, f: Finding): void => {
    clearStatus();
    if (format === 'ndjson') out.writeNow(JSON.stringify({ event, ...f }) + '\n');
    else out.writeNow(tableLine(f) + '\n');
    if (out.closed) options.onClosed();
  };

  const remember = (f: Finding): void => {
    shown.set(f.id, { rule: f.rule, severity: f.severity, count: f.evidence.count, summary: f.summary });
  };

  const flushUpdates = (): void => {
    for (const [key, render] of pending) {
      const f = render();
      const before = shown.get(key);
      if (!f || !before) continue;
      const severityChanged = f.severity !== before.severity;
      if (format === 'ndjson' ? severityChanged || f.evidence.count !== before.count || f.summary !== before.summary : severityChanged) {
        emit('updated', f);
      }
      remember(f);
    }
    pending.clear();
  };

  return {
    finding(event, key, render) {
      if (event === 'updated' && shown.has(key)) {
        pending.set(key, render);
        return;
      }
      const f = render();
      if (!f) return;
      emit('new', f);
      remember(f);
    },
    tick(status) {
      flushUpdates();
      if (!options.status) return;
      const seconds = (status.elapsedMs - lastElapsed) / 1000;
      const rate = seconds > 0 ? (status.packets - lastPackets) / seconds : 0;
      lastPackets = status.packets;
      lastElapsed = status.elapsedMs;
      io.stderr.write(`\rgwcheck: ${status.packets} packets  ${rateText(rate)} packets/s  ${status.findings} finding(s) so far  (Ctrl-C: report)\x1b[K`);
      statusShown = true;
    },
    end(findings) {
      pending.clear();
      if (format !== 'ndjson') return;
      const final = new Set<string>();
      for (const f of findings) {
        final.add(f.id);
        const before = shown.get(f.id);
        if (!before) emit('resolved-at-end', f);
        else if (before.severity !== f.severity || before.count !== f.evidence.count || before.summary !== f.summary) emit('updated', f);
      }
      for (const [id, s] of shown) {
        if (final.has(id)) continue;
        clearStatus();
        out.writeNow(JSON.stringify({ event: 'folded', id, rule: s.rule }) + '\n');
      }
    },
    done: clearStatus,
  };
}

/** One line per live finding: time, severity, rule, domain, summary and the first cited frames. */
function tableLine(f: Finding): string {
  const frames = f.evidence.frames.slice(0, 6).join(', ') + (f.evidence.frames.length > 6 ? ' …' : '');
  const time = f.evidence.lastTime.slice(11, 19) || '-';
  return `${time}  ${f.severity.padEnd(7)} ${f.rule}  ${f.domainLabel}  ${f.summary}  [frames ${frames || '-'}]`;
}

function rateText(rate: number): string {
  return rate >= 10_000 ? `${Math.round(rate / 1000)}k` : String(Math.round(rate));
}
