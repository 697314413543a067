// `--format github`: GitHub Actions workflow commands, one annotation per finding
// (`::error file=…,line=1,title=…::message`), escaped as the Actions toolkit does. Suppressed findings make none;
// findings that do not fail the gate are notices or warnings, never errors, so annotations agree with the exit status.
import { relative, resolve } from 'node:path';
import { githubData, githubProperty } from './escape.js';
import { framesText } from './frames.js';
import { failsGate, type FailOn } from './gate.js';
import type { Report } from './types.js';

export function renderGithub(report: Report, failOn: FailOn | string, cwd: string = process.cwd()): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.suppressed) continue;
    const command = failsGate(f, failOn) ? 'error' : f.severity === 'info' ? 'notice' : 'warning';
    const inputIndex = f.evidence.items[0]?.input ?? 0;
    const path = report.inputs[inputIndex]?.path ?? '-';
    const file = path === '-' ? '' : relative(cwd, resolve(cwd, path));
    const props = [
      ...(file ? [`file=${githubProperty(file)}`, 'line=1'] : []),
      `title=${githubProperty(`gwcheck ${f.rule} (${f.domainLabel})`)}`,
    ];
    const message = [
      f.summary + (f.adjusted ? ` — ${f.adjusted.reason}` : '') + (f.baseline === 'new' ? ' [new]' : ''),
      `frames: ${framesText(f, report.inputs.length, 12)}`,
      `filter: ${f.wiresharkFilter}`,
      `remediation: ${f.remediation}`,
    ].join('\n');
    lines.push(`::${command} ${props.join(',')}::${githubData(message)}`);
  }
  for (const input of report.inputs) {
    for (const w of input.warnings) lines.push(`::warning title=${githubProperty('gwcheck input')}::${githubData(`${input.path}: ${w}`)}`);
    if (input.error) lines.push(`::error title=${githubProperty('gwcheck input')}::${githubData(`${input.path}: ${input.error.message}`)}`);
  }
  const s = report.summary;
  lines.push(`gwcheck: ${s.error} error(s), ${s.warning} warning(s), ${s.info} info (fail on: ${failOn})`);
  return lines.join('\n') + '\n';
}
