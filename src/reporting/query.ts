import type { JourneyRef } from '../client';
import { journeySearchAttributes as attrs, toMs, type Duration } from '../journey';

/** The filters every report takes. */
export interface RunFilter {
  /** Only the runs of one split arm. */
  readonly variant?: string;
  /** Only runs started in [from, to). */
  readonly from?: Date;
  readonly to?: Date;
  /**
   * Only runs on this task queue: one app's or environment's runs where several share a namespace (a
   * staging and a canary worker fleet, or test runs beside a demo).
   */
  readonly taskQueue?: string;
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
  if (filter.taskQueue !== undefined) filters.push(`TaskQueue = ${literal(filter.taskQueue)}`);
  filters.push(...startedWithin(filter));
  return { name, goalOutcome, base: filters.join(' AND ') };
}

/** The visibility clauses of a start-time window [from, to): none, one or two. */
export function startedWithin(window: { readonly from?: Date; readonly to?: Date }): string[] {
  return [
    ...(window.from ? [`StartTime >= ${literal(window.from.toISOString())}`] : []),
    ...(window.to ? [`StartTime < ${literal(window.to.toISOString())}`] : []),
  ];
}

/** A single-quoted visibility query string, with its backslashes and quotes escaped. */
export function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An ISO date, or date and time with an optional zone (none means UTC). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The time window of `--since 7d` (CLI; `?since=7d` on the dashboard) or `--from 2026-11-01 [--to
 * 2026-11-08T12:00]` (runs started in [from, to); a time without a zone is UTC), or a usage error naming
 * the flag.
 */
export function timeWindow(
  values: { since?: string; from?: string; to?: string },
  now = new Date(),
): { from?: Date; to?: Date } | string {
  if (values.since !== undefined && (values.from !== undefined || values.to !== undefined))
    return '--since cannot be combined with --from/--to.';
  if (values.since !== undefined) {
    try {
      return { from: new Date(now.getTime() - toMs(values.since as Duration)) };
    } catch {
      return `--since takes a duration like "7 days", "24h" or "2w", got "${values.since}".`;
    }
  }
  const date = (flag: 'from' | 'to'): Date | string | undefined => {
    const text = values[flag];
    if (text === undefined) return undefined;
    const zoned = /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`;
    const parsed = new Date(zoned);
    return !ISO_TIME.test(text) || Number.isNaN(parsed.getTime())
      ? `--${flag} takes an ISO date or time like 2026-11-01 or 2026-11-01T09:00:00Z, got "${text}".`
      : parsed;
  };
  const from = date('from');
  const to = date('to');
  if (typeof from === 'string') return from;
  if (typeof to === 'string') return to;
  if (from && to && from >= to)
    return `--from (${from.toISOString()}) must be before --to (${to.toISOString()}).`;
  return { from, to };
}
