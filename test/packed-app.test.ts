/**
 * The package as its users install it: `npm pack`, then a copy of examples/app (a user's app with its own
 * journey, template, worker, client and jest tests) in a folder outside the repository installs the tarball
 * with a real `npm install`, and everything runs there through the package's entry names only: the
 * type-checks (CommonJS with node16 and node10 resolution, ESM with nodenext), its tests (without
 * `--experimental-vm-modules`), `journeys map` and `journeys replay`.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = path.resolve(__dirname, '..');
const source = path.join(root, 'examples', 'app');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
};

let work: string;
let app: string;
let tarball: string;
let packed: { path: string; size: number }[];

/** The environment of a user's shell: none of this repository's test settings (vm-modules, binary paths). */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['NODE_OPTIONS', 'TEMPORAL_CLI_PATH', 'TEMPORAL_TEST_SERVER_PATH', 'JOURNEYS_CONFIG'])
    delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith('JEST_') || key === 'NODE_ENV') delete env[key];
  return env;
}

async function run(
  command: string,
  args: string[],
  cwd: string,
  timeout = 300_000,
): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      env: userEnv(),
      timeout,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      out: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}`,
    };
  }
}

const bin = (name: string) => path.join(app, 'node_modules', '.bin', name);

/** Fails with the command's output, so a broken step says what it printed. */
function expectOk(result: { code: number; out: string }, what: string): void {
  if (result.code !== 0) throw new Error(`${what} exited ${result.code}:\n${result.out.slice(-6000)}`);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'journeys-app-'));
  app = path.join(work, 'app');
  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], root);
  expectOk(pack, 'npm pack');
  const [info] = JSON.parse(pack.out.slice(pack.out.indexOf('['), pack.out.lastIndexOf(']') + 1)) as {
    filename: string;
    files: { path: string; size: number }[];
  }[];
  tarball = path.join(work, info!.filename);
  packed = info!.files;
  cpSync(source, app, {
    recursive: true,
    filter: (file) => !/(^|[\\/])(node_modules|histories)([\\/]|$)/.test(path.relative(source, file)),
  });
  const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies[pkg.name] = `file:${tarball}`;
  writeFileSync(path.join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  expectOk(
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app, 600_000),
    'npm install in the app',
  );
}, 700_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the package, not its benchmarks, examples or source maps without their sources', () => {
  const paths = packed.map((f) => f.path);
  expect(paths.filter((p) => /^dist\/(bench|examples|test)\//.test(p))).toEqual([]);
  expect(paths).toEqual(
    expect.arrayContaining(['dist/src/index.js', 'dist/workflows/index.js', 'jest-preset.js']),
  );
  // Every map carries the sources it points at (the .ts files are not shipped).
  const installed = path.join(app, 'node_modules', pkg.name);
  const maps = paths.filter((p) => p.endsWith('.js.map'));
  expect(maps.length).toBeGreaterThan(0);
  for (const map of maps) {
    const parsed = JSON.parse(readFileSync(path.join(installed, map), 'utf8')) as {
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    expect([map, parsed.sourcesContent?.length]).toEqual([map, parsed.sources.length]);
  }
});

test('the app imports the package through its entry names only, never a private path', () => {
  const entries = new Set(
    Object.keys(pkg.exports).map((e) => (e === '.' ? pkg.name : `${pkg.name}/${e.slice(2)}`)),
  );
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
      d.name === 'node_modules'
        ? []
        : d.isDirectory()
          ? files(path.join(dir, d.name))
          : /\.[cm]?[jt]s$/.test(d.name)
            ? [path.join(dir, d.name)]
            : [],
    );
  const specifiers = files(source).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|require\(|import\(|module)\s*['"]([^'"]+)['"]/g)]
      .map((m) => m[1]!)
      .filter((s) => s === pkg.name || s.startsWith(`${pkg.name}/`))
      .map((s) => `${path.relative(source, file)}: ${s}`),
  );
  expect(specifiers.length).toBeGreaterThan(3);
  expect(specifiers.filter((s) => !entries.has(s.split(': ')[1]!))).toEqual([]);
});

test('it type-checks as CommonJS, with node16 and with node10 module resolution', async () => {
  expectOk(await run(bin('tsc'), ['-p', 'tsconfig.json'], app), 'tsc (node16)');
  expectOk(
    await run(
      bin('tsc'),
      ['-p', 'tsconfig.json', '--module', 'commonjs', '--moduleResolution', 'node10'],
      app,
    ),
    'tsc (node10)',
  );
});

test('it type-checks as an ES module (type: module, nodenext)', async () => {
  const esm = path.join(work, 'app-esm');
  cpSync(app, esm, {
    recursive: true,
    filter: (file) => !/(^|[\\/])node_modules([\\/]|$)/.test(path.relative(app, file)),
  });
  symlinkSync(path.join(app, 'node_modules'), path.join(esm, 'node_modules'), 'dir');
  const manifest = JSON.parse(readFileSync(path.join(esm, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  writeFileSync(path.join(esm, 'package.json'), JSON.stringify({ ...manifest, type: 'module' }));
  expectOk(
    await run(
      bin('tsc'),
      ['-p', 'tsconfig.json', '--module', 'nodenext', '--moduleResolution', 'nodenext'],
      esm,
    ),
    'tsc (ESM)',
  );
});

test("the package's own declarations compile for a user who checks libraries too (skipLibCheck off)", async () => {
  const result = await run(bin('tsc'), ['-p', 'tsconfig.json', '--skipLibCheck', 'false'], app);
  const ours = result.out.split('\n').filter((line) => line.includes(`node_modules/${pkg.name}/`));
  expect(ours).toEqual([]);
});

test('a misspelt template, template data that does not fit, and a wrong event do not compile', async () => {
  const file = path.join(app, 'workflows', 'wrong.ts');
  writeFileSync(
    file,
    `import { send } from '${pkg.name}/workflow';
