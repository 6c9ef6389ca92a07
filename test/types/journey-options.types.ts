/**
 * Type-level behaviour of journey options, checked by `tsc`: what the compiler already refuses. The run-time
 * check (`test/journey/definitions.test.ts`) refuses these too, and what the types cannot see: a duration
 * with an unknown unit, a reserved outcome, a route on a journey that is not keyed, an event named twice.
 */
import { defineJourney } from '../../src/journey';
import { journey } from '../../src/workflow';
import { cartAbandoned, emailClicked, orderPlaced } from '../../workflows/events';

const body = () => Promise.resolve();

// @ts-expect-error reentry is 'never', 'always' or { after }
export const sometimes = journey('sometimes', { reentry: 'sometimes' }, body);
// @ts-expect-error an unknown option (a typo of goal)
export const typo = journey('typo', { trigger: cartAbandoned, goals: orderPlaced }, body);
// @ts-expect-error a key is a function of the trigger, not a field name
export const keyByName = journey('key-by-name', { trigger: cartAbandoned, key: 'cartId' }, body);
// @ts-expect-error keyed is for proactive journeys; a reactive one has key
export const keyedReactive = journey('keyed-reactive', { trigger: cartAbandoned, keyed: true }, body);
// @ts-expect-error keyed is a boolean
export const keyedYes = journey('keyed-yes', { keyed: 'yes' }, body);
// @ts-expect-error a trigger is an event definition, not its name
export const triggerByName = journey('trigger-by-name', { trigger: 'cart.abandoned' }, body);
// @ts-expect-error a goal is an event definition (or a list of them), not its name
export const goalByName = defineJourney('goal-by-name', { goal: 'order.placed' });
// @ts-expect-error events is a list
export const eventsNotAList = defineJourney('events-not-a-list', { events: emailClicked });
// @ts-expect-error a description is a string
export const numberedDescription = defineJourney('numbered', { description: 42 });
// @ts-expect-error an outcome is a string
export const booleanOutcome = defineJourney('boolean-outcome', { goal: orderPlaced, goalOutcome: true });
export const reentryBefore = defineJourney('reentry-before', {
  // @ts-expect-error reentry has no other field than after
  reentry: { after: '7 days', before: '1 day' },
});
// @ts-expect-error a duration is a string or a number of milliseconds
export const reentryAfterTrue = defineJourney('reentry-after-true', { reentry: { after: true } });
export const routeByName = defineJourney('route-by-name', {
  keyed: true,
  goal: orderPlaced,
  // @ts-expect-error a route is a function
  route: 'cartId',
});

// What the types accept and only the run-time check refuses (typed as the compiler sees them).
export const unknownUnit = (): unknown => defineJourney('unknown-unit', { reentry: { after: '7 dayz' } });
export const reservedOutcome = (): unknown =>
  defineJourney('reserved', { goal: orderPlaced, goalOutcome: 'failed' });
