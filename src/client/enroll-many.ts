import type { CustomerInput } from './customer';

/** One customer to enrol, as a source yields it. */
export interface EnrollManyItem {
  readonly customer: CustomerInput;
  /** Input the journey body receives as `data`. */
  readonly data?: unknown;
  /** For keyed proactive journeys: the run's key. */
  readonly key?: string;
  /** Where the item came from (a CSV line), for the summary. */
  readonly line?: number;
}

/** A row a source could not turn into an item: reported with its line, never dropped. */
export interface EnrollManyBadRow {
  readonly line: number;
  readonly error: string;
}

/** Progress, reported while enrolling. */
export interface EnrollManyProgress {
  readonly done: number;
  readonly enrolled: number;
  readonly skipped: number;
  readonly failed: number;
  /** When the source's size is known (`options.total`). */
  readonly total: number | undefined;
  readonly perSecond: number;
  /** Seconds left at the current rate, when the total is known. */
  readonly etaSeconds: number | undefined;
}

export interface EnrollManyOptions {
  /** Enrolments in flight at once (default 32). */
  readonly concurrency?: number;
  /** The number of items, when known, for the percentage and the ETA. */
  readonly total?: number;
  readonly onProgress?: (progress: EnrollManyProgress) => void;
  /** How often `onProgress` is called (default every 500 ms), and once at the end. */
  readonly progressEveryMs?: number;
}

/** Why an item was skipped or failed. */
export interface EnrollManyProblem {
  readonly line?: number;
  readonly customerId?: string;
  readonly outcome: 'skipped' | 'failed';
  readonly reason: string;
}

export interface EnrollManySummary {
  readonly enrolled: number;
  /** Already enrolled (by workflow id: a rerun skips them), or refused by the re-entry policy. */
  readonly skipped: number;
  readonly failed: number;
  /** Every skipped or failed item with its line and reason, by line. */
  readonly problems: readonly EnrollManyProblem[];
  readonly durationMs: number;
}

/** What enrolling one item did: `skipped` with why, or thrown for a failure. */
export type EnrollOne = (
  item: EnrollManyItem,
) => Promise<{ status: 'enrolled' } | { status: 'skipped'; reason: string }>;

const customerIdOf = (customer: CustomerInput | undefined): string | undefined =>
  typeof customer === 'string' ? customer : customer?.id;

/**
 * Enrols every item of `source` with bounded concurrency: pulls the source lazily (a million-row CSV is never
 * held in memory), keeps `concurrency` enrolments in flight, reports progress, and sums up what was
 * enrolled, skipped and failed, with the line and reason of each problem.
 */
export async function runEnrollMany(
  source: AsyncIterable<EnrollManyItem | EnrollManyBadRow> | Iterable<EnrollManyItem | EnrollManyBadRow>,
  enrollOne: EnrollOne,
  options: EnrollManyOptions = {},
): Promise<EnrollManySummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 32));
  const started = Date.now();
  const problems: EnrollManyProblem[] = [];
  let enrolled = 0;
  let skipped = 0;
  let failed = 0;

  const progress = (): EnrollManyProgress => {
    const done = enrolled + skipped + failed;
    const seconds = (Date.now() - started) / 1000;
    const perSecond = seconds > 0 ? done / seconds : 0;
    const total = options.total;
    return {
      done,
      enrolled,
      skipped,
      failed,
      total,
      perSecond,
      etaSeconds: total !== undefined && perSecond > 0 ? Math.max(0, (total - done) / perSecond) : undefined,
    };
  };
  const every = options.progressEveryMs ?? 500;
  const timer = options.onProgress ? setInterval(() => options.onProgress?.(progress()), every) : undefined;

  type Row = EnrollManyItem | EnrollManyBadRow;
  const iterator: AsyncIterator<Row> | Iterator<Row> =
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  // One reader at a time: workers take the next item in turn, so the source is read in order, once.
  let reading: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<Row>> => {
    const result = reading.then(() => iterator.next());
    reading = result.catch(() => undefined);
    return result;
  };

  const worker = async () => {
    for (;;) {
      const step = await next();
      if (step.done) return;
      const value: Row = step.value;
      if ('error' in value) {
        failed += 1;
        problems.push({ line: value.line, outcome: 'failed', reason: value.error });
        continue;
      }
      try {
        const result = await enrollOne(value);
        if (result.status === 'enrolled') enrolled += 1;
        else {
          skipped += 1;
          problems.push({
            line: value.line,
            customerId: customerIdOf(value.customer),
            outcome: 'skipped',
            reason: result.reason,
          });
        }
      } catch (err) {
        failed += 1;
        problems.push({
          line: value.line,
          customerId: customerIdOf(value.customer),
          outcome: 'failed',
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    if (timer) clearInterval(timer);
  }
  options.onProgress?.(progress());
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return { enrolled, skipped, failed, problems, durationMs: Date.now() - started };
}
