import { EventValidationError } from '../errors';
import { parseEventData, type AnyEventDefinition, type EventOf, type JourneyEvent } from './define-event';
import { parseEnvelope } from './envelope';

/** The events a program knows, by name. Made by {@link defineEventCatalog}. */
export interface EventCatalog<TEvents extends AnyEventDefinition = AnyEventDefinition> {
  readonly events: ReadonlyMap<string, TEvents>;
  /** The definition of `type`, or `undefined` when the catalog does not know it. */
  get(type: string): TEvents | undefined;
  /**
   * Checks a whole event, envelope then data. Throws {@link EventValidationError}: `EVENT_UNKNOWN` for a
   * type the catalog does not hold, `EVENT_INVALID` naming the failing field otherwise.
   */
  parse(raw: unknown): EventOf<TEvents>;
}

/**
 * Builds the typed catalog of events from their definitions. Two definitions with one name must be the
 * same object: a second schema under a known name is a bug that would validate differently in two places.
 *
 * @example
 * ```ts
 * const catalog = defineEventCatalog([cartAbandoned, orderPlaced, emailClicked]);
 * const event = catalog.parse(json); // throws EventValidationError naming the field
 * ```
 */
export function defineEventCatalog<TEvents extends AnyEventDefinition>(
  definitions: readonly TEvents[],
): EventCatalog<TEvents> {
  const events = new Map<string, TEvents>();
  for (const definition of definitions) {
    const known = events.get(definition.name);
    if (known && known !== definition) {
      throw new EventValidationError(
        `Two different definitions are named "${definition.name}"; define each event once and import it.`,
        definition.name,
        [{ path: 'type', message: 'defined twice' }],
      );
    }
    events.set(definition.name, definition);
  }
  return {
    events,
    get: (type) => events.get(type),
    parse(raw) {
      const envelope = parseEnvelope(raw);
      const definition = events.get(envelope.type);
      if (!definition) {
        throw new EventValidationError(
          `Unknown event type "${envelope.type}"; known types: ${[...events.keys()].join(', ') || '(none)'}.`,
          envelope.type,
          [{ path: 'type', message: 'unknown event type' }],
          { code: 'EVENT_UNKNOWN' },
        );
      }
      const data: unknown = parseEventData(definition, envelope.data);
      return { ...envelope, data } as JourneyEvent as EventOf<TEvents>;
    },
  };
}
