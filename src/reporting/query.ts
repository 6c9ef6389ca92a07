import type { JourneyRef } from '../client';
import { journeySearchAttributes as attrs } from '../journey';

/** The filters every report takes. */
export interface RunFilter {
  /** Only the runs of one split arm. */
  readonly variant?: string;
  /** Only runs started in [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  /** The outcome a conversion is; the journey's `goalOutcome` (default `converted`). */
  readonly goalOutcome?: string;
}

/** A journey's name, goal outcome and the visibility query of its runs that `filter` selects. */
export function journeyQuery(
  journey: JourneyRef | string,
  filter: RunFilter,
): { name: string; goalOutcome: string; base: string } {
  const definition =
    typeof journey === 'string' ? undefined : 'definition' in journey ? journey.definition : journey;
  const name = definition?.name ?? (journey as string);
  const goalOutcome = filter.goalOutcome ?? definition?.goalOutcome ?? 'converted';
  const filters = [`${attrs.journeyName.name} = ${literal(name)}`];
  if (filter.variant !== undefined) filters.push(`${attrs.variant.name} = ${literal(filter.variant)}`);
  if (filter.from) filters.push(`StartTime >= ${literal(filter.from.toISOString())}`);
  if (filter.to) filters.push(`StartTime < ${literal(filter.to.toISOString())}`);
  return { name, goalOutcome, base: filters.join(' AND ') };
}

/** A single-quoted visibility query string, with its backslashes and quotes escaped. */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
