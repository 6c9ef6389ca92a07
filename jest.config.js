/**
 * Two projects, both run by `npm test`:
 * - `dev`: every test, on the servers each file starts (time-skipping, the CLI dev server).
 * - `cluster`: the tests that matter for production again, on a real Temporal cluster (PostgreSQL, four
 *   service processes, SQL visibility, Temporal's default rate limits) that test/cluster/global-setup.ts
 *   starts once for all of them, plus the cluster's own tests (`*.cluster.test.ts`). The kit's
 *   `server: 'dev'` connects to it through JOURNEYS_TEST_TEMPORAL.
 */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  // The example app runs its own tests on the packed package (test/packed-app.test.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/examples/app/'],
  modulePathIgnorePatterns: ['<rootDir>/examples/app/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^temporal-journeys$': '<rootDir>/src/index.ts',
    '^temporal-journeys/(.*)$': '<rootDir>/src/$1/index.ts',
  },
};

/**
 * The dev-server tests that matter for production, run again on the cluster. gate-kills.dev's replay check
 * found there the nondeterminism a query answered in a run's first task caused (query-race.dev shows it).
 */
const onTheCluster = [
  'client/routing.dev',
  'client/enroll-many.dev',
  'campaigns/sweep.dev',
  'reporting/counts.dev',
  'reporting/funnel.dev',
  'worker/crash.dev',
  'codec/forget.dev',
  'contact/gate-kills.dev',
  'workflow/query-race.dev',
];

/** @type {import('jest').Config} */
module.exports = {
  // Journey tests start Temporal servers; two cores run at most two files at once.
  maxWorkers: 2,
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'dev',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.cluster\\.test\\.ts$'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
    {
      ...common,
      displayName: 'cluster',
      testMatch: [
        '<rootDir>/test/cluster/**/*.cluster.test.ts',
        ...onTheCluster.map((name) => `<rootDir>/test/${name}.test.ts`),
      ],
      globalSetup: '<rootDir>/test/cluster/global-setup.ts',
      globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
      setupFiles: ['<rootDir>/test/cluster/on-the-cluster.ts'],
    },
  ],
};
