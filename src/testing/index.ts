/**
 * Testing kit: journeys on Temporal's time-skipping test server, local fakes of Resend and Twilio with an
 * outbox, driven through the real provider clients.
 *
 * @example
 * ```ts
 * import { createJourneyTestEnvironment } from 'temporal-journeys/testing';
 * const t = await createJourneyTestEnvironment({ journeys: [abandonedCart], workflowsPath: require.resolve('./workflows') });
 * await t.run(async ({ journeys }) => { ... });
 * await t.close();
 * ```
 */
export { createJourneyTestEnvironment, testBinary } from './journey-test-environment';
export type {
  JourneyTestEnvironment,
  JourneyTestEnvironmentOptions,
  JourneyTestRun,
} from './journey-test-environment';
export { FAKE_EMAIL_FROM, FAKE_SMS_FROM, startProviderFakes } from './provider-fakes';
export type { ProviderFakes } from './provider-fakes';
export { Outbox } from './outbox';
export type { OutboxMessage } from './outbox';
export { ResendFake } from './resend-fake';
export { countSegments, TwilioFake } from './twilio-fake';
export type { InjectedFailure } from './http-fake';
export {
  describeOutcome,
  exportHistory,
  historyFileName,
  recentRuns,
  replayFromServer,
  replayHistories,
  writeHistory,
} from './histories';
export type { ExportedHistory, ReplayOptions, ReplayOutcome } from './histories';
export { recordHistories } from './record-histories';
export type { HistoryScenario } from './record-histories';
export { quietRuntime } from './quiet-runtime';
