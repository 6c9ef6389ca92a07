import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { advertiseTimeScale, createJourneyClient, type JourneyClient } from '../client';
import { codecServerSettings, dataConverterOf, startCodecServer } from '../codec';
import { assertDistinctPorts, loadConfig, readSecrets, type JourneysConfig } from '../config';
import type { SendPolicy } from '../contact';
import { ConfigError } from '../errors';
import { deliveryEvents, type AnyEventDefinition } from '../events';
import { startDashboard } from '../dashboard';
import { createWebhookServer } from '../http';
import { journeySourceDir } from '../map';
import { createCampaignActivities } from '../campaigns';
import { createPgliteProfileSource, type SqlProfileSource } from '../profile';
import { findTemporalCli, startLocalServer } from '../server';
import { quietRuntime, startProviderFakes, type OutboxMessage } from '../testing';
import { createJourneyWorker } from '../worker';
import { parseFlags, portFlag } from './args';
import { appWorkflowsPath, hasModule, loadJourneysModule, PACKAGE_ROOT } from './journeys-module';

/** Journey time in the demo: 1 hour of journey time per second, so a 1-day wait takes 24 s. */
const DEMO_TIME_SCALE = 3600;

interface Scenario {
  runScenario(context: {
    journeys: JourneyClient;
    outbox: unknown;
    inbox: unknown;
    profiles: SqlProfileSource;
    log: (line: string) => void;
  }): Promise<boolean>;
}

/**
 * `journeys dev`: the embedded local Temporal (dev server on SQLite with WAL, Web UI), the journeys' search
 * attributes, a worker, the provider fakes and the demo backend service. `--once` runs the scenario to its
 * end and exits 0 when every journey stands where the scenario expects it; otherwise it runs until Ctrl-C.
 */
