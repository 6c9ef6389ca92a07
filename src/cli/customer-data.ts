import path from 'node:path';
import {
  createPgliteProfileSource,
  createPostgresProfileSource,
  type SegmentDefinition,
  type SqlProfileSource,
} from '../profile';
import { JourneyError } from '../errors';
import { PACKAGE_ROOT } from './journeys-module';

/**
 * The customer database a CLI command reads: `--database postgres://…` or `DATABASE_URL`, else the demo's
 * PGlite beside the local server's database (seeded with the demo customers), as `journeys dev` uses it.
 */
export async function openCustomerData(
  database: string | undefined,
): Promise<{ source: SqlProfileSource; close(): Promise<void>; where: string }> {
  const url = database ?? (process.env.DATABASE_URL || undefined);
  if (url) {
    const opened = await createPostgresProfileSource({ connectionString: url });
    return { ...opened, where: url.replace(/:[^:@/]*@/, ':***@') };
  }
  const dataDir = path.resolve('.journeys', 'dev-profiles');
  const opened = await createPgliteProfileSource({ dataDir, seed: true });
  return { ...opened, where: `PGlite ${path.relative(process.cwd(), dataDir)} (the demo's)` };
}

/** The segments a module exports (`defineSegment` results), by name. */
export function loadSegments(segmentsPath?: string): Map<string, SegmentDefinition> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(
    path.resolve(segmentsPath ?? path.join(PACKAGE_ROOT, 'workflows', 'segments')),
  ) as Record<string, unknown>;
  const found = Object.values(module).filter(
    (v): v is SegmentDefinition =>
      typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'journeys.segment',
  );
  return new Map(found.map((s) => [s.name, s]));
}

/** A segment by name, or an error listing the known ones. */
export function segmentNamed(segments: Map<string, SegmentDefinition>, name: string): SegmentDefinition {
  const segment = segments.get(name);
  if (!segment)
    throw new JourneyError(
      'INPUT_INVALID',
      `No segment "${name}" (known: ${[...segments.keys()].join(', ') || 'none'}).`,
    );
  return segment;
}
