/**
 * enrollMany on the real dev server: 5,000 customers from a CSV all enrolled, a rerun enrols none (skipped by
 * workflow id), and a CSV with 3 bad rows reports those lines and enrols the rest.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createJourneyClient,
  readCustomersCsv,
  type EnrollManyProgress,
  type JourneyClient,
} from '../../src/client';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { winBack } from '../fixtures/journeys';

let t: JourneyTestEnvironment;
let journeys: JourneyClient;
let dir: string;
// Nobody polls this queue: the test is about enrolment, not about running the journey.
const taskQueue = `enroll-many-${Date.now()}`;
beforeAll(async () => {
  t = await createJourneyTestEnvironment({
    journeys: [winBack],
    workflowsPath: require.resolve('../fixtures/journeys'),
    server: 'dev',
  });
  journeys = await createJourneyClient({ journeys: [winBack], client: t.env.client, taskQueue });
  dir = await mkdtemp(path.join(os.tmpdir(), 'enroll-many-'));
}, 60_000);
afterAll(() => t?.close());

async function csv(name: string, rows: string[]): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, ['id,email,phone,segment', ...rows].join('\n') + '\n');
  return file;
}

async function running(prefix: string): Promise<number> {
  // Visibility is eventually consistent: poll until the count settles.
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const { count } = await t.env.client.workflow.count(
      `TaskQueue = '${taskQueue}' AND CustomerId STARTS_WITH '${prefix}' AND ExecutionStatus = 'Running'`,
    );
    if (count === last) return count;
    last = count;
    await new Promise((r) => setTimeout(r, 300));
  }
  return last;
}

test('5,000 customers from a CSV are all enrolled, with progress; a rerun enrols none', async () => {
  const rows = Array.from({ length: 5_000 }, (_, i) => `bulk-${i},bulk${i}@example.com,,vip`);
  const file = await csv('five-thousand.csv', rows);
  const seen: EnrollManyProgress[] = [];
  const first = await journeys.enrollMany(winBack, readCustomersCsv(file), {
    concurrency: 64,
    total: 5_000,
    onProgress: (p) => seen.push(p),
    progressEveryMs: 200,
  });
  expect(first).toMatchObject({ enrolled: 5_000, skipped: 0, failed: 0, problems: [] });
  expect(seen.at(-1)).toMatchObject({ done: 5_000, total: 5_000, etaSeconds: 0 });
  expect(seen.length).toBeGreaterThan(1); // reported along the way, not only at the end
  expect(await running('bulk-')).toBe(5_000);

  const again = await journeys.enrollMany(winBack, readCustomersCsv(file), { concurrency: 64 });
  expect(again).toMatchObject({ enrolled: 0, skipped: 5_000, failed: 0 });
  expect(again.problems[0]).toMatchObject({ line: 2, customerId: 'bulk-0', outcome: 'skipped' });
  expect(await running('bulk-')).toBe(5_000);
}, 180_000);

test('a CSV with 3 bad rows reports those lines and enrols the rest; the data columns reach the journey', async () => {
  const rows = Array.from(
    { length: 50 },
    (_, i) => `mixed-${i},mixed${i}@example.com,+1415555${String(1000 + i)},trial`,
  );
  rows[9] = 'mixed-9,not-an-email,,trial'; // line 11
  rows[19] = ',nobody@example.com,,trial'; // line 21: no id
  rows[29] = 'mixed-29,"unterminated@example.com,,trial'; // line 31
  const summary = await journeys.enrollMany(winBack, readCustomersCsv(await csv('mixed.csv', rows)));
  expect(summary.enrolled).toBe(47);
  expect(summary.failed).toBe(3);
  expect(summary.problems.map((p) => [p.line, p.outcome])).toEqual([
    [11, 'failed'],
    [21, 'failed'],
    [31, 'failed'],
  ]);
  expect(summary.problems[0]?.reason).toContain('customer.email');
  const described = await t.env.client.workflow.getHandle('journey/win-back/mixed-0').describe();
  expect(described.taskQueue).toBe(taskQueue);
  const history = await t.env.client.workflow.getHandle('journey/win-back/mixed-0').fetchHistory();
  const input = JSON.parse(
    Buffer.from(
      history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!.data!,
    ).toString(),
  ) as { customer: unknown; data: unknown };
  expect(input).toMatchObject({
    customer: { id: 'mixed-0', email: 'mixed0@example.com', phone: '+14155551000' },
    data: { segment: 'trial' },
  });
}, 60_000);

test('a reactive journey cannot be enrolled: the error comes before any row is read', async () => {
  const client = await createJourneyClient({ journeys: [], client: t.env.client, taskQueue });
  const { abandonedCart } = await import('../fixtures/journeys');
  let read = 0;
  const rows = (function* () {
    read += 1;
    yield { customer: 'x' };
  })();
  await expect(client.enrollMany(abandonedCart, rows)).rejects.toMatchObject({ code: 'JOURNEY_INVALID' });
  expect(read).toBe(0);
});
