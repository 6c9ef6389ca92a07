/**
 * Uplift arithmetic against numbers worked out by hand, and every edge case the report states instead of
 * returning NaN.
 */
import { formatUpliftReport, upliftReport, type ArmUplift, type UpliftEstimate } from '../../src/reporting';

function estimate(uplift: ArmUplift | undefined): UpliftEstimate {
  if (uplift?.status !== 'estimated') throw new Error(`expected an estimate, got ${JSON.stringify(uplift)}`);
  return uplift;
}

/*
 * Worked by hand (z = 1.959964):
 *   holdout  1000 enrolled,  50 converted → p₀ =  50/1000 = 0.05
 *   series   9000 enrolled, 630 converted → p₁ = 630/9000 = 0.07
 *   difference d = 0.07 − 0.05 = 0.02 (2 percentage points); relative d / p₀ = 0.02 / 0.05 = 0.4 (+40%)
 *   variance  p₁(1 − p₁)/n₁ = 0.07 × 0.93 / 9000 = 0.0651 / 9000 = 0.0000072333
 *           + p₀(1 − p₀)/n₀ = 0.05 × 0.95 / 1000 = 0.0475 / 1000 = 0.0000475000
 *           = 0.0000547333
 *   SE = √0.0000547333 = 0.0073982
 *   margin = 1.959964 × 0.0073982 = 0.0145002
 *   95% CI = 0.02 ± 0.0145002 = [0.0054998, 0.0345002] → [0.0055, 0.0345]: excludes 0, significant.
 *
 *   A second arm, variant b: 1000 enrolled, 55 converted → p = 0.055, d = 0.005, relative 0.1 (+10%)
 *   variance 0.055 × 0.945 / 1000 = 0.000051975 + 0.0000475 = 0.000099475
 *   SE = √0.000099475 = 0.0099737;  margin = 1.959964 × 0.0099737 = 0.0195481
 *   95% CI = 0.005 ± 0.0195481 = [−0.0145481, 0.0245481] → [−0.0145, 0.0245]: includes 0, not significant.
 */
test('series vs holdout, worked by hand: +2 pp [0.55, 3.45], +40%, significant', () => {
  const report = upliftReport({
    journey: 'reactivation',
    goalOutcome: 'reactivated',
    arms: [
      { variant: 'holdout', enrolled: 1000, converted: 50 },
      { variant: 'series', enrolled: 9000, converted: 630 },
      { variant: 'b', enrolled: 1000, converted: 55 },
    ],
  });
  expect(report).toMatchObject({ control: 'holdout', hasControl: true, confidence: 0.95 });
  const [holdout, series, b] = report.arms;
  expect(holdout).toMatchObject({ variant: 'holdout', rate: 0.05, uplift: { status: 'control' } });
  expect(series?.rate).toBeCloseTo(0.07, 10);

  const s = estimate(series?.uplift);
  expect(s.absolute).toBeCloseTo(0.02, 4);
  expect(s.standardError).toBeCloseTo(0.0073982, 6);
  expect(s.low).toBeCloseTo(0.0055, 4);
  expect(s.high).toBeCloseTo(0.0345, 4);
  expect(s.relative).toBeCloseTo(0.4, 4);
  expect(s).toMatchObject({ significant: true, degenerate: false });

  const other = estimate(b?.uplift);
  expect(other.absolute).toBeCloseTo(0.005, 4);
  expect(other.standardError).toBeCloseTo(0.0099737, 6);
  expect(other.low).toBeCloseTo(-0.0145, 4);
  expect(other.high).toBeCloseTo(0.0245, 4);
  expect(other.relative).toBeCloseTo(0.1, 4);
  expect(other).toMatchObject({ significant: false, degenerate: false });
});

test('another control arm can be named; arms keep their order', () => {
  const report = upliftReport({
    journey: 'abandoned-cart',
    goalOutcome: 'converted',
    control: '1 hour',
    arms: [
      { variant: '15 minutes', enrolled: 9000, converted: 630 },
      { variant: '1 hour', enrolled: 1000, converted: 50 },
    ],
  });
  expect(report.arms.map((a) => a.variant)).toEqual(['15 minutes', '1 hour']);
  expect(report.arms[1]?.uplift).toEqual({ status: 'control' });
  expect(estimate(report.arms[0]?.uplift).low).toBeCloseTo(0.0055, 4);
});

test('without a control arm, no arm has an uplift', () => {
  const report = upliftReport({
    journey: 'abandoned-cart',
    goalOutcome: 'converted',
    arms: [
      { variant: 'a', enrolled: 10, converted: 1 },
      { variant: 'b', enrolled: 10, converted: 2 },
    ],
  });
  expect(report.hasControl).toBe(false);
  expect(report.arms.map((a) => a.uplift)).toEqual([
    { status: 'unavailable', reason: 'no-control-arm' },
    { status: 'unavailable', reason: 'no-control-arm' },
  ]);
  expect(report.arms.map((a) => a.rate)).toEqual([0.1, 0.2]);
});

