import { JourneyError } from '../errors';
import type { AnyEventDefinition, EventOf } from '../events';
import { toMs, type Duration } from './duration';

/**
 * Whether a customer who finished a journey may enter it again (per key, for keyed journeys).
 * - `'never'`: once per customer while Temporal retains the closed run (the namespace's retention period).
 * - `'always'`: again as soon as the last run closed.
 * - `{ after }`: again once `after` has passed since the last run ended; the run waits out that time
 *   (outcome already recorded) and ignores new triggers meanwhile.
 * While a run is live, a new trigger never starts a second one: it reaches the live run.
 */
export type ReentryPolicy = 'never' | 'always' | { readonly after: Duration };

/** The options of a journey, as written in `journey(name, options, body)`. */
export interface JourneyOptions<
  TTrigger extends AnyEventDefinition | undefined = AnyEventDefinition | undefined,
  TGoal extends AnyEventDefinition = AnyEventDefinition,
  TEvents extends AnyEventDefinition = AnyEventDefinition,
> {
  /** Reactive journeys: the event that enrols a customer. Omit for proactive journeys (`enroll`). */
  readonly trigger?: TTrigger;
  /** One live journey per key (e.g. per cart) instead of per customer. */
  readonly key?: TTrigger extends AnyEventDefinition ? (event: EventOf<TTrigger>) => string : never;
  /**
   * Proactive journeys: one live run per customer and key, the key given at enrolment (`enroll(journey,
   * { customer, key: invoiceId })`), e.g. one payment reminder per invoice.
   */
  readonly keyed?: TTrigger extends AnyEventDefinition ? never : boolean;
  /** Events that end the journey from wherever it is, with outcome `converted` (or `goalOutcome`). */
  readonly goal?: TGoal | readonly TGoal[];
  /** The outcome a goal event ends the journey with, e.g. `reactivated`; defaults to `converted`. */
  readonly goalOutcome?: string;
  /** Events the journey waits for with `waitFor`. Only listed events are routed to it. */
  readonly events?: readonly TEvents[];
  /**
   * For keyed journeys: the key a goal or listened event belongs to (e.g. an order's `cartId`). When it
   * returns `undefined`, the client finds the customer's running journeys through visibility instead,
   * which is eventually consistent; see the README, "How events reach journeys".
   */
  readonly route?: (event: EventOf<TGoal | TEvents>) => string | undefined;
  /** Defaults to `'never'`. */
  readonly reentry?: ReentryPolicy;
  readonly description?: string;
}

/**
 * What the client, the worker and reporting know about a journey without running its code: name,
 * workflow type, trigger, the events it listens to. Made by `defineJourney` or by `journey()`.
 */
export interface JourneyDefinition {
  readonly kind: 'journeys.journey-definition';
  readonly name: string;
  /** The workflow type: the journey's name in camelCase, and the name it must be exported under. */
  readonly workflowType: string;
  readonly trigger: AnyEventDefinition | undefined;
  readonly key: ((event: never) => string) | undefined;
  /** One live run per customer and key: read from the trigger (`key`) or given at enrolment (`keyed`). */
  readonly keyed: boolean;
  readonly goals: readonly AnyEventDefinition[];
  readonly goalOutcome: string;
  readonly events: readonly AnyEventDefinition[];
  readonly route: ((event: never) => string | undefined) | undefined;
  readonly reentry: ReentryPolicy;
  readonly description: string | undefined;
}

const JOURNEY_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Outcomes are kebab-case words, like journey names: they are search attribute values and report rows. */
export const OUTCOME = JOURNEY_NAME;

/** `abandoned-cart` → `abandonedCart`. */
export function workflowTypeOf(journeyName: string): string {
  return journeyName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Describes a journey without its body: pure, safe to import from a backend service that only emits events.
 * `journey()` in `temporal-journeys/workflow` calls it for you.
 */
export function defineJourney<
  TTrigger extends AnyEventDefinition | undefined,
  TGoal extends AnyEventDefinition,
  TEvents extends AnyEventDefinition,
>(name: string, options: JourneyOptions<TTrigger, TGoal, TEvents>): JourneyDefinition {
  if (!JOURNEY_NAME.test(name)) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `Journey name "${name}" must be kebab-case, e.g. "abandoned-cart".`,
    );
  }
  if (options.key && !options.trigger) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `Journey "${name}" has a key but no trigger; a key is read from the trigger event.`,
    );
  }
  const goal = options.goal as AnyEventDefinition | readonly AnyEventDefinition[] | undefined;
  const goals: readonly AnyEventDefinition[] = goal === undefined ? [] : 'kind' in goal ? [goal] : goal;
  const goalOutcome = options.goalOutcome ?? 'converted';
  if (!OUTCOME.test(goalOutcome)) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `Journey "${name}": goalOutcome "${goalOutcome}" must be a kebab-case word.`,
    );
  }
  const reentry = options.reentry ?? 'never';
  if (typeof reentry === 'object') toMs(reentry.after);
  const events = options.events ?? [];
  const definitions: (AnyEventDefinition | undefined)[] = [options.trigger, ...goals, ...events];
  const names = definitions.filter((e) => e !== undefined).map((e) => e.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `Journey "${name}" names event "${duplicate}" twice among trigger, goal and events.`,
    );
  }
  return Object.freeze({
    kind: 'journeys.journey-definition',
    name,
    workflowType: workflowTypeOf(name),
    trigger: options.trigger,
    key: options.key as JourneyDefinition['key'],
    keyed: options.key !== undefined || options.keyed === true,
    goals,
    goalOutcome,
    events,
    route: options.route,
    reentry,
    description: options.description,
  });
}

/** Every event type a journey reacts to once running: its goals and the events it waits for. */
export function listenedEventTypes(definition: JourneyDefinition): string[] {
  return [...definition.goals, ...definition.events].map((e) => e.name);
}
