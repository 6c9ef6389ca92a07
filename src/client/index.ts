/**
 * The client: enrol customers in journeys and emit the events that start and steer them.
 *
 * @example
 * ```ts
 * import { createJourneyClient } from 'temporal-journeys/client';
 * import { abandonedCart } from './workflows/abandoned-cart';
 *
 * const journeys = await createJourneyClient({ journeys: [abandonedCart] });
 * await journeys.emit({ type: 'cart.abandoned', customer: 'c-42', data: { cartId: 'cart-7', items: ['Tea'], url: 'https://shop.example/cart/7' } });
 * console.log(await journeys.state(abandonedCart, { customerId: 'c-42', key: 'cart-7' }));
 * await journeys.close();
 * ```
 */
export { createJourneyClient } from './create-journey-client';
export { advertisedTimeScale, advertiseTimeScale, TIME_SCALE_KEY } from './time-scale';
export type {
  Delivery,
  EmitInput,
  EmitResult,
  EnrollOptions,
  EnrollResult,
  EventsOfJourneys,
  JourneyClient,
  JourneyClientOptions,
  JourneyRef,
  JourneyTarget,
} from './create-journey-client';
export type { ExitTarget, StateOptions } from './runs';
export { checkId } from './ids';
export { connectTemporal } from './connect';
export { forgetCustomer } from './forget';
export type { ForgetOptions, ForgetReport, ForgettableProfiles } from './forget';
export { contactPatchSchema, createContacts } from './contacts';
export type { Contacts } from './contacts';
export type { ConnectedClient } from './connect';
export { customerSchema, parseCustomer } from './customer';
export type { CustomerInput } from './customer';
export { routesOf } from './routing';
export { readCustomersCsv, splitCsvLine } from './csv-source';
export { runEnrollMany } from './enroll-many';
export type {
  EnrollManyBadRow,
  EnrollManyItem,
  EnrollManyOptions,
  EnrollManyProblem,
  EnrollManyProgress,
  EnrollManySummary,
} from './enroll-many';
export type { Route } from './routing';
export {
  deploymentStatus,
  promoteBuild,
  rampBuild,
  rollbackBuild,
  RolloutError,
  type DeploymentBuild,
  type DeploymentStatus,
  type RolloutRefusal,
} from './rollout';
