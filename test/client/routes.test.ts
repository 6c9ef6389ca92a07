/** Where an event goes, decided from the event alone (pure: no server). */
import { routesOf } from '../../src/client';
import { emailClicked } from '../../src/events';
import { abandonedCart, crossSell, welcome } from '../../workflows';

const click = (data: Record<string, unknown>) => ({
  id: 'e1',
  type: emailClicked.name,
  customerId: 'c1',
  data,
  at: new Date().toISOString(),
});
const journeys = [abandonedCart.definition, crossSell.definition, welcome.definition];

test("a click on one journey's email reaches that journey only, never another one waiting for a click", () => {
  expect(routesOf(journeys, click({ messageId: 'm1', journey: 'welcome', step: 'welcome-email' }))).toEqual(
    [],
  );
  expect(
    routesOf(
      journeys,
      click({ messageId: 'm2', journey: 'abandoned-cart', step: 'reminder-email', key: 'cart-1' }),
    ),
  ).toEqual([
    { kind: 'signal', journey: abandonedCart.definition, workflowId: 'journey/abandoned-cart/c1/cart-1' },
  ]);
  // A click emitted by hand, naming no journey, goes wherever a key leads.
  expect(routesOf(journeys, click({ key: 'o-7' })).map((r) => r.journey.name)).toEqual([
    'abandoned-cart',
    'cross-sell',
  ]);
});
