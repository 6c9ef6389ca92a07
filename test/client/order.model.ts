/**
 * The pure model of `raceCart` (test/fixtures/order/journeys.ts) that the order-independence test compares
 * every run with: the events of a customer applied one by one in the order of their `at`, whatever order
 * they reached Temporal in.
 */
import fc from 'fast-check';

export type Kind = 'trigger' | 'goal' | 'exit' | 'click';

export interface ScenarioEvent {
  readonly kind: Kind;
  /** The trigger's item (its data), so a test can tell which trigger the journey took as its own. */
  readonly item?: string;
  /** Position in `at` order within its phase (0 first). */
  readonly rank: number;
  /** Position in sending order within its phase: a later one is sent a few milliseconds later. */
  readonly arrival: number;
  /** Which of the two client processes sends it. */
  readonly process: 0 | 1;
}

/**
 * One customer's events. Phase 1 is sent at once around the abandonment; phase 2 once the reminder is out
 * (a click needs an email to click on), if the journey is still running then.
 */
export interface Scenario {
  readonly phase1: readonly ScenarioEvent[];
  readonly phase2: readonly ScenarioEvent[];
}

export interface Expected {
  readonly outcome: 'converted' | 'exited' | 'clicked' | 'completed';
  /** The items of the emails sent, in order: the reminder names its trigger's item, then `nudge`. */
  readonly emails: readonly string[];
}

const byRank = (events: readonly ScenarioEvent[]) => [...events].sort((a, b) => a.rank - b.rank);

/** What `raceCart` does with these events, applied in `at` order. */
export function expected(scenario: Scenario): Expected {
  const phase1 = byRank(scenario.phase1);
  const start = phase1.findIndex((e) => e.kind === 'trigger');
  const trigger = phase1[start];
  if (!trigger?.item) throw new Error('a scenario has a trigger');
  // Before the trigger the customer is in no journey: those events change nothing. After it, a second
  // trigger reaches the live run (which ignores it); the first goal or exit ends the run.
  for (const event of phase1.slice(start + 1)) {
    if (event.kind === 'goal') return { outcome: 'converted', emails: [] };
    if (event.kind === 'exit') return { outcome: 'exited', emails: [] };
  }
  // After the reminder, the first click, goal or exit by `at` decides; none, and the nudge goes out.
  const first = byRank(scenario.phase2)[0]?.kind;
  if (first === 'click') return { outcome: 'clicked', emails: [trigger.item] };
  if (first === 'goal') return { outcome: 'converted', emails: [trigger.item] };
  if (first === 'exit') return { outcome: 'exited', emails: [trigger.item] };
  return { outcome: 'completed', emails: [trigger.item, 'nudge'] };
}

/** Events of one phase: the given kinds, each present or not, in random `at` and sending orders. */
function phase(required: readonly Kind[], optional: readonly Kind[]): fc.Arbitrary<ScenarioEvent[]> {
  return fc
    .tuple(fc.subarray([...optional]), fc.array(fc.constantFrom<0 | 1>(0, 1), { minLength: 4, maxLength: 4 }))
    .chain(([chosen, sides]) => {
      const kinds = [...required, ...chosen];
      const n = kinds.length;
      const order = fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      );
      return fc.tuple(order, order).map(([ranks, arrivals]) =>
        kinds.map((kind, i) => ({
          kind,
          ...(kind === 'trigger' && { item: i === 0 ? 'first' : 'second' }),
          rank: ranks[i]!,
          arrival: arrivals[i]!,
          process: sides[i]!,
        })),
      );
    });
}

/** A customer: a trigger, maybe a second trigger, a goal and an exit at once; then a click, a goal, an exit. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  phase1: phase(['trigger'], ['trigger', 'goal', 'exit']),
  phase2: phase([], ['click', 'goal', 'exit']),
});