import { createJourneyClient } from '${pkg.name}/client';
import { trialExpiry } from './index.js';

export async function wrong(): Promise<void> {
  // @ts-expect-error no template of that name
  await send.email('trial-endng', { plan: 'pro', endsOn: '2027-01-01' });
  // @ts-expect-error the template's data needs endsOn
  await send.email('trial-ending', { plan: 'pro' });
  await send.email('trial-ending', { plan: 'pro', endsOn: '2027-01-01' });
  const journeys = await createJourneyClient({ journeys: [trialExpiry] });
  // @ts-expect-error a typo in the event type
  await journeys.emit({ type: 'trial.startd', customer: 'c1', data: { plan: 'pro', endsAt: 'x' } });
  // @ts-expect-error trial.started needs endsAt
  await journeys.emit({ type: 'trial.started', customer: 'c1', data: { plan: 'pro' } });
  await journeys.emit({ type: 'subscription.purchased', customer: 'c1', data: { plan: 'pro' } });
}
`,
  );
  try {
    expectOk(await run(bin('tsc'), ['-p', 'tsconfig.json'], app), 'tsc with the wrong calls');
  } finally {
    rmSync(file);
  }
});

test("its jest tests pass with the package's preset, without --experimental-vm-modules", async () => {
  const result = await run(bin('jest'), ['--ci'], app, 600_000);
  expectOk(result, 'jest in the app');
  expect(result.out).toMatch(/Tests:\s+6 passed, 6 total/);
  expect(existsSync(path.join(app, 'test', 'histories'))).toBe(true);
}, 620_000);

test("`journeys map` draws the app's journey from its own ./workflows", async () => {
  const result = await run(bin('journeys'), ['map', 'trial-expiry'], app);
  expectOk(result, 'journeys map');
  expect(result.out).toContain('trial.started');
  expect(result.out).toContain('email: trial-ending');
  expect(result.out).toContain('goal: subscription.purchased');
});

test("`journeys openapi` documents the app's own events; `journeys keys create` prints a key and only its hash for temporal.yaml", async () => {
  const result = await run(bin('journeys'), ['openapi'], app);
  expectOk(result, 'journeys openapi');
  const doc = JSON.parse(result.out) as {
    components: { schemas: Record<string, { properties?: { data?: { required?: string[] } } }> };
  };
  expect(doc.components.schemas.TrialStartedEvent?.properties?.data?.required).toEqual(['plan', 'endsAt']);
  expect(Object.keys(doc.components.schemas)).toContain('SubscriptionPurchasedEvent');
  const keys = await run(bin('journeys'), ['keys', 'create', 'billing', '--scopes', 'events:write'], app);
  expectOk(keys, 'journeys keys create');
  const key = /^\s+(jk_billing_\S+)$/m.exec(keys.out)?.[1];
  expect(key).toBeDefined();
  expect(keys.out).toContain(`hash: sha256:${createHash('sha256').update(key!).digest('hex')}`);
});

test("`journeys preview` renders the app's own template with the data given, for a person to look at", async () => {
  writeFileSync(path.join(app, 'preview.json'), JSON.stringify({ plan: 'pro', endsOn: '2027-01-31' }));
  const result = await run(bin('journeys'), ['preview', 'trial-ending', '--data', 'preview.json'], app);
  expectOk(result, 'journeys preview');
  expect(result.out).toContain('Subject: Your pro trial ends on 2027-01-31');
  expect(readFileSync(path.join(app, '.journeys', 'preview', 'trial-ending.html'), 'utf8')).toContain(
    '<b>pro</b>',
  );
  // Data that does not fit the template's schema names the field.
  writeFileSync(path.join(app, 'bad.json'), JSON.stringify({ plan: 'pro' }));
  const bad = await run(bin('journeys'), ['preview', 'trial-ending', '--data', 'bad.json'], app);
  expect(bad.code).toBe(1);
  expect(bad.out).toMatch(/endsOn/);
});

test('`journeys replay` replays the history the app kept against its code', async () => {
  const result = await run(bin('journeys'), ['replay', 'test/histories'], app);
  expectOk(result, 'journeys replay');
  expect(result.out).toMatch(/1 replayed OK, 0 failed/);
});

/** A TypeScript block of the README, with what the comments right above it say. */
interface ReadmeBlock {
  readonly line: number;
  readonly code: string;
  /** `<!-- file: path -->`: a file of the install section's app (written over the example app's). */
  readonly file?: string;
  /** `<!-- check: path -->`: a file of the other blocks' program. */
  readonly check?: string;
  /** `<!-- prelude: code -->`: declarations the block takes as given (prepended, not shown). */
  readonly prelude?: string;
}

function readmeBlocks(): ReadmeBlock[] {
  const lines = readFileSync(path.join(root, 'README.md'), 'utf8').split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.indexOf('```', i + 1);
    const notes: Record<string, string> = {};
    for (let j = i - 1; j >= 0 && (lines[j]!.trim() === '' || lines[j]!.startsWith('<!--')); j--) {
      const note = /^<!-- (file|check|prelude): (.*) -->$/.exec(lines[j]!);
      if (note) notes[note[1]!] = note[2]!;
    }
    blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n'), ...notes });
    i = end;
  }
  return blocks;
}

