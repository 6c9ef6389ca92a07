/**
 * Order independence, model-based (fast-check) on the dev server: random customers, each with a trigger,
 * maybe a second trigger, a goal and an exit sent at once, then a click, a goal and an exit once the
 * reminder is out, in random `at` order and random sending order, split between this process and a
 * second client process, none awaiting another. Every run's outcome and emails must equal the pure model
 * (`order.model.ts`), which applies each customer's events in the order of their `at`.
 *
 * FC_SEED=<n> replays a failing case; FC_RUNS=<n> runs more of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import type { JourneyClient } from '../../src/client';
import { isJourneyError } from '../../src/errors';
import type { JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { raceCart } from '../fixtures/order/journeys';
import { expected, scenarioArb, type Expected, type Scenario, type ScenarioEvent } from './order.model';

const root = path.resolve(__dirname, '..', '..');
const SEED = Number(process.env.FC_SEED ?? 20261201);
const RUNS = Number(process.env.FC_RUNS ?? 3);
const CUSTOMERS = 12;
/** Sending order: event i of a phase leaves i x SPREAD ms after the first. */
const SPREAD_MS = 15;
/** `at` order: event of rank r happened r x AT_STEP ms after the phase began. */
const AT_STEP_MS = 40;

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [raceCart],
    workflowsPath: require.resolve('../fixtures/order/journeys'),
    server: 'dev',
  });
});
afterAll(() => t?.close());

/** The second client process: commands out on stdin, answers back on stdout. */
interface Emitter {
  send(op: 'emit' | 'exit', input: unknown): Promise<void>;
  close(): Promise<void>;
}

async function startEmitter(taskQueue: string): Promise<Emitter> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      path.join(root, 'test', 'support', 'emitter-process.ts'),
      t.env.address,
      t.env.namespace ?? 'default',
      taskQueue,
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const answer = JSON.parse(line) as {
      seq: number;
      ok: boolean;
      error?: { code?: string; message: string };
    };
    if (answer.seq === 0) return ready();
    const w = waiting.get(answer.seq);
    waiting.delete(answer.seq);
    if (answer.ok || answer.error?.code === 'JOURNEY_NOT_FOUND') w?.resolve();
    else w?.reject(new Error(`second process: ${answer.error?.code} ${answer.error?.message}`));
  });
  await started;
  let seq = 0;
  return {
    send(op, input) {
      seq += 1;
      const id = seq;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.stdin!.write(`${JSON.stringify({ seq: id, op, input })}\n`);
      });
    },
    async close() {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const KEY = 'cart';

interface Customer {
  readonly id: string;
  readonly email: string;
  readonly scenario: Scenario;
}

/** The command an event becomes: an emit, or an exit, with its `at`. */
function command(
  c: Customer,
  event: ScenarioEvent,
  at: Date,
  reminderId: string | undefined,
): ['emit' | 'exit', unknown] {
  const id = `${c.id}:${event.kind}:${event.item ?? ''}:${event.rank}:${at.getTime()}`;
  switch (event.kind) {
    case 'trigger':
      return [
        'emit',
        {
          id,
          type: 'race.cart_abandoned',
          customer: { id: c.id, email: c.email },
          data: { cartId: KEY, item: event.item },
          at,
        },
      ];
    case 'goal':
      return ['emit', { id, type: 'race.order_placed', customer: c.id, data: { cartId: KEY }, at }];
    case 'click':
      return [
        'emit',
        {
          id,
          type: 'email.clicked',
          customer: c.id,
          data: {
            messageId: reminderId,
            journey: 'race-cart',
            step: 'reminder',
            key: KEY,
            url: 'https://shop.example/cart',
          },
          at,
        },
      ];
    case 'exit':
      return ['exit', { customerId: c.id, key: KEY, reason: 'model', at }];
  }
}

/** Sends a phase's events of every customer at once, in their sending order, from both processes. */
async function sendPhase(
  journeys: JourneyClient,
  emitter: Emitter,
  batch: readonly { customer: Customer; events: readonly ScenarioEvent[]; reminderId?: string }[],
): Promise<void> {
  const began = Date.now();
  const sent: Promise<void>[] = [];
  for (const { customer, events, reminderId } of batch) {
    for (const event of events) {
      const [op, input] = command(customer, event, new Date(began + event.rank * AT_STEP_MS), reminderId);
      const local = async () => {
        try {
          if (op === 'emit') await journeys.emit(input as never);
          else await journeys.exit(raceCart, input as never);
        } catch (err) {
          if (!isJourneyError(err, 'JOURNEY_NOT_FOUND')) throw err;
        }
      };
      sent.push(
        sleep(event.arrival * SPREAD_MS).then(() =>
          event.process === 0 ? local() : emitter.send(op, input),
        ),
      );
    }
  }
  await Promise.all(sent);
}

async function stateOf(journeys: JourneyClient, c: Customer): Promise<JourneyState | undefined> {
  try {
    return await journeys.state(raceCart, { customerId: c.id, key: KEY });
  } catch (err) {
    if (isJourneyError(err, 'JOURNEY_NOT_FOUND')) return undefined;
    throw err;
  }
}

/** Polls until `done` holds for the customer or the deadline passes. */
async function until<T>(fn: () => Promise<T | undefined>, deadlineMs: number): Promise<T | undefined> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined || Date.now() > deadline) return value;
    await sleep(150);
  }
}