export async function dev(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    once: { type: 'boolean', default: false },
    port: { type: 'string' },
    'ui-port': { type: 'string' },
    'dashboard-port': { type: 'string' },
    db: { type: 'string' },
    'time-scale': { type: 'string' },
    workflows: { type: 'string' },
    scenario: { type: 'string' },
    'no-scenario': { type: 'boolean', default: false },
  });
  const config = loadConfig();
  const profile = config.connection;
  if (profile.type !== 'local') {
    throw new ConfigError(
      `journeys dev runs the embedded local server, but profile "${config.profile}" is ${profile.type}; use JOURNEYS_PROFILE=local or another profile.`,
      { file: config.file, path: 'profile' },
    );
  }
  const timeScale =
    values['time-scale'] !== undefined
      ? Number(values['time-scale'])
      : config.timeScale === 1
        ? DEMO_TIME_SCALE
        : config.timeScale;
  if (!(timeScale > 0))
    throw new Error(`--time-scale must be a positive number, got "${values['time-scale']}"`);
  // The three listeners, flags over the profile (whose own ports were checked when the file loaded).
  const port = portFlag(values.port, 'port', profile.port);
  const uiPort = portFlag(values['ui-port'], 'ui-port', profile.uiPort);
  const dashboardPort = portFlag(values['dashboard-port'], 'dashboard-port', profile.dashboardPort);
  const use = (what: string, value: number, flag: string | undefined, name: string, key: string) =>
    flag !== undefined
      ? { port: value, what, setAt: `--${name}`, explicit: true }
      : { port: value, what, setAt: `profiles.${config.profile}.${key}`, explicit: false };
  assertDistinctPorts(
    [
      use("the dev server's gRPC port", port, values.port, 'port', 'port'),
      use('the Web UI', uiPort, values['ui-port'], 'ui-port', 'uiPort'),
      use(
        'the journeys dashboard',
        dashboardPort,
        values['dashboard-port'],
        'dashboard-port',
        'dashboardPort',
      ),
    ],
    config.file,
  );
  // With `links` in temporal.yaml its secret is read now (unset or short fails before anything starts), so
  // links in emails sent before a restart keep working; without, the demo signs with a fresh one.
  const linkSecret = config.links
    ? (readSecrets(config, ['links']).linkSecret as string)
    : randomBytes(32).toString('hex');
  const dbFile = values.db === ':memory:' ? undefined : path.resolve(values.db ?? profile.dbFile);
  const started = Date.now();
  const log = (line: string) =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}`);

  // Worker state changes are noise next to the demo's own lines; warnings and errors still show.
  quietRuntime();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
    log,
  });
  // With `encryption:` in temporal.yaml every payload is encrypted, and the Web UI still shows them: it
  // decodes through a codec server started here, with a token of this run's own (printed below).
  const dataConverter = dataConverterOf(config);
  const codec = dataConverter ? await startDevCodecServer(config, profile.ip, uiPort) : undefined;
  const server = await startLocalServer({
    cli,
    ip: profile.ip,
    port,
    uiPort,
    namespace: profile.namespace,
    dbFile,
    dataConverter,
    uiCodecEndpoint: codec?.uiEndpoint,
  }).catch(async (err: unknown) => {
    await codec?.close();
    throw err;
  });
  // Any client of the app connecting to this server starts journeys at this scale too.
  await advertiseTimeScale(server.env.client, timeScale).catch((err: unknown) =>
    log(
      `could not advertise the time scale on the namespace: ${err instanceof Error ? err.message : String(err)}`,
    ),
  );
  const fakes = await startProviderFakes();
  // The shop's customer data the journeys decide on: PGlite beside the server's database, seeded with the
  // demo customers (kept across runs when the server is).
  const profiles = await createPgliteProfileSource({
    dataDir: dbFile ? `${dbFile.replace(/\.sqlite$/, '')}-profiles` : undefined,
    seed: true,
  });
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    await Promise.allSettled([...closers.map((close) => close()), fakes.close(), profiles.close()]);
    await server.close();
    await codec?.close();
  };
  try {
    // The app's journeys; in a folder that has none yet, the package's library journeys, said so.
    const appPath = appWorkflowsPath(values.workflows);
    const own = values.workflows !== undefined || hasModule(appPath);
    if (!own)
      log(
        `No journeys at ${path.relative(process.cwd(), appPath) || appPath}: running the package's library journeys (write yours there, set workflows: in temporal.yaml, or pass --workflows PATH).`,
      );
    const loaded = loadJourneysModule(own ? values.workflows : path.join(PACKAGE_ROOT, 'workflows'));
    const workflowsPath = loaded.path;
    const journeysModule = loaded.module;
    const journeyRefs = [...loaded.journeys.values()];
    const journeys = await createJourneyClient({
      journeys: journeyRefs,
      events: deliveryEvents as readonly AnyEventDefinition[],
      client: server.env.client,
      taskQueue: config.taskQueue,
      timeScale,
    });
    // The fakes' delivery webhooks (opened, clicked, SMS delivered) come back as customer events, and the
    // unsubscribe and confirmation links in the demo's emails work.
    const webhooks = await createWebhookServer({
      journeys,
      resend: { webhookSecret: fakes.resendWebhookSecret },
      twilio: { authToken: fakes.twilio.authToken },
      links: { secret: linkSecret },
      onEvent: log,
    });
    closers.push(() => webhooks.close());
    fakes.resend.webhook = { url: `${webhooks.url}/webhooks/resend`, secret: fakes.resendWebhookSecret };
    fakes.twilio.inboundUrl = `${webhooks.url}/webhooks/twilio/inbound`;
    // Before the worker: a port in use fails here, with no worker yet to shut down.
    const dashboard = await startDashboard({
      client: server.env.client,
      namespace: server.namespace,
      journeys: journeyRefs.map((r) => r.definition),
      sourceDir: own ? journeySourceDir(loaded.path) : journeySourceDir(),
      webUiUrl: server.uiUrl,
      port: dashboardPort,
      onError: (err) => log(`dashboard: ${err.message}`),
    });
    closers.push(() => dashboard.close());
    const campaigns = createCampaignActivities({
      journeys,
      journeyRefs,
      db: profiles.source.db,
      taskQueue: config.taskQueue,
    });
    const worker = await createJourneyWorker({
      config, // its `worker:` tuning; connection, queue and activities are the dev ones below
      connection: server.env.nativeConnection,
      namespace: server.namespace,
      taskQueue: config.taskQueue,
      workflowsPath,
      journeys: journeysModule,
      activities: {
        ...campaigns,
        ...fakes.activities({
          statusCallback: `${webhooks.url}/webhooks/twilio/status`,
          links: { baseUrl: webhooks.url, secret: linkSecret },
          profiles: profiles.source,
          gate: {
            client: server.env.client,
            taskQueue: config.taskQueue,
            policy: config.contacts as SendPolicy,
          },
        }),
      },
    });

    console.log('temporal-journeys dev');
    console.log(
      `  Temporal  ${server.address} (namespace ${server.namespace})${dbFile ? `, persisted to ${dbFile}` : ', in memory'}`,
    );
    console.log(`  Web UI    ${server.uiUrl}/namespaces/${server.namespace}/workflows`);
    if (codec)
      console.log(
        `  Codec     ${codec.uiEndpoint} (payloads are encrypted with key "${config.encryption?.currentKey}"; the Web UI decodes through it; this run's token is its last segment)`,
      );
    console.log(`  Dashboard ${dashboard.url} (maps, funnels, paths, uplift)`);
    console.log(
      `  Fakes     Resend ${fakes.resend.url}  Twilio ${fakes.twilio.url}  webhooks in at ${webhooks.url}`,
    );
    console.log(`  Journeys  ${[...loaded.journeys.keys()].join(', ')} on task queue "${config.taskQueue}"`);
    console.log(
      `  Time      journey time runs ${timeScale}x (1 hour of journey = ${(3600 / timeScale).toFixed(1)} s)`,
    );
    fakes.outbox.on('message', (m) => log(describe(m)));

    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      log('stopping…');
      try {
        worker.shutdown();
      } catch {
        // already shutting down (Temporal's runtime handles SIGINT/SIGTERM too)
      }
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const running = worker.run();

    let ok = true;
    const scenarioPath = values['no-scenario']
      ? undefined
      : path.resolve(values.scenario ?? path.join(PACKAGE_ROOT, 'examples', 'backend-service'));
    if (scenarioPath && (existsSync(scenarioPath) || existsSync(`${scenarioPath}.js`))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const scenario = require(scenarioPath) as Scenario;
      ok = await scenario
        .runScenario({ journeys, outbox: fakes.outbox, inbox: fakes.resend, profiles: profiles.source, log })
        .catch((err: unknown) => {
          log(`scenario failed: ${err instanceof Error ? err.message : String(err)}`);
          return false;
        });
      log(
        ok
          ? 'scenario finished: every journey is where it should be'
          : 'scenario finished with unexpected outcomes',
      );
    }
    if (values.once) stop();
    else log('running; open the Web UI above, Ctrl-C to stop');
    await running;
    return values.once && !ok ? 1 : 0;
  } finally {
    await closeAll();
  }
}

