/**
 * The time to compute a journey's funnel from visibility (`journeyFunnel`) over N real runs on the dev
 * server (SQLite, WAL), against the raw SDK issuing the same `count` and `list` calls, hand-written, in
 * parallel the same way, on the same server, alternating. The runs are seeded first: `enrollMany` of the
 * bench journey (`bench/funnel-journey.ts`) with a worker running it, then purchases and exits for some
 * customers, until visibility shows every run where it was sent; every funnel measured is checked against
 * what was seeded, so the time is of a right answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
} from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createJourneyClient } from '../src/client';
import { loadConfig } from '../src/config';
import { formatFunnel, journeyFunnel, type FunnelOptions } from '../src/reporting';
import { findTemporalCli, startLocalServer } from '../src/server';
import { bundleJourneys } from '../src/worker';
import { variantOf } from '../src/workflow';
import { benchFunnel, FUNNEL_SPLIT, FUNNEL_STEPS, type FunnelPath } from './funnel-journey';

const JOURNEY = benchFunnel.definition.name;
const CONCURRENCY = 32;
/** Between two timed funnels (see `timed`). */
const PAUSE_MS = 1_000;

/** A seeded customer's path: the journey's part (`data`) and what the bench sends it afterwards. */
type SeededPath = FunnelPath & { readonly then?: 'purchase' | 'exit' };

/**
 * Twenty paths, customer i takes `PATHS[i % 20]`: per 20 customers, 20 pass welcome, 17 offer, 12 the
 * reminder and 8 the last chance; 7 are still running, 4 convert, 1 exits, 6 lapse and 2 complete.
 */
const PATHS: readonly SeededPath[] = [
  ...Array<SeededPath>(2).fill({ depth: 1, end: 'lapsed' }),
  { depth: 1, end: 'wait' },
  ...Array<SeededPath>(3).fill({ depth: 2, end: 'wait' }),
  ...Array<SeededPath>(2).fill({ depth: 2, end: 'wait', then: 'purchase' }),
  ...Array<SeededPath>(2).fill({ depth: 3, end: 'wait' }),
  { depth: 3, end: 'wait', then: 'purchase' },
  { depth: 3, end: 'wait', then: 'exit' },
  ...Array<SeededPath>(4).fill({ depth: 4, end: 'lapsed' }),
  ...Array<SeededPath>(2).fill({ depth: 4, end: 'completed' }),
  { depth: 4, end: 'wait' },
  { depth: 4, end: 'wait', then: 'purchase' },
];
const pathOf = (i: number) => PATHS[i % PATHS.length]!;
const customerId = (i: number) => `funnel-${String(i).padStart(6, '0')}`;

/** What both sides return, compared field by field (outcomes in name order). */
interface FunnelNumbers {
  readonly entered: number;
  readonly running: number;
  readonly steps: readonly {
    readonly step: string;
    readonly passed: number;
    readonly at: number;
    readonly dropOff: number;
    readonly converted: number;
  }[];
  readonly outcomes: Readonly<Record<string, number>>;
}

const numbers = (f: FunnelNumbers): string =>
  JSON.stringify({
    entered: f.entered,
    running: f.running,
    steps: f.steps.map(({ step, passed, at, dropOff, converted }) => ({
      step,
      passed,
      at,
      dropOff,
      converted,
    })),
    outcomes: Object.fromEntries(Object.entries(f.outcomes).sort(([a], [b]) => a.localeCompare(b))),
  });

