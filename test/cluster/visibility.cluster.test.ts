/**
 * Reports under the cluster's default visibility rate limit (10 calls per second per namespace): the
 * frontend does refuse a burst, and still twenty funnels and twenty path reports asked at once by twenty
 * clients (twenty dashboards, twenty CLIs) all answer, and answer right, with no throttling error reaching
 * any of them; one client asked for the same funnel ten times at once asks visibility about once.
 */
// grpc-js comes with @temporalio/client: the interceptor counts the calls the reports make.
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { journeySearchAttributes as attrs } from '../../src/journey';
import { countRuns, isThrottled, journeyFunnel, journeyPaths } from '../../src/reporting';

const address = process.env.JOURNEYS_CLUSTER_ADDRESS!;
const journey = `visibility-${Date.now().toString(36)}`;
const taskQueue = `${journey}-nobody-polls`; // the runs only need to exist, with their search attributes
const RUNS = 40;

/** Run i of the seed: where it is and how it ended, in four kinds. */
function seed(i: number): { steps: string[]; step: string; outcome?: string } {
  switch (i % 4) {
    case 0:
      return { steps: ['welcome'], step: 'welcome' };
    case 1:
      return { steps: ['welcome', 'nudge'], step: 'nudge' };
    case 2:
      return { steps: ['welcome', 'nudge'], step: 'nudge', outcome: 'converted' };
    default:
      return { steps: ['welcome'], step: 'welcome', outcome: 'exited' };
  }
}

const connections: Connection[] = [];
async function newClient(options: { retries: boolean }): Promise<Client> {
  const connection = await Connection.connect({ address, ...(options.retries ? {} : { interceptors: [] }) });
  connections.push(connection);
  return new Client({ connection });
}
afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
});

beforeAll(async () => {
  const client = await newClient({ retries: true });
  await Promise.all(
    Array.from({ length: RUNS }, (_, i) => {
      const { steps, step, outcome } = seed(i);
      return client.workflow.start('seeded', {
        taskQueue,
        workflowId: `${journey}-${i}`,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: attrs.journeyName, value: journey },
          { key: attrs.customerId, value: `c-${i}` },
          { key: attrs.steps, value: steps },
          { key: attrs.step, value: step },
          ...(outcome ? [{ key: attrs.outcome, value: outcome }] : []),
        ]),
      });
    }),
  );
  // Visibility is eventually consistent: wait until every seeded run is counted.
  const deadline = Date.now() + 60_000;
  while ((await countRuns(client, `JourneyName = '${journey}'`)) < RUNS) {
    if (Date.now() > deadline) throw new Error('the seeded runs never reached visibility');
    await new Promise((r) => setTimeout(r, 500));
  }
}, 120_000);

afterAll(async () => {
  const client = await newClient({ retries: true });
  await Promise.all(
    Array.from({ length: RUNS }, (_, i) =>
      client.workflow
        .getHandle(`${journey}-${i}`)
        .terminate('test over')
        .catch(() => undefined),
    ),
  );
});

test('the frontend refuses a burst of visibility calls: the limit is real', async () => {
  const raw = await newClient({ retries: false }); // no SDK retries: the refusal shows
  const results = await Promise.allSettled(
    Array.from({ length: 60 }, () =>
      raw.workflowService.countWorkflowExecutions({
        namespace: 'default',
        query: `JourneyName = '${journey}'`,
      }),
    ),
  );
  const refused = results.filter((r) => r.status === 'rejected' && isThrottled(r.reason)).length;
  const other = results.filter((r) => r.status === 'rejected' && !isThrottled(r.reason));
  expect(other).toEqual([]);
  expect(refused).toBeGreaterThan(0);
});

test('twenty funnels and twenty path reports at once, from twenty clients, all answer right', async () => {
  // Half the clients with the SDK's own retries of a refused call (the default, ten tries over about 40
  // s), half without (the reports' own backoff is all they have): none may see the refusal.
  const clients = await Promise.all(
    Array.from({ length: 20 }, (_, i) => newClient({ retries: i % 2 === 0 })),
  );
  const started = Date.now();
  const [funnels, paths] = await Promise.all([
    Promise.all(clients.map((client) => journeyFunnel(client, journey))),
    Promise.all(clients.map((client) => journeyPaths(client, journey))),
  ]);
  console.log(
    `visibility: 20 funnels and 20 path reports in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const quarter = RUNS / 4;
  for (const funnel of funnels) {
    expect(funnel).toEqual({
      journey,
      goalOutcome: 'converted',
      entered: RUNS,
      running: 2 * quarter, // kinds 0 and 1: no outcome yet
      steps: [
        { step: 'welcome', passed: RUNS, at: quarter, dropOff: 2 * quarter, converted: quarter },
        { step: 'nudge', passed: 2 * quarter, at: quarter, dropOff: 0, converted: quarter },
      ],
      outcomes: { converted: quarter, exited: quarter },
    });
  }
  for (const report of paths) {
    expect(report.total).toBe(RUNS);
    expect(report.sampled).toBe(RUNS);
    expect(Object.fromEntries(report.paths.map((p) => [`${p.steps.join('>')} ${p.end}`, p.count]))).toEqual({
      'welcome (running)': quarter,
      'welcome>nudge (running)': quarter,
      'welcome>nudge converted': quarter,
      'welcome exited': quarter,
    });
  }
}, 300_000);

test('ten funnels of one journey asked at once on one client cost one funnel of calls', async () => {
  let calls = 0;
  const counting: Interceptor = (options, next) => {
    calls++;
    return new InterceptingCall(next(options));
  };
  const connection = await Connection.connect({
    address,
    interceptors: [counting, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
  });
  connections.push(connection);
  const client = new Client({ connection });
  await journeyFunnel(client, journey);
  const one = calls;
  calls = 0;
  const ten = await Promise.all(Array.from({ length: 10 }, () => journeyFunnel(client, journey)));
  expect(new Set(ten.map((f) => JSON.stringify(f))).size).toBe(1);
  // Every read is shared while in flight: ten at once cost one funnel's calls (140 if each asked its own).
  expect(calls).toBeGreaterThan(0);
  expect(calls).toBeLessThanOrEqual(2 * one);
}, 300_000);
