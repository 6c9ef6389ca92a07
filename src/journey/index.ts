/**
 * Journey metadata shared by the workflow side and the client: definitions, workflow ids, search attributes,
 * the signal/query protocol and durations. Pure, safe in the workflow sandbox.
 */
export { defineJourney, listenedEventTypes } from './define-journey';
export type { JourneyDefinition, JourneyOptions, JourneyVersioning, ReentryPolicy } from './define-journey';
export { RESERVED_GOAL_OUTCOMES } from './define-journey.schema';
export { MAX_JOURNEY_NAME_LENGTH, OUTCOME, RESERVED_WORKFLOW_TYPES, workflowTypeOf } from './journey-name';
export { checkJourneyDefinition, checkJourneyList } from './check-journey-list';
export type { CheckJourneyListOptions } from './check-journey-list';
export { toMs } from './duration';
export type { Duration } from './duration';
export { journeyWorkflowId } from './workflow-id';
export { journeySearchAttributes, journeySearchAttributeKeys } from './search-attributes';
export { DEFAULT_ORDERING, EXIT_SIGNAL, STATE_QUERY } from './protocol';
export { idProblem, MAX_ENCODED_ID_LENGTH, MAX_WORKFLOW_ID_BYTES } from './identifiers';
export type {
  CustomerRef,
  DeferredSend,
  EventOrdering,
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
