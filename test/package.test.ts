/**
 * The package as a user installs it: every `exports` entry resolves, after `npm run build`, to compiled
 * code and types that export what the README says, and the `journeys` bin runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
};

const expected: Record<string, string[]> = {
  '.': [
    'defineEvent',
    'defineJourney',
    'isJourneyError',
    'EventValidationError',
    'ConfigError',
    'emailClicked',
    'smsStop',
    'defineTemplate',
  ],
  './workflow': [
    'journey',
    'step',
    'sleep',
    'sleepUntil',
    'waitFor',
    'send',
    'split',
    'profile',
    'promoCode',
    'patched',
    'deprecatePatch',
  ],
  './client': ['createJourneyClient', 'readCustomersCsv'],
  './worker': [
    'createJourneyWorker',
    'bundleJourneys',
    'registerSearchAttributes',
    'PermanentSendError',
    'RetryableSendError',
    'defineTemplate',
  ],
  './testing': [
    'createJourneyTestEnv',
    'useJourneyTestEnv',
    'createMemoryProfileSource',
    'startProviderFakes',
    'Outbox',
    'replayHistories',
    'exportHistory',
  ],
  './http': ['createWebhookServer'],
  './profile': [
    'createPgliteProfileSource',
    'createPostgresProfileSource',
    'createSqlProfileSource',
    'defineSegment',
    'definePlan',
    'runSegment',
  ],
  './reporting': ['countArms', 'upliftReport', 'formatUpliftReport'],
  './cluster': ['startCluster', 'attachCluster', 'clusterStatus', 'findTemporalServer'],
};

test('one test environment is public: the lower-level one stays inside the repository', () => {
  const exported = execFileSync(
    process.execPath,
    ['-e', `console.log(Object.keys(require('temporal-journeys/testing')).join(','))`],
    { cwd: root },
  )
    .toString()
    .trim()
    .split(',');
  expect(exported).not.toContain('createJourneyTestEnvironment');
});

test.each(Object.entries(expected))(
  'temporal-journeys%s resolves with its exports and types',
  (entry, names) => {
    const target = pkg.exports[entry];
    if (typeof target !== 'object') throw new Error(`exports["${entry}"] should have types and default`);
    expect(Object.keys(target)[0]).toBe('types');
    expect(existsSync(path.join(root, target.types))).toBe(true);
    const specifier = entry === '.' ? 'temporal-journeys' : `temporal-journeys/${entry.slice(2)}`;
    // Self-reference through the exports map, as a dependant's require() would resolve it.
    const exported = execFileSync(
      process.execPath,
      ['-e', `console.log(Object.keys(require(${JSON.stringify(specifier)})).join(','))`],
      { cwd: root },
    )
      .toString()
      .trim()
      .split(',');
    expect(exported).toEqual(expect.arrayContaining(names));
  },
);

test('the journeys bin prints its help', () => {
  const bin = path.join(root, pkg.bin.journeys!);
  expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  const help = execFileSync(process.execPath, [bin, 'help']).toString();
  expect(help).toContain('journeys dev');
  expect(help).toContain('journeys cluster up|down|status');
});
