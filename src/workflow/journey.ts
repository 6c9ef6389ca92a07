import {
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  isCancellation,
  setHandler,
  sleep as wfSleep,
  TemporalFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AnyEventDefinition, EventOf } from '../events';
import { EVENT_SIGNAL } from '../events';
import {
  defineJourney,
  EXIT_SIGNAL,
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
export interface Journey<TTrigger extends AnyEventDefinition | undefined = AnyEventDefinition | undefined> {
  (input: JourneyInput): Promise<JourneyState>;
  readonly definition: JourneyDefinition;
  /** Type-level only: the trigger event, so the client can infer `emit` and `enroll` inputs. */
  readonly __trigger?: TTrigger;
}

export const eventSignal = defineSignal<[unknown]>(EVENT_SIGNAL);
export const exitSignal = defineSignal<[ExitRequest]>(EXIT_SIGNAL);
export const stateQuery = defineQuery<JourneyState>(STATE_QUERY);

/** Outcomes only the runtime sets: a body returning one would make reports lie. */
const RESERVED: readonly string[] = ['converted', 'exited', 'failed'];

/** Give up on a reactive journey started without its trigger event after this long. */
const TRIGGER_WAIT = '1 minute';

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
  TTrigger extends AnyEventDefinition | undefined,
  TGoal extends AnyEventDefinition,
  TEvents extends AnyEventDefinition,
>(
  name: string,
  options: JourneyOptions<TTrigger, TGoal, TEvents>,
  body: (context: JourneyContext<TTrigger>) => Promise<void | string>,
): Journey<TTrigger> {
  const definition = defineJourney(name, options);
  const workflow = async (input: JourneyInput): Promise<JourneyState> => run(definition, input, body as Body);
  Object.defineProperty(workflow, 'name', { value: definition.workflowType });
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
  const runtime = new JourneyRuntime(definition, input);
  installRuntime(runtime);
  setHandler(eventSignal, (raw) => runtime.receive(raw));
  setHandler(exitSignal, (request) =>
    runtime.end({ outcome: 'exited', reason: String(request?.reason ?? 'exit') }),
  );
  setHandler(stateQuery, () => runtime.state());
  if (workflowInfo().typedSearchAttributes.get(attrs.journeyName) === undefined) {
    // Started by something other than this client (another language, the CLI): tag it all the same.
    upsertSearchAttributes([
      { key: attrs.journeyName, value: definition.name },
      { key: attrs.customerId, value: input.customer.id },
    ]);
  }

  if (definition.trigger) {
    const arrived = await condition(
      () => runtime.trigger !== undefined || runtime.ending !== undefined,
      TRIGGER_WAIT,
    );
    if (!arrived) {
      throw ApplicationFailure.nonRetryable(
        `Journey "${definition.name}" (${workflowInfo().workflowId}) started without its trigger "${definition.trigger.name}"; start it with emit().`,
        'JOURNEY_INVALID',
      );
    }
  }

  if (runtime.trigger && definition.key) runtime.key = definition.key(runtime.trigger as never);
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
  runtime.finish(runtime.ending?.outcome ?? (typeof returned === 'string' ? returned : 'completed'));

  const { reentry } = definition;
  if (typeof reentry === 'object') {
    const hold = runtime.scaled(toMs(reentry.after));
    runtime.reenterableAt = new Date(runtime.journeyNow() + toMs(reentry.after)).toISOString();
    await wfSleep(hold);
  }
  return runtime.state();
}
