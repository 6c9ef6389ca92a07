/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  // The example app runs its own tests on the packed package (test/packed-app.test.ts).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/examples/app/'],
  modulePathIgnorePatterns: ['<rootDir>/examples/app/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^temporal-journeys$': '<rootDir>/src/index.ts',
    '^temporal-journeys/(.*)$': '<rootDir>/src/$1/index.ts',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  // Journey tests start Temporal servers; two cores run at most two files at once.
  maxWorkers: 2,
  testTimeout: 120_000,
};
