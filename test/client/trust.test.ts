/**
 * What the client refuses before anything reaches Temporal, and what it says when Temporal refuses part of
 * an event: one canonical customer id at every door, `at` within bounds, every route checked first,
 * all-or-nothing emit with a safe retry, a clear error after `close()` or when no worker answers. On the
 * time-skipping server.
 */
import { Client, ServiceError, type WorkflowClientInterceptor } from '@temporalio/client';
import { createJourneyClient, type JourneyClient } from '../../src/client';
import { EVENT_SIGNAL } from '../../src/events';
import { EmitIncompleteError, type JourneyError } from '../../src/errors';
import { journeyWorkflowId, type JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { nurture, perOrder, thankYou } from '../fixtures/trust/journeys';
import { rejection, workflowExists } from '../support/outcomes';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [thankYou, perOrder, nurture],
    workflowsPath: require.resolve('../fixtures/trust/journeys'),
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);

const exists = (workflowId: string) => workflowExists(t.env.client, workflowId);

/** Ids that are not one customer's one id: each is refused, naming the field, wherever it is given. */
const BAD_IDS: readonly [string, string][] = [
  ['surrounding spaces', '  bob  '],
  ['a trailing newline', 'bob\n'],
  ['a lone surrogate (malformed unicode)', 'bob\uD800'],
  ['a zero-width space', 'bo\u200Bb'],
  ['a bidi override', 'bob\u202E'],
  ['not NFC (e + combining accent)', 'rene\u0301'],
  ['too long once percent-encoded', 'é'.repeat(100)],
  ['a control character', 'b\u0000ob'],
];

test.each(BAD_IDS)('a customer id with %s is refused at every door, and nothing is sent', async (_, id) => {
  await t.run(async ({ journeys }) => {
    const doors: [string, () => Promise<unknown>][] = [
      ['emit', () => journeys.emit({ type: 'trust.ordered', customer: id, data: { orderId: 'o1' } })],
      ['enroll', () => journeys.enroll(nurture, { customer: id })],
      ['enrollMany', async () => (await journeys.enrollMany(nurture, [{ customer: id }])).problems[0]],
      ['state', () => journeys.state(nurture, { customerId: id })],
      ['exit', () => journeys.exit(nurture, { customerId: id })],
      ['contacts.get', () => journeys.contacts.get(id)],
      ['contacts.update', () => journeys.contacts.update(id, { timeZone: 'UTC' })],
      ['contacts.unsubscribe', () => journeys.contacts.unsubscribe(id, { channel: 'email' })],
    ];
    for (const [door, call] of doors) {
      if (door === 'enrollMany') {
        const problem = (await call()) as { outcome: string; reason: string } | undefined;
        expect([door, problem?.outcome]).toEqual([door, 'failed']);
        continue;
      }
      const err = await rejection(call());
      expect([door, err.code]).toEqual([door, expect.stringMatching(/^(EVENT_INVALID|CONTACT_INVALID)$/)]);
    }
  });
  // Not one run or contact was created for any spelling.
  for (const journey of ['thank-you', 'nurture'])
    expect(await exists(journeyWorkflowId(journey, 'bob'))).toBe(false);
});

test('one customer, one id: an unsubscribe reaches the contact the journeys ask', async () => {
  await t.run(async ({ journeys }) => {
    const id = `bob-${uid()}`;
    const email = `${id}@example.com`;
    await journeys.contacts.unsubscribe(id, { channel: 'email' });
    await journeys.enroll(nurture, { customer: { id, email } });
    await t.env.client.workflow.getHandle(journeyWorkflowId('nurture', id)).result();
    const state = await journeys.state(nurture, { customerId: id });
    expect(state.sends).toEqual([expect.objectContaining({ status: 'suppressed', reason: 'unsubscribed' })]);
    expect(t.outbox.emails(email)).toHaveLength(0);
  });
});

test('`at` must be a real instant within bounds: a clear error, nothing sent', async () => {
  await t.run(async ({ journeys }) => {
    const id = `at-${uid()}`;
    const emit = (at: unknown) =>
      journeys.emit({ type: 'trust.ordered', customer: id, data: { orderId: 'o' }, at: at as Date });
    const now = await t.env.currentTimeMs();
    for (const at of [
      new Date('9999-01-01T00:00:00Z'), // parks a journey for millennia
      new Date(now + 3_600_000), // an hour ahead of the clock
      new Date('1970-01-01T00:00:00Z'), // skips a week of a journey
      new Date('nope'), // Invalid Date, not a RangeError
      '2026-12-01', // no time or zone
      'yesterday',
      12345,
    ]) {
      const err = await rejection(emit(at));
      expect([String(at), err.code, err.issues.map((i) => i.path)]).toEqual([
        String(at),
        'EVENT_INVALID',
        ['at'],
      ]);
    }
    expect(await exists(journeyWorkflowId('thank-you', id))).toBe(false);
    // In bounds: taken, as given.
    const at = new Date(now - 60_000);
    const { event } = await emit(at);
    expect(event.at).toBe(at.toISOString());
  });
});

