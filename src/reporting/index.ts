/**
 * Reporting on journeys from Temporal's visibility, no second database: A/B split uplift over a holdout,
 * counted per variant with `count` queries and measured with a 95% confidence interval.
 *
 * @example
 * ```ts
 * import { createJourneyClient } from 'temporal-journeys/client';
 * import { countArms, formatUpliftReport, upliftReport } from 'temporal-journeys/reporting';
 * import { reactivation } from './workflows/reactivation';
 *
 * const journeys = await createJourneyClient({ journeys: [reactivation] }); // connects per temporal.yaml
 * const report = upliftReport(await countArms(journeys.temporal, reactivation)); // series vs holdout
 * console.log(formatUpliftReport(report));
 * await journeys.close();
 * ```
 */
export { countArms } from './counts';
export { formatFunnel, journeyFunnel } from './funnel';
export type { Funnel, FunnelOptions, FunnelStep } from './funnel';
export type { ArmCounts, CountArmsOptions } from './counts';
export { formatUpliftReport } from './format';
export { DEFAULT_CONTROL, upliftReport, Z_95 } from './uplift';
export type {
  ArmInput,
  ArmReport,
  ArmUplift,
  UpliftEstimate,
  UpliftInput,
  UpliftReport,
  UpliftUnavailableReason,
} from './uplift';
export {
  codeTransitions,
  formatPaths,
  journeyPaths,
  pathMap,
  pathTransitions,
  PATH_RUNNING,
  PATH_START,
} from './paths';
export type { JourneyPath, JourneyPaths, PathOptions, PathPoint, PathTransition } from './paths';
export { IN_JOURNEY } from './funnel';
export { journeyQuery, literal, startedWithin, timeWindow } from './query';
export type { RunFilter } from './query';
export {
  countRuns,
  isThrottled,
  readVisibility,
  VISIBILITY_CONCURRENCY,
  VISIBILITY_PATIENCE_MS,
} from '../client/visibility';
