// argv → options → command → exit status. Never calls process.exit: the shim sets process.exitCode.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export async function main(argv: string[]): Promise<number> {
  const program = new Command('gwcheck')
    .description('Find out from a packet capture why first-hop / anycast gateways misbehave.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  let status = EXIT_OK;
  program
    .command('analyze')
    .argument('<files...>')
    .description('not implemented yet')
    .action(() => {
      process.stderr.write('gwcheck: analyze is not implemented yet\n');
      status = EXIT_USAGE;
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw err;
  }
  return status;
}
