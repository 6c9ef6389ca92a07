import path from 'node:path';
import {
  historyFileName,
  useJourneyTestEnv,
  writeHistory,
  type TestCustomer,
} from 'temporal-journeys/testing';
import { templates } from '../templates.js';
import { trialExpiry } from '../workflows/index.js';

const DAY = 86_400_000;
const env = useJourneyTestEnv({ journeys: [trialExpiry], templates });

/** A trial of `days` from the simulated time now. */
async function startTrial(customer: TestCustomer, days = 14) {
  const endsAt = new Date((await env.now()).getTime() + days * DAY).toISOString();
  await env.emit('trial.started', customer, { plan: 'pro', endsAt });
  return new Date(endsAt);
}

test('emails three days before the trial ends, with its own template', async () => {
  const ada = await env.customer({ email: 'ada@example.com' });
  const endsAt = await startTrial(ada);
  const email = await env.nextMessage(ada);
  expect(email.channel).toBe('email');
  expect(email.channel === 'email' && email.subject).toBe(
    `Your pro trial ends on ${endsAt.toISOString().slice(0, 10)}`,
  );
  expect(Math.abs(email.at.getTime() - (endsAt.getTime() - 3 * DAY))).toBeLessThan(60_000);
});

test("texts at 10:00 in the customer's time zone on the last day, then expires", async () => {
  const bo = await env.customer({ email: 'bo@example.com', phone: '+15550002222' });
  await env.journeys.contacts.update(bo.id, { timeZone: 'America/New_York' });
  await startTrial(bo, 10);
  await env.nextMessage(bo); // the email
  const sms = await env.nextMessage(bo);
  expect(sms.channel).toBe('sms');
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'America/New_York',
    hour: '2-digit',
    minute: '2-digit',
  }).format(sms.at);
  expect(clock).toBe('10:00');
  expect(await env.outcome(trialExpiry, bo)).toBe('expired');
  // Kept for `journeys replay`: the app's history of a finished run replays on its code.
  const history = await env.history(trialExpiry, bo);
  await writeHistory(
    path.join(__dirname, 'histories', historyFileName(history.workflowId, 'texted')),
    history,
  );
});

test('a subscription before the email ends the journey: nothing is sent', async () => {
  const cy = await env.customer({ email: 'cy@example.com', phone: '+15550003333' });
  await startTrial(cy);
  await env.advance('2 days');
  await env.emit('subscription.purchased', cy, { plan: 'pro' });
  expect(await env.outcome(trialExpiry, cy)).toBe('subscribed');
  await expect(env.nextMessage(cy)).rejects.toThrow(/nothing more will be sent/);
});

test('every test starts on a fresh clock, whatever ran before', async () => {
  expect(Math.abs((await env.now()).getTime() - Date.now())).toBeLessThan(5 * 60_000);
});
