/**
 * The worker loads the journeys module in Node to check it before it starts: `require` (compiled JavaScript,
 * TypeScript under jest or ts-node), `import()` for ES modules, and a clear reason when Node cannot load it.
 * The ES module and ts-node cases run in a plain Node process, since jest has a module system of its own.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadJourneysModule } from '../../src/worker/load-journeys-module';

const root = path.resolve(__dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-module-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleFile(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

/** What `loadJourneysModule` made of each file, in a plain `node -r ts-node/register` process. */
async function inNode(files: readonly string[]): Promise<Record<string, unknown>> {
  const script = `
    const { loadJourneysModule } = require('./src/worker/load-journeys-module');
    (async () => {
      const out = {};
      for (const file of ${JSON.stringify(files)}) {
        try {
          const loaded = await loadJourneysModule(file);
          out[file] = 'exports' in loaded ? { exports: Object.keys(loaded.exports).sort() } : { skipped: loaded.skipped };
        } catch (err) {
          out[file] = { threw: err.code, journey: err.journey, option: err.option };
        }
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-e', script],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

test('a module Node cannot load is skipped with the reason, not thrown', async () => {
  // ES module syntax in a file jest loads as CommonJS: what a bundler reads and Node, here, cannot.
  const file = moduleFile('esm-syntax.js', 'export const welcome = 1;\n');
  const loaded = await loadJourneysModule(file);
  expect(loaded).toEqual({ skipped: expect.stringMatching(/SyntaxError|export/) as unknown });
});

test('in plain Node: TypeScript under ts-node, ES modules through import(), definition errors thrown', async () => {
  const esm = moduleFile(
    'journeys.mjs',
    // Top-level await: an ES module `require` cannot load even where it loads ES modules.
    'await Promise.resolve();\nexport const welcome = () => undefined;\nexport const contact = () => undefined;\n',
  );
  const esmBad = moduleFile(
    'bad.mjs',
    // What a JourneyDefinitionError from a second copy of the package looks like: checked by its marker.
    "await Promise.resolve();\nthrow Object.assign(new Error('bad'), { isJourneyError: true, code: 'JOURNEY_INVALID', journey: 'x', option: 'reentry' });\n",
  );
  const ts = path.join(root, 'test/fixtures/start-checks/bad-reentry.ts');
  const healthy = path.join(root, 'test/fixtures/start-checks/healthy.ts');
  const out = await inNode([esm, esmBad, ts, healthy]);
  expect(out[esm]).toEqual({ exports: ['contact', 'welcome'] });
  expect(out[esmBad]).toEqual({ threw: 'JOURNEY_INVALID', journey: 'x', option: 'reentry' });
  expect(out[ts]).toEqual({ threw: 'JOURNEY_INVALID', journey: 'bad-reentry', option: 'reentry.after' });
  expect(out[healthy]).toEqual({ exports: ['healthyJourney'] });
});
