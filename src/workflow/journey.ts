import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  inWorkflowContext,
  isCancellation,
  log,
  patched,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  sleep as wfSleep,
  TemporalFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AnyEventDefinition, EventOf } from '../events';
import { EVENT_SIGNAL } from '../events';
import type { KeptItem, ReadRequest } from '../inbox';
import {
  defineJourney,
  EXIT_SIGNAL,
  idProblem,
  journeyWorkflowId,
  OUTCOME,
  journeySearchAttributes as attrs,
  STATE_QUERY,
  toMs,
  type CustomerRef,
  type ExitRequest,
  type JourneyDefinition,
  type JourneyInput,
  type JourneyOptions,
  type JourneyState,
} from '../journey';
import { installRuntime, JourneyRuntime } from './runtime';
import { decideGatePatches } from './contact-gate';

/** What a journey body receives. */
export interface JourneyContext<TTrigger extends AnyEventDefinition | undefined> {
  readonly customer: CustomerRef;
  /** The event that enrolled the customer (reactive journeys); `undefined` for proactive ones. */
  readonly trigger: TTrigger extends AnyEventDefinition ? EventOf<TTrigger> : undefined;
  /** The `data` of a proactive enrolment. */
  readonly data: unknown;
  /** The run's key: read from the trigger (`key`), or given at a keyed enrolment (`keyed: true`). */
  readonly key: string | undefined;
}

/** A journey: a Temporal workflow function carrying its definition. Register it by exporting it. */
export interface Journey<
  TTrigger extends AnyEventDefinition | undefined = AnyEventDefinition | undefined,
  TEvents extends AnyEventDefinition = AnyEventDefinition,
> {
  (input: JourneyInput): Promise<JourneyState>;
  readonly definition: JourneyDefinition;
  /** Type-level only: the trigger event, so the client can infer `emit` and `enroll` inputs. */
  readonly __trigger?: TTrigger;
  /** Type-level only: every event the journey takes (trigger, goals, listened), which types `emit`. */
  readonly __events?: TEvents;
}

export const eventSignal = defineSignal<[unknown]>(EVENT_SIGNAL);
export const exitSignal = defineSignal<[ExitRequest]>(EXIT_SIGNAL);
export const stateQuery = defineQuery<JourneyState>(STATE_QUERY);

/** Outcomes only the runtime sets: a body returning one would make reports lie. */
const RESERVED: readonly string[] = ['converted', 'exited', 'failed'];

/** Give up on a reactive journey started without its trigger event after this long. */
const TRIGGER_WAIT = '1 minute';

/**
 * Runs started before event ordering existed apply each event on arrival and read no inbox: the patch keeps
 * their histories replaying, while every run started on this code orders its events (README, "How events
 * are ordered").
 */
export const ORDERING_PATCH = 'temporal-journeys.ordered-events';

/**
 * Runs started on this code decide the runtime's own patches in their first task, before the inbox's local
 * activity, and hold signals until it answered. Temporal's core may record a local activity's result in
 * one workflow task and hand it to the code in the next (when it answers a query meanwhile), while a
 * replay hands it over in the first: a `patched()` first called in between (the gate's, at a proactive
 * journey's first send) fails the replay ("patch marker ... no corresponding change command"), and signals
 * of that task would meet the inbox's items in another order. See test/workflow/query-race.dev.test.ts.
 */
export const PATCHES_FIRST_PATCH = 'temporal-journeys.patches-first';

/** The inbox read at a run's start: a local activity, so it costs one marker in the history. */
const inbox = proxyLocalActivities<{
  readInbox(
    request: ReadRequest & { readonly customerId: string; readonly runId: string },
  ): Promise<KeptItem[]>;
}>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 5 },
});

/**
 * Declares a journey. The body is a plain async function that sleeps, waits for events and sends through
 * named steps; the goal event ends it from wherever it is with outcome `converted` (or `goalOutcome`). The
 * body may return an outcome of its own (`return 'lapsed'`); returning nothing is `completed`.
 *
 * Determinism: the body runs in Temporal's workflow sandbox. Use `sleep`, `waitFor`, `step` and `send`
 * from this module, not timers, network or randomness of your own. Export the result under the journey's
 * name in camelCase (`abandoned-cart` → `abandonedCart`): that is its workflow type.
 *
 * @example
 * ```ts
 * export const abandonedCart = journey('abandoned-cart', {
 *   trigger: cartAbandoned, key: (e) => e.data.cartId, goal: orderPlaced, events: [emailClicked],
 * }, async ({ customer, trigger }) => {
 *   await sleep('1 hour');
 *   await step('reminder-email', () => send.email('cart-reminder', { items: trigger.data.items }));
 *   const click = await waitFor(emailClicked, { within: '1 day' });
 *   if (!click && customer.phone) await step('reminder-sms', () => send.sms('Your cart is waiting'));
 * });
 * ```
 */
