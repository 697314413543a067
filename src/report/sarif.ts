// `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (validated in the tests against the OASIS schema).
// A capture has no source lines, so each result points at the capture file itself (its path relative to the
// working directory, region.startLine 1, as GitHub requires a region) and carries the frame numbers in properties.
import { relative, resolve, sep } from 'node:path';
import type { AnnotatedFinding } from '../config/apply.js';
import type { Severity } from '../rules/types.js';
import { DOCS_BASE, findingIdMetas } from './rule-meta.js';
import type { Report } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  /** Paths are made relative to this directory (default: the process's working directory). */
  cwd?: string;
}

/** A capture path as a SARIF uri: relative to cwd, forward slashes, each segment percent-encoded. */
export function artifactUri(path: string, cwd: string): string {
  if (path === '-') return 'stdin';
  const rel = relative(cwd, resolve(cwd, path)) || path;
  return rel.split(sep).map((s) => encodeURIComponent(s)).join('/');
}

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  return JSON.stringify(sarifLog(report, options), null, 2) + '\n';
}

export function sarifLog(report: Report, options: SarifOptions = {}): Record<string, unknown> {
  const cwd = options.cwd ?? process.cwd();
  const metas = findingIdMetas();
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const rules = metas.map((m) => ({
    id: m.id,
    name: m.id.replace(/(^|-)([a-z])/g, (_, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: {
      text: `${m.rationale}\n\nRemediation: ${m.remediation}\n\nSee ${DOCS_BASE}${m.docs}`,
      markdown: `${m.rationale}\n\n**Remediation:** ${m.remediation}\n\n[${m.id}](${DOCS_BASE}${m.docs})`,
    },
    helpUri: `${DOCS_BASE}${m.docs}`,
    defaultConfiguration: { level: LEVEL[m.severity] },
    properties: { tags: ['network', 'gateway'] },
  }));
  const uris = report.inputs.map((i) => artifactUri(i.path, cwd));
  const results = report.findings.map((f) => result(f, index.get(f.rule) ?? -1, uris));
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'gwcheck',
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: DOCS_BASE.replace(/blob\/main\/$/, ''),
        rules,
      },
    },
    artifacts: uris.map((uri) => ({ location: { uri }, roles: ['analysisTarget'] })),
    invocations: [
      {
        executionSuccessful: report.inputs.every((i) => i.error === null),
        ...(report.inputs.some((i) => i.error || i.warnings.length)
          ? {
              toolExecutionNotifications: report.inputs.flatMap((i, n) =>
                [...i.warnings.map((w) => ({ w, level: 'warning' })), ...(i.error ? [{ w: i.error.message, level: 'error' }] : [])].map(({ w, level }) => ({
                  message: { text: `${i.path}: ${w}` },
                  level,
                  locations: [{ physicalLocation: { artifactLocation: { uri: uris[n] } } }],
                })),
              ),
            }
          : {}),
      },
    ],
    results,
    columnKind: 'unicodeCodePoints',
  };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

function result(f: AnnotatedFinding, ruleIndex: number, uris: string[]): Record<string, unknown> {
  const cited = [...new Set(f.evidence.items.map((i) => i.input))].sort((a, b) => a - b);
  const inputs = cited.length ? cited : uris.map((_, i) => i);
  const message = [f.summary, f.adjusted ? `(${f.adjusted.reason})` : '', f.detail].filter(Boolean).join('\n\n');
  const out: Record<string, unknown> = {
    ruleId: f.rule,
    ...(ruleIndex >= 0 ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    message: { text: message },
    locations: inputs.map((i) => ({
      physicalLocation: { artifactLocation: { uri: uris[i] ?? 'stdin', index: i }, region: { startLine: 1 } },
      message: { text: `${f.domainLabel}: frames ${f.evidence.items.filter((e) => e.input === i).map((e) => e.frame).join(', ') || '-'}` },
    })),
    // The finding id is a hash of rule + identifier: the same problem next week has the same fingerprint.
    partialFingerprints: { 'gwcheckFindingId/v1': f.id },
    occurrenceCount: Math.max(1, f.evidence.count),
    properties: {
      findingId: f.id,
      domain: f.domainLabel,
      subject: f.subject,
      confidence: f.confidence,
      frames: f.evidence.items.map((e) => ({ file: e.file ?? null, input: e.input, frame: e.frame, time: e.time, role: e.role })),
      wiresharkFilter: f.wiresharkFilter,
      remediation: f.remediation,
      ...(f.adjusted ? { adjusted: f.adjusted } : {}),
    },
  };
  if (f.suppressed) out.suppressions = [{ kind: 'external', state: 'accepted', justification: f.suppressed.reason }];
  if (f.baseline) out.baselineState = f.baseline;
  return out;
}
