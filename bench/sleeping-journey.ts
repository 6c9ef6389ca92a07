/**
 * The memory bench's journey, bundled on its own: a hand-off step (a signed webhook to the CRM fake, an
 * activity that asks no contact) and a month's sleep, ended early by a `bench.woke` goal. Workflow-safe: it
 * imports only src/workflow, src/events and zod.
 */
import { z } from 'zod';
import { defineEvent } from '../src/events';
import { journey, send, sleep, step } from '../src/workflow';

export const benchWoke = defineEvent('bench.woke', z.object({}));

export const benchSleeper = journey(
  'bench-sleeper',
  { goal: benchWoke, description: 'The memory bench: one hand-off, then a month asleep.' },
  async ({ customer }) => {
    await step('hand-off', () => send.webhook('crm', { customer: customer.id }));
    await sleep('30 days');
  },
);
