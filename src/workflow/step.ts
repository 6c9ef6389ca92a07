import { currentRuntime } from './runtime';

/**
 * Runs `fn` as a named touchpoint. Entering a step upserts the `JourneyStep` and `JourneySteps` search
 * attributes, so funnels are visibility counts, and names the sends inside it: their idempotency key is
 * workflow id + run id + step + pass, so a retried send never goes out twice, and a step entered again
 * (a reminder loop) sends again.
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
  currentRuntime('step').enterStep(name);
  return await fn();
}
