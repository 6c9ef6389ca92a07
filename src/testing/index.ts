/**
 * Testing kit: journeys on Temporal's time-skipping test server, local fakes of Resend and Twilio with an
 * outbox, driven through the real provider clients, and a profile database.
 *
 * @example
 * ```ts
 * import { useJourneyTestEnv } from 'temporal-journeys/testing';
 * const env = useJourneyTestEnv({ journeys: [welcome], templates });
 * test('welcomes', async () => {
 *   const ada = await env.customer({ email: 'ada@example.com' });
 *   await env.emit('customer.signed_up', ada, { firstName: 'Ada' });
 *   expect((await env.nextMessage(ada)).channel).toBe('email');
 * });
 * ```
 */
export { createJourneyTestEnv, useJourneyTestEnv } from './journey-test-env';
export type {
  JourneyTestEnv,
  JourneyTestEnvOptions,
  SentMessage,
  TestCustomer,
  TestProfiles,
  TestProfileStore,
} from './journey-test-env';
export type { JourneyTestEnvironment, JourneyTestRun } from './journey-test-environment';
export { createMemoryProfileSource } from '../profile/memory';
export type { MemoryProfileSource } from '../profile/memory';
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
