import type { Client } from '@temporalio/client';
import type { JourneyRef } from '../client';
import { journeySearchAttributes as attrs } from '../journey';
import { journeyQuery, literal, type RunFilter } from './query';
import { countRuns, readShared } from '../client/visibility';

export interface FunnelOptions extends RunFilter {
  /** The steps in funnel order; discovered from the runs (ordered by how many passed them) when omitted. */
  readonly steps?: readonly string[];
}

/** One step of the funnel. */
export interface FunnelStep {
  readonly step: string;
  /** Runs that entered the step (it is in their `JourneySteps`). */
  readonly passed: number;
  /** Runs still in the journey (running, no outcome yet) whose current step it is. */
  readonly at: number;
  /** Passed this step but not the next one (0 for the last). */
  readonly dropOff: number;
  /** Passed this step and ended in the goal outcome. */
  readonly converted: number;
}

export interface Funnel {
  readonly journey: string;
  readonly goalOutcome: string;
  readonly entered: number;
  /** Runs still in the journey: running, no outcome yet. */
  readonly running: number;
  readonly steps: readonly FunnelStep[];
  /** Ended runs by outcome (`completed`, the goal outcome, `exited`, `failed`, or the body's own words). */
  readonly outcomes: Readonly<Record<string, number>>;
}

const MAX_DISCOVERED = 100;
/**
 * Still in the journey: running with no outcome yet (a run that ended its journey may stay open to wait
 * out its re-entry period, `reentry: { after }`).
 */
export const IN_JOURNEY = `ExecutionStatus = 'Running' AND ${attrs.outcome.name} IS NULL`;
/** Runs read to find a journey's steps when the caller does not name them. */
const SAMPLED_RUNS = 1_000;

/**
 * A journey's funnel from visibility counts alone (no database besides Temporal's): how many entered,
 * passed and are at each step, the drop-off between steps, conversion by step, and the outcomes. The dev
 * server groups counts only by execution status, so this is one `count` per number (a funnel of 5 steps
 * is about 20 queries, run in parallel under the client's visibility budget: see `readVisibility`); counts
 * are eventually consistent with the runs.
 */
export async function journeyFunnel(
  client: Client,
  journey: JourneyRef | string,
  options: FunnelOptions = {},
): Promise<Funnel> {
  const { name, goalOutcome, base } = journeyQuery(journey, options);
  const count = (extra?: string) => countRuns(client, extra ? `${base} AND ${extra}` : base);

  const [entered, running, outcomeNames, discovered] = await Promise.all([
    count(),
    count(IN_JOURNEY),
    distinctOutcomes(client, base),
    options.steps ? Promise.resolve([...options.steps]) : sampledSteps(client, base),
  ]);
  const stepCounts = await Promise.all(
    discovered.map(async (step) => {
      const passedIt = `${attrs.steps.name} = ${literal(step)}`;
      const [passed, at, converted] = await Promise.all([
        count(passedIt),
        count(`${attrs.step.name} = ${literal(step)} AND ${IN_JOURNEY}`),
        count(`${passedIt} AND ${attrs.outcome.name} = ${literal(goalOutcome)}`),
      ]);
      return { step, passed, at, converted };
    }),
  );
  // Without an order from the caller, the funnel narrows: most-passed first.
  const ordered = options.steps ? stepCounts : [...stepCounts].sort((a, b) => b.passed - a.passed);
  const steps = ordered.map((s, i) => ({
    ...s,
    dropOff: i + 1 < ordered.length ? s.passed - (ordered[i + 1]?.passed ?? 0) : 0,
  }));
  const outcomes = Object.fromEntries(
    await Promise.all(
      outcomeNames.map(async (o) => [o, await count(`${attrs.outcome.name} = ${literal(o)}`)] as const),
    ),
  );
  return { journey: name, goalOutcome, entered, running, steps, outcomes };
}

/**
 * The distinct outcomes among the runs `base` matches: one page-size-1 list call per value, each excluding
 * the values found so far (`NOT IN` on a Keyword).
 */
async function distinctOutcomes(client: Client, base: string): Promise<string[]> {
  const found: string[] = [];
  while (found.length < MAX_DISCOVERED) {
    const query = `${base} AND ${attrs.outcome.name} IS NOT NULL${found.length ? ` AND ${attrs.outcome.name} NOT IN (${found.map(literal).join(', ')})` : ''}`;
    const next = await readShared(client, `first outcome ${query}`, `the outcomes of ${base}`, async () => {
      for await (const run of client.workflow.list({ query, pageSize: 1 })) {
        return run.typedSearchAttributes.get(attrs.outcome);
      }
      return undefined;
    });
    if (next === undefined || found.includes(next)) return found;
    found.push(next);
  }
  return found;
}

/**
 * The steps seen in up to `SAMPLED_RUNS` of the runs (visibility's order: open runs first on SQL). A KeywordList cannot be
 * enumerated with `NOT IN` (it means "contains none of"), so steps are read from the runs themselves.
 */
function sampledSteps(client: Client, base: string): Promise<string[]> {
  return readShared(client, `sampled steps ${base}`, `the steps of ${base}`, async () => {
    const found = new Set<string>();
    let seen = 0;
    for await (const run of client.workflow.list({
      query: `${base} AND ${attrs.steps.name} IS NOT NULL`,
      pageSize: 200,
    })) {
      for (const step of run.typedSearchAttributes.get(attrs.steps) ?? []) found.add(step);
      if (++seen >= SAMPLED_RUNS) break;
    }
    return [...found];
  });
}

/** The funnel as a table a person reads. */
export function formatFunnel(funnel: Funnel): string {
  const pct = (n: number) => (funnel.entered > 0 ? `${((100 * n) / funnel.entered).toFixed(1)}%` : '—');
  const lines = [
    `journey ${funnel.journey}: ${funnel.entered} entered, ${funnel.running} running; conversion = "${funnel.goalOutcome}"`,
    '',
    `${'step'.padEnd(22)} ${'passed'.padStart(8)} ${'of entered'.padStart(10)} ${'at now'.padStart(7)} ${'drop-off'.padStart(9)} ${'converted'.padStart(10)}`,
    ...funnel.steps.map(
      (s) =>
        `${s.step.padEnd(22)} ${String(s.passed).padStart(8)} ${pct(s.passed).padStart(10)} ${String(s.at).padStart(7)} ${String(s.dropOff).padStart(9)} ${String(s.converted).padStart(10)}`,
    ),
    '',
    `outcomes: ${
      Object.entries(funnel.outcomes)
        .map(([o, n]) => `${o} ${n}`)
        .join(', ') || 'none yet'
    }`,
  ];
  return lines.join('\n');
}