test('zero enrolled: no rate, and no comparison on either side', () => {
  const emptyArm = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 10, converted: 1 },
      { variant: 'a', enrolled: 0, converted: 0 },
    ],
  });
  expect(emptyArm.arms[1]).toEqual({
    variant: 'a',
    enrolled: 0,
    converted: 0,
    rate: null,
    uplift: { status: 'unavailable', reason: 'empty-arm' },
  });
  const emptyControl = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 0, converted: 0 },
      { variant: 'a', enrolled: 10, converted: 1 },
    ],
  });
  expect(emptyControl.arms[0]?.rate).toBeNull();
  expect(emptyControl.arms[1]?.uplift).toEqual({ status: 'unavailable', reason: 'empty-control' });
});

test('none converted in the control: the interval comes from the arm alone, no relative uplift', () => {
  // p₀ = 0 adds nothing to the variance: SE = √(0.1 × 0.9 / 100) = 0.03; CI = 0.1 ± 0.0587989.
  const report = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 50, converted: 0 },
      { variant: 'a', enrolled: 100, converted: 10 },
    ],
  });
  const e = estimate(report.arms[1]?.uplift);
  expect(e.standardError).toBeCloseTo(0.03, 10);
  expect(e.low).toBeCloseTo(0.0412, 4);
  expect(e.high).toBeCloseTo(0.1588, 4);
  expect(e).toMatchObject({ relative: null, significant: true, degenerate: false });
});

test('all or none converted in both arms: a zero-width interval at the difference, flagged degenerate', () => {
  const same = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 20, converted: 0 },
      { variant: 'a', enrolled: 30, converted: 0 },
    ],
  });
  expect(estimate(same.arms[1]?.uplift)).toEqual({
    status: 'estimated',
    absolute: 0,
    standardError: 0,
    low: 0,
    high: 0,
    relative: null,
    significant: false,
    degenerate: true,
  });
  const opposite = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 10, converted: 0 },
      { variant: 'a', enrolled: 10, converted: 10 },
    ],
  });
  expect(estimate(opposite.arms[1]?.uplift)).toMatchObject({
    absolute: 1,
    low: 1,
    high: 1,
    significant: true,
    degenerate: true,
  });
  const allConverted = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 10, converted: 10 },
      { variant: 'a', enrolled: 10, converted: 10 },
    ],
  });
  expect(estimate(allConverted.arms[1]?.uplift)).toMatchObject({
    absolute: 0,
    relative: 0,
    degenerate: true,
  });
});

test('a small sample is clipped to [-1, 1]', () => {
  const report = upliftReport({
    journey: 'j',
    goalOutcome: 'converted',
    arms: [
      { variant: 'holdout', enrolled: 2, converted: 1 },
      { variant: 'a', enrolled: 1, converted: 1 },
    ],
  });
  // d = 0.5, SE = √(0 + 0.25/2) = 0.3536, d + 1.96 SE = 1.19 > 1.
  expect(estimate(report.arms[1]?.uplift)).toMatchObject({ absolute: 0.5, high: 1 });
});

test('counts that cannot be are rejected: converted over enrolled, fractions, negatives, a variant twice', () => {
  const arms =
    (...a: { variant: string; enrolled: number; converted: number }[]) =>
    () =>
      upliftReport({ journey: 'j', goalOutcome: 'converted', arms: a });
  expect(arms({ variant: 'a', enrolled: 1, converted: 2 })).toThrow(TypeError);
  expect(arms({ variant: 'a', enrolled: 1.5, converted: 0 })).toThrow(TypeError);
  expect(arms({ variant: 'a', enrolled: -1, converted: 0 })).toThrow(TypeError);
  expect(arms({ variant: 'a', enrolled: Number.NaN, converted: 0 })).toThrow(TypeError);
  expect(
    arms({ variant: 'a', enrolled: 1, converted: 0 }, { variant: 'a', enrolled: 2, converted: 0 }),
  ).toThrow(TypeError);
});

test('the table shows counts, rates and the interval in percentage points', () => {
  const table = formatUpliftReport(
    upliftReport({
      journey: 'reactivation',
      goalOutcome: 'reactivated',
      arms: [
        { variant: 'holdout', enrolled: 1000, converted: 50 },
        { variant: 'series', enrolled: 9000, converted: 630 },
        { variant: 'empty', enrolled: 0, converted: 0 },
      ],
    }),
  );
  const lines = table.split('\n');
  expect(lines[0]).toMatch(
    /^variant\s+enrolled\s+reactivated\s+rate\s+uplift vs holdout \(95% CI\)\s+relative$/,
  );
  expect(lines[1]).toMatch(/^holdout\s+1000\s+50\s+5\.00%\s+control$/);
  expect(lines[2]).toMatch(/^series\s+9000\s+630\s+7\.00%\s+\+2\.00 pp \[\+0\.55, \+3\.45\] \*\s+\+40\.0%$/);
  expect(lines[3]).toMatch(/^empty\s+0\s+0\s+–\s+n\/a \(no runs\)$/);
  expect(table).toContain('* the 95% interval excludes 0');
});
