// The public API: `analyze(paths, options)` → Report, plus the building blocks for scripting.
export { analyze, ruleIds, selectFindingIds, selectRules, UsageError, type AnalyzeOptions, type LiveStatus, type Progress } from './analyze.js';
export type { Report, InputSummary, ReportStats } from './report/types.js';
export type { Finding, Severity, Confidence } from './rules/types.js';
export { CaptureInput } from './capture/input.js';
export { FrameDecoder } from './decode/frame.js';
