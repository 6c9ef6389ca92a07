/**
 * `variantOf`, the pure choice behind `split()`: the same arm for a customer every time, arms in the
 * proportions asked for, and clear errors for weights that cannot be.
 */
import { HOLDOUT, variantOf } from '../../src/workflow';

const N = 10_000;
const ids = Array.from({ length: N }, (_, i) => `customer-${i}`);

/** Share of the 10,000 customers in each arm. */
function shares(
  variants: Readonly<Record<string, number>>,
  options: { holdout?: number } = {},
  split = 'test-split',
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const customerId of ids) {
    const v = variantOf({ customerId, journey: 'j', split }, variants, options);
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([v, n]) => [v, n / N]));
}

test('a customer gets the same variant on every call', () => {
  for (const customerId of ids.slice(0, 200)) {
    const who = { customerId, journey: 'abandoned-cart', split: 'first-reminder' };
    const first = variantOf(who, { a: 50, b: 50 }, { holdout: 10 });
    for (let i = 0; i < 5; i++) expect(variantOf({ ...who }, { a: 50, b: 50 }, { holdout: 10 })).toBe(first);
  }
});

test('the same customer may land elsewhere in another journey or split (they are independent)', () => {
  const arms = (journey: string, split: string) =>
    ids.slice(0, 500).map((customerId) => variantOf({ customerId, journey, split }, { a: 50, b: 50 }));
  const base = arms('j', 's');
  const differs = (other: string[]) => other.filter((v, i) => v !== base[i]).length / base.length;
  // Independent coin flips disagree half the time.
  expect(differs(arms('j', 'other-split'))).toBeGreaterThan(0.4);
  expect(differs(arms('other-journey', 's'))).toBeGreaterThan(0.4);
});

test('50/50 within 2 points over 10,000 customers', () => {
  const s = shares({ a: 50, b: 50 });
  expect(Object.keys(s).sort()).toEqual(['a', 'b']);
  expect(Math.abs((s.a ?? 0) - 0.5)).toBeLessThan(0.02);
  expect(Math.abs((s.b ?? 0) - 0.5)).toBeLessThan(0.02);
});

test('a 10% holdout within 1.5 points, the rest split evenly', () => {
  const s = shares({ a: 50, b: 50 }, { holdout: 10 });
  expect(Object.keys(s).sort()).toEqual(['a', 'b', HOLDOUT]);
  expect(Math.abs((s[HOLDOUT] ?? 0) - 0.1)).toBeLessThan(0.015);
  expect(Math.abs((s.a ?? 0) - 0.45)).toBeLessThan(0.02);
  expect(Math.abs((s.b ?? 0) - 0.45)).toBeLessThan(0.02);
});

test("reactivation's split: one variant and a 10% holdout", () => {
  const s = shares({ series: 100 }, { holdout: 10 }, 'win-back');
  expect(Math.abs((s[HOLDOUT] ?? 0) - 0.1)).toBeLessThan(0.015);
  expect((s.series ?? 0) + (s[HOLDOUT] ?? 0)).toBe(1);
});

test('weights 70/30, and weights that do not sum to 100', () => {
  const s = shares({ a: 70, b: 30 });
  expect(Math.abs((s.a ?? 0) - 0.7)).toBeLessThan(0.02);
  expect(Math.abs((s.b ?? 0) - 0.3)).toBeLessThan(0.02);
  const t = shares({ a: 7, b: 3 }); // only the ratio matters
  expect(t).toEqual(s);
});

test('no holdout means no one is held out; a zero weight gets no one', () => {
  expect(shares({ a: 1 })).toEqual({ a: 1 });
  expect(shares({ a: 1, never: 0 }, { holdout: 0 })).toEqual({ a: 1 });
});

test('bad weights and holdouts are errors that name the split', () => {
  const pick =
    (variants: Record<string, number>, options: { holdout?: number } = {}) =>
    () =>
      variantOf({ customerId: 'c', journey: 'j', split: 'my-split' }, variants, options);
  const bad: Record<string, number>[] = [{}, { a: 0 }, { a: -1, b: 2 }, { a: Number.NaN }, { a: 0, b: 0 }];
  for (const variants of bad) {
    expect(pick(variants)).toThrow(TypeError);
    expect(pick(variants)).toThrow(/my-split/);
  }
  for (const holdout of [-1, 100, 150, Number.NaN]) {
    expect(pick({ a: 1 }, { holdout })).toThrow(TypeError);
    expect(pick({ a: 1 }, { holdout })).toThrow(/holdout/);
  }
  expect(pick({ a: 1 }, { holdout: 99 })).not.toThrow();
});