export function journey<
  TTrigger extends AnyEventDefinition | undefined = undefined,
  // `never` when not given: a journey without goals or listened events adds none to a typed `emit`.
  TGoal extends AnyEventDefinition = never,
  TEvents extends AnyEventDefinition = never,
>(
  name: string,
  options: JourneyOptions<TTrigger, TGoal, TEvents>,
  body: (context: JourneyContext<TTrigger>) => Promise<void | string>,
): Journey<TTrigger, Exclude<TTrigger, undefined> | TGoal | TEvents> {
  let definition: JourneyDefinition;
  try {
    definition = defineJourney(name, options);
  } catch (err) {
    if (!inWorkflowContext()) throw err;
    // Inside the sandbox a throw here would fail the workflow task of every journey in the bundle; the
    // worker refuses such a bundle at start, and should one run anyway only this journey's runs fail.
    const message = err instanceof Error ? err.message : String(err);
    const broken = (): Promise<JourneyState> =>
      Promise.reject(ApplicationFailure.nonRetryable(message, 'JOURNEY_INVALID'));
    return Object.assign(broken, { definition: { name } as JourneyDefinition });
  }
  const workflow = async (input: JourneyInput): Promise<JourneyState> => run(definition, input, body as Body);
  Object.defineProperty(workflow, 'name', { value: definition.workflowType });
  // Only a worker with a deployment version reads it; auto-upgrade is that worker's default.
  if (definition.versioning === 'pinned') setWorkflowOptions({ versioningBehavior: 'PINNED' }, workflow);
  return Object.assign(workflow, { definition });
}

type Body = (context: JourneyContext<AnyEventDefinition | undefined>) => Promise<void | string>;

async function run(definition: JourneyDefinition, input: JourneyInput, body: Body): Promise<JourneyState> {
  if (typeof input?.customer?.id !== 'string' || input.customer.id === '') {
    // A start from outside the client with no customer: fail the run clearly instead of the task forever.
    throw ApplicationFailure.nonRetryable(
      `Journey "${definition.name}" (${workflowInfo().workflowId}) was started without { customer: { id } } as its argument.`,
      'JOURNEY_INVALID',
    );
  }
  const patchesFirst = patched(PATCHES_FIRST_PATCH);
  const ordered = patched(ORDERING_PATCH);
  const runtime = new JourneyRuntime(definition, input, ordered);
  if (patchesFirst) runtime.gatePatches = decideGatePatches();
  // Until the inbox is read (below): what it kept comes first, then the signals in their order.
  if (patchesFirst && runtime.order) runtime.holdSignals();
  installRuntime(runtime);
  setHandler(eventSignal, (raw) => runtime.onEventSignal(raw));
  setHandler(exitSignal, (request) => runtime.onExitSignal(request));
  setHandler(stateQuery, () => runtime.state());
  if (workflowInfo().typedSearchAttributes.get(attrs.journeyName) === undefined) {
    // Started by something other than this client (another language, the CLI): tag it all the same.
    upsertSearchAttributes([
      { key: attrs.journeyName, value: definition.name },
      { key: attrs.customerId, value: input.customer.id },
    ]);
  }
  if (runtime.order) {
    const problem = idProblem(input.customer.id);
    if (problem) fail(definition, `its customer id ${JSON.stringify(input.customer.id)} ${problem}`);
    // A keyed reactive journey's id is known once its trigger is.
    if (!definition.trigger || !definition.key) checkWorkflowId(definition, input.customer.id, input.key);
    await readInbox(runtime);
    runtime.releaseSignals(); // any held while it read
    void runtime.order.run((arrival, at) => runtime.apply(arrival, at));
  }

  if (definition.trigger) {
    const started = () => runtime.trigger !== undefined || runtime.ending !== undefined;
    // A trigger in the order window is applied once its window passes: no need for a timer to bound it.
    const arrived = runtime.order?.holds(definition.trigger.name)
      ? (await condition(started), true)
      : await condition(started, TRIGGER_WAIT);
    if (!arrived) {
      throw ApplicationFailure.nonRetryable(
        `Journey "${definition.name}" (${workflowInfo().workflowId}) started without its trigger "${definition.trigger.name}"; start it with emit().`,
        'JOURNEY_INVALID',
      );
    }
  }

  if (runtime.trigger && definition.key) runtime.key = keyOf(runtime, definition);
  else if (definition.keyed) runtime.key = input.key;
  let returned: string | void = undefined;
  try {
    if (!runtime.ending) {
      const scope = new CancellationScope();
      runtime.bodyScope = scope;
      const context = {
        customer: input.customer,
        trigger: runtime.trigger,
        data: input.data,
        key: runtime.key,
      };
      returned = await scope.run(() => body(context as JourneyContext<AnyEventDefinition | undefined>));
      if (typeof returned === 'string' && (!OUTCOME.test(returned) || RESERVED.includes(returned))) {
        // A bug in the journey: fail the task (retried until a fixed worker is deployed), not the customer.
        throw new TypeError(
          `Journey "${definition.name}" returned "${returned}"; an outcome is a kebab-case word like "lapsed", other than ${RESERVED.join(', ')}.`,
        );
      }
    }
  } catch (err) {
    if (!(runtime.ending && isCancellation(err))) {
      // A Temporal failure fails the run: record it. Any other error is a bug in the journey: let it fail
      // the workflow task, which Temporal retries until a fixed worker is deployed.
      if (err instanceof TemporalFailure) runtime.finish('failed');
      throw err;
    }
  } finally {
    runtime.bodyScope = undefined;
  }
  if (runtime.order && !runtime.ending) {
    // The body returned at this instant of its clock: what happened before it (a goal still in its order
    // window) still counts; what happened after does not.
    runtime.order.horizon = runtime.order.logicalNow();
    await runtime.order.catchUp();
  }
  runtime.finish(runtime.ending?.outcome ?? (typeof returned === 'string' ? returned : 'completed'));

  const { reentry } = definition;
  if (typeof reentry === 'object') {
    const hold = runtime.scaled(toMs(reentry.after));
    runtime.reenterableAt = new Date(runtime.journeyNow() + toMs(reentry.after)).toISOString();
    await wfSleep(hold);
  }
  return runtime.state();
}

