import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Runtime } from '@temporalio/worker';
import { isJourneyError } from '../errors';
import { resolveModule } from './bundle';
import { checkJourneyExports } from './check-journeys';

/** The journeys module as Node loaded it, or why Node could not (the bundler may still). */
export type LoadedJourneysModule =
  { readonly exports: Readonly<Record<string, unknown>> } | { readonly skipped: string };

/**
 * tsc (`module: commonjs`) compiles `import()` into `require()`; this keeps a real dynamic import, for a
 * journeys module that is an ES module with top-level await (which `require` cannot load).
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a fixed string, see above
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<Record<string, unknown>>;

/** Node's codes for "this is an ES module, import it". */
const ESM_ONLY = new Set(['ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE']);

/**
 * Loads the journeys module in Node, as `import * as journeys from './workflows'` would: `require` (compiled
 * JavaScript; TypeScript under jest or ts-node), then `import()` for an ES module. Journey definitions are
 * checked as the module loads, so a bad one throws here: its {@link JourneyDefinitionError} (any
 * `JourneyError`) is rethrown.
 *
 * Any other failure is returned as `skipped`, with the reason, rather than thrown: the bundler can read
 * modules Node cannot (TypeScript without a loader, webpack-only resolution), and refusing those would stop
 * workers that run fine. Their journeys are still checked when the bundle loads them in the sandbox, where a
 * bad one fails only its own runs.
 */
export async function loadJourneysModule(file: string): Promise<LoadedJourneysModule> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known only at run time
    return { exports: require(file) as Record<string, unknown> };
  } catch (err) {
    if (isJourneyError(err)) throw err;
    if (!ESM_ONLY.has((err as { code?: string } | undefined)?.code ?? '')) return { skipped: reasonOf(err) };
  }
  try {
    return { exports: await importModule(pathToFileURL(file).href) };
  } catch (err) {
    if (isJourneyError(err)) throw err;
    return { skipped: reasonOf(err) };
  }
}

/**
 * Loads the journeys module at `modulePath` (a file or folder, `.ts` or `.js`, as the bundler takes it) and
 * checks its journeys (see `checkJourneyExports`): a bad or duplicate journey throws
 * {@link JourneyDefinitionError} here, before the worker starts. A module Node cannot load is skipped with a
 * warning on Temporal's runtime logger saying why.
 */
export async function checkJourneysModule(modulePath: string): Promise<void> {
  const file = resolveModule(path.resolve(modulePath));
  const loaded = await loadJourneysModule(file);
  if ('exports' in loaded) {
    checkJourneyExports(loaded.exports);
    return;
  }
  Runtime.instance().logger.warn(
    `Journeys in ${file} were not checked before the worker started: Node could not load the module outside the workflow sandbox (${loaded.skipped}). A bad journey in it fails only its own runs; point workflowsPath at compiled JavaScript, or run under ts-node, to have it refused at start.`,
    { file, reason: loaded.skipped },
  );
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return `${err.name}: ${err.message.split('\n')[0] ?? ''}`;
}
