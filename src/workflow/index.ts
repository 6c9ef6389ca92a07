/**
 * The authoring API of journeys. Runs inside Temporal's deterministic workflow sandbox.
 *
 * @example
 * ```ts
 * import { journey, send, sleep, step, waitFor } from 'temporal-journeys/workflow';
 * export const abandonedCart = journey('abandoned-cart', { trigger: cartAbandoned, goal: orderPlaced, events: [emailClicked] },
 *   async ({ trigger }) => {
 *     await sleep('1 hour');
 *     await step('reminder-email', () => send.email('cart-reminder', { items: trigger.data.items }));
 *     if (!(await waitFor(emailClicked, { within: '1 day' }))) await step('reminder-sms', () => send.sms('Still there?'));
 *   });
 * ```
 */
export { journey } from './journey';
export type { Journey, JourneyContext } from './journey';
export { step } from './step';
export { localTime } from './local-time';
export { journeyNow, sleep, sleepUntil } from './sleep';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
export { send } from './send';
export type { EmailArgs, Send } from './send';
export type { BuiltInTemplates, JourneyTemplates, TemplateData, TemplateName } from './templates';
export type { TemplatesOf, TemplateDefinition, TemplateDataOf } from '../../activities/template-definition';
export { HOLDOUT, split, variantOf } from './split';
export type { SplitOptions } from './split';
export { profile, promoCode } from './profile';
export type { ProfileActivities } from './profile';
// Changing a live journey: Temporal's patching, re-exported (README, "Changing a live journey").
export { deprecatePatch, patched } from '@temporalio/workflow';
export type { Duration, JourneyOutcome, JourneyState, SendResult } from '../journey';
export type { CustomerProfile, Invoice, Order, OrderItem, Recommendation } from '../profile/types';
