/**
 * A lean contact on the dev server: updates return the preferences, not the snapshot; transactional sends
 * stay out of the cap ledger; under a stream of updates and asks at one customer every run of the contact
 * stays under 1 MB of history (measured in bytes, each run's events as the server keeps them); and no
 * update fails while the contact continues as new again and again.
 */
import { createContactGate, type AskContactRequest } from '../../activities';
import { contactWorkflowId, type SendPolicy } from '../../src/contact';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { oneEmail } from '../fixtures/gate-journeys';
import { runSizes } from '../../bench/gate-history';

const policy: SendPolicy = {
  caps: [
    { channel: 'email', max: 3, per: '7 days' },
    { channel: 'any', max: 50, per: '1 day' },
  ],
  quietHours: {},
  overCap: 'defer',
  defaultTimeZone: 'UTC',
};
const MB = 1024 * 1024;

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [oneEmail],
    workflowsPath: require.resolve('../fixtures/gate-journeys'),
    server: 'dev',
    sendPolicy: policy,
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);

test('update, suppress and unsubscribe return the preferences after the change, nothing more', async () => {
  await t.run(async ({ journeys, taskQueue }) => {
    const id = `ch-${uid()}`;
    const gate = createContactGate({ client: t.env.client, taskQueue, policy });
    await gate({
      customerId: id,
      channel: 'email',
      category: 'marketing',
      journey: 'j',
      step: 's',
      requestId: 'r@0',
    });
    expect(
      await journeys.contacts.update(id, { timeZone: 'Asia/Tokyo', topics: { news: 'subscribed' } }),
    ).toEqual({
      timeZone: 'Asia/Tokyo',
      channels: {},
      topics: { news: 'subscribed' },
      suppressed: {},
    });
    expect(await journeys.contacts.unsubscribe(id, { channel: 'email' })).toEqual({
      timeZone: 'Asia/Tokyo',
      channels: { email: 'unsubscribed' },
      topics: { news: 'subscribed' },
      suppressed: {},
    });
    const suppressed = await journeys.contacts.suppress(id, 'sms', 'stopped');
    expect(Object.keys(suppressed).sort()).toEqual(['channels', 'suppressed', 'timeZone', 'topics']);
    expect(suppressed.suppressed).toEqual({ sms: { reason: 'stopped', at: expect.any(Number) } });
    // The whole contact is still one query away.
    const contact = await journeys.contacts.get(id);
    expect(contact.ledger).toHaveLength(1);
    expect(contact.decisions).toHaveLength(1);
  });
});

test('a hundred transactional sends leave the cap ledger empty, and marketing still has its three', async () => {
  await t.run(async ({ journeys, taskQueue }) => {
    const id = `ch-${uid()}`;
    const gate = createContactGate({ client: t.env.client, taskQueue, policy });
    const ask = (category: 'marketing' | 'transactional', n: number): AskContactRequest => ({
      customerId: id,
      channel: 'email',
      category,
      journey: 'receipts',
      step: `s${n}`,
      requestId: `${category}-${n}@0`,
    });
    for (let i = 0; i < 100; i += 10)
      await Promise.all(Array.from({ length: 10 }, (_, k) => gate(ask('transactional', i + k))));
    let contact = await journeys.contacts.get(id);
    expect(contact.sendsAllowed).toBe(100);
    expect(contact.ledger).toEqual([]);
    const marketing = [];
    for (let n = 0; n < 4; n++) marketing.push((await gate(ask('marketing', n))).decision);
    expect(marketing).toEqual(['allow', 'allow', 'allow', 'defer']);
    contact = await journeys.contacts.get(id);
    expect(contact.ledger.map((e) => e.category)).toEqual(['marketing', 'marketing', 'marketing']);
  });
});

