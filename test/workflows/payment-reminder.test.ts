/**
 * Every branch of the payment reminder: the four notices around the due date escalating from email to SMS
 * and the hand-off to collections; paid after a notice (stops at the next check); no phone (email all the
 * way); already paid; an unknown invoice.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv, type TestCustomer } from '../../src/testing';
import { paymentReminder } from '../../workflows/payment-reminder';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [paymentReminder],
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => env?.close());

const DAY = 86_400_000;
let n = 0;
/** A customer with an invoice due in `dueInDays` days, enrolled now (one run per invoice). */
async function invoiced(
  phone: boolean,
  paid = false,
  dueInDays = 5,
): Promise<{ c: TestCustomer; invoiceId: string; due: number }> {
  n += 1;
  const c = await env.customer({
    email: `pay-${n}-${Date.now()}@example.com`,
    phone: phone ? `+1415552${String(1000 + n)}` : undefined,
  });
  const due = (await env.now()).getTime() + dueInDays * DAY;
  const invoiceId = `inv-${c.id}`;
  await env.data.addInvoice({
    id: invoiceId,
    customerId: c.id,
    amount: 120,
    currency: 'EUR',
    dueAt: new Date(due),
    paidAt: paid ? new Date() : null,
  });
  await env.enroll(paymentReminder, c, undefined, { key: invoiceId });
  return { c, invoiceId, due };
}
const notices = async (c: TestCustomer, due: number) =>
  (await env.outbox(c)).map((m) => [
    m.channel === 'email' ? m.subject : m.channel === 'sms' ? 'sms' : m.channel,
    Math.round((m.at.getTime() - due) / DAY),
  ]);

test('never paid: email 3 days before and on the day, SMS 3 and 7 days after, then collections', async () => {
  const { c, invoiceId, due } = await invoiced(true);
  await env.advance('13 days');
  expect(await notices(c, due)).toEqual([
    [`Invoice ${invoiceId} is due on ${new Date(due).toISOString().slice(0, 10)}`, -3],
    [`Invoice ${invoiceId} is due today`, 0],
    ['sms', 3],
    ['sms', 7],
    ['webhook', 7],
  ]);
  const sms = (await env.outbox(c)).find((m) => m.channel === 'sms');
  expect(sms?.channel === 'sms' && sms.body).toContain('120 EUR');
  expect(await env.outcome(paymentReminder, c, invoiceId)).toBe('unpaid');
});

test('paid after the first notice: the next check stops it', async () => {
  const { c, invoiceId, due } = await invoiced(true);
  await env.advance('3 days'); // the "upcoming" email went out on day 2
  await env.data.markInvoicePaid(invoiceId, await env.now());
  await env.advance('10 days');
  expect((await notices(c, due)).map(([s]) => s)).toEqual([
    `Invoice ${invoiceId} is due on ${new Date(due).toISOString().slice(0, 10)}`,
  ]);
  expect(await env.outcome(paymentReminder, c, invoiceId)).toBe('paid');
});

test('no phone: the overdue notices go by email', async () => {
  const { c, invoiceId, due } = await invoiced(false);
  await env.advance('13 days');
  expect((await notices(c, due)).map(([s]) => s)).toEqual([
    expect.stringContaining('is due on'),
    `Invoice ${invoiceId} is due today`,
    `Invoice ${invoiceId} is overdue`,
    `Final notice: invoice ${invoiceId}`,
    'webhook',
  ]);
});

test("already paid, an unknown invoice, or somebody else's: nothing is sent", async () => {
  const { c, invoiceId } = await invoiced(true, true);
  expect(await env.outcome(paymentReminder, c, invoiceId)).toBe('paid');
  const stranger = await env.customer({ email: 'nobody-owes@example.com' });
  await env.enroll(paymentReminder, stranger, undefined, { key: 'inv-missing' });
  expect(await env.outcome(paymentReminder, stranger, 'inv-missing')).toBe('unknown-invoice');
  await env.enroll(paymentReminder, stranger, undefined, { key: invoiceId }); // c's invoice
  expect(await env.outcome(paymentReminder, stranger, invoiceId)).toBe('unknown-invoice');
  expect([...(await env.outbox(c)), ...(await env.outbox(stranger))]).toEqual([]);
});

test('enrolled 4 days after the due date: the overdue notice at once, not the ones it missed', async () => {
  const { c, invoiceId, due } = await invoiced(true, false, -4);
  await env.advance('4 days');
  expect(await notices(c, due)).toEqual([
    ['sms', 4], // the "overdue" notice (due on day 3), sent at enrolment on day 4
    ['sms', 7],
    ['webhook', 7],
  ]);
  expect(await env.outcome(paymentReminder, c, invoiceId)).toBe('unpaid');
});

test('two invoices of one customer are two runs, each reminded', async () => {
  const { c, invoiceId } = await invoiced(false);
  const second = `${invoiceId}-b`;
  await env.data.addInvoice({
    id: second,
    customerId: c.id,
    amount: 30,
    dueAt: new Date((await env.now()).getTime() + 5 * DAY),
  });
  await env.enroll(paymentReminder, c, undefined, { key: second });
  await env.advance('3 days');
  expect((await env.outbox(c)).map((m) => m.channel === 'email' && m.subject)).toEqual([
    expect.stringContaining(`Invoice ${invoiceId} is due on`),
    expect.stringContaining(`Invoice ${second} is due on`),
  ]);
});
