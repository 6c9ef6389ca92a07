#!/usr/bin/env node
import { isJourneyError } from '../errors';
import { dev } from './dev';
import { setup } from './setup';

const HELP = `journeys: customer journeys on Temporal

Usage:
  journeys dev [--once] [--port N] [--ui-port N] [--db FILE|:memory:] [--time-scale X]
               [--workflows PATH] [--scenario PATH | --no-scenario]
      The embedded local Temporal with its Web UI, a worker, provider fakes and the demo.
  journeys setup
      Find or install the Temporal CLI and the time-skipping test server into the cache.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'dev':
      return dev(rest);
    case 'setup':
      await setup();
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(isJourneyError(err) ? `${err.name} [${err.code}]: ${err.message}` : err);
    process.exit(1);
  },
);
