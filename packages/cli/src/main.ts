// The `hangar` command (bin/hangar.mjs runs this file through tsx).
import { runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  isTty: process.stdout.isTTY === true,
  env: process.env,
  now: () => new Date().toISOString(),
});