test('a route that would exceed the workflow id limit is refused before any journey is started', async () => {
  await t.run(async ({ journeys }) => {
    const id = `long-${uid()}`;
    const email = `${id}@example.com`;
    const err = await rejection(
      journeys.emit({ type: 'trust.ordered', customer: { id, email }, data: { orderId: 'x'.repeat(5_000) } }),
    );
    expect(err.code).toBe('EVENT_INVALID');
    expect(err.issues[0]?.message).toContain('per-order');
    // The other journey the event triggers was not started either: nothing half-applied.
    expect(await exists(journeyWorkflowId('thank-you', id))).toBe(false);
    expect(t.outbox.emails(email)).toHaveLength(0);
  });
});

test('an event over the size limit is refused before anything is sent', async () => {
  await t.run(async ({ journeys }) => {
    const id = `big-${uid()}`;
    const err = await rejection(
      journeys.emit({
        type: 'trust.ordered',
        customer: id,
        data: { orderId: 'o', note: 'x'.repeat(300_000) },
      }),
    );
    expect(err.code).toBe('EVENT_INVALID');
    expect(err.message).toContain('events.maxBytes');
    expect(await exists(journeyWorkflowId('thank-you', id))).toBe(false);
  });
});

test('Temporal refusing one route after others were applied: EmitIncompleteError, and a retry completes it once', async () => {
  await t.run(async ({ taskQueue }) => {
    let refuse = true;
    // A partition between this client and the server for one journey's start: a real error from the
    // transport boundary, after the other route went through.
    const partition: WorkflowClientInterceptor = {
      async signalWithStart(input, next) {
        if (refuse && input.workflowType === 'perOrder') throw new ServiceError('injected: connection reset');
        return next(input);
      },
    };
    const client = new Client({
      connection: t.env.connection,
      namespace: t.env.namespace,
      interceptors: { workflow: [partition] },
    });
    const journeys = await createJourneyClient({
      journeys: [thankYou, perOrder],
      client,
      taskQueue,
      now: () => t.env.currentTimeMs(),
    });
    const id = `part-${uid()}`;
    const email = `${id}@example.com`;
    const event = {
      id: `order-${id}`,
      type: 'trust.ordered',
      customer: { id, email },
      data: { orderId: 'o9' },
    } as const;

    const err = await rejection(journeys.emit(event));
    expect(err).toBeInstanceOf(EmitIncompleteError);
    const incomplete = err as unknown as EmitIncompleteError;
    expect(incomplete.code).toBe('EMIT_INCOMPLETE');
    expect(incomplete.applied).toEqual([
      { journey: 'thank-you', workflowId: journeyWorkflowId('thank-you', id), status: 'delivered' },
    ]);
    expect(incomplete.failed.map((f) => [f.journey, f.workflowId])).toEqual([
      ['per-order', journeyWorkflowId('per-order', id, 'o9')],
    ]);
    expect(incomplete.message).toContain('emit it again with the same id');

    refuse = false;
    const { deliveries } = await journeys.emit(event);
    expect(deliveries.map((d) => [d.journey, d.status])).toEqual([
      ['thank-you', 'delivered'],
      ['per-order', 'delivered'],
    ]);
    // Applied once: one thank-you, and the run that had it saw the retry as the same event.
    await t.outbox.waitFor((m) => m.channel === 'email' && m.to.includes(email));
    await new Promise((r) => setTimeout(r, 3_000)); // past the order window
    const state = await journeys.state(thankYou, { customerId: id });
    expect(state.steps.map((s) => s.name)).toEqual(['thanks']);
    expect(t.outbox.emails(email)).toHaveLength(1);
    const history = await t.env.client.workflow.getHandle(journeyWorkflowId('thank-you', id)).fetchHistory();
    const signals = history.events?.filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === EVENT_SIGNAL,
    );
    expect(signals).toHaveLength(2); // both attempts reached the run; it handled the id once
  });
});