/** A folder beside the installed app sharing its node_modules, with `files` written into it. */
function folderWith(name: string, files: Record<string, string>, from?: string): string {
  const dir = path.join(work, name);
  if (from)
    cpSync(from, dir, {
      recursive: true,
      filter: (file) => !/(^|[\\/])(node_modules|histories)([\\/]|$)/.test(path.relative(from, file)),
    });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  symlinkSync(path.join(app, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

test("the README's install section is an app that type-checks and whose tests pass as written", async () => {
  const blocks = readmeBlocks().filter((b) => b.file !== undefined);
  expect(blocks.map((b) => b.file)).toEqual(
    expect.arrayContaining([
      'workflows/trial-expiry.ts',
      'templates.ts',
      'test/trial-expiry.test.ts',
      'worker.ts',
    ]),
  );
  const dir = folderWith(
    'readme-app',
    Object.fromEntries(blocks.map((b) => [b.file!, `${b.prelude ?? ''}\n${b.code}\n`])),
    source,
  );
  expectOk(await run(bin('tsc'), ['-p', 'tsconfig.json'], dir), "tsc on the README's app");
  const tests = await run(bin('jest'), ['--ci'], dir, 600_000);
  expectOk(tests, "jest on the README's app");
  expect(tests.out).toMatch(/Tests:\s+(\d+) passed, \1 total/);
}, 620_000);

test('every other TypeScript block of the README compiles against the installed package (ESM)', async () => {
  const blocks = readmeBlocks().filter((b) => b.file === undefined);
  expect(blocks.length).toBeGreaterThan(8);
  const files = Object.fromEntries(
    blocks.map((b) => [b.check ?? `block-${b.line}.ts`, `${b.prelude ?? ''}\n${b.code}\n`]),
  );
  const dir = folderWith('readme-blocks', {
    // The journeys module the blocks' worker imports: the README's own journey files.
    'workflows/index.ts': "export * from './abandoned-cart.js';\nexport * from './events.js';\n",
    ...files,
    'package.json': JSON.stringify({ name: 'readme-blocks', private: true, type: 'module' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['**/*.ts'],
      exclude: ['node_modules'],
    }),
  });
  const result = await run(bin('tsc'), ['-p', 'tsconfig.json'], dir);
  // Name the README line of each error, not the generated file.
  const byFile = new Map(blocks.map((b) => [b.check ?? `block-${b.line}.ts`, b.line]));
  const errors = result.out
    .split('\n')
    .filter((l) => /error TS/.test(l))
    .map((l) => `README.md block at line ${byFile.get(l.split('(')[0]!) ?? '?'}: ${l}`);
  expect(errors).toEqual([]);
  expectOk(result, "tsc on the README's blocks");
});
