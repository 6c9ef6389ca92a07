/**
 * Recorded histories under test/histories/ keep replaying against the current journeys, and replay
 * catches a change that would break customers already inside a journey.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { replayHistories } from '../../src/testing';
import * as journeys from '../../workflows';
import { scenariosByJourney } from '../histories/record';

const histories = path.resolve(__dirname, '..', 'histories');
const workflowsPath = require.resolve('../../workflows');
const version = (name: string) => require.resolve(`../fixtures/versions/${name}`);

test('every committed history replays against the current journeys', async () => {
  const outcomes = await replayHistories(histories, { workflowsPath });
  expect(outcomes.length).toBeGreaterThanOrEqual(31); // 6 from before the split, 3+ per journey since
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
});

test('every journey has recorded histories at several points', () => {
  const files = readdirSync(histories).filter((f) => f.endsWith('.json'));
  for (const journey of Object.values(journeys).filter((w) => 'definition' in w)) {
    const name = journey.definition.name;
    expect(scenariosByJourney.map((s) => s.journey.definition.name)).toContain(name);
    expect(
      scenariosByJourney.find((s) => s.journey.definition.name === name)!.scenarios.length,
    ).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => f.startsWith(`${name}--`)).length).toBeGreaterThanOrEqual(3);
  }
});

/** The abandoned cart's histories: the versions under test/fixtures/versions change that journey alone. */
const cartHistories = () =>
  readdirSync(histories)
    .filter((f) => f.startsWith('abandoned-cart--') && f.endsWith('.json'))
    .map((f) => path.join(histories, f));

test('an extra sleep before an existing step fails replay, naming the journey and the step', async () => {
  const outcomes = await replayHistories(cartHistories(), { workflowsPath: version('v2-unpatched') });
  const failed = outcomes.filter((o) => !o.ok);
  // Only the customers who got the SMS passed the changed code; the others replay fine.
  expect(failed.map((o) => path.basename(o.source))).toEqual([
    'abandoned-cart--no-purchase.json',
    'abandoned-cart--split-no-purchase.json',
  ]);
  expect(failed[0]).toMatchObject({
    journey: 'abandoned-cart',
    step: 'reminder-email',
    diverged: 'the code now issues a Timer where the history has UpsertWorkflowSearchAttributes',
  });
  expect(failed[0]?.message).toContain('Nondeterminism');
});

test('the same change behind patched() replays every history cleanly', async () => {
  const outcomes = await replayHistories(cartHistories(), { workflowsPath: version('v2-patched') });
  expect(outcomes.length).toBeGreaterThanOrEqual(9);
  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
});
