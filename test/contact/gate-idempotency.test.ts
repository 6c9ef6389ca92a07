/**
 * The gate answers each ask once: the `askContact` activity called again with the same request (a retried
 * attempt) gets its first answer and adds nothing to the ledger, before and after the contact continued as
 * new; and a journey whose first gate attempt timed out after its grant landed sends at once, granted once.
 */
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { createContactGate, type AskContactRequest } from '../../activities';
import { contactWorkflowId, type ContactSnapshot, type SendPolicy } from '../../src/contact';
import type { JourneyState } from '../../src/journey';
import {
  createJourneyTestEnvironment,
  type JourneyTestEnvironment,
  type JourneyTestRun,
} from '../../src/testing/all';
import { oneEmail } from '../fixtures/gate-journeys';

const policy: SendPolicy = {
  caps: [{ channel: 'email', max: 1, per: '1 day' }],
  quietHours: {},
  overCap: 'defer',
  defaultTimeZone: 'UTC',
};

/** The last attempt of `askContact` this file's worker saw, per customer. */
const attempts = new Map<string, number>();

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [oneEmail],
    workflowsPath: require.resolve('../fixtures/gate-journeys'),
    sendPolicy: policy,
    // The real gate, whose first attempt of an ask answers only after the attempt's 10 s are up: the grant
    // has landed at the contact, the journey never heard of it, and Temporal retries the ask.
    activities: ({ journeys, taskQueue }) => {
      const gate = createContactGate({ client: journeys.temporal, taskQueue, policy });
      return {
        askContact: async (request: AskContactRequest) => {
          const answer = await gate(request);
          const { attempt } = Context.current().info;
          attempts.set(request.customerId, attempt);
          if (attempt === 1) await new Promise((r) => setTimeout(r, 10_500));
          return answer;
        },
      };
    },
  });
});
afterAll(() => t?.close());

const uid = () => Math.random().toString(36).slice(2, 10);
const ask = (customerId: string, requestId: string): AskContactRequest => ({
  customerId,
  channel: 'email',
  category: 'marketing',
  journey: 'welcome',
  step: 'hello',
  requestId,
});

/** The gate activity as a worker runs it, reaching this run's contacts. */
const gateOf = (run: JourneyTestRun) =>
  createContactGate({ client: t.env.client, taskQueue: run.taskQueue, policy });

async function generationAbove(
  run: JourneyTestRun,
  id: string,
  generation: number,
): Promise<ContactSnapshot> {
  for (let i = 0; i < 100; i++) {
    const contact = await run.journeys.contacts.get(id);
    if (contact.generation > generation) return contact;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`contact ${id} did not continue as new`);
}

test('the same ask twice, and five times at once, is granted once: one ledger entry, the same answer', async () => {
  await t.run(async (run) => {
    const gate = gateOf(run);
    const id = `gi-${uid()}`;
    expect(await gate(ask(id, 'send-1@0'))).toEqual({ decision: 'allow' });
    expect(await gate(ask(id, 'send-1@0'))).toEqual({ decision: 'allow' }); // the retry: not deferred
    const again = await Promise.all(Array.from({ length: 5 }, () => gate(ask(id, 'send-1@0'))));
    expect(again).toEqual(Array.from({ length: 5 }, () => ({ decision: 'allow' })));
    let contact = await run.journeys.contacts.get(id);
    expect(contact.ledger).toHaveLength(1);
    expect(contact.sendsAllowed).toBe(1);
    expect(contact.decisions).toHaveLength(1);

    // Another send is another ask: the cap holds it; asked again, it is the same deferral.
    const second = await gate(ask(id, 'send-2@0'));
    expect(second).toMatchObject({ decision: 'defer', reason: 'frequency_cap' });
    expect(await gate(ask(id, 'send-2@0'))).toEqual(second);
    contact = await run.journeys.contacts.get(id);
    expect(contact.decisions.map((d) => d.answer.decision)).toEqual(['allow', 'defer']);
  });
});

test('asks of different sends racing for the last slot: exactly one is allowed', async () => {
  await t.run(async (run) => {
    const gate = gateOf(run);
    const id = `gi-${uid()}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => gate(ask(id, `send-${i % 3}@0`))), // 3 sends, each asked twice
    );
    expect(answers.filter((a) => a.decision === 'allow')).toHaveLength(2); // one send, both its attempts
    for (let i = 0; i < 3; i++) expect(answers[i]).toEqual(answers[i + 3]); // an ask's attempts agree
    expect((await run.journeys.contacts.get(id)).ledger).toHaveLength(1);
  });
});

test('a retry after the contact continued as new still gets its first answer', async () => {
  await t.run(async (run) => {
    const gate = gateOf(run);
    const id = `gi-${uid()}`;
    expect(await gate(ask(id, 'send-1@0'))).toEqual({ decision: 'allow' });
    const deferred = await gate(ask(id, 'send-2@0'));
    await t.env.client.workflow.getHandle(contactWorkflowId(id)).signal('contact.compact');
    const after = await generationAbove(run, id, 1);
    expect(after.ledger).toHaveLength(1);

    expect(await gate(ask(id, 'send-1@0'))).toEqual({ decision: 'allow' }); // the new run remembers it
    expect(await gate(ask(id, 'send-2@0'))).toEqual(deferred);
    const contact = await run.journeys.contacts.get(id);
    expect(contact.ledger).toHaveLength(1);
    expect(contact.sendsAllowed).toBe(1);
    expect(await gate(ask(id, 'send-3@0'))).toMatchObject({ decision: 'defer' }); // a new ask still counts
  });
});

test('odd request ids: 3,000 characters still dedupe; an empty one is refused by the contact', async () => {
  await t.run(async (run) => {
    const gate = gateOf(run);
    const id = `gi-${uid()}`;
    const long = `journey/${'x'.repeat(3_000)}/send#1@0`; // past the server's limit for an update id
    expect(await gate(ask(id, long))).toEqual({ decision: 'allow' });
    expect(await gate(ask(id, long))).toEqual({ decision: 'allow' });
    expect(await gate(ask(id, `${long}.2`))).toMatchObject({ decision: 'defer' });
    await expect(gate(ask(id, ''))).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const contact = await run.journeys.contacts.get(id);
    expect(contact.ledger).toHaveLength(1);
    expect(contact.decisions.map((d) => d.answer.decision)).toEqual(['allow', 'defer']);
  });
});

test('a journey whose gate attempt timed out after its grant landed sends at once, granted once', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `gi-${uid()}`, email: `gi-${uid()}@example.com` };
    const { workflowId } = await journeys.enroll(oneEmail, { customer: c });
    const handle = t.env.client.workflow.getHandle(workflowId);
    let state: JourneyState | undefined;
    for (let i = 0; i < 400 && state?.outcome == null && !state?.deferred; i++) {
      await new Promise((r) => setTimeout(r, 50));
      state = await handle.query<JourneyState>('journeys.state');
    }
    expect(attempts.get(c.id)).toBeGreaterThan(1); // the ask was retried after its first attempt timed out
    expect(state?.deferred).toBeNull(); // not held back by its own first grant
    expect(state?.sends).toMatchObject([{ status: 'sent', step: 'email' }]);
    expect(t.outbox.emails(c.email)).toHaveLength(1);
    const contact = await journeys.contacts.get(c.id);
    expect(contact.ledger).toHaveLength(1);
    expect(contact.decisions.map((d) => d.answer.decision)).toEqual(['allow']);
  });
});
