import type { AnyEventDefinition, EventOf } from '../events';
import { checkJourneyOptions, type journeyOptionSchemas } from './define-journey.schema';
import type { Duration } from './duration';
import { checkJourneyName, workflowTypeOf } from './journey-name';

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
  /**
   * On a worker with a deployment version (`createJourneyWorker({ deployment })`), which build a running
   * journey's next workflow task goes to once another build becomes current. `'auto-upgrade'` (the default):
   * the current build, so months-long journeys get fixes and must stay replayable (`patched()`, `journeys
   * replay`). `'pinned'`: the build it started on, until it ends, so a short journey never meets changed
   * code and needs no patch. Ignored by workers without a deployment. README, "Safe rollouts".
   */
  readonly versioning?: JourneyVersioning;
}

/** See {@link JourneyOptions.versioning}. */
export type JourneyVersioning = 'auto-upgrade' | 'pinned';

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
  readonly versioning: JourneyVersioning;
}

/** Compile time: the run-time schema checks exactly the options the interface declares, no more, no less. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : false;
const _schemaCoversOptions: SameKeys<JourneyOptions, typeof journeyOptionSchemas> = true;

/**
 * Describes a journey without its body: pure, safe to import from a backend service that only emits events.
 * `journey()` in `temporal-journeys/workflow` calls it for you.
 *
 * The definition is checked completely here, so a mistake fails where it is written rather than in a
 * workflow task: the name (kebab-case, at most 64 characters, not one of the SDK's own workflows), every
 * option's type, the re-entry delay, the goal's outcome, and options that contradict each other (a key
 * without a trigger, a route on a journey that is not keyed, one event named twice...).
 *
 * @throws {@link JourneyDefinitionError} (`JOURNEY_INVALID`) naming the journey, the option and what it allows.
 */
export function defineJourney<
  TTrigger extends AnyEventDefinition | undefined,
  TGoal extends AnyEventDefinition,
  TEvents extends AnyEventDefinition,
>(name: string, options: JourneyOptions<TTrigger, TGoal, TEvents>): JourneyDefinition {
  checkJourneyName(name);
  const checked = checkJourneyOptions(name, options);
  const goal = checked.goal;
  const goals = goal === undefined ? [] : Array.isArray(goal) ? [...goal] : [goal];
  return Object.freeze({
    kind: 'journeys.journey-definition',
    name,
    workflowType: workflowTypeOf(name),
    trigger: checked.trigger,
    key: checked.key,
    keyed: checked.key !== undefined || checked.keyed === true,
    // Copies, frozen: a list changed after the check would bypass it.
    goals: Object.freeze(goals),
    goalOutcome: checked.goalOutcome ?? 'converted',
    events: Object.freeze([...(checked.events ?? [])]),
    route: checked.route,
    reentry: checked.reentry === undefined ? 'never' : freezeReentry(checked.reentry),
    description: checked.description,
    versioning: checked.versioning ?? 'auto-upgrade',
  });
}

function freezeReentry(reentry: ReentryPolicy): ReentryPolicy {
  return typeof reentry === 'object' ? Object.freeze({ after: reentry.after }) : reentry;
}

/** Every event type a journey reacts to once running: its goals and the events it waits for. */
export function listenedEventTypes(definition: JourneyDefinition): string[] {
  return [...definition.goals, ...definition.events].map((e) => e.name);
}