/** The key a keyed reactive journey reads from its trigger, checked like the client checks it. */
function keyOf(runtime: JourneyRuntime, definition: JourneyDefinition): string {
  let key: unknown;
  try {
    key = (definition.key as (event: unknown) => unknown)(runtime.trigger);
  } catch (err) {
    if (!runtime.order) throw err;
    fail(
      definition,
      `its key function threw on the trigger: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!runtime.order) return key as string;
  const problem = idProblem(key);
  if (problem) fail(definition, `the key its trigger gives, ${JSON.stringify(key)}, ${problem}`);
  checkWorkflowId(definition, runtime.customerId, key as string);
  return key as string;
}

/**
 * A run reachable only under its own id: `journey/<journey>/<customer>[/<key>]`. One started from outside
 * under another id would never receive an event; it fails at once, saying what the id should be.
 */
function checkWorkflowId(definition: JourneyDefinition, customerId: string, key: string | undefined): void {
  // A replayer may run a history under another id (Temporal's defaults to "fake"). A run that passed the
  // check issued no command for it, so skipping it in replay replays the same; one that failed never ran.
  if (workflowInfo().unsafe.isReplaying) return;
  const expected = journeyWorkflowId(definition.name, customerId, key);
  const actual = workflowInfo().workflowId;
  if (actual === expected) return;
  fail(
    definition,
    `it runs as workflow id "${actual}", but its customer${key === undefined ? '' : ' and key'} make its id "${expected}", so no event could reach it; start it with emit()/enroll(), or with workflow id "${expected}"`,
  );
}

function fail(definition: JourneyDefinition, why: string): never {
  throw ApplicationFailure.nonRetryable(
    `Journey "${definition.name}" cannot run: ${why}.`,
    'JOURNEY_INVALID',
  );
}

/** What the inbox kept for this run before it started (an event sent a moment before its trigger). */
async function readInbox(runtime: JourneyRuntime): Promise<void> {
  try {
    const kept = await inbox.readInbox({
      customerId: runtime.customerId,
      journey: runtime.definition.name,
      workflowId: workflowInfo().workflowId,
      runId: workflowInfo().runId,
    });
    for (const item of kept)
      runtime.receiveKept(item.kind === 'event' ? item : { kind: 'exit', ...item.exit });
  } catch (err) {
    if (isCancellation(err)) throw err;
    // Without it the run still orders what reaches it; only events sent before it started are missed.
    log.warn('Journey could not read the customer inbox', { journey: runtime.definition.name, err });
  }
}
