/**
 * Jest preset for apps testing their journeys: `preset: 'temporal-journeys'` in jest.config.js.
 * TypeScript through the package's own transform (no ts-jest or babel needed), ESM-style `./x.js` imports
 * of `.ts` files, and timeouts that fit a time-skipping server starting per file and a journey per test.
 * Profiles on PGlite (`profiles: 'sql'`) also need NODE_OPTIONS=--experimental-vm-modules.
 */
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/?(*.)+(spec|test).[jt]s?(x)'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.tsx?$': path.join(__dirname, 'dist', 'src', 'testing', 'jest-transform.js') },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // A test server and a worker start per file, a journey's months take seconds: generous hooks and tests.
  testTimeout: 60000,
  // Each file runs its own Temporal test server: more workers than cores only slows them all.
  maxWorkers: '50%',
};
