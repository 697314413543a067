// Runs a Node entry point with the given arguments in this process and, on exit, prints its peak RSS on stderr
// (`__MAXRSS_KB__ n`), so the benchmark measures exactly the program and not a wrapper around it.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , entry, ...args] = process.argv;
process.argv = [process.argv[0], resolve(entry), ...args];
process.on('exit', () => {
  process.stderr.write(`\n__MAXRSS_KB__ ${process.resourceUsage().maxRSS}\n`);
});
await import(pathToFileURL(resolve(entry)).href);
