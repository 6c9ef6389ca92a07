/**
 * The z value of a two-sided 95% interval: the 97.5th percentile of the standard normal distribution.
 */
export const Z_95 = 1.959964;

/** The arm uplift is measured against unless told otherwise: the holdout of `split(…, { holdout })`. */
export const DEFAULT_CONTROL = 'holdout';

/** One arm of a split as counted: runs that reached the split in it, and those that ended with the goal. */
export interface ArmInput {
  readonly variant: string;
  /** Runs recorded in this variant (`JourneyVariant`). A whole number >= 0. */
  readonly enrolled: number;
  /** Of those, runs that ended with the goal outcome. A whole number from 0 to `enrolled`. */
  readonly converted: number;
}

export interface UpliftInput {
  readonly journey: string;
  /** The outcome counted as a conversion, e.g. `converted` or `reactivated`. */
  readonly goalOutcome: string;
  /** The arms, control included; the report keeps their order. */
  readonly arms: readonly ArmInput[];
  /** The variant the others are compared with; defaults to `holdout`. */
  readonly control?: string;
}

/** Why an arm has no uplift estimate. */
export type UpliftUnavailableReason =
  /** No arm is named like the control (e.g. a split without a holdout). */
  | 'no-control-arm'
  /** The control arm has no runs, so it has no rate to compare with. */
  | 'empty-control'
  /** This arm has no runs. */
  | 'empty-arm';

/** The difference of an arm's conversion rate from the control's, with its 95% confidence interval. */
export interface UpliftEstimate {
  readonly status: 'estimated';
  /** Absolute uplift: arm rate minus control rate, as a fraction (0.02 is 2 percentage points). */
  readonly absolute: number;
  /** Standard error of `absolute` (Wald, unpooled). */
  readonly standardError: number;
  /** The 95% Wald interval of `absolute`, clipped to [-1, 1]. */
  readonly low: number;
  readonly high: number;
  /** Relative uplift: `absolute / control rate` (0.4 is +40%); `null` when the control rate is 0. */
  readonly relative: number | null;
  /** The interval excludes 0: the difference is significant at the 5% level, by this method. */
  readonly significant: boolean;
  /**
   * The interval has zero width because both rates are 0% or 100%. The Wald method then states no
   * uncertainty at all, which is its known failure on small or extreme samples, not certainty: gather more
   * runs before reading `significant`.
   */
  readonly degenerate: boolean;
}

export type ArmUplift =
  | { readonly status: 'control' }
  | { readonly status: 'unavailable'; readonly reason: UpliftUnavailableReason }
  | UpliftEstimate;

export interface ArmReport {
  readonly variant: string;
  readonly enrolled: number;
  readonly converted: number;
  /** `converted / enrolled`; `null` when nothing is enrolled (no rate, rather than a fake 0%). */
  readonly rate: number | null;
  readonly uplift: ArmUplift;
}

export interface UpliftReport {
  readonly journey: string;
  readonly goalOutcome: string;
  readonly control: string;
  /** Whether an arm named like `control` is among the arms. */
  readonly hasControl: boolean;
  /** The confidence level of every interval in the report. */
  readonly confidence: 0.95;
  readonly arms: readonly ArmReport[];
}