/** The funnel the seeding makes, for all runs or one variant's. */
function seededFunnel(n: number, variant?: string): FunnelNumbers {
  const passed = FUNNEL_STEPS.map(() => 0);
  const at = FUNNEL_STEPS.map(() => 0);
  const converted = FUNNEL_STEPS.map(() => 0);
  const outcomes: Record<string, number> = {};
  let entered = 0;
  let running = 0;
  for (let i = 0; i < n; i++) {
    const who = { customerId: customerId(i), journey: JOURNEY, split: FUNNEL_SPLIT.name };
    if (variant !== undefined && variantOf(who, FUNNEL_SPLIT.variants) !== variant) continue;
    const p = pathOf(i);
    const outcome =
      p.then === 'purchase' ? 'converted' : p.then === 'exit' ? 'exited' : p.end === 'wait' ? null : p.end;
    entered += 1;
    for (let s = 0; s < p.depth; s++) {
      passed[s]! += 1;
      if (outcome === 'converted') converted[s]! += 1;
    }
    if (outcome === null) {
      running += 1;
      at[p.depth - 1]! += 1;
    } else outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  const steps = FUNNEL_STEPS.map((step, s) => ({
    step,
    passed: passed[s]!,
    at: at[s]!,
    dropOff: s + 1 < FUNNEL_STEPS.length ? passed[s]! - passed[s + 1]! : 0,
    converted: converted[s]!,
  }));
  // journeyFunnel orders discovered steps by runs passed, most first (stable): the same order here.
  return { entered, running, steps, outcomes };
}

// The baseline's own search attribute keys and queries: nothing from temporal-journeys.
const STEPS_KEY = defineSearchAttributeKey('JourneySteps', SearchAttributeType.KEYWORD_LIST);
const OUTCOME_KEY = defineSearchAttributeKey('JourneyOutcome', SearchAttributeType.KEYWORD);

/**
 * The raw SDK doing what `journeyFunnel` does: the same queries, the same list calls (outcomes one page of 1
 * at a time with `NOT IN`, steps from up to 1,000 runs in pages of 200), in the same parallel rounds.
 */
async function rawFunnel(
  client: Client,
  options: { steps?: readonly string[]; variant?: string },
): Promise<FunnelNumbers> {
  const base = `JourneyName = 'bench-funnel'${options.variant ? ` AND JourneyVariant = '${options.variant}'` : ''}`;
  const count = async (extra?: string) =>
    (await client.workflow.count(extra ? `${base} AND ${extra}` : base)).count;
  const outcomeNames = async () => {
    const found: string[] = [];
    for (;;) {
      const notIn = found.length
        ? ` AND JourneyOutcome NOT IN (${found.map((o) => `'${o}'`).join(', ')})`
        : '';
      let next: string | undefined;
      for await (const run of client.workflow.list({
        query: `${base} AND JourneyOutcome IS NOT NULL${notIn}`,
        pageSize: 1,
      })) {
        next = run.typedSearchAttributes.get(OUTCOME_KEY);
        break;
      }
      if (next === undefined || found.includes(next)) return found;
      found.push(next);
    }
  };
  const stepNames = async () => {
    const found = new Set<string>();
    let seen = 0;
    for await (const run of client.workflow.list({
      query: `${base} AND JourneySteps IS NOT NULL`,
      pageSize: 200,
    })) {
      for (const step of run.typedSearchAttributes.get(STEPS_KEY) ?? []) found.add(step);
      if (++seen >= 1000) break;
    }
    return [...found];
  };
  const [entered, running, outcomeList, stepList] = await Promise.all([
    count(),
    count(`ExecutionStatus = 'Running' AND JourneyOutcome IS NULL`),
    outcomeNames(),
    options.steps ? [...options.steps] : stepNames(),
  ]);
  const counted = await Promise.all(
    stepList.map(async (step) => {
      const [passed, at, converted] = await Promise.all([
        count(`JourneySteps = '${step}'`),
        count(`JourneyStep = '${step}' AND ExecutionStatus = 'Running' AND JourneyOutcome IS NULL`),
        count(`JourneySteps = '${step}' AND JourneyOutcome = 'converted'`),
      ]);
      return { step, passed, at, converted };
    }),
  );
  const ordered = options.steps ? counted : [...counted].sort((a, b) => b.passed - a.passed);
  const steps = ordered.map((s, i) => ({
    ...s,
    dropOff: i + 1 < ordered.length ? s.passed - ordered[i + 1]!.passed : 0,
  }));
  const outcomes = Object.fromEntries(
    await Promise.all(outcomeList.map(async (o) => [o, await count(`JourneyOutcome = '${o}'`)] as const)),
  );
  return { entered, running, steps, outcomes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const say = (line: string) => console.log(`         ${line}`);
const thousands = (n: number) => n.toLocaleString('en-US');

/** Polls a visibility count until it reaches `expected`, printing progress every 10 s. */
async function untilCount(client: Client, query: string, expected: number, what: string): Promise<void> {
  const started = Date.now();
  let printed = started;
  for (;;) {
    const { count } = await client.workflow.count(query);
    if (count === expected) return;
    if (count > expected)
      throw new Error(`${what}: visibility counts ${count}, more than the ${expected} seeded`);
    if (Date.now() - printed >= 10_000) {
      printed = Date.now();
      say(`waiting for ${what}: ${thousands(count)} of ${thousands(expected)}`);
    }
    if (Date.now() - started > 20 * 60_000)
      throw new Error(`${what}: ${count} of ${expected} after 20 minutes`);
    await delay(250);
  }
}

/** Runs `op` for every item with `CONCURRENCY` in flight. */
async function eachInParallel<T>(items: readonly T[], op: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await op(items[next++]!);
    }),
  );
}

