import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { JourneyError } from '../errors';

/**
 * The SDK's own workflows, bundled with every journeys module: the customer's contact (the send gate), the
 * inbox (events that reached no run yet) and the campaign sweep. A module that exports one of them too
 * (older ones export `contact`) wins over this list, which is the same code.
 */
const SDK_WORKFLOWS: readonly { readonly name: string; readonly file: string }[] = [
  { name: 'contact', file: path.join(__dirname, '..', 'contact', 'contact-workflow') },
  { name: 'journeyInbox', file: path.join(__dirname, '..', 'inbox', 'inbox-workflow') },
  { name: 'campaignSweep', file: path.join(__dirname, '..', 'campaigns', 'sweep-workflow') },
];

/** The node_modules folder that holds this SDK's Temporal packages. */
const NODE_MODULES = path.resolve(
  path.dirname(require.resolve('@temporalio/workflow/package.json')),
  '..',
  '..',
);

/** The export that says a bundle encodes failures (built with an encrypting data converter's failure converter). */
const ENCODED_FAILURES_MARKER = '__temporalJourneysEncodedFailures';

/**
 * Refuses a prebuilt bundle without encoded failures for an encrypting worker: its journeys' failures
 * (an activity's "invalid `to`: ada@…" rethrown) would be stored with their message and stack in plain text.
 */
export function assertEncodedFailures(bundle: { code: string } | { codePath: string }): void {
  const code = 'code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8');
  if (code.includes(ENCODED_FAILURES_MARKER)) return;
  throw new JourneyError(
    'JOURNEY_INVALID',
    'The worker encrypts payloads, but its prebuilt workflow bundle does not encode failures: build it with bundleJourneys(workflowsPath, { failureConverterPath: dataConverter.failureConverterPath }), or pass workflowsPath instead.',
  );
}

/** The name of the export that says a bundle was built by {@link bundleJourneys}. */
const SDK_MARKER = '__temporalJourneysSdkWorkflows';

/**
 * Refuses a prebuilt bundle that lacks the SDK's own workflows (the contact, the inbox, the campaign
 * sweep), which journeys start and signal: without them the first send would fail after its timeout with an
 * unknown workflow type instead. A bundle from {@link bundleJourneys} always has them.
 */
export function assertSdkWorkflows(bundle: { code: string } | { codePath: string }): void {
  const code = 'code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8');
  if (code.includes(SDK_MARKER)) return;
  const missing = SDK_WORKFLOWS.map((w) => w.name).filter((name) => !new RegExp(`\\b${name}\\b`).test(code));
  throw new JourneyError(
    'JOURNEY_INVALID',
    `The worker's workflow bundle was not built by bundleJourneys(): it lacks the workflows journeys need (${SDK_WORKFLOWS.map((w) => w.name).join(', ')}${missing.length ? `; not even named in it: ${missing.join(', ')}` : ''}). Build it with bundleJourneys(workflowsPath), or pass workflowsPath instead of workflowBundle.`,
  );
}

/**
 * The package's entry names resolved to this very copy of the SDK (src/ under the repository's tests, dist/
 * when installed), so a journey importing `temporal-journeys/workflow` bundles the same runtime the worker
 * runs, however the app's folders are laid out (a linked package, the library's own journeys).
 */
const SDK_ROOT = path.resolve(__dirname, '..');
const ENTRIES = [
  'workflow',
  'client',
  'worker',
  'testing',
  'http',
  'profile',
  'reporting',
  'map',
  'dashboard',
  'codec',
];
const PACKAGE_ALIASES: Record<string, string> = Object.fromEntries([
  ['temporal-journeys$', path.join(SDK_ROOT, 'index')] as const,
  ...ENTRIES.map((entry) => [`temporal-journeys/${entry}$`, path.join(SDK_ROOT, entry, 'index')] as const),
]);

const bundles = new Map<string, Promise<{ code: string }>>();

/** How a bundle converts values: the failure converter of an encrypting data converter, when there is one. */
export interface BundleJourneysOptions {
  /** `dataConverter.failureConverterPath` of the worker that runs the bundle (see `dataConverterOf`). */
  readonly failureConverterPath?: string;
}

/**
 * Bundles the journeys once per process (per path and converter), with the SDK's own workflows, and reuses
 * the bundle for every worker created after. Call it ahead of time to keep bundling off a worker's start. An
 * encrypting worker's bundle needs its failure converter (`{ failureConverterPath }` of
 * `dataConverterOf(config)`), so that failures a journey raises are encoded too.
 */
export function bundleJourneys(
  workflowsPath: string,
  options: BundleJourneysOptions = {},
): Promise<{ code: string }> {
  const file = resolveModule(path.resolve(workflowsPath));
  const cacheKey = `${file}\0${options.failureConverterPath ?? ''}`;
  let bundle = bundles.get(cacheKey);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: entryFor(file, options.failureConverterPath !== undefined),
      failureConverterPath: options.failureConverterPath,
      logger: quietLogger,
      // The entry lives in a temporary folder: resolve packages from where this SDK's are installed too.
      webpackConfigHook: (config) => ({
        ...config,
        resolve: {
          ...config.resolve,
          modules: [...(config.resolve?.modules ?? ['node_modules']), NODE_MODULES],
          alias: { ...(config.resolve?.alias as Record<string, string> | undefined), ...PACKAGE_ALIASES },
        },
      }),
    });
    bundles.set(cacheKey, bundle);
    bundle.catch(() => bundles.delete(cacheKey));
  }
  return bundle;
}

/** A module re-exporting the user's journeys and the SDK's workflows: what the bundle is built from. */
function entryFor(file: string, encodedFailures: boolean): string {
  const dir = path.join(os.tmpdir(), `temporal-journeys-entry-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, `${bundles.size}-${path.basename(file).replace(/\W/g, '_')}.js`);
  const lines = [
    `export * from ${JSON.stringify(withoutExtension(file))};`,
    // Read by the worker at start (see assertSdkWorkflows): this bundle carries the SDK's own workflows.
    `export const ${SDK_MARKER} = ${JSON.stringify(SDK_WORKFLOWS.map((w) => w.name))};`,
    ...SDK_WORKFLOWS.map((w) => `export { ${w.name} } from ${JSON.stringify(resolveModule(w.file))};`),
    // Read by an encrypting worker at start (see assertEncodedFailures).
    ...(encodedFailures ? [`export const ${ENCODED_FAILURES_MARKER} = true;`] : []),
  ];
  writeFileSync(entry, `${lines.join('\n')}\n`);
  return entry;
}

const withoutExtension = (file: string) => file.replace(/\.(ts|js)$/, '');

/** A module path as the bundler takes it: compiled (`.js`) or TypeScript source (`.ts`), file or folder. */
export function resolveModule(base: string): string {
  const candidates = [
    base,
    `${base}.ts`,
    `${base}.js`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.js'),
  ];
  const found = candidates.find((file) => existsSync(file) && statSync(file).isFile());
  if (!found) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `No journeys module at ${base} (looked for ${candidates
        .slice(1)
        .map((c) => path.basename(c))
        .join(', ')}).`,
    );
  }
  return found;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