const itemOf = (subject: string) => /^You left (.+) in your cart$/.exec(subject)?.[1] ?? subject;

let round = 0;
test('any arrival order of concurrent events gives the outcome and emails of their `at` order (fast-check)', async () => {
  await t.run(async ({ journeys, taskQueue }) => {
    const emitter = await startEmitter(taskQueue);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(scenarioArb, { minLength: CUSTOMERS, maxLength: CUSTOMERS }),
          async (scenarios) => {
            round += 1;
            const customers: Customer[] = scenarios.map((scenario, i) => {
              const id = `ord-${round}-${i}-${Math.random().toString(36).slice(2, 7)}`;
              return { id, email: `${id}@example.com`, scenario };
            });
            await sendPhase(
              journeys,
              emitter,
              customers.map((customer) => ({ customer, events: customer.scenario.phase1 })),
            );
            // Phase 2 for the customers whose reminder went out while their journey still runs.
            const reminders = await Promise.all(
              customers.map((c) =>
                until(async () => {
                  const state = await stateOf(journeys, c);
                  if (state?.outcome) return { id: undefined };
                  const email = t.outbox.emails(c.email)[0];
                  return email ? { id: email.id } : undefined;
                }, 30_000),
              ),
            );
            await sendPhase(
              journeys,
              emitter,
              customers.flatMap((customer, i) =>
                reminders[i]?.id
                  ? [{ customer, events: customer.scenario.phase2, reminderId: reminders[i].id }]
                  : [],
              ),
            );
            const outcomes = await Promise.all(
              customers.map((c) =>
                until(async () => (await stateOf(journeys, c))?.outcome ?? undefined, 30_000),
              ),
            );
            const wrong = customers.flatMap((c, i) => {
              const actual: Expected = {
                outcome: outcomes[i] as Expected['outcome'],
                emails: t.outbox.emails(c.email).map((m) => itemOf(m.subject)),
              };
              const want = expected(c.scenario);
              return JSON.stringify(actual) === JSON.stringify(want)
                ? []
                : [
                    `${c.id}: ${JSON.stringify(c.scenario)}\n  expected ${JSON.stringify(want)}\n  got      ${JSON.stringify(actual)}`,
                  ];
            });
            if (wrong.length > 0)
              throw new Error(
                `${wrong.length} of ${customers.length} runs differ from the model:\n${wrong.join('\n')}`,
              );
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: process.env.FC_SHRINK !== '1' },
      );
    } finally {
      await emitter.close();
    }
  });
}, 600_000);
