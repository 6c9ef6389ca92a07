import path from 'node:path';
import type { JourneyRef } from '../client';
import type { JourneyDefinition } from '../journey';

/** The package's own journeys, compiled beside the CLI. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** A journey function (it carries its definition). */
export type JourneyFunction = JourneyRef & { readonly definition: JourneyDefinition };

/**
 * A workflows module and the journeys it exports, by name: `--workflows PATH`, or the package's own
 * `workflows/`. Every command that names journeys reads them here.
 */
export function loadJourneysModule(workflowsPath?: string): {
  readonly path: string;
  readonly module: Record<string, unknown>;
  readonly journeys: ReadonlyMap<string, JourneyFunction>;
} {
  const file = path.resolve(workflowsPath ?? path.join(PACKAGE_ROOT, 'workflows'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as Record<string, unknown>;
  const refs = Object.values(module).filter(
    (v): v is JourneyFunction => typeof v === 'function' && 'definition' in v,
  );
  return { path: file, module, journeys: new Map(refs.map((r) => [r.definition.name, r])) };
}
