// The `npm run migrate` process (scripts/migrate.mjs runs this file through tsx).
import { processIo } from '../policy-check/cli-io';
import { main } from './main';

process.exit(main(process.argv.slice(2), processIo));
