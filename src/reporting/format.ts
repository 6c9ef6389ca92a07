import type { ArmUplift, UpliftReport } from './uplift';

/** A signed percentage-point figure: 0.02 → `+2.00`. */
const points = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;

function upliftCell(uplift: ArmUplift): string {
  switch (uplift.status) {
    case 'control':
      return 'control';
    case 'unavailable':
      return {
        'no-control-arm': 'n/a (no control arm)',
        'empty-control': 'n/a (control has no runs)',
        'empty-arm': 'n/a (no runs)',
      }[uplift.reason];
    case 'estimated':
      return `${points(uplift.absolute)} pp [${points(uplift.low)}, ${points(uplift.high)}]${uplift.significant ? ' *' : ''}`;
  }
}

function relativeCell(uplift: ArmUplift): string {
  if (uplift.status !== 'estimated' || uplift.relative === null) return '';
  return `${uplift.relative >= 0 ? '+' : '−'}${Math.abs(uplift.relative * 100).toFixed(1)}%`;
}

/**
 * An {@link UpliftReport} as a plain-text table for a terminal or a log: per variant, runs enrolled and
 * converted, the conversion rate, the absolute uplift over the control in percentage points with its 95%
 * interval (`*` when the interval excludes 0), and the relative uplift.
 *
 * @example
 * ```text
 * variant  enrolled  reactivated   rate  uplift vs holdout (95% CI)  relative
 * holdout      1000           50  5.00%  control
 * series       9000          630  7.00%  +2.00 pp [+0.55, +3.45] *     +40.0%
 * ```
 */
export function formatUpliftReport(report: UpliftReport): string {
  const header = [
    'variant',
    'enrolled',
    report.goalOutcome,
    'rate',
    `uplift vs ${report.control} (95% CI)`,
    'relative',
  ];
  const rows = report.arms.map((arm) => [
    arm.variant,
    String(arm.enrolled),
    String(arm.converted),
    arm.rate === null ? '–' : `${(arm.rate * 100).toFixed(2)}%`,
    upliftCell(arm.uplift),
    relativeCell(arm.uplift),
  ]);
  // Counts, rates and relative uplift read best right-aligned; names and intervals left-aligned.
  const right = [false, true, true, true, false, true];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const notes = [
    report.arms.some((a) => a.uplift.status === 'estimated' && a.uplift.significant)
      ? '* the 95% interval excludes 0 (Wald interval for a difference of two proportions)'
      : undefined,
    report.arms.some((a) => a.uplift.status === 'estimated' && a.uplift.degenerate)
      ? 'an interval of zero width: both rates are 0% or 100%, too few runs to measure uncertainty'
      : undefined,
  ].filter((n) => n !== undefined);
  return [line(header), ...rows.map(line), ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
