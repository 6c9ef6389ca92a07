import { EventValidationError } from '../errors';
import { deliveryEvents, type JourneyEvent } from '../events';
import {
  idProblem,
  journeyWorkflowId,
  listenedEventTypes,
  MAX_WORKFLOW_ID_BYTES,
  type JourneyDefinition,
} from '../journey';

const DELIVERY: ReadonlySet<string> = new Set(deliveryEvents.map((e) => e.name));

/** How an event reaches one journey. */
export type Route =
  /** The event triggers the journey: signal-with-start its id (a live run receives it instead). */
  | { readonly kind: 'start'; readonly journey: JourneyDefinition; readonly workflowId: string }
  /** The journey listens to it and the target id is derived from the event: signal it if it is running. */
  | { readonly kind: 'signal'; readonly journey: JourneyDefinition; readonly workflowId: string }
  /** A keyed journey whose key the event does not carry: find the customer's live runs through visibility. */
  | { readonly kind: 'search'; readonly journey: JourneyDefinition };

function keyOf(
  journey: JourneyDefinition,
  event: JourneyEvent,
  fn: (event: never) => string | undefined,
): string | undefined {
  let key: unknown;
  try {
    key = fn(event as never);
  } catch (cause) {
    throw new EventValidationError(
      `Journey "${journey.name}" could not read its key from event "${event.type}".`,
      event.type,
      [{ path: 'data', message: 'key function threw' }],
      { cause },
    );
  }
  const problem = key === undefined ? undefined : idProblem(key);
  if (problem) {
    throw new EventValidationError(
      `Journey "${journey.name}" read key ${JSON.stringify(key)} from event "${event.type}": the key ${problem}.`,
      event.type,
      [{ path: 'data', message: `key of journey ${journey.name}: ${problem}` }],
    );
  }
  return key as string | undefined;
}

/** The workflow id of a run, checked against Temporal's id limit before anything is sent. */
function idOf(journey: JourneyDefinition, event: JourneyEvent, key?: string): string {
  const id = journeyWorkflowId(journey.name, event.customerId, key);
  const bytes = new TextEncoder().encode(id).length;
  if (bytes > MAX_WORKFLOW_ID_BYTES) {
    throw new EventValidationError(
      `Event "${event.type}" would reach journey "${journey.name}" as workflow id of ${bytes} bytes; Temporal takes at most ${MAX_WORKFLOW_ID_BYTES}.`,
      event.type,
      [{ path: 'data', message: `workflow id of journey ${journey.name} too long` }],
    );
  }
  return id;
}

/**
 * The routes of an event: ids derived from the event itself, so an event emitted a millisecond after the
 * one that started a journey still reaches it (visibility is eventually consistent and is used only for
 * keyed journeys whose key the event does not carry). Ids are per customer, so an event never reaches a
 * journey of another customer.
 */
export function routesOf(journeys: readonly JourneyDefinition[], event: JourneyEvent): Route[] {
  const routes: Route[] = [];
  // A delivery event (an open, a click) names the journey that sent the message: it is about that journey
  // alone, so a click on a welcome email never satisfies an abandoned cart's wait for a click.
  const sender = DELIVERY.has(event.type) ? (event.data as { journey?: unknown } | null)?.journey : undefined;
  for (const journey of journeys) {
    if (typeof sender === 'string' && sender !== journey.name) continue;
    if (journey.trigger?.name === event.type) {
      const key = journey.key ? keyOf(journey, event, journey.key) : undefined;
      if (journey.key && key === undefined) {
        throw new EventValidationError(
          `Journey "${journey.name}" has no key for event "${event.type}".`,
          event.type,
          [{ path: 'data', message: 'key missing' }],
        );
      }
      routes.push({ kind: 'start', journey, workflowId: idOf(journey, event, key) });
    } else if (listenedEventTypes(journey).includes(event.type)) {
      if (!journey.keyed) {
        routes.push({ kind: 'signal', journey, workflowId: idOf(journey, event) });
        continue;
      }
      const key = journey.route ? keyOf(journey, event, journey.route) : undefined;
      routes.push(
        key === undefined
          ? { kind: 'search', journey }
          : { kind: 'signal', journey, workflowId: idOf(journey, event, key) },
      );
    }
  }
  return routes;
}
