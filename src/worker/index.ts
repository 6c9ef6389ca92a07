/**
 * The worker: one prebuilt bundle of the journeys, the channel activities, a connection per `temporal.yaml`.
 *
 * @example
 * ```ts
 * import { createJourneyWorker } from 'temporal-journeys/worker';
 * const worker = await createJourneyWorker({ workflowsPath: require.resolve('./workflows') });
 * await worker.run();
 * ```
 */
export { bundleJourneys } from './bundle';
export { createJourneyWorker } from './create-journey-worker';
export type { JourneyWorker, JourneyWorkerOptions } from './create-journey-worker';
export { createProviderActivities } from './providers';
// Extension points: a channel of your own, its errors, templates.
export {
  createChannelActivities,
  defineTemplate,
  PermanentSendError,
  RetryableSendError,
} from '../../activities';
export type {
  ChannelActivities,
  ChannelSender,
  Channels,
  Delivered,
  EmailTemplate,
  EmailTemplates,
  ReactEmail,
  RenderedEmail,
  TemplateDefinition,
  TemplateLinks,
  TemplatesInput,
  TemplatesOf,
} from '../../activities';
export type {
  SendCustomRequest,
  SendEmailRequest,
  SendPushRequest,
  SendSmsRequest,
  SendWebhookRequest,
} from '../journey';
export type { ProviderActivitiesOptions } from './providers';
export { registerSearchAttributes } from '../server';
