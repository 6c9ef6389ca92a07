/** The authoring API beyond the abandoned cart: sleepUntil, steps entered twice, the time scale. */
import { createJourneyClient } from '../../src/client';
import type { JourneyState } from '../../src/journey';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { dueDateReminder, weeklyNudge } from '../fixtures/journeys';

let t: JourneyTestEnvironment;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [dueDateReminder, weeklyNudge],
    workflowsPath: require.resolve('../fixtures/journeys'),
  });
});
afterAll(() => t?.close());

const DAY = 86_400_000;
const uid = () => Math.random().toString(36).slice(2, 10);

test('sleepUntil waits for the given time', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `due-${uid()}`, email: `${uid()}@example.com` };
    const at = new Date((await t.env.currentTimeMs()) + 3 * DAY).toISOString();
    const { workflowId } = await journeys.enroll(dueDateReminder, { customer: c, data: { at } });
    const state = (await t.env.client.workflow.getHandle(workflowId).result()) as JourneyState;
    const reminderAt = Date.parse(state.steps[0]!.at);
    expect(reminderAt).toBeGreaterThanOrEqual(Date.parse(at));
    expect(reminderAt - Date.parse(at)).toBeLessThan(60_000);
    expect(t.outbox.emails(c.email)).toHaveLength(1);
  });
});

test('a step entered twice sends twice, each pass with its own idempotency key', async () => {
  await t.run(async ({ journeys }) => {
    const c = { id: `nudge-${uid()}`, email: `${uid()}@example.com` };
    const { workflowId } = await journeys.enroll(weeklyNudge, { customer: c });
    const state = (await t.env.client.workflow.getHandle(workflowId).result()) as JourneyState;
    expect(state.steps.map((s) => s.name)).toEqual(['nudge', 'nudge']);
    const keys = t.outbox.emails(c.email).map((m) => m.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/\/nudge#1$/);
    expect(keys[1]).toMatch(/\/nudge#2$/);
  });
});

test('the time scale is fixed at enrolment: journey time runs faster, the path is the same', async () => {
  await t.run(async ({ taskQueue }) => {
    const fast = await createJourneyClient({
      journeys: [weeklyNudge],
      client: t.env.client,
      taskQueue,
      timeScale: 24,
    });
    const c = { id: `scaled-${uid()}`, email: `${uid()}@example.com` };
    const { workflowId } = await fast.enroll(weeklyNudge, { customer: c });
    const handle = t.env.client.workflow.getHandle(workflowId);
    const state = (await handle.result()) as JourneyState;
    const { startTime, closeTime } = await handle.describe();
    const wall = closeTime!.getTime() - startTime.getTime();
    const journeyTime = Date.parse(state.steps[1]!.at) - startTime.getTime();
    expect(journeyTime).toBeGreaterThanOrEqual(14 * DAY); // two weeks of journey time…
    expect(wall).toBeLessThan((14 * DAY) / 24 + 60_000); // …in 14 hours of workflow time
  });
});
