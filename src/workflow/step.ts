import { currentRuntime } from './runtime';

/**
 * Runs `fn` as a named touchpoint. Entering a step upserts the `JourneyStep` and `JourneySteps` search
 * attributes, so funnels are visibility counts, and names the sends inside it: their idempotency key is
 * workflow id + run id + step + pass, so a retried send never goes out twice, and a step entered again
 * (a reminder loop) sends again.
 *
 * A step is entered only once every event from before it (by `at`) has been applied: a goal that happened
 * first ends the journey before the step, as if it had arrived first.
 *
 * Determinism: step names must not depend on anything but the journey's inputs and events.
 *
 * @example
 * ```ts
 * await step('reminder-email', () => send.email('cart-reminder', { items }));
 * ```
 */
export async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!name || name.length > 100) throw new TypeError(`Step name "${name}" must be 1 to 100 characters.`);
  const runtime = currentRuntime('step');
  // A goal or an exit from before this moment (by `at`) still in the order window ends the run first; runs
  // started before ordered events enter the step at once, as they did when they ran.
  if (runtime.order) await runtime.beforeAction();
  runtime.enterStep(name);
  return await fn();
}
