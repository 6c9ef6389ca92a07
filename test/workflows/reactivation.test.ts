/**
 * Every branch of reactivation: three escalating win-back emails a week apart then `lapsed`, any activity
 * (a visit, an order) ending it `reactivated`, and the 10% holdout sent nothing but still measured.
 */
import type { SqlProfileSource } from '../../src/profile';
import { createJourneyTestEnv, type JourneyTestEnv } from '../../src/testing';
import { variantOf } from '../../src/workflow';
import { reactivation } from '../../workflows/reactivation';

let env: JourneyTestEnv<SqlProfileSource>;
beforeAll(async () => {
  env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [reactivation],
    workflowsPath: require.resolve('../../workflows'),
  });
});
afterAll(() => env?.close());

const DAY = 86_400_000;
/** A customer id in the given arm of the win-back split (the split is a pure function of the id). */
function idIn(arm: 'series' | 'holdout', prefix: string): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (
      variantOf(
        { customerId: id, journey: 'reactivation', split: 'win-back' },
        { series: 100 },
        { holdout: 10 },
      ) === arm
    )
      return id;
  }
}
const customerIn = (arm: 'series' | 'holdout', prefix: string) => {
  const id = idIn(arm, prefix);
  return env.customer({ id, email: `${id}@example.com` });
};

test('silence: 10%, 15%, then 25% with a personal code, a week apart; then lapsed', async () => {
  const c = await customerIn('series', 'rx-silent');
  const start = await env.now();
  await env.enroll(reactivation, c);
  await env.advance('21 days');
  const sent = await env.outbox(c);
  expect(sent.map((m) => (m.channel === 'email' ? m.subject : m.channel))).toEqual([
    'We miss you: 10% off',
    'We miss you: 15% off',
    'We miss you: 25% off',
  ]);
  expect(sent.map((m) => Math.round((m.at.getTime() - start.getTime()) / DAY))).toEqual([0, 7, 14]);
  const code = await env.data.assignPromoCode(c.id, 'win-back');
  expect(sent[2]?.channel === 'email' && sent[2].text).toContain(code);
  const state = await env.state(reactivation, c);
  expect(state).toMatchObject({ outcome: 'lapsed', variant: 'series' });
});

test('a visit after the second email ends it reactivated, right there', async () => {
  const c = await customerIn('series', 'rx-visit');
  await env.enroll(reactivation, c);
  await env.advance('8 days');
  await env.emit('customer.active', c, { kind: 'visit' });
  const state = await env.state(reactivation, c);
  expect(state).toMatchObject({ outcome: 'reactivated', convertedAfter: 'win-back-2' });
  await env.advance('14 days');
  expect(await env.outbox(c)).toHaveLength(2);
});

test('the holdout is sent nothing, walks the same path, and an order still counts as reactivated', async () => {
  const c = await customerIn('holdout', 'rx-held');
  await env.enroll(reactivation, c);
  await env.advance('10 days');
  await env.emit('order.placed', c, { orderId: `o-${c.id}`, total: 20 });
  const state = await env.state(reactivation, c);
  expect(state).toMatchObject({ outcome: 'reactivated', variant: 'holdout', convertedAfter: 'win-back-2' });
  expect(state.sends.map((s) => [s.status, s.status === 'skipped' && s.reason])).toEqual([
    ['skipped', 'holdout'],
    ['skipped', 'holdout'],
  ]);
  expect(await env.outbox(c)).toEqual([]);
});