/**
 * The uplift of each arm of a split over its control group: pure arithmetic over counts (from
 * `countArms`, or your own), no I/O.
 *
 * Method. For each arm, rate p = converted / enrolled. For each arm other than the control (rate p₀ over
 * n₀ runs), the absolute uplift is d = p₁ − p₀ and its 95% confidence interval is the Wald interval for the
 * difference of two independent proportions:
 *
 *   SE = √( p₁(1 − p₁)/n₁ + p₀(1 − p₀)/n₀ ),   d ± 1.959964 · SE,
 *
 * clipped to [−1, 1] (a difference of rates cannot leave it). The relative uplift is d / p₀. An arm is
 * `significant` when its interval excludes 0. The Wald interval is the textbook one a marketer can check by
 * hand; it is accurate when each arm has, say, at least 10 conversions and 10 non-conversions, and too
 * narrow below that.
 *
 * Edge cases, each explicit in the result rather than a `NaN`:
 * - no arm named like the control: every other arm is `unavailable` with reason `no-control-arm`;
 * - an arm (or the control) with 0 enrolled: its `rate` is `null` and the comparison is `unavailable`
 *   (`empty-arm`, `empty-control`);
 * - none or all converted: p(1 − p) is 0, so that arm adds nothing to SE. When both arms are at 0% or 100%,
 *   SE is 0 and the interval is the single point [d, d] (`degenerate: true`); `significant` is then true only
 *   if d ≠ 0, e.g. 0/10 against 10/10, which Wald cannot qualify;
 * - a control rate of 0: `relative` is `null` (no finite ratio).
 *
 * Counts are of runs, not customers: a customer who re-entered the journey counts once per run.
 *
 * @throws TypeError when a count is not a whole number, `converted` exceeds `enrolled`, or a variant is
 * listed twice: counts like that are a bug upstream, not data.
 *
 * @example
 * ```ts
 * const report = upliftReport({
 *   journey: 'reactivation',
 *   goalOutcome: 'reactivated',
 *   arms: [
 *     { variant: 'holdout', enrolled: 1000, converted: 50 },
 *     { variant: 'series', enrolled: 9000, converted: 630 },
 *   ],
 * });
 * // report.arms[1].uplift: { status: 'estimated', absolute: 0.02, low: 0.0055, high: 0.0345, relative: 0.4, significant: true, … }
 * ```
 */
export function upliftReport(input: UpliftInput): UpliftReport {
  const control = input.control ?? DEFAULT_CONTROL;
  const seen = new Set<string>();
  for (const arm of input.arms) {
    if (seen.has(arm.variant))
      throw new TypeError(`upliftReport(${input.journey}): variant "${arm.variant}" is listed twice.`);
    seen.add(arm.variant);
    checkCounts(input.journey, arm);
  }
  const controlArm = input.arms.find((a) => a.variant === control);
  return {
    journey: input.journey,
    goalOutcome: input.goalOutcome,
    control,
    hasControl: controlArm !== undefined,
    confidence: 0.95,
    arms: input.arms.map((arm) => ({
      variant: arm.variant,
      enrolled: arm.enrolled,
      converted: arm.converted,
      rate: rateOf(arm),
      uplift: arm.variant === control ? { status: 'control' } : compare(arm, controlArm),
    })),
  };
}

function checkCounts(journey: string, arm: ArmInput): void {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(arm.enrolled) || !whole(arm.converted) || arm.converted > arm.enrolled) {
    throw new TypeError(
      `upliftReport(${journey}): variant "${arm.variant}" has ${arm.converted} converted of ${arm.enrolled} enrolled; both must be whole numbers >= 0, converted <= enrolled.`,
    );
  }
}

const rateOf = (arm: ArmInput): number | null => (arm.enrolled === 0 ? null : arm.converted / arm.enrolled);

function compare(arm: ArmInput, control: ArmInput | undefined): ArmUplift {
  if (!control) return { status: 'unavailable', reason: 'no-control-arm' };
  const p0 = rateOf(control);
  if (p0 === null) return { status: 'unavailable', reason: 'empty-control' };
  const p1 = rateOf(arm);
  if (p1 === null) return { status: 'unavailable', reason: 'empty-arm' };
  const absolute = p1 - p0;
  const standardError = Math.sqrt((p1 * (1 - p1)) / arm.enrolled + (p0 * (1 - p0)) / control.enrolled);
  const margin = Z_95 * standardError;
  const low = Math.max(-1, absolute - margin);
  const high = Math.min(1, absolute + margin);
  return {
    status: 'estimated',
    absolute,
    standardError,
    low,
    high,
    relative: p0 === 0 ? null : absolute / p0,
    significant: low > 0 || high < 0,
    degenerate: standardError === 0,
  };
}
