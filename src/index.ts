/**
 * temporal-journeys: customer journeys as durable Temporal workflows written as plain async functions.
 * This entry runs anywhere: event and journey definitions, errors and shared types.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { defineEvent } from 'temporal-journeys';
 * export const cartAbandoned = defineEvent('cart.abandoned', z.object({ cartId: z.string(), items: z.array(z.string()) }));
 * ```
 */
export {
  consentEvents,
  defineEvent,
  defineEventCatalog,
  deliveryEvents,
  emailBounced,
  emailClicked,
  emailComplained,
  emailDelivered,
  emailOpened,
  EVENT_SIGNAL,
  smsDelivered,
  smsFailed,
  smsStart,
  smsStop,
  smsUndelivered,
  subscriptionConfirmed,
} from './events';
export type {
  AnyEventDefinition,
  ConsentTarget,
  EventCatalog,
  EventDefinition,
  EventInputOf,
  EventOf,
  JourneyEvent,
} from './events';
export { defineJourney, journeySearchAttributes, journeyWorkflowId, toMs } from './journey';
export type {
  Channel,
  CustomerRef,
  DeferredSend,
  Duration,
  JourneyDefinition,
  JourneyInput,
  JourneyOptions,
  JourneyOutcome,
  JourneyState,
  JourneyVersioning,
  ReentryPolicy,
  SendResult,
  StepPassed,
} from './journey';
// Email templates run anywhere (the worker renders them): defined here, registered on the worker.
export { defineTemplate } from '../activities/template-definition';
export type {
  AnyTemplateDefinition,
  ReactEmail,
  RenderedEmail,
  TemplateDataOf,
  TemplateDefinition,
  TemplateLinks,
  TemplateSchema,
  TemplatesInput,
  TemplatesOf,
} from '../activities/template-definition';
export {
  ConfigError,
  EmitIncompleteError,
  EventValidationError,
  isJourneyError,
  JourneyDefinitionError,
  JourneyError,
  JourneyNotFoundError,
  ProviderError,
} from './errors';
export type {
  EmitRouteFailure,
  EmitRouteResult,
  EventIssue,
  JourneyDefinitionProblem,
  JourneyErrorCode,
} from './errors';
