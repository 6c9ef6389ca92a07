import type { z } from 'zod';
import { EventValidationError, type EventIssue } from '../errors';

/** Event names read `noun.past_tense`: `cart.abandoned`, `order.placed`, `email.clicked`. */
const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/**
 * A customer event: its name and the zod schema of its `data`. Made by {@link defineEvent}; pure data, so
 * journeys, the client and HTTP ingest can share one definition.
 */
export interface EventDefinition<TName extends string = string, TSchema extends z.ZodType = z.ZodType> {
  readonly kind: 'journeys.event-definition';
  readonly name: TName;
  readonly schema: TSchema;
}

/** Any event definition, whatever its name and schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEventDefinition = EventDefinition<string, any>;

/**
 * One customer event as it travels to a journey on the `journeys.event` signal. `id` makes delivery
 * idempotent: a journey handles each id once.
 */
export interface JourneyEvent<TType extends string = string, TData = unknown> {
  readonly id: string;
  readonly type: TType;
  readonly customerId: string;
  readonly data: TData;
  /** When it happened, ISO-8601. */
  readonly at: string;
}

/** The event a definition describes, with its data parsed. */
export type EventOf<TDef extends AnyEventDefinition> =
  TDef extends EventDefinition<infer TName, infer TSchema> ? JourneyEvent<TName, z.output<TSchema>> : never;

/** The `data` a caller passes for an event, before parsing (defaults not yet applied). */
export type EventInputOf<TDef extends AnyEventDefinition> =
  TDef extends EventDefinition<string, infer TSchema> ? z.input<TSchema> : never;

/**
 * Defines a customer event. The schema validates `data` at the client, at HTTP ingest and again at the
 * workflow boundary.
 *
 * @example
 * ```ts
 * export const cartAbandoned = defineEvent('cart.abandoned', z.object({
 *   cartId: z.string(), items: z.array(z.string()).min(1), url: z.url(),
 * }));
 * ```
 */
export function defineEvent<TName extends string, TSchema extends z.ZodType>(
  name: TName,
  schema: TSchema,
): EventDefinition<TName, TSchema> {
  if (!EVENT_NAME.test(name)) {
    throw new EventValidationError(
      `Event name "${name}" is not of the form noun.past_tense (lower case, dot separated), e.g. "cart.abandoned".`,
      name,
      [{ path: '', message: 'bad event name' }],
    );
  }
  return Object.freeze({ kind: 'journeys.event-definition', name, schema });
}

/**
 * Parses `data` with the event's schema. Throws {@link EventValidationError} naming each failing field as
 * `data.<path>`.
 */
export function parseEventData<TDef extends AnyEventDefinition>(
  definition: TDef,
  data: unknown,
): EventOf<TDef>['data'] {
  const result = (definition.schema as z.ZodType).safeParse(data);
  if (result.success) return result.data;
  const issues: EventIssue[] = result.error.issues.map((issue) => ({
    path: ['data', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new EventValidationError(
    `Event "${definition.name}" is invalid: ${summary}`,
    definition.name,
    issues,
    {
      cause: result.error,
    },
  );
}
