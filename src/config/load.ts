// Finding and reading the config: `--config FILE`, else gwcheck.config.json in the working directory, else none.
// A file that cannot be read, is not JSON or does not validate is a usage error (exit 2) naming the file and path.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configProblems } from './validate.js';
import { CONFIG_FILE_NAME, type GwcheckConfig, type LoadedConfig } from './types.js';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
  }
}

/**
 * `explicit`: the --config path (an error when missing); `false` for --no-config; undefined looks for
 * gwcheck.config.json in `cwd`. Returns null when no config applies.
 */
export function loadConfig(explicit: string | false | undefined, cwd: string = process.cwd()): LoadedConfig | null {
  if (explicit === false) return null;
  const file = explicit ?? CONFIG_FILE_NAME;
  const path = explicit ?? join(cwd, CONFIG_FILE_NAME);
  if (explicit === undefined && !existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the config (${(err as NodeJS.ErrnoException).code ?? err})`]);
  }
  return { file, config: parseConfig(text, file) };
}

export function parseConfig(text: string, file = CONFIG_FILE_NAME): GwcheckConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON (${(err as Error).message})`]);
  }
  const problems = configProblems(raw);
  if (problems.length) throw new ConfigError(file, problems);
  return raw as GwcheckConfig;
}