test('a stream of 600 updates and 600 asks at one customer: every run of its contact stays under 1 MB', async () => {
  await t.run(async ({ journeys, taskQueue }) => {
    const id = `ch-${uid()}`;
    const gate = createContactGate({ client: t.env.client, taskQueue, policy });
    const work: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 600; i++) {
      work.push(() =>
        journeys.contacts.update(id, {
          topics: { [`topic-${i % 5}`]: i % 2 ? 'subscribed' : 'unsubscribed' },
        }),
      );
      work.push(() =>
        gate({
          customerId: id,
          channel: i % 3 ? 'push' : 'email',
          category: i % 4 ? 'marketing' : 'transactional',
          journey: `journey-${i % 7}`,
          step: `step-${i}`,
          requestId: `journey/journey-${i % 7}/${id}/${uid()}-${uid()}/step-${i}#1@0`,
        }),
      );
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < work.length) await work[next++]!();
      }),
    );
    const runs = await runSizes(t.env.client, contactWorkflowId(id));
    const contact = await journeys.contacts.get(id); // a default client reads it (gRPC 4 MB)
    expect(contact.generation).toBe(runs.length);
    expect(runs.length).toBeGreaterThan(1); // the size bound was reached and the contact continued as new
    for (const run of runs) expect(run.bytes).toBeLessThan(1 * MB);
    expect(Math.max(...runs.map((r) => r.inputBytes))).toBeLessThan(MB / 4); // the snapshot carried
    expect(contact.ledger.length).toBeLessThanOrEqual(53); // what the caps count, no more
    expect(contact.decisions).toHaveLength(200);
    console.log(
      `contact runs: ${runs.map((r) => `${r.events} events ${(r.bytes / 1024).toFixed(0)} KiB (input ${(r.inputBytes / 1024).toFixed(0)} KiB)`).join('; ')}`,
    );
  });
});

test('a stream while the contact continues as new every 300 ms: no update, ask or get fails, none is granted twice', async () => {
  await t.run(async ({ journeys, taskQueue }) => {
    const id = `ch-${uid()}`;
    const gate = createContactGate({ client: t.env.client, taskQueue, policy });
    await journeys.contacts.update(id, {});
    const failures: string[] = [];
    const answers = new Map<string, string>();
    const work: (() => Promise<unknown>)[] = [];
    for (let i = 0; i < 200; i++) {
      work.push(() => journeys.contacts.update(id, { topics: { [`topic-${i % 5}`]: 'subscribed' } }));
      // Each send asked twice, as a retried attempt would: the two answers must agree.
      for (const attempt of [1, 2])
        work.push(async () => {
          const answer = await gate({
            customerId: id,
            channel: 'push',
            category: 'marketing',
            journey: 'j',
            step: `s${i}`,
            requestId: `run/s${i}#1@0`,
          });
          const first = answers.get(`s${i}`);
          if (first === undefined) answers.set(`s${i}`, answer.decision);
          else if (first !== answer.decision)
            failures.push(`s${i}: ${first} then ${answer.decision} (attempt ${attempt})`);
        });
    }
    let next = 0;
    let done = false;
    const compacting = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, 300));
        await t.env.client.workflow.getHandle(contactWorkflowId(id)).signal('contact.compact');
      }
    })();
    // A reader all along: every get answers, and never with an older contact than the one before.
    let reads = 0;
    const reading = (async () => {
      let generation = 0;
      while (!done) {
        const contact = await journeys.contacts
          .get(id)
          .catch((err: Error) => failures.push(`get: ${err.message}: ${String(err.cause)}`));
        if (typeof contact === 'object') {
          if (contact.generation < generation)
            failures.push(`get: generation ${contact.generation} after ${generation}`);
          generation = contact.generation;
          reads += 1;
        }
      }
    })();
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < work.length)
          await work[next++]!().catch((err: Error) => failures.push(`${err.message}: ${String(err.cause)}`));
      }),
    );
    done = true;
    await Promise.all([compacting, reading]);
    const contact = await journeys.contacts.get(id);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(10);
    expect(contact.generation).toBeGreaterThan(5);
    expect([...answers.values()].filter((d) => d === 'allow')).toHaveLength(50); // the daily cap of 50
    expect(contact.ledger).toHaveLength(50);
  });
}, 120_000);
