import os from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { connectionOptionsOf, loadConfig, parseConfig, userCacheDir } from '../../src/config';
import { type ConfigError, isJourneyError } from '../../src/errors';

const fixture = (name: string) => path.join(__dirname, '..', 'fixtures', 'config', name);

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (isJourneyError(err, 'CONFIG_INVALID') || isJourneyError(err, 'CONFIG_NOT_FOUND'))
      return err as ConfigError;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('a valid file loads with defaults filled in and paths resolved against the file', () => {
  const config = loadConfig({ path: fixture('valid.yaml'), env: {} });
  expect(config.connection).toMatchObject({ type: 'local', port: 7233, uiPort: 8233, namespace: 'default' });
  expect(config.connection.type === 'local' && config.connection.dbFile).toBe(
    fixture('.journeys/dev.sqlite'),
  );
  expect(config.server.cacheDir).toBe(userCacheDir()); // once per user unless the file says otherwise
  expect(config.providers.resend).toMatchObject({
    from: 'Shop <shop@example.com>',
    apiKeyEnv: 'RESEND_API_KEY',
  });
  expect(config.taskQueue).toBe('journeys');
  expect(config.channels.sms).toEqual({ giveUpAfter: '4 hours', retry: { maximumAttempts: 10 } });
});

test('a channel duration that cannot be read names its path', () => {
  const err = configError(() =>
    parseConfig('channels:\n  email:\n    timeout: soon\n', { path: '/x/temporal.yaml', env: {} }),
  );
  expect(err.location).toEqual({ file: '/x/temporal.yaml', path: 'channels.email.timeout', line: 3 });
});

test('JOURNEYS_PROFILE picks another connection; cloud reads its API key from the named variable', () => {
  const config = loadConfig({
    path: fixture('valid.yaml'),
    env: { JOURNEYS_PROFILE: 'cloud', TEMPORAL_API_KEY: 'secret' },
  });
  expect(connectionOptionsOf(config, { TEMPORAL_API_KEY: 'secret' })).toMatchObject({
    address: 'journeys.a1b2c.tmprl.cloud:7233',
    namespace: 'journeys.a1b2c',
    apiKey: 'secret',
    tls: true,
  });
  const err = configError(() => connectionOptionsOf(config, {}));
  expect(err.message).toContain('TEMPORAL_API_KEY');
});

test('a typo names the file, the path and the line', () => {
  const err = configError(() => loadConfig({ path: fixture('unknown-key.yaml'), env: {} }));
  expect(err.code).toBe('CONFIG_INVALID');
  expect(err.location).toEqual({ file: fixture('unknown-key.yaml'), path: 'profiles.local.prot', line: 5 });
  expect(err.message).toContain(`${fixture('unknown-key.yaml')}:5`);
});

test('a bad value names its path and line', () => {
  const err = configError(() => loadConfig({ path: fixture('bad-value.yaml'), env: {} }));
  expect(err.location).toMatchObject({ path: 'providers.twilio.baseUrl', line: 6 });
});

test('broken YAML names the line', () => {
  const err = configError(() => loadConfig({ path: fixture('bad-yaml.yaml'), env: {} }));
  expect(err.location.file).toBe(fixture('bad-yaml.yaml'));
  expect(err.location.line).toBe(3); // where the flow map opens, not where the parser gave up
});

test('an unknown profile, a missing explicit file and an unknown top-level key are errors', () => {
  expect(
    configError(() => loadConfig({ path: fixture('valid.yaml'), profile: 'staging', env: {} })).location.path,
  ).toBe('profile');
  expect(configError(() => loadConfig({ path: fixture('missing.yaml'), env: {} })).code).toBe(
    'CONFIG_NOT_FOUND',
  );
  const err = configError(() =>
    parseConfig('taskQueue: a\ntaskqueue: b\n', { path: '/x/temporal.yaml', env: {} }),
  );
  expect(err.location).toEqual({ file: '/x/temporal.yaml', path: 'taskqueue', line: 2 });
});

