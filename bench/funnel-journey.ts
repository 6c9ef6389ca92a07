/**
 * The funnel bench's journey, bundled on its own: an A/B split, four steps that send nothing, and a path
 * chosen at enrolment (`data`), so the bench seeds a funnel it knows. Workflow-safe: it imports only
 * src/workflow, src/events and zod.
 */
import { z } from 'zod';
import { defineEvent } from '../src/events';
import { journey, sleep, split, step } from '../src/workflow';

/** The steps in funnel order. */
export const FUNNEL_STEPS = ['welcome', 'offer', 'reminder', 'last-chance'] as const;

/**
 * Where a run goes: through the first `depth` steps, then it ends with an outcome of its own (`lapsed`,
 * `completed`) or waits a year, to be converted by a purchase, taken out by an exit, or left running.
 */
export interface FunnelPath {
  readonly depth: 1 | 2 | 3 | 4;
  readonly end: 'lapsed' | 'completed' | 'wait';
}

/** The split every run makes first: its name and weights, which the bench also uses to expect each arm. */
export const FUNNEL_SPLIT = { name: 'offer', variants: { a: 50, b: 50 } } as const;

export const benchPurchased = defineEvent('bench.purchased', z.object({}));

export const benchFunnel = journey(
  'bench-funnel',
  { goal: benchPurchased, description: 'The funnel bench: steps without sends, a split, set outcomes.' },
  async ({ data }) => {
    const path = data as FunnelPath;
    split(FUNNEL_SPLIT.name, FUNNEL_SPLIT.variants);
    for (const name of FUNNEL_STEPS.slice(0, path.depth)) await step(name, async () => {});
    if (path.end === 'wait') await sleep('365 days');
    return path.end === 'lapsed' ? 'lapsed' : undefined;
  },
);
