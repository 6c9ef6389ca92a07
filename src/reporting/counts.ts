import type { Client } from '@temporalio/client';
import type { JourneyRef } from '../client';
import { journeySearchAttributes as attrs } from '../journey';
import { literal } from './query';
import { countRuns, readVisibility } from '../client/visibility';
import type { ArmInput } from './uplift';

export interface CountArmsOptions {
  /**
   * The variants to count, e.g. `['series', 'holdout']`. Without them, the variants are discovered from
   * visibility first (one list call per variant, plus one).
   */
  readonly variants?: readonly string[];
  /**
   * The outcome counted as a conversion. Defaults to the journey's `goalOutcome`, or `converted` when the
   * journey is given by name.
   */
  readonly goalOutcome?: string;
  /**
   * A visibility filter added with `AND` to every query, for a cohort or a slice, e.g.
   * `StartTime >= '2025-06-01T00:00:00Z'` or `TaskQueue = 'journeys'`. Trusted text: it is not escaped.
   */
  readonly where?: string;
}

/** Runs per variant of a journey's split, as `upliftReport` takes them. */
export interface ArmCounts {
  readonly journey: string;
  readonly goalOutcome: string;
  /** One per variant, in the order given, or sorted when discovered. */
  readonly arms: readonly ArmInput[];
  /**
   * Runs of the journey with no variant: they have not reached the split yet, or ended before it (a goal
   * event that arrived before the body ran, an exit). They are in no arm.
   */
  readonly unassigned: number;
}

/**
 * Counts a journey's runs per variant of its split (`JourneyVariant`) and, of those, the runs that ended
 * with the goal outcome (`JourneyOutcome`), with visibility `count` queries: two per variant, plus one
 * for the unassigned. The dev server's visibility groups counts only by `ExecutionStatus`, hence a query
 * each rather than one `GROUP BY JourneyVariant`.
 *
 * Runs still in the journey count as enrolled and not (yet) converted, the same in every arm, so a
 * comparison between arms enrolled together stays fair while the experiment runs. Counts are of runs,
 * not customers (re-entry makes a new run), over what the namespace retains.
 *
 * Visibility is eventually consistent: a run started or ended a moment ago may not be counted yet.
 *
 * Discovering variants (no `variants` given) does not scan every run: it asks for one run whose variant is
 * not among those found so far (`JourneyVariant NOT IN (…)`, page size 1), until none is left, so its cost
 * is one list call per variant plus one, whatever the number of runs. Values are quoted with `\'` and
 * `\\` escapes. A variant containing a backslash is not matched by the dev server's SQLite visibility (its
 * count is 0 and it cannot be excluded); discovery throws rather than loop on it.
 *
 * @example
 * ```ts
 * import { countArms, upliftReport } from 'temporal-journeys/reporting';
 * const counts = await countArms(client, reactivation); // { arms: [{ variant: 'holdout', enrolled: 1000, converted: 50 }, …] }
 * const report = upliftReport(counts);
 * ```
 */
export async function countArms(
  client: Client,
  journey: JourneyRef | string,
  options: CountArmsOptions = {},
): Promise<ArmCounts> {
  const definition =
    typeof journey === 'string' ? undefined : 'definition' in journey ? journey.definition : journey;
  const name = definition?.name ?? (journey as string);
  const goalOutcome = options.goalOutcome ?? definition?.goalOutcome ?? 'converted';
  const base = `${attrs.journeyName.name} = ${literal(name)}${options.where ? ` AND (${options.where})` : ''}`;
  const variants = options.variants ? [...options.variants] : await discoverVariants(client, base);
  const count = (query: string) => countRuns(client, query);

  const [arms, unassigned] = await Promise.all([
    Promise.all(
      variants.map(async (variant): Promise<ArmInput> => {
        const inArm = `${base} AND ${attrs.variant.name} = ${literal(variant)}`;
        // Conversions first: a run only ever gains its variant and then its outcome, so counting converted
        // before enrolled keeps converted <= enrolled even while runs are ending between the two queries.
        const converted = await count(`${inArm} AND ${attrs.outcome.name} = ${literal(goalOutcome)}`);
        const enrolled = await count(inArm);
        return { variant, enrolled, converted };
      }),
    ),
    count(`${base} AND ${attrs.variant.name} IS NULL`),
  ]);
  return { journey: name, goalOutcome, arms, unassigned };
}

/** The distinct variants of the runs `base` matches, sorted: one page-size-1 list call per variant, plus one. */
async function discoverVariants(client: Client, base: string): Promise<string[]> {
  const found: string[] = [];
  for (;;) {
    const notFound =
      found.length === 0
        ? `${attrs.variant.name} IS NOT NULL`
        : `${attrs.variant.name} NOT IN (${found.map(literal).join(', ')})`;
    const next = await firstVariant(client, `${base} AND ${notFound}`);
    if (next === undefined) return found.sort();
    if (found.includes(next)) {
      throw new Error(
        `Visibility cannot filter on variant "${next}" (${base}): a value with a backslash is not matched by the dev server's SQLite visibility. Rename the variant in split().`,
      );
    }
    found.push(next);
  }
}

function firstVariant(client: Client, query: string): Promise<string | undefined> {
  return readVisibility(client, `the variants of ${query}`, async () => {
    for await (const run of client.workflow.list({ query, pageSize: 1 })) {
      return run.typedSearchAttributes.get(attrs.variant);
    }
    return undefined;
  });
}
