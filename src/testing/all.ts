/**
 * Everything of the testing kit, with the lower-level environment the repository's own tests drive (one
 * worker per `run()`, the dev server). Not a package entry: apps use `temporal-journeys/testing`.
 */
export * from './index';
export { createJourneyTestEnvironment, testBinary } from './journey-test-environment';
export type { JourneyTestEnvironmentOptions } from './journey-test-environment';
