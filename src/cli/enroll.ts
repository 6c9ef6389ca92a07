import path from 'node:path';
import { createJourneyClient, readCustomersCsv, type EnrollManyBadRow, type EnrollManyItem } from '../client';
import { previewSegment, runSegment, type SegmentMember } from '../profile';
import { loadSegments, openCustomerData, segmentNamed } from './customer-data';
import { JourneyError } from '../errors';
import { parseFlags } from './args';
import { loadJourneysModule } from './journeys-module';
import { formatSummary, progressPrinter } from './progress';

/** Counts a CSV file's data lines (for the progress bar's total and ETA), streaming it. */
async function countRows(file: string): Promise<number> {
  let rows = 0;
  for await (const row of readCustomersCsv(file)) if (row) rows += 1;
  return rows;
}

/**
 * `journeys enroll <journey> --from <file.csv>`: enrols every customer of the file with bounded concurrency,
 * progress on stderr, and a summary; exits 1 when any row failed.
 */
export async function enroll(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    from: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    workflows: { type: 'string' },
    segments: { type: 'string' },
    database: { type: 'string' },
  });
  const [name] = positionals;
  if (!name || !values.from) {
    console.error(
      'Usage: journeys enroll <journey> --from <customers.csv> [--concurrency N] [--workflows PATH]',
    );
    return 2;
  }
  const { journeys } = loadJourneysModule(values.workflows);
  const journey = journeys.get(name);
  if (!journey)
    throw new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journey "${name}" (known: ${[...journeys.keys()].join(', ')}).`,
    );
  const concurrency = Number(values.concurrency);
  if (!(Number.isInteger(concurrency) && concurrency > 0))
    throw new JourneyError(
      'INPUT_INVALID',
      `--concurrency must be a positive integer, got "${values.concurrency}"`,
    );

  const fromSegment = values.from.startsWith('segment:') ? values.from.slice('segment:'.length) : undefined;
  const data = fromSegment ? await openCustomerData(values.database) : undefined;
  const client = await createJourneyClient({ journeys: [journey] });
  try {
    let items: AsyncIterable<EnrollManyItem | EnrollManyBadRow>;
    let total: number;
    if (fromSegment && data) {
      const definition = segmentNamed(loadSegments(values.segments), fromSegment);
      const now = new Date(); // one instant for the count and the members
      total = (await previewSegment(data.source.db, definition, { now, sample: 0 })).size;
      items = membersOf(runSegment(data.source.db, definition, { now }));
    } else {
      const file = path.resolve(values.from);
      total = await countRows(file);
      items = readCustomersCsv(file);
    }
    const summary = await client.enrollMany(journey, items, {
      concurrency,
      total,
      onProgress: progressPrinter(),
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(formatSummary(summary));
    return summary.failed > 0 ? 1 : 0;
  } finally {
    await Promise.all([client.close(), data?.close()]);
  }
}

/** A segment's members as enrolment items: the customer's addresses, and the other columns as data. */
async function* membersOf(members: AsyncIterable<SegmentMember>): AsyncGenerator<EnrollManyItem> {
  for await (const m of members) {
    yield {
      customer: { id: m.id, ...(m.email && { email: m.email }), ...(m.phone && { phone: m.phone }) },
      data: Object.keys(m.data).length > 0 ? m.data : undefined,
    };
  }
}
