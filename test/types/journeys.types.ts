/**
 * Type-level behaviour, checked by `tsc` (npm run typecheck): a wrong event or field fails to compile.
 */
/* eslint-disable @typescript-eslint/no-unsafe-return -- lines under @ts-expect-error are wrong on purpose */
import { createJourneyClient, type JourneyClient } from '../../src/client';
import { waitFor } from '../../src/workflow';
import { journey } from '../../src/workflow';
import { cartAbandoned, emailClicked, orderPlaced } from '../../workflows/events';

declare const typed: JourneyClient<typeof cartAbandoned | typeof orderPlaced>;

export async function emits(): Promise<void> {
  await typed.emit({ type: 'order.placed', customer: 'c1', data: { orderId: 'o1', total: 3 } });
  // @ts-expect-error total must be a number
  await typed.emit({ type: 'order.placed', customer: 'c1', data: { orderId: 'o1', total: '3' } });
  // @ts-expect-error an event the client was not given
  await typed.emit({ type: 'email.clicked', customer: 'c1', data: {} });
  const noItems = { cartId: 'k', url: 'https://x.example' };
  // @ts-expect-error cart.abandoned needs items
  await typed.emit({ type: 'cart.abandoned', customer: 'c1', data: noItems });
}

export const typedJourney = journey(
  'typed-journey',
  {
    trigger: cartAbandoned,
    key: (e) => e.data.cartId,
    goal: orderPlaced,
    events: [emailClicked],
    // @ts-expect-error route sees only goal and listened events, and email.clicked has no cartId
    route: (e) => (e.type === 'email.clicked' ? e.data.cartId : undefined),
  },
  async ({ trigger }) => {
    const items: string[] = trigger.data.items;
    // @ts-expect-error the trigger's data has no orderId
    void trigger.data.orderId;
    const click = await waitFor(emailClicked, { within: '1 day' });
    const url: string | undefined = click?.data.url;
    void [items, url];
  },
);

// @ts-expect-error a key is read from the trigger, so it needs one
export const keyWithoutTrigger = journey('no-trigger', { key: (e: never) => e }, () => Promise.resolve());

/** A client made from journeys alone is typed by their triggers, goals and listened events. */
export async function emitsFromJourneysAlone(): Promise<void> {
  const journeys = await createJourneyClient({ journeys: [typedJourney] });
  await journeys.emit({
    type: 'cart.abandoned',
    customer: 'c1',
    data: { cartId: 'k', items: ['a'], url: 'https://x.example' },
  });
  await journeys.emit({ type: 'email.clicked', customer: 'c1', data: { url: 'https://x.example' } });
  // @ts-expect-error a typo in the event type
  await journeys.emit({ type: 'cart.abandonned', customer: 'c1', data: {} });
  // @ts-expect-error order.placed needs its total
  await journeys.emit({ type: 'order.placed', customer: 'c1', data: { orderId: 'o1' } });
  // A typed client goes wherever a client is taken.
  const any: JourneyClient = journeys;
  void any;
}
