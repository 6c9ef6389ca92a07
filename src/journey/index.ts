/**
 * Journey metadata shared by the workflow side and the client: definitions, workflow ids, search attributes,
 * the signal/query protocol and durations. Pure, safe in the workflow sandbox.
 */
export { defineJourney, listenedEventTypes, OUTCOME, workflowTypeOf } from './define-journey';
export type { JourneyDefinition, JourneyOptions, ReentryPolicy } from './define-journey';
export { toMs } from './duration';
export type { Duration } from './duration';
export { journeyWorkflowId } from './workflow-id';
export { journeySearchAttributes, journeySearchAttributeKeys } from './search-attributes';
export { EXIT_SIGNAL, STATE_QUERY } from './protocol';
export type {
  CustomerRef,
  DeferredSend,
  ExitRequest,
  JourneyInput,
  JourneyOutcome,
  JourneyState,
  StepPassed,
} from './protocol';
export { channelActivity } from './channels';
export type {
  Channel,
  ChannelActivityOptions,
  SendContext,
  SendCustomRequest,
  SendEmailRequest,
  SendOptions,
  SendPushRequest,
  SendRecord,
  SendResult,
  SendSmsRequest,
  SendWebhookRequest,
} from './channels';