/** Seeds `n` runs of the bench journey with a worker running them; returns when visibility shows them all. */
async function seed(connection: NativeConnection, client: Client, n: number): Promise<void> {
  const taskQueue = 'bench-funnel';
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: await bundleJourneys(path.join(__dirname, 'funnel-journey')),
    // Most runs wait a year: caching them all would hold thousands of sandboxes (GBs) in this process. An
    // evicted run replays its few events when its purchase or exit arrives.
    maxCachedWorkflows: 500,
  });
  const journeys = await createJourneyClient({ journeys: [benchFunnel], client, taskQueue });
  await worker.runUntil(async () => {
    let started = Date.now();
    const items = function* () {
      for (let i = 0; i < n; i++) {
        const { depth, end } = pathOf(i);
        yield { customer: customerId(i), data: { depth, end } satisfies FunnelPath };
      }
    };
    const summary = await journeys.enrollMany(benchFunnel, items(), {
      concurrency: CONCURRENCY,
      total: n,
      progressEveryMs: 10_000,
      onProgress: (p) => {
        if (p.done < n)
          say(`enrolled ${thousands(p.enrolled)} of ${thousands(n)}, ${p.perSecond.toFixed(0)}/s`);
      },
    });
    if (summary.enrolled !== n)
      throw new Error(
        `enrollMany enrolled ${summary.enrolled} of ${n}: ${JSON.stringify(summary.problems[0])}`,
      );
    say(`enrolled ${thousands(n)} in ${(summary.durationMs / 1000).toFixed(0)} s`);
    await untilCount(
      client,
      `JourneyName = '${JOURNEY}' AND JourneySteps = 'welcome'`,
      n,
      'runs past welcome',
    );
    say(
      `all ${thousands(n)} past their first workflow task ${((Date.now() - started) / 1000).toFixed(0)} s after the first enrolment`,
    );

    started = Date.now();
    const later = Array.from({ length: n }, (_, i) => i).filter((i) => pathOf(i).then !== undefined);
    await eachInParallel(later, async (i) => {
      if (pathOf(i).then === 'exit') {
        await journeys.exit(benchFunnel, { customerId: customerId(i), reason: 'bench' });
        return;
      }
      const { deliveries } = await journeys.emit({
        type: 'bench.purchased',
        customer: customerId(i),
        data: {},
      });
      if (deliveries[0]?.status !== 'delivered')
        throw new Error(`purchase of ${customerId(i)}: ${JSON.stringify(deliveries)}`);
    });
    const closed = seededFunnel(n);
    const ended = Object.values(closed.outcomes).reduce((a, b) => a + b, 0);
    await untilCount(
      client,
      `JourneyName = '${JOURNEY}' AND ExecutionStatus = 'Completed'`,
      ended,
      'ended runs',
    );
    say(
      `${thousands(later.length)} purchases and exits sent and ended in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  });
}

/**
 * Seeds `n` runs, then times `journeyFunnel` three ways (steps discovered, steps given, one variant)
 * against the raw SDK doing the same queries, `rounds` rounds each after a checked warm-up.
 */
export async function funnelBench(n: number, rounds: number): Promise<void> {
  const config = loadConfig();
  const cli = await findTemporalCli({
    explicitPath: config.server.cliPath,
    cacheDir: config.server.cacheDir,
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-bench-funnel-'));
  const server = await startLocalServer({ cli, dbFile: path.join(dir, 'funnel.sqlite') });
  // The measuring client has its own connection, which counts the visibility calls each funnel makes
  // (outside the SDK's retries) and the attempts the server saw (inside them).
  const calls = { count: 0, list: 0, attempts: 0 };
  type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];
  const visibility = (path: string) => /\/(Count|List)WorkflowExecutions$/.exec(path)?.[1];
  const counting: Interceptor = (options, next) => {
    const method = visibility(options.method_definition.path);
    if (method === 'Count') calls.count += 1;
    else if (method === 'List') calls.list += 1;
    return next(options) as ReturnType<Interceptor>;
  };
  const attempts: Interceptor = (options, next) => {
    if (visibility(options.method_definition.path)) calls.attempts += 1;
    return next(options) as ReturnType<Interceptor>;
  };
  const interceptors = [counting, makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), attempts];
  const connection = await Connection.connect({ address: server.address, interceptors });
  const client = new Client({ connection, namespace: server.namespace });
  try {
    console.log(`funnel of a journey with ${thousands(n)} runs, dev server (SQLite WAL): seeding`);
    const seedStarted = Date.now();
    await seed(server.env.nativeConnection, server.env.client, n);
    say(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s; worker stopped before measuring`);

    const variant = 'a';
    const cases: { label: string; options: FunnelOptions; expected: FunnelNumbers }[] = [
      { label: 'steps discovered', options: {}, expected: seededFunnel(n) },
      { label: 'steps given', options: { steps: FUNNEL_STEPS }, expected: seededFunnel(n) },
      { label: `variant '${variant}'`, options: { variant }, expected: seededFunnel(n, variant) },
    ];
    const timed = async <T extends FunnelNumbers>(fn: () => Promise<T>) => {
      // The dev server allows a namespace 100 visibility calls a second: a pause lets the bucket refill, so
      // back-to-back funnels (20-30 calls in tens of ms) time the queries, not the SDK's backoff.
      await delay(PAUSE_MS);
      const before = { ...calls };
      const started = process.hrtime.bigint();
      const result = await fn();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const count = calls.count - before.count;
      const list = calls.list - before.list;
      return { result, ms, count, list, retries: calls.attempts - before.attempts - count - list };
    };
    const check = (side: string, label: string, got: FunnelNumbers, expected: FunnelNumbers) => {
      if (numbers(got) !== numbers(expected))
        throw new Error(
          `${side} funnel (${label}) differs from the seeding:\n  got      ${numbers(got)}\n  expected ${numbers(expected)}`,
        );
    };
    const rows: string[] = [];
    for (const { label, options, expected } of cases) {
      const ours = () => journeyFunnel(client, benchFunnel, options);
      const raw = () => rawFunnel(client, { steps: options.steps, variant: options.variant });
      // Warm-up, checked: both sides must give the seeded numbers before any time counts.
      const first = await timed(ours);
      check('journeyFunnel', label, first.result, expected);
      check('raw SDK', label, (await timed(raw)).result, expected);
      if (label === 'steps discovered') console.log(`\n${formatFunnel(first.result)}\n`);
      const oursRuns: Awaited<ReturnType<typeof timed<FunnelNumbers>>>[] = [];
      const rawRuns: typeof oursRuns = [];
      for (let round = 0; round < rounds; round++) {
        rawRuns.push(await timed(raw));
        oursRuns.push(await timed(ours));
      }
      for (const r of oursRuns) check('journeyFunnel', label, r.result, expected);
      for (const r of rawRuns) check('raw SDK', label, r.result, expected);
      const queries = (r: { count: number; list: number }) => `${r.count} count + ${r.list} list`;
      const [o, w] = [oursRuns[0]!, rawRuns[0]!];
      if (queries(o) !== queries(w))
        throw new Error(`${label}: ours made ${queries(o)} calls, raw ${queries(w)}`);
      const oursMs = median(oursRuns.map((r) => r.ms));
      const rawMs = median(rawRuns.map((r) => r.ms));
      const range = (runs: typeof oursRuns) =>
        `${Math.min(...runs.map((r) => r.ms)).toFixed(0)}-${Math.max(...runs.map((r) => r.ms)).toFixed(0)}`;
      const retries = [...oursRuns, ...rawRuns].reduce((sum, r) => sum + r.retries, 0);
      rows.push(
        `${label.padEnd(17)} journeyFunnel ${oursMs.toFixed(0).padStart(5)} ms (${range(oursRuns)})   raw SDK, same calls ${rawMs.toFixed(0).padStart(5)} ms (${range(rawRuns)})   ratio ${(oursMs / rawMs).toFixed(2)}   ${queries(o)} calls${retries ? `, ${retries} retried (rate limit)` : ''}, ${thousands(expected.entered)} runs`,
      );
    }
    console.log(
      `funnel of ${thousands(n)} runs, ${rounds} rounds alternating raw and ours after a checked warm-up; median round`,
    );
    for (const row of rows) say(row);
  } finally {
    await connection.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
