/** The journey map read from code: each library journey's steps, waits, branches and outcomes, as Mermaid. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LIBRARY_JOURNEYS } from '../support/library';
import { isJourneyError } from '../../src/errors';
import { journeySourceDir, mapJourney, mapJourneys, toMermaid, type JourneyMap } from '../../src/map';
import { parseMermaid, type DrawnGraph } from './mermaid-graph';

const WORKFLOWS = path.resolve(__dirname, '..', '..', 'workflows');

let maps: Map<string, JourneyMap>;
const drawn = (name: string): DrawnGraph => parseMermaid(toMermaid(maps.get(name)!));
const stepNode = (name: string, step: string) => maps.get(name)!.nodes.find((n) => n.step === step)!;
const outcomes = (g: DrawnGraph) =>
  g.nodes
    .filter((n) => n.shape === 'circle' && !n.text.startsWith('goal: '))
    .map((n) => n.text)
    .sort();
/** The 1-based line of the first line of `file` containing `text`. */
const lineOf = (file: string, text: string) =>
  readFileSync(path.join(WORKFLOWS, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

beforeAll(() => {
  maps = new Map(mapJourneys({ dir: WORKFLOWS }).map((m) => [m.journey, m]));
});

test('every journey of the library is found, with its file, trigger and goals', () => {
  expect([...maps.keys()].sort()).toEqual(LIBRARY_JOURNEYS);
  expect(maps.get('abandoned-cart')).toMatchObject({
    file: path.relative(process.cwd(), path.join(WORKFLOWS, 'abandoned-cart.ts')),
    trigger: 'cart.abandoned',
    goals: ['order.placed'],
    goalOutcome: 'converted',
  });
  expect(maps.get('reactivation')).toMatchObject({
    goals: ['customer.active', 'order.placed'],
    goalOutcome: 'reactivated',
  });
  expect(maps.get('payment-reminder')!.trigger).toBeUndefined();
  expect(journeySourceDir()).toBe(WORKFLOWS);
  expect(journeySourceDir(path.join(WORKFLOWS, 'index.ts'))).toBe(WORKFLOWS);
});

test('abandoned-cart: split, sleep, email, a wait whose timeout leads to the SMS decision, goal exit', () => {
  const g = drawn('abandoned-cart');
  const start = g.node('cart.abandoned (keyed)');
  expect(start.shape).toBe('stadium');

  const split = g.next(start);
  expect(split).toMatchObject({ text: 'split first-delay', shape: 'subroutine' });
  const arms = g.out(split);
  expect(arms.map((e) => e.label)).toEqual(['15 minutes', '1 hour']);
  const sleep = g.node('sleep 15 minutes or 1 hour');
  expect(sleep.shape).toBe('parallelogram');
  expect(arms.every((e) => e.to === sleep.id)).toBe(true);

  const email = g.next(sleep);
  expect(email).toMatchObject({
    text: 'reminder-email',
    shape: 'rect',
    lines: ['reminder-email', 'email: cart-reminder'],
  });
  const wait = g.next(email);
  expect(wait).toMatchObject({ text: 'wait for email.clicked within 1 day', shape: 'hexagon' });

  const decision = g.next(wait, 'timed out');
  expect(decision).toMatchObject({ text: '!click && customer.phone', shape: 'rhombus' });
  const sms = g.next(decision, 'yes');
  expect(sms).toMatchObject({ text: 'reminder-sms', lines: ['reminder-sms', 'sms'] });
  const completed = g.node('completed');
  expect(g.next(sms)).toBe(completed);
  expect(g.next(decision, 'no')).toBe(completed);
  // A click skips the SMS decision altogether: `!click` is false on that path.
  expect(g.next(wait, 'received')).toBe(completed);

  const goal = g.node('goal: order.placed');
  expect(g.out(start).find((e) => e.to === goal.id)).toMatchObject({ label: 'any time', dashed: true });
  expect(g.next(goal)).toMatchObject({ text: 'converted', shape: 'circle', className: 'mapConverted' });
  expect(outcomes(g)).toEqual(['completed', 'converted']);
});

test('abandoned-cart: steps carry their name pattern, channels, templates and line', () => {
  expect(stepNode('abandoned-cart', 'reminder-email')).toMatchObject({
    kind: 'step',
    stepPattern: '^reminder-email$',
    channels: ['email'],
    templates: ['cart-reminder'],
    line: lineOf('abandoned-cart.ts', "step('reminder-email'"),
  });
  expect(stepNode('abandoned-cart', 'reminder-sms')).toMatchObject({ channels: ['sms'], templates: [] });
  const wait = maps.get('abandoned-cart')!.nodes.find((n) => n.kind === 'wait')!;
  expect(wait.line).toBe(lineOf('abandoned-cart.ts', 'await waitFor(emailClicked'));
  const ids = maps.get('abandoned-cart')!.nodes.map((n) => n.id);
  expect(ids).toEqual(ids.map((_, i) => `n${i + 1}`));
});

test('welcome: double opt-in waits route by outcome; SMS decision; day 7 hand-off; custom outcomes', () => {
  const g = drawn('welcome');
  const confirm = g.next(g.node('customer.signed_up'));
  expect(confirm.lines).toEqual(['confirm-email', 'email: confirm-subscription']);
  const firstWait = g.next(confirm);
  expect(firstWait.text).toBe('wait for subscription.confirmed within 2 days');
  const reminder = g.next(firstWait, 'timed out');
  expect(reminder.text).toBe('confirm-reminder');
  const secondWait = g.next(reminder);
  expect(secondWait.text).toBe('wait for subscription.confirmed within 3 days');
  expect(g.next(secondWait, 'timed out').text).toBe('unconfirmed');
  const welcomeEmail = g.node('welcome-email');
  expect(g.next(firstWait, 'received')).toBe(welcomeEmail);
  expect(g.next(secondWait, 'received')).toBe(welcomeEmail);

  const smsDecision = g.next(welcomeEmail);
  expect(smsDecision).toMatchObject({ text: 'customer.phone && me?.smsOptIn', shape: 'rhombus' });
  expect(g.next(smsDecision, 'yes').lines).toEqual(['welcome-sms', 'sms']);
  expect(g.next(g.node('tips-email')).text).toBe('sleep until new Date(Date.parse(trigger.at) + 7 * DAY)');
  const active = g.node('!active');
  const handoff = g.next(active, 'yes');
  expect(handoff.lines).toEqual(['sales-handoff', 'webhook']);
  expect(g.next(handoff).text).toBe('handed-to-sales');
  expect(g.next(active, 'no').text).toBe('active');
  expect(outcomes(g)).toEqual(['active', 'converted', 'handed-to-sales', 'unconfirmed']);
});

test('first-purchase: re-waits drawn as loops, delivery decision, repeat-customer or private sale', () => {
  const g = drawn('first-purchase');
  expect(g.next(g.node('order.placed'))).toMatchObject({ shape: 'rhombus' });
  expect(g.next(g.node('thank-you')).text).toBe('sleep 2 days');
  const [delivery, again] = g.all('wait for order.delivered until deliveryDeadline');
  const loop = g.next(delivery!, 'received');
  expect(loop).toMatchObject({ shape: 'trapezoid' });
  expect(loop.text).toMatch(/^while delivered && delivered\.data\.orderId/);
  expect(g.next(loop)).toBe(again);
  expect(g.out(again!)).toEqual([{ from: again!.id, to: loop.id, label: 'again', dashed: true }]);
  const delivered = g.next(loop, 'done');
  expect(delivered.text).toBe('delivered');
  expect(g.next(g.next(delivered, 'yes')).text).toBe('review-request');
  // No delivery within the two weeks: straight on to the second-order wait.
  const secondOrder = g.all('wait for order.placed until new Date(deadline)')[0]!;
  expect(g.next(delivery!, 'timed out')).toBe(secondOrder);
  expect(g.next(secondOrder, 'timed out').lines).toEqual(['private-sale', 'email: private-sale']);
  expect(outcomes(g)).toEqual(['not-first-order', 'private-sale-offered', 'repeat-customer']);
});

test('reactivation: holdout split, the win-back series unrolled with real step names, lapsed', () => {
  const g = drawn('reactivation');
  const start = g.node('enrolled');
  const split = g.next(start);
  expect(split.text).toBe('split win-back');
  const first = g.node('win-back-1');
  expect(g.out(split)).toEqual([
    { from: split.id, to: first.id, label: 'series', dashed: false },
    { from: split.id, to: first.id, label: 'holdout 10%', dashed: false },
  ]);
  let at = first;
  for (const n of [1, 2, 3]) {
    expect(at.lines).toEqual([`win-back-${n}`, 'email: win-back']);
    const sleep = g.next(at);
    expect(sleep.text).toBe('sleep 7 days');
    at = g.next(sleep);
  }
  expect(at.text).toBe('lapsed');
  for (const goal of ['goal: customer.active', 'goal: order.placed'])
    expect(g.next(g.node(goal)).text).toBe('reactivated');
  expect(outcomes(g)).toEqual(['lapsed', 'reactivated']);
});

test('payment-reminder: four notices unrolled, SMS only for the late ones, paid between, collections', () => {
  const g = drawn('payment-reminder');
  expect(g.node('enrolled (keyed)').shape).toBe('stadium');
  expect(maps.get('payment-reminder')!.goals).toEqual([]);
  const notices = [
    ['upcoming', 'email: payment-upcoming'],
    ['due-today', 'email: payment-due-today'],
    ['overdue', 'sms + email: payment-overdue'],
    ['final-notice', 'sms + email: payment-final-notice'],
  ];
  const paid = g.node('paid');
  let at = g.next(g.node('invoice.paidAt'), 'no');
  for (const [step, sends] of notices) {
    expect(at.text).toBe('sleep until new Date(at(notice))');
    const before = g.next(at);
    expect(before.text).toBe('await isPaid()');
    expect(g.next(before, 'yes')).toBe(paid);
    const notice = g.next(before, 'no');
    expect(notice.lines).toEqual([step, sends]);
    const after = g.next(notice);
    expect(g.next(after, 'yes')).toBe(paid);
    at = g.next(after, 'no');
  }
  expect(at.lines).toEqual(['collections', 'webhook']);
  expect(g.next(at).text).toBe('unpaid');
  expect(outcomes(g)).toEqual(['paid', 'unknown-invoice', 'unpaid']);
});

test('cross-sell: branches on the category, cards get insurance, shop orders a reminder unless clicked', () => {
  const g = drawn('cross-sell');
  const cards = g.node("category === 'cards'");
  expect(g.next(cards, 'yes').text).toBe('sleep 1 day');
  expect(g.next(cards, 'no').text).toBe('sleep 5 days');
  expect(g.next(g.node('customer.phone'), 'yes').lines).toEqual(['insurance-sms', 'sms']);
  const wait = g.node('wait for email.clicked within 3 days');
  expect(g.next(wait, 'received').text).toBe('clicked');
  const reminder = g.next(wait, 'timed out');
  expect(reminder.lines).toEqual(['related-reminder', 'email: related-product']);
  expect(g.next(reminder).text).toBe('offered');
  expect(outcomes(g)).toEqual(['clicked', 'nothing-to-offer', 'offered', 'unknown-order']);
});

test('upsell: satisfaction checks before the offer and again before the reminder', () => {
  const g = drawn('upsell');
  const offer = g.next(g.node('sleep 1 day'));
  expect(offer.lines).toEqual(['offer', 'email: upsell']);
  const recheck = g.next(g.next(offer));
  expect(recheck.text).toBe('!isSatisfied(await profile.get(), journeyNow().getTime())');
  expect(g.next(recheck, 'yes').text).toBe('not-satisfied');
  expect(g.next(recheck, 'no').text).toBe('reminder');
  expect(g.next(g.node('goal: plan.upgraded')).text).toBe('converted');
  expect(outcomes(g)).toEqual(['converted', 'not-satisfied', 'not-upgraded', 'top-tier', 'unknown-plan']);
});

test('loyalty: the endless loop, tier moves with computed names, expiry reminder, lapsed', () => {
  const g = drawn('loyalty');
  const loop = g.next(g.node('order.placed'));
  expect(loop).toMatchObject({ text: 'repeat', shape: 'trapezoid' });
  expect(g.out(loop).filter((e) => e.label === 'done')).toEqual([]);
  const empty = g.next(loop);
  expect(empty.text).toBe('orders.length === 0');
  expect(g.next(empty, 'yes').text).toBe('lapsed');
  const moved = g.next(empty, 'no');
  expect(moved.text).toBe('next.name !== tier');
  const up = g.next(moved, 'yes');
  expect(up.text).toBe('up');
  expect(g.next(up, 'yes').lines).toEqual(['tier-up-{next.name}', 'email: loyalty-tier']);
  expect(g.next(up, 'no').text).toBe('tier-down-{next.name}');
  const wait = g.next(moved, 'no');
  expect(wait.text).toMatch(/^wait for order\.placed until /);
  expect(g.out(wait).find((e) => e.label === 'received')).toEqual({
    from: wait.id,
    to: loop.id,
    label: 'received',
    dashed: true,
  });
  const expiring = g.next(g.next(wait, 'timed out'), 'yes');
  expect(expiring.text).toBe('points-expiring');
  expect(g.out(expiring)).toEqual([{ from: expiring.id, to: loop.id, label: 'again', dashed: true }]);
  expect(outcomes(g)).toEqual(['lapsed']);

  const tierUp = stepNode('loyalty', 'tier-up-{next.name}');
  expect(tierUp.stepPattern).toBe('^tier-up-.+$');
  expect(new RegExp(tierUp.stepPattern!).test('tier-up-gold')).toBe(true);
  expect(new RegExp(tierUp.stepPattern!).test('tier-down-gold')).toBe(false);
});

test('mapJourney reads one journey the same way; an unknown name lists the journeys found', () => {
  expect(mapJourney('abandoned-cart', { dir: WORKFLOWS })).toEqual(maps.get('abandoned-cart'));
  expect(toMermaid(mapJourney('loyalty', { dir: WORKFLOWS }))).toBe(toMermaid(maps.get('loyalty')!));
  let error: unknown;
  try {
    mapJourney('abandoned-kart', { dir: WORKFLOWS });
  } catch (err) {
    error = err;
  }
  expect(isJourneyError(error, 'JOURNEY_NOT_FOUND')).toBe(true);
  for (const name of LIBRARY_JOURNEYS) expect((error as Error).message).toContain(name);
});