test('a goal emitted together with its trigger is kept: 20 customers, every run ends with the goal', async () => {
  await t.run(async ({ journeys }) => {
    const customers = Array.from({ length: 20 }, () => {
      const id = `race-${uid()}`;
      return { id, email: `${id}@example.com` };
    });
    const now = await t.env.currentTimeMs();
    // The order service and the refund service at once: neither awaits the other.
    await Promise.all(
      customers.flatMap((c) => [
        journeys.emit({ type: 'trust.ordered', customer: c, data: { orderId: 'o' }, at: new Date(now) }),
        journeys.emit({
          type: 'trust.refunded',
          customer: c.id,
          data: { orderId: 'o' },
          at: new Date(now + 1),
        }),
      ]),
    );
    // One result at a time: the test server skips time while a result is awaited, and twenty awaits at once
    // make it lock and unlock its clock against each other (measured: minutes).
    const states: JourneyState[] = [];
    for (const c of customers)
      states.push(
        (await t.env.client.workflow
          .getHandle(journeyWorkflowId('thank-you', c.id))
          .result()) as JourneyState,
      );
    expect(states.map((s) => s.outcome)).toEqual(customers.map(() => 'refunded'));
  });
});

test('a run started from outside under an id its customer and key do not give fails at once, naming the id', async () => {
  await t.run(async ({ taskQueue }) => {
    const id = `wid-${uid()}`;
    const now = new Date(await t.env.currentTimeMs()).toISOString();
    const handle = await t.env.client.workflow.signalWithStart('perOrder', {
      workflowId: `journey/per-order/${id}/not-the-order`,
      taskQueue,
      args: [{ customer: { id } }],
      signal: EVENT_SIGNAL,
      signalArgs: [{ id: 'e1', type: 'trust.ordered', customerId: id, data: { orderId: 'o5' }, at: now }],
    });
    const err = await handle
      .result()
      .catch((e: unknown) => e as { cause?: { type?: string; message?: string } });
    expect(err).toMatchObject({ cause: { type: 'JOURNEY_INVALID' } });
    expect((err as { cause: { message: string } }).cause.message).toContain(
      journeyWorkflowId('per-order', id, 'o5'),
    );
    const proactive = await t.env.client.workflow.start('nurture', {
      workflowId: `somebody-else`,
      taskQueue,
      args: [{ customer: { id } }],
    });
    await expect(proactive.result()).rejects.toMatchObject({ cause: { type: 'JOURNEY_INVALID' } });
  });
});

test('an event signalled straight at a run with an `at` out of bounds is rejected and counted', async () => {
  await t.run(async ({ journeys }) => {
    const id = `oob-${uid()}`;
    await journeys.enroll(nurture, { customer: id });
    const handle = t.env.client.workflow.getHandle(journeyWorkflowId('nurture', id));
    for (const [n, at] of ['9999-01-01T00:00:00Z', '1970-01-01T00:00:00Z'].entries())
      await handle.signal(EVENT_SIGNAL, {
        id: `f${n}`,
        type: 'trust.refunded',
        customerId: id,
        data: { orderId: 'o' },
        at,
      });
    let state: JourneyState = await journeys.state(nurture, { customerId: id });
    for (let i = 0; i < 50 && state.rejectedEvents < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await journeys.state(nurture, { customerId: id });
    }
    expect(state.rejectedEvents).toBe(2);
    expect(state.outcome).toBeNull(); // the refund from the year 9999 did not end it
  });
});

test('after close(): CLIENT_CLOSED from every call; state() with no worker: JOURNEY_UNAVAILABLE within its timeout', async () => {
  const journeys: JourneyClient = await createJourneyClient({
    journeys: [nurture],
    client: t.env.client,
    taskQueue: `nobody-polls-${uid()}`,
    now: () => t.env.currentTimeMs(),
  });
  const id = `nw-${uid()}`;
  await journeys.enroll(nurture, { customer: id });
  const started = Date.now();
  const slow = (await rejection(
    journeys.state(nurture, { customerId: id }, { timeoutMs: 1_500 }),
  )) as JourneyError;
  expect(slow.code).toBe('JOURNEY_UNAVAILABLE');
  expect(slow.message).toContain('nobody-polls-');
  expect(Date.now() - started).toBeLessThan(10_000);

  await journeys.close();
  for (const call of [
    () => journeys.emit({ type: 'trust.refunded', customer: id, data: { orderId: 'o' } }),
    () => journeys.enroll(nurture, { customer: id }),
    () => journeys.state(nurture, { customerId: id }),
    () => journeys.exit(nurture, { customerId: id }),
    () => journeys.contacts.get(id),
  ])
    expect((await rejection(call())).code).toBe('CLIENT_CLOSED');
  await t.env.client.workflow.getHandle(journeyWorkflowId('nurture', id)).terminate('test finished');
});

test('two journeys with one name are refused by the client', async () => {
  const { journey } = await import('../../src/workflow');
  const twin = journey(
    'thank-you',
    { trigger: (await import('../fixtures/trust/journeys')).ordered },
    async () => {},
  );
  const err = await rejection(
    createJourneyClient({ journeys: [thankYou, twin], client: t.env.client, taskQueue: 'unused' }),
  );
  expect(err.code).toBe('JOURNEY_INVALID');
  expect(err.message).toContain('thank-you');
});
