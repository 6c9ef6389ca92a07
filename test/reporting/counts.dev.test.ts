/**
 * Uplift counted on the real dev server: reactivation's series against its holdout, from visibility
 * `count` queries, through `countArms`, `upliftReport` and `journeys report uplift`. Visibility is eventually
 * consistent, so the counts are polled until they settle.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { report } from '../../src/cli/report';
import { journeySearchAttributes as attrs } from '../../src/journey';
import { createPgliteProfileSource, type PgliteProfileSource } from '../../src/profile';
import { countArms, upliftReport, Z_95, type ArmCounts, type CountArmsOptions } from '../../src/reporting';
import { createJourneyTestEnvironment, type JourneyTestEnvironment } from '../../src/testing/all';
import { variantOf } from '../../src/workflow';
import { reactivation } from '../../workflows/reactivation';

let t: JourneyTestEnvironment;
let profiles: PgliteProfileSource;
beforeAll(async () => {
  profiles = await createPgliteProfileSource();
  t = await createJourneyTestEnvironment({
    journeys: [reactivation],
    workflowsPath: require.resolve('../../workflows'),
    server: 'dev',
    profiles: profiles.source,
  });
});
afterAll(async () => {
  await t?.close();
  await profiles?.close();
});

const run = Date.now().toString(36);

/** The first `n` customer ids in an arm of reactivation's split (a pure function of the id). */
function idsIn(arm: 'series' | 'holdout', n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < n; i++) {
    const customerId = `up-${run}-${arm}-${i}`;
    const v = variantOf(
      { customerId, journey: 'reactivation', split: 'win-back' },
      { series: 100 },
      { holdout: 10 },
    );
    if (v === arm) ids.push(customerId);
  }
  return ids;
}

