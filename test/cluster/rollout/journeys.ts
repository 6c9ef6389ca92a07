/**
 * The rollout test's journeys, as two builds would ship them: an email, a wait for `rollout.go`, then a
 * second email whose step names the build that ran it. `v1.ts` and `v2.ts` are the two builds; only the
 * code after the wait differs, so a run started on v1 replays on v2 (no patch needed for auto-upgrade).
 */
import { journey, send, step, waitFor } from '../../../src/workflow';
import { rolloutGo } from './events';

export function rolloutJourneys(build: string) {
  const body = async () => {
    await step('hello', () => send.email('cart-reminder', { items: ['Tea'] }));
    await waitFor(rolloutGo, { within: '1 hour' });
    await step(`ending-${build}`, () => send.email('cart-reminder', { items: [build] }));
  };
  return {
    /** Months-long in real life: moves to the current build at its next task. */
    rolloutLong: journey('rollout-long', { reentry: 'always', events: [rolloutGo] }, body),
    /** Short: ends on the build it started on. */
    rolloutShort: journey(
      'rollout-short',
      { reentry: 'always', events: [rolloutGo], versioning: 'pinned' },
      body,
    ),
  };
}
