/**
 * Config cross-checks: ports that would collide, and secrets `temporal.yaml` names but the environment does
 * not hold, fail when a program starts (the worker, `journeys dev`, the webhook server), naming the setting
 * and where it is, instead of failing later or working without them. Loading the file needs no secret.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createLinkToken } from '../../activities';
import { dev } from '../../src/cli/dev';
import { createJourneyClient } from '../../src/client';
import { connectionOptionsOf, parseConfig, readSecrets } from '../../src/config';
import { type ConfigError, isJourneyError } from '../../src/errors';
import { createWebhookServer } from '../../src/http';
import { createProviderActivities } from '../../src/worker';

const FILE = '/srv/shop/temporal.yaml';
const LINK_SECRET = 'k'.repeat(40);

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (isJourneyError(err, 'CONFIG_INVALID')) return err as ConfigError;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (err) {
    if (isJourneyError(err, 'CONFIG_INVALID')) return err as ConfigError;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('ports', () => {
  /** [what, file, setting blamed, its line] */
  const COLLISIONS: readonly (readonly [string, string, string, number])[] = [
    [
      'port equal to uiPort',
      'profiles:\n  local:\n    type: local\n    port: 7300\n    uiPort: 7300\n',
      'profiles.local.uiPort',
      5,
    ],
    [
      'port equal to the default Web UI port',
      'profiles:\n  local:\n    type: local\n    port: 8233\n',
      'profiles.local.port',
      4,
    ],
    [
      'uiPort equal to the default dashboard port',
      'profiles:\n  local:\n    type: local\n    uiPort: 8234\n',
      'profiles.local.uiPort',
      4,
    ],
    [
      'dashboardPort equal to port, written first',
      'profiles:\n  local:\n    type: local\n    dashboardPort: 7300\n    port: 7300\n',
      'profiles.local.port',
      5,
    ],
    [
      'a local profile other than the one chosen',
      'profile: local\nprofiles:\n  local: { type: local }\n  demo:\n    type: local\n    uiPort: 7233\n',
      'profiles.demo.uiPort',
      6,
    ],
    [
      'a flow-style profile',
      'profiles: { local: { type: local, port: 9000, uiPort: 9000 } }\n',
      'profiles.local.uiPort',
      1,
    ],
  ];

  test.each(COLLISIONS)('%s fails at load, naming both and the line', (_what, text, setting, line) => {
    const err = configError(() => parseConfig(text, { path: FILE, env: {} }));
    expect(err.location).toEqual({ file: FILE, path: setting, line });
    expect(err.message.startsWith(`${FILE}:${line}: ${setting}: port `)).toBe(true);
  });

  test('distinct ports, or 0 (any free port) for all three, load', () => {
    for (const ports of [
      'port: 7300, uiPort: 7301, dashboardPort: 7302',
      'port: 0, uiPort: 0, dashboardPort: 0',
    ])
      expect(
        parseConfig(`profiles: { local: { type: local, ${ports} } }\n`, { path: FILE, env: {} }).connection,
      ).toMatchObject({ type: 'local' });
  });

  test('journeys dev refuses a --port that is the dashboard’s, before starting anything', async () => {
    const err = await withConfig('profile: local\n', {}, () =>
      dev(['--port', '8234', '--db', ':memory:', '--no-scenario', '--once']),
    );
    expect(err.location.path).toBe('--port');
    expect(err.message).toContain('the journeys dashboard (profiles.local.dashboardPort, by default)');
  });
});

/** Every variable a setting can name, and what each one is read for. */
const NAMING_EVERYTHING = [
  'profile: cloud',
  'profiles:',
  '  cloud: { type: cloud, address: "x.tmprl.cloud:7233", namespace: x, apiKeyEnv: TEMPORAL_API_KEY }',
  'providers:',
  '  resend: { from: "Shop <shop@example.com>" }',
  '  twilio: { from: "+15005550006" }',
  '  webhooks: { crm: { url: "https://crm.example/leads", secretEnv: CRM_SECRET } }',
  '  push: { url: "https://push.example", secretEnv: PUSH_SECRET }',
  'links: { baseUrl: "https://journeys.shop.example" }',
  '',
].join('\n');

