/**
 * Customer data for journeys (profiles, orders, recommendations, invoices, promo codes) behind
 * {@link ProfileSource}, with a SQL implementation on PGlite (in process) or a PostgreSQL server.
 *
 * @example
 * ```ts
 * const { source, close } = await createPgliteProfileSource({ seed: true });
 * await source.recommendations(demoIds.customers.ada); // teaware and a tea she has not bought, best first
 * await source.assignPromoCode(demoIds.customers.ada, 'welcome'); // 'WELCOME-7K3QX9MA', the same every call
 * await close();
 * ```
 */
export { createMemoryProfileSource } from './memory';
export type { MemoryProfileSource } from './memory';
export { createPgliteProfileSource } from './pglite';
export type { PgliteProfileSource, PgliteProfileSourceOptions } from './pglite';
export { createPostgresProfileSource } from './postgres';
export type { PostgresProfileSource, PostgresProfileSourceOptions } from './postgres';
export { migrate, profileSchema } from './schema';
export type { CustomerInput, Instant, InvoiceInput, OrderInput, ProductInput } from './schema';
export { demoIds, seedDemoData } from './seed';
export { createSqlProfileSource } from './sql-source';
export { defineSegment, previewSegment, runSegment } from './segments';
// Campaign plans (segments into journeys, daily): pure definitions, swept by the worker.
export { definePlan } from '../campaigns/plan';
export type { Campaign, CampaignPlan } from '../campaigns/plan';
export type { RunSegmentOptions, SegmentDefinition, SegmentMember } from './segments';
export type { SqlProfileSource, SqlQueryable } from './sql-source';
export type { CustomerProfile, Invoice, Order, OrderItem, ProfileSource, Recommendation } from './types';
