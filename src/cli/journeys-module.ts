import path from 'node:path';
import type { JourneyRef } from '../client';
import { loadConfig } from '../config';
import { JourneyError } from '../errors';
import type { JourneyDefinition } from '../journey';
import { resolveModule } from '../worker/bundle';
import { registerTypeScript } from './typescript-hook';

/** The package's root (its own journeys, compiled beside the CLI, are the demo's). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** A journey function (it carries its definition). */
export type JourneyFunction = JourneyRef & { readonly definition: JourneyDefinition };

/**
 * The app's journeys module: `--workflows PATH`, else `workflows:` in temporal.yaml, else `./workflows`
 * under the working directory. Never the package's own journeys (those are the demo's, named explicitly).
 */
export function appWorkflowsPath(workflowsPath?: string): string {
  return workflowsPath !== undefined ? path.resolve(workflowsPath) : loadConfig().workflows;
}

/** True when a journeys module (file, or folder with an index) is at `base`. */
export function hasModule(base: string): boolean {
  try {
    resolveModule(base);
    return true;
  } catch {
    return false;
  }
}

/**
 * A workflows module and the journeys it exports, by name (see {@link appWorkflowsPath}); TypeScript
 * journeys load as they are. Every command that names journeys reads them here. A missing module is a
 * `JOURNEY_NOT_FOUND` error saying where it looked and how to point elsewhere.
 */
export function loadJourneysModule(workflowsPath?: string): {
  readonly path: string;
  readonly module: Record<string, unknown>;
  readonly journeys: ReadonlyMap<string, JourneyFunction>;
} {
  const wanted = appWorkflowsPath(workflowsPath);
  let file: string;
  try {
    file = resolveModule(wanted);
  } catch {
    throw new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journeys module at ${wanted} (index.ts or index.js): write your journeys there, set \`workflows:\` in temporal.yaml, or pass --workflows PATH.`,
    );
  }
  registerTypeScript();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as Record<string, unknown>;
  const refs = Object.values(module).filter(
    (v): v is JourneyFunction => typeof v === 'function' && 'definition' in v,
  );
  return { path: file, module, journeys: new Map(refs.map((r) => [r.definition.name, r])) };
}