describe('secrets named but unset', () => {
  const config = () => parseConfig(NAMING_EVERYTHING, { path: FILE, env: {} });

  test('loading the file needs none of them (journeys map, journeys report run without credentials)', () => {
    expect(config().links?.secretEnv).toBe('JOURNEYS_LINK_SECRET');
  });

  test('the worker’s providers and links: one error lists every variable missing, with its setting', () => {
    const err = configError(() => createProviderActivities(config(), { env: { RESEND_API_KEY: 're_x' } }));
    expect(err.location).toEqual({ file: FILE, path: 'providers.twilio.accountSidEnv' });
    for (const named of [
      'TWILIO_ACCOUNT_SID (providers.twilio.accountSidEnv',
      'TWILIO_AUTH_TOKEN (providers.twilio.authTokenEnv',
      'CRM_SECRET (providers.webhooks.crm.secretEnv',
      'PUSH_SECRET (providers.push.secretEnv',
      'JOURNEYS_LINK_SECRET (links.secretEnv',
    ])
      expect(err.message).toContain(named);
    expect(err.message).not.toContain('RESEND_API_KEY');
  });

  test('a link secret too short to sign with fails at start like an unset one', () => {
    const env = {
      RESEND_API_KEY: 're_x',
      TWILIO_ACCOUNT_SID: 'AC1',
      TWILIO_AUTH_TOKEN: 't',
      CRM_SECRET: 'c',
      PUSH_SECRET: 'p',
      JOURNEYS_LINK_SECRET: 'short',
    };
    const err = configError(() => createProviderActivities(config(), { env }));
    expect(err.location.path).toBe('links.secretEnv');
    expect(err.message).toContain('has 5 characters; it needs at least 32');
    expect(() =>
      createProviderActivities(config(), { env: { ...env, JOURNEYS_LINK_SECRET: LINK_SECRET } }),
    ).not.toThrow();
  });

  test('the cloud API key names the profile chosen by JOURNEYS_PROFILE, not the file’s', () => {
    const chosen = parseConfig(NAMING_EVERYTHING.replace('profile: cloud', 'profile: local\n'), {
      path: FILE,
      env: { JOURNEYS_PROFILE: 'cloud' },
    });
    const err = configError(() => connectionOptionsOf(chosen, {}));
    expect(err.location.path).toBe('profiles.cloud.apiKeyEnv');
    expect(connectionOptionsOf(chosen, { TEMPORAL_API_KEY: 'k' }).apiKey).toBe('k');
  });

  test('each use reads only what it needs', () => {
    expect(readSecrets(config(), ['links'], { JOURNEYS_LINK_SECRET: LINK_SECRET }).linkSecret).toBe(
      LINK_SECRET,
    );
    expect(configError(() => readSecrets(config(), ['webhooks'], {})).location.path).toBe(
      'providers.twilio.authTokenEnv',
    );
    expect(
      readSecrets(
        parseConfig('taskQueue: a\n', { path: FILE, env: {} }),
        ['connection', 'providers', 'links', 'webhooks'],
        {},
      ),
    ).toMatchObject({
      linkSecret: undefined,
      webhookSecrets: {},
    });
  });

  test('journeys dev with links in temporal.yaml and no secret fails before starting anything', async () => {
    const yaml = 'profile: local\nlinks: { baseUrl: "https://journeys.shop.example" }\n';
    const err = await withConfig(yaml, { JOURNEYS_LINK_SECRET: undefined }, () =>
      dev(['--port', '0', '--db', ':memory:', '--no-scenario', '--once']),
    );
    expect(err.location.path).toBe('links.secretEnv');
    expect(err.message).toContain('JOURNEYS_LINK_SECRET');
  });

  test('the webhook server reads the link and Twilio secrets the file names, at start', async () => {
    const journeys = await createJourneyClient({
      journeys: [],
      // Never called: the server only builds on it. A lazy connection opens nothing.
      client: new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) }),
      taskQueue: 'cross-checks',
    });
    const withLinks = parseConfig('links: { baseUrl: "https://journeys.shop.example" }\n', {
      path: FILE,
      env: {},
    });
    await withEnv({ JOURNEYS_LINK_SECRET: undefined }, async () => {
      expect((await rejection(createWebhookServer({ journeys, config: withLinks }))).location.path).toBe(
        'links.secretEnv',
      );
    });
    await withEnv({ TWILIO_AUTH_TOKEN: undefined, TWILIO_ACCOUNT_SID: 'AC1' }, async () => {
      const twilio = parseConfig('providers: { twilio: { from: "+15005550006" } }\n', {
        path: FILE,
        env: {},
      });
      expect((await rejection(createWebhookServer({ journeys, config: twilio }))).location.path).toBe(
        'providers.twilio.authTokenEnv',
      );
    });
    await withEnv({ JOURNEYS_LINK_SECRET: LINK_SECRET }, async () => {
      const server = await createWebhookServer({ journeys, config: withLinks });
      try {
        const page = (secret: string) =>
          fetch(
            `${server.url}/unsubscribe?token=${createLinkToken(secret, { action: 'unsubscribe', customerId: 'c1', channel: 'email' })}`,
          ).then((r) => r.status);
        expect(await page(LINK_SECRET)).toBe(200); // the file's secret answers the links
        expect(await page('x'.repeat(40))).toBe(400);
      } finally {
        await server.close();
      }
    });
  });
});

/** Runs `fn` with these variables set (undefined: unset), then puts the environment back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(before);
  }
}

/** Runs a command with `yaml` as its temporal.yaml and expects it to fail with a ConfigError. */
function withConfig(
  yaml: string,
  vars: Record<string, string | undefined>,
  fn: () => Promise<unknown>,
): Promise<ConfigError> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cross-checks-')), 'temporal.yaml');
  writeFileSync(file, yaml);
  return withEnv({ ...vars, JOURNEYS_CONFIG: file, JOURNEYS_PROFILE: undefined }, () => rejection(fn()));
}