/**
 * The codec server of `journeys dev`: on the loopback address, a free port, a random token, the Web UI's
 * origins allowed. The Web UI of the dev server sends no Authorization header, so its endpoint carries the
 * token as a path segment.
 */
async function startDevCodecServer(config: JourneysConfig, ip: string, uiPort: number) {
  // A token of this run's own: it travels in the Web UI's settings and the server's command line, so it
  // must not be the one a real codec server takes.
  const settings = codecServerSettings(config, {
    ...process.env,
    [config.encryption!.codecServer.tokenEnv]: randomBytes(24).toString('hex'),
  });
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip;
  const codecHost = '127.0.0.1'; // the browser runs here too; a LAN-wide Web UI decodes nothing remotely
  const origins = [
    ...settings.origins,
    `http://${host}:${uiPort}`,
    `http://localhost:${uiPort}`,
    `http://127.0.0.1:${uiPort}`,
  ];
  const server = await startCodecServer({ ...settings, origins, host: codecHost, port: 0 });
  return { ...server, uiEndpoint: `${server.url}/${settings.token}` };
}

function describe(m: OutboxMessage): string {
  switch (m.channel) {
    case 'email':
      return `email    → ${m.to.join(', ').padEnd(20)} "${m.subject}"`;
    case 'sms':
      return `sms      → ${m.to.padEnd(20)} "${m.body}" (${m.segments} segment${m.segments > 1 ? 's' : ''})`;
    case 'webhook':
    case 'push':
      return `${m.channel.padEnd(8)} → ${m.path.padEnd(20)} ${JSON.stringify(m.body)}`;
  }
}
