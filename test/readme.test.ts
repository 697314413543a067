// The README's quick start must stay true: the fixture it names exists, and the output it shows is what the binary
// prints for it today (stdout not a terminal: no colour, 140 columns).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { configProblems } from '../src/config/validate.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('the quick start is two commands: one runs gwcheck analyze on a shipped fixture, one runs the tests', () => {
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const commands = block![1].trim().split('\n');
    expect(commands).toHaveLength(2);
    const fixture = /gwcheck analyze (\S+)/.exec(commands[0]);
    expect(fixture).not.toBeNull();
    expect(existsSync(new URL(`../${fixture![1]}`, import.meta.url))).toBe(true);
    expect(commands[1]).toBe('npm test');
    expect(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts.test).toBe('vitest run');
  });

  it('the output it shows is what gwcheck prints for that fixture', async () => {
    const shown = /```console\n\$ npx gwcheck analyze (\S+)\n([\s\S]*?)```/.exec(readme);
    expect(shown).not.toBeNull();
    // In process (no dist/ needed): stdout is not a terminal, so no colour and the default 140 columns.
    let out = '';
    const stdout = { write: (s: string) => ((out += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
    const stderr = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;
    const status = await main(['analyze', shown![1]], { stdout, stderr, env: {} });
    expect(status).toBe(1);
    expect(out).toBe(shown![2]);
  });

  it('the config it shows is valid (the validator and the schema agree, see test/config.test.ts)', () => {
    const block = /### A config[\s\S]*?```json\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    expect(configProblems(JSON.parse(block![1]))).toEqual([]);
  });

  it('the CI example uploads SARIF to code scanning', () => {
    expect(readme).toContain('uses: github/codeql-action/upload-sarif@v3');
    expect(readme).toMatch(/-o sarif=gwcheck\.sarif/);
  });
});
