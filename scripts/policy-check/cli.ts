// The `pnpm policy-check` process (scripts/policy-check.mjs runs this file through tsx).
import { processIo } from './cli-io';
import { main } from './main';

process.exit(await main(process.argv.slice(2), processIo));
