/** `journeys map`, as a user runs it, and its other forms called in-process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LIBRARY_JOURNEYS } from '../support/library';
import { promisify } from 'node:util';
import { map } from '../../src/cli/map';
import { parseMermaid } from './mermaid-graph';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, 'workflows');

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-map-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs `map(argv)` in-process and collects what it printed. */
function journeysMap(argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...args) => void (stdout += `${args.join(' ')}\n`));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...args) => void (stderr += `${args.join(' ')}\n`));
  try {
    return { code: map(argv), stdout, stderr };
  } finally {
    write.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}

test('the CLI prints a journey as Mermaid; an unknown journey exits 2 naming the ones it has', async () => {
  // The CLI from source (ts-node), so the test does not depend on a fresh build in dist/.
  const cli = [require.resolve('ts-node/register/transpile-only'), path.join(ROOT, 'src', 'cli', 'main.ts')];
  const options = {
    cwd: tempDir(),
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
  };
  const failed = (err: { code: number; stdout: string; stderr: string }) => err;
  const [printed, unknown, none] = await Promise.all([
    run(process.execPath, ['-r', ...cli, 'map', 'abandoned-cart', '--workflows', WORKFLOWS], options),
    run(process.execPath, ['-r', ...cli, 'map', 'abandoned-kart', '--workflows', WORKFLOWS], options).catch(
      failed,
    ),
    // In a folder without journeys the CLI looks for the app's (./workflows), never the package's own.
    run(process.execPath, ['-r', ...cli, 'map', 'abandoned-cart'], options).catch(failed),
  ]);
  expect(none).toMatchObject({ code: 2, stdout: '' });
  expect(none.stderr).toContain(`No journey sources in ${path.join(options.cwd, 'workflows')}`);
  const g = parseMermaid(printed.stdout);
  expect(g.next(g.node('wait for email.clicked within 1 day'), 'timed out').text).toBe(
    '!click && customer.phone',
  );
  expect(unknown).toMatchObject({ code: 2, stdout: '' });
  expect(unknown.stderr).toContain('JOURNEY_NOT_FOUND');
  expect(unknown.stderr).toContain('abandoned-cart, cross-sell, first-purchase, loyalty, payment-reminder');
}, 60_000);

test('--all prints every journey; --out writes a file; svg and html per journey into a folder', () => {
  const all = journeysMap(['--all', '--workflows', WORKFLOWS]);
  expect(all.code).toBe(0);
  const charts = all.stdout.split(/^%% /m).filter(Boolean);
  expect(charts.map((c) => c.split(' ')[0])).toEqual(LIBRARY_JOURNEYS);
  for (const chart of charts) parseMermaid(chart.slice(chart.indexOf('\n') + 1));

  const dir = tempDir();
  const file = path.join(dir, 'cart.mmd');
  expect(journeysMap(['abandoned-cart', '--out', file]).code).toBe(0);
  expect(parseMermaid(readFileSync(file, 'utf8')).node('reminder-sms').lines).toEqual([
    'reminder-sms',
    'sms',
  ]);

  const pictures = path.join(dir, 'maps');
  expect(journeysMap(['--all', '--format', 'svg', '--out', pictures]).code).toBe(0);
  expect(readdirSync(pictures)).toHaveLength(8);
  expect(readFileSync(path.join(pictures, 'loyalty.svg'), 'utf8')).toMatch(/^<svg[\s>]/);
  expect(journeysMap(['welcome', '--format', 'html', '--out', path.join(dir, 'welcome.html')]).code).toBe(0);
  expect(readFileSync(path.join(dir, 'welcome.html'), 'utf8')).toMatch(/^<!doctype html>/i);
});

test('usage errors exit 2: a format, a missing name, --all svg without --out, an unknown flag', () => {
  const format = journeysMap(['abandoned-cart', '--format', 'png']);
  expect(format).toMatchObject({ code: 2, stdout: '' });
  expect(format.stderr).toContain('Unknown format "png"');
  expect(journeysMap([]).code).toBe(2);
  expect(journeysMap(['a', 'b']).code).toBe(2);
  expect(journeysMap(['--all', '--format', 'svg']).code).toBe(2);
  expect(journeysMap(['abandoned-cart', '--colour']).code).toBe(2);
});

test('--workflows reads your own journeys: a file or its folder', () => {
  const dir = tempDir();
  const file = path.join(dir, 'mine.ts');
  writeFileSync(
    file,
    `import { journey, sleep, step, send } from ${JSON.stringify(path.join(ROOT, 'src', 'workflow'))};
export const mine = journey('mine', {}, async () => {
  await sleep('3 days');
  await step('only', () => send.push({ title: 'Hi', body: 'there' }));
});
`,
  );
  for (const workflows of [file, dir]) {
    const out = journeysMap(['mine', '--workflows', workflows]);
    expect(out.code).toBe(0);
    const g = parseMermaid(out.stdout);
    expect(g.next(g.next(g.node('enrolled'))).lines).toEqual(['only', 'push']);
  }
  const missing = journeysMap(['abandoned-cart', '--workflows', dir]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('it has mine.');
});
