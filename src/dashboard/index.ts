/**
 * The local journeys dashboard (`journeys dev` serves it): each journey's map drawn from code with live
 * counts, its funnel, outcomes, the paths customers took, A/B uplift and links into the Temporal Web UI.
 *
 * @example
 * ```ts
 * import { startDashboard } from 'temporal-journeys/dashboard';
 * const dashboard = await startDashboard({
 *   client, // a @temporalio/client Client
 *   namespace: 'default',
 *   journeys: [welcome.definition, abandonedCart.definition],
 *   sourceDir: 'workflows', // where the journeys' source is, for the maps
 *   webUiUrl: 'http://localhost:8233',
 *   port: 8234,
 * });
 * console.log(dashboard.url);
 * ```
 */
export { createDashboardHandler, startDashboard } from './server';
export type { Dashboard, DashboardOptions } from './server';
export { codeCounts, DashboardData } from './data';
export type { DashboardSource, JourneyDetail, JourneySummary, RunLink } from './data';