/** Polls `countArms` until `done`, or returns the last counts after 20 s for the assertion to show. */
async function countsWhen(
  journey: Parameters<typeof countArms>[1],
  options: CountArmsOptions,
  done: (c: ArmCounts) => boolean,
): Promise<ArmCounts> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const counts = await countArms(t.env.client, journey, options);
    if (done(counts) || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const sameArms = (c: ArmCounts, expected: ArmCounts['arms']) =>
  JSON.stringify(c.arms) === JSON.stringify(expected);

test('40 customers, 8 held out: enrolled and reactivated per arm, and the uplift over them', async () => {
  const holdout = idsIn('holdout', 8);
  const series = idsIn('series', 32);
  const reactivated = [...holdout.slice(0, 2), ...series.slice(0, 12)];
  await Promise.all(
    [...holdout, ...series].map((id) => profiles.source.upsertCustomer({ id, email: `${id}@example.com` })),
  );

  await t.run(async ({ journeys, taskQueue }) => {
    await Promise.all(
      [...holdout, ...series].map((id) =>
        journeys.enroll(reactivation, { customer: { id, email: `${id}@example.com` } }),
      ),
    );
    const where = { where: `TaskQueue = '${taskQueue}'` };
    // Everyone past the split before the visits, so no one converts before being assigned an arm.
    // Visibility is eventually consistent: the arms can add up while a run's variant upsert is still being
    // indexed (seen on a loaded 2-core machine: `unassigned: 1`), so wait for that count too.
    const enrolled = await countsWhen(
      reactivation,
      where,
      (c) =>
        c.unassigned === 0 &&
        sameArms(c, [
          { variant: 'holdout', enrolled: 8, converted: 0 },
          { variant: 'series', enrolled: 32, converted: 0 },
        ]),
    );
    expect(enrolled).toEqual({
      journey: 'reactivation',
      goalOutcome: 'reactivated',
      arms: [
        { variant: 'holdout', enrolled: 8, converted: 0 },
        { variant: 'series', enrolled: 32, converted: 0 },
      ],
      unassigned: 0,
    });

    await Promise.all(
      reactivated.map((id) =>
        journeys.emit({ type: 'customer.active', customer: id, data: { kind: 'visit' } }),
      ),
    );
    const expected = [
      { variant: 'holdout', enrolled: 8, converted: 2 },
      { variant: 'series', enrolled: 32, converted: 12 },
    ];
    const counts = await countsWhen(reactivation, where, (c) => c.unassigned === 0 && sameArms(c, expected));
    expect(counts).toEqual({
      journey: 'reactivation',
      goalOutcome: 'reactivated',
      arms: expected,
      unassigned: 0,
    });
    // The same with the variants given (no discovery), and by name with the goal outcome given.
    expect(
      await countArms(t.env.client, reactivation.definition, { ...where, variants: ['series', 'holdout'] }),
    ).toEqual({
      ...counts,
      arms: [expected[1], expected[0]],
    });
    expect(await countArms(t.env.client, 'reactivation', { ...where, goalOutcome: 'reactivated' })).toEqual(
      counts,
    );

    // By hand: p₀ = 2/8 = 0.25, p₁ = 12/32 = 0.375, d = 0.125, relative 0.5;
    // SE = √(0.375 × 0.625 / 32 + 0.25 × 0.75 / 8) = √(0.00732422 + 0.0234375) = √0.03076172 = 0.1753902;
    // CI = 0.125 ± 1.959964 × 0.1753902 = 0.125 ± 0.3437585 = [−0.2188, 0.4688]: far too few customers.
    const result = upliftReport(counts);
    expect(result.arms.map((a) => [a.variant, a.rate])).toEqual([
      ['holdout', 0.25],
      ['series', 0.375],
    ]);
    expect(result.arms[1]?.uplift).toMatchObject({
      status: 'estimated',
      absolute: 0.125,
      relative: 0.5,
      significant: false,
    });
    const uplift = result.arms[1]?.uplift;
    if (uplift?.status !== 'estimated') throw new Error('no estimate');
    expect(uplift.standardError).toBeCloseTo(0.1753902, 6);
    expect(uplift.low).toBeCloseTo(0.125 - Z_95 * 0.1753902, 4);
    expect(uplift.low).toBeCloseTo(-0.2188, 4);
    expect(uplift.high).toBeCloseTo(0.4688, 4);

    // The CLI, on the same server through a temporal.yaml that points at it.
    const printed = await cli(['uplift', 'reactivation', '--workflows', require.resolve('../../workflows')]);
    expect(printed.code).toBe(0);
    expect(printed.out).toMatch(/^holdout\s+8\s+2\s+25\.00%\s+control$/m);
    expect(printed.out).toMatch(
      /^series\s+32\s+12\s+37\.50%\s+\+12\.50 pp \[−21\.88, \+46\.88\]\s+\+50\.0%$/m,
    );

    // A window that holds every run gives the same table; one that ends before them, none.
    const lastHour = await cli([
      'uplift',
      'reactivation',
      '--since',
      '1h',
      '--workflows',
      require.resolve('../../workflows'),
    ]);
    expect(lastHour.out).toBe(printed.out);
    const before = await cli([
      'uplift',
      'reactivation',
      '--to',
      '2026-01-01',
      '--workflows',
      require.resolve('../../workflows'),
    ]);
    expect(before.out).toMatch(/^No run of journey "reactivation" has a variant \(0 runs without one\)/);

    // The paths of the same runs: every run read once, grouped by its steps and outcome.
    const printedPaths = await cli([
      'paths',
      'reactivation',
      '--json',
      '--workflows',
      require.resolve('../../workflows'),
    ]);
    expect(printedPaths.code).toBe(0);
    const paths = JSON.parse(printedPaths.out) as {
      total: number;
      sampled: number;
      paths: { count: number; end: string }[];
    };
    expect(paths.sampled).toBe(paths.total);
    expect(paths.paths.reduce((n, p) => n + p.count, 0)).toBe(paths.total);
    const endedReactivated = paths.paths
      .filter((p) => p.end === 'reactivated')
      .reduce((n, p) => n + p.count, 0);
    expect(endedReactivated).toBe(reactivated.length);
  });
});

test('the CLI refuses an unknown report or journey with exit code 2, before connecting', async () => {
  const unknownReport = await cli(['funnel', 'reactivation']); // `report <journey>` takes one name
  expect(unknownReport.code).toBe(2);
  expect(unknownReport.err).toContain('Try `journeys report <journey>');
  expect((await cli(['paths'])).err).toContain('Give one journey name: `journeys report paths <journey>');
  const badLimit = await cli(['paths', 'reactivation', '--limit', '0']);
  expect(badLimit.code).toBe(2);
  expect(badLimit.err).toContain('--limit takes a number of runs above 0, got "0"');
  const badWindow = await cli(['reactivation', '--since', 'soon']);
  expect(badWindow.code).toBe(2);
  expect(badWindow.err).toContain('--since takes a duration like "7 days"');
  const unused = await cli(['uplift', 'reactivation', '--limit', '5', '--json']);
  expect(unused.code).toBe(2);
  expect(unused.err).toContain(
    '--limit, --json: not an option of this report. Usage: `journeys report uplift',
  );
  const unknownFunnel = await cli(['no-such-journey']);
  expect(unknownFunnel.code).toBe(2);
  expect(unknownFunnel.err).toContain('[JOURNEY_NOT_FOUND]');
  const unknownJourney = await cli(['uplift', 'win-back', '--workflows', require.resolve('../../workflows')]);
  expect(unknownJourney.code).toBe(2);
  expect(unknownJourney.err).toContain('[JOURNEY_NOT_FOUND]');
  expect(unknownJourney.err).toContain('reactivation');
});

test('quotes in journey and variant names are escaped; variants are discovered without a worker', async () => {
  // Runs nobody works on: their search attributes are set at start, which is all visibility needs.
  const name = `o'brien-${run}`;
  const starts = [
    { variant: "it's", outcome: 'converted' },
    { variant: "it's", outcome: undefined },
    { variant: 'holdout', outcome: undefined },
    { variant: undefined, outcome: undefined },
  ];
  const handles = await Promise.all(
    starts.map((s, i) =>
      t.env.client.workflow.start('noWorkerHere', {
        taskQueue: `nobody-${run}`,
        workflowId: `quotes-${run}-${i}`,
        typedSearchAttributes: [
          { key: attrs.journeyName, value: name },
          ...(s.variant ? [{ key: attrs.variant, value: s.variant }] : []),
          ...(s.outcome ? [{ key: attrs.outcome, value: s.outcome }] : []),
        ],
      }),
    ),
  );
  try {
    const expected = [
      { variant: 'holdout', enrolled: 1, converted: 0 },
      { variant: "it's", enrolled: 2, converted: 1 },
    ];
    const counts = await countsWhen(name, {}, (c) => sameArms(c, expected) && c.unassigned === 1);
    expect(counts).toEqual({ journey: name, goalOutcome: 'converted', arms: expected, unassigned: 1 });
  } finally {
    await Promise.all(handles.map((h) => h.terminate('test finished')));
  }
});

/** Runs `journeys report …` against this file's dev server, capturing what it prints. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'journeys-report-'));
  const file = path.join(dir, 'temporal.yaml');
  await writeFile(
    file,
    // `workflows:` is relative to the file: this one names the repository's journeys.
    `workflows: ${JSON.stringify(path.resolve(__dirname, '..', '..', 'workflows'))}\nprofile: test\nprofiles:\n  test:\n    type: cluster\n    address: ${t.env.address}\n    namespace: ${t.env.namespace ?? 'default'}\n`,
  );
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const before = process.env.JOURNEYS_CONFIG;
  process.env.JOURNEYS_CONFIG = file;
  try {
    const code = await report(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    if (before === undefined) delete process.env.JOURNEYS_CONFIG;
    else process.env.JOURNEYS_CONFIG = before;
    log.mockRestore();
    error.mockRestore();
  }
}
