import { z } from 'zod';
import { isJourneyError, type EventValidationError } from '../../src/errors';
import { defineEvent, defineEventCatalog } from '../../src/events';
import { cartAbandoned, emailClicked, orderPlaced } from '../../workflows/events';

const catch_ = (fn: () => unknown): EventValidationError => {
  try {
    fn();
  } catch (err) {
    return err as EventValidationError;
  }
  throw new Error('expected a throw');
};

test('event names must read noun.past_tense', () => {
  expect(
    isJourneyError(
      catch_(() => defineEvent('CartAbandoned', z.object({}))),
      'EVENT_INVALID',
    ),
  ).toBe(true);
  expect(defineEvent('cart.abandoned', z.object({})).name).toBe('cart.abandoned');
});

test('the catalog parses a whole event and names the failing field', () => {
  const catalog = defineEventCatalog([cartAbandoned, orderPlaced, emailClicked]);
  const event = catalog.parse({
    id: 'e1',
    type: 'order.placed',
    customerId: 'c1',
    data: { orderId: 'o1', total: 3 },
    at: '2026-11-23T10:00:00Z',
  });
  expect(event.data).toEqual({ orderId: 'o1', total: 3 });

  const bad = catch_(() =>
    catalog.parse({
      id: 'e2',
      type: 'cart.abandoned',
      customerId: 'c1',
      data: { cartId: 'k', items: [], url: 'x' },
      at: '2026-11-23T10:00:00Z',
    }),
  );
  expect(bad.code).toBe('EVENT_INVALID');
  expect(bad.issues.map((i) => i.path).sort()).toEqual(['data.items', 'data.url']);

  const unknown = catch_(() =>
    catalog.parse({ id: 'e3', type: 'cart.emptied', customerId: 'c1', data: {}, at: '2026-11-23T10:00:00Z' }),
  );
  expect(unknown.code).toBe('EVENT_UNKNOWN');
  expect(unknown.eventType).toBe('cart.emptied');

  const envelope = catch_(() => catalog.parse({ id: '', type: 'order.placed', data: {}, at: 'yesterday' }));
  expect(envelope.issues.map((i) => i.path).sort()).toEqual(['at', 'customerId', 'id']);
});

test('two schemas under one name are refused', () => {
  const again = defineEvent('order.placed', z.object({}));
  expect(catch_(() => defineEventCatalog([orderPlaced, again])).code).toBe('EVENT_INVALID');
});