test('no temporal.yaml at all means the local server with defaults', () => {
  const config = loadConfig({ env: { JOURNEYS_CONFIG: undefined } });
  expect(config.connection.type).toBe('local');
});

test('a cluster profile reads its TLS files, and a missing one is a ConfigError naming it', () => {
  const config = loadConfig({ path: fixture('valid.yaml'), env: { JOURNEYS_PROFILE: 'cluster' } });
  expect(config.connection).toMatchObject({ type: 'cluster', tls: { cert: fixture('certs/client.pem') } });
  const err = configError(() => connectionOptionsOf(config));
  expect(err.message).toContain(fixture('certs/client.pem'));
});

test('binaries are cached once per user: XDG_CACHE_HOME, else ~/.cache; JOURNEYS_CACHE_DIR and the file override', () => {
  const yaml = (text: string, env: NodeJS.ProcessEnv) =>
    parseConfig(text, { path: '/app/temporal.yaml', env }).server.cacheDir;
  expect(yaml('', { XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/temporal-journeys');
  expect(yaml('', { HOME: process.env.HOME })).toBe(path.join(os.homedir(), '.cache', 'temporal-journeys'));
  expect(yaml('server: { cacheDir: .bin }', { XDG_CACHE_HOME: '/xdg' })).toBe('/app/.bin');
  expect(yaml('server: { cacheDir: .bin }', { JOURNEYS_CACHE_DIR: '/shared' })).toBe('/shared');
  // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
  expect(yaml('', { XDG_CACHE_HOME: 'rel' })).toBe(path.join(os.homedir(), '.cache', 'temporal-journeys'));
});

test('the journeys module: workflows: relative to the file, ./workflows beside it by default', () => {
  expect(parseConfig('', { path: '/app/temporal.yaml', env: {} }).workflows).toBe('/app/workflows');
  expect(parseConfig('workflows: src/journeys', { path: '/app/temporal.yaml', env: {} }).workflows).toBe(
    '/app/src/journeys',
  );
});

describe("Temporal's own client configuration (TEMPORAL_* variables, envconfig profiles)", () => {
  const noFile = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' };
  const settings = (yaml: string, env: NodeJS.ProcessEnv) =>
    connectionOptionsOf(parseConfig(yaml, { path: '/app/temporal.yaml', env }), env);

  test('without a profile named in temporal.yaml, TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE are honoured', () => {
    expect(
      settings('', { ...noFile, TEMPORAL_ADDRESS: 'temporal.prod:7233', TEMPORAL_NAMESPACE: 'shop' }),
    ).toMatchObject({ address: 'temporal.prod:7233', namespace: 'shop', source: 'temporal-envconfig' });
    // TEMPORAL_API_KEY turns on TLS, as Temporal's SDKs do.
    expect(
      settings('', { ...noFile, TEMPORAL_ADDRESS: 'x.tmprl.cloud:7233', TEMPORAL_API_KEY: 'k' }),
    ).toMatchObject({
      apiKey: 'k',
      tls: expect.anything(),
    });
    // Nothing set: the local dev server.
    expect(settings('', noFile)).toMatchObject({ address: '127.0.0.1:7233', source: 'temporal.yaml' });
  });

  test('a profile temporal.yaml names wins over them', () => {
    expect(settings('profile: local', { ...noFile, TEMPORAL_ADDRESS: 'temporal.prod:7233' })).toMatchObject({
      address: '127.0.0.1:7233',
      source: 'temporal.yaml',
    });
  });

  test('a TOML profile chosen with TEMPORAL_PROFILE is read; a missing one is a ConfigError', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'envconfig-'));
    const file = path.join(dir, 'temporal.toml');
    writeFileSync(file, '[profile.prod]\naddress = "prod.internal:7233"\nnamespace = "journeys"\n');
    expect(settings('', { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'prod' })).toMatchObject({
      address: 'prod.internal:7233',
      namespace: 'journeys',
      source: 'temporal-envconfig',
    });
    expect(() => settings('', { TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' })).toThrow(
      /Temporal's client configuration/,
    );
  });
});
