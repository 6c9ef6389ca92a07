/**
 * `journeys dev` with `encryption:` in temporal.yaml, run as a user runs it (the compiled CLI): the demo's
 * histories are encrypted on the server; its codec server answers 401 without its token and decodes with it;
 * the Temporal CLI reads the runs with its codec options; the Web UI (headless Chromium) shows a run's
 * input decrypted, through the codec server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { chromium, type Browser } from 'playwright-core';
import { findTemporalCli } from '../../src/server';
import { userCacheDir } from '../../src/config';
import { ensureChromium } from '../support/chromium';
import { freePort } from '../support/ports';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
let token: string;
const shellToken = randomBytes(24).toString('hex');

let dev: ChildProcess;
let out = '';
let address: string;
let codecUrl: string;
let uiUrl: string;
let connection: Connection;
let raw: Client;
let browser: Browser | undefined;
let adaRun: string;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-encrypted-'));
  // The repository's own settings (the demo's quiet hours and caps), plus encryption.
  const own = readFileSync(path.join(root, 'temporal.yaml'), 'utf8').replace(/^workflows:.*$/m, '');
  writeFileSync(
    path.join(dir, 'temporal.yaml'),
    `${own}\nencryption:\n  currentKey: demo-1\n  keys:\n    - { id: demo-1, env: DEMO_PAYLOAD_KEY }\n`,
  );
  const uiPort = await freePort();
  dev = spawn(
    process.execPath,
    [cli, 'dev', '--port', '0', '--ui-port', String(uiPort), '--dashboard-port', '0', '--db', ':memory:'],
    {
      cwd: dir,
      env: {
        ...process.env,
        JOURNEYS_CONFIG: path.join(dir, 'temporal.yaml'),
        DEMO_PAYLOAD_KEY: randomBytes(32).toString('base64'),
        JOURNEYS_CODEC_TOKEN: shellToken, // a real codec server's: dev must not hand it to the Web UI
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  dev.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  dev.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('scenario finished')) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
    dev.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`journeys dev exited ${code}:\n${out}`));
    });
  });
  address = /Temporal +(\S+) \(namespace/.exec(out)![1]!;
  // The endpoint the Web UI was given: the codec server, then this run's token.
  const endpoint = /Codec +(http:\/\/\S+)/.exec(out)![1]!;
  token = endpoint.split('/').at(-1)!;
  codecUrl = endpoint.slice(0, -token.length - 1);
  expect(token).toMatch(/^[0-9a-f]{48}$/);
  expect(out).not.toContain(shellToken);
  uiUrl = /Web UI +(http:\/\/[^/\s]+)/.exec(out)![1]!;
  connection = await Connection.connect({ address });
  raw = new Client({ connection }); // no codec: what the cluster itself holds
  for await (const run of raw.workflow.list({
    query: 'CustomerId = "cust-ada" AND JourneyName = "abandoned-cart"',
  }))
    adaRun = run.workflowId;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await connection?.close();
  dev?.kill('SIGINT');
  await new Promise((resolve) => dev?.once('exit', resolve));
});

test("the demo ran encrypted: its raw histories hold none of the customers' addresses", async () => {
  expect(out).toContain('scenario finished: every journey is where it should be');
  expect(adaRun).toBeDefined();
  const json = historyToJSON(await raw.workflow.getHandle(adaRun).fetchHistory());
  for (const secret of ['ada@example.com', '+14155550101', Buffer.from('ada@example.com').toString('base64')])
    expect(json).not.toContain(secret);
  expect(json).toContain(Buffer.from('binary/encrypted').toString('base64'));
});

test('the codec server: 401 without its token (or with another), the payloads decoded with it, CORS for the Web UI', async () => {
  const started = JSON.parse(historyToJSON(await raw.workflow.getHandle(adaRun).fetchHistory())).events[0]
    .workflowExecutionStartedEventAttributes.input as { payloads: unknown[] };
  const decode = (headers: Record<string, string>, url = `${codecUrl}/decode`) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify(started),
    });
  expect((await decode({})).status).toBe(401);
  expect((await decode({ authorization: `Bearer ${'x'.repeat(48)}` })).status).toBe(401);
  const ok = await decode({ authorization: `Bearer ${token}` });
  expect(ok.status).toBe(200);
  const { payloads } = (await ok.json()) as { payloads: { metadata: { encoding: string }; data: string }[] };
  expect(Buffer.from(payloads[0]!.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(Buffer.from(payloads[0]!.data, 'base64').toString()).toContain('ada@example.com');
  // The Web UI's form: the token as the path segment before /decode (it sends no Authorization header).
  expect((await decode({}, `${codecUrl}/${token}/decode`)).status).toBe(200);
  const preflight = await fetch(`${codecUrl}/${token}/decode`, {
    method: 'OPTIONS',
    headers: { origin: uiUrl, 'access-control-request-method': 'POST' },
  });
  expect(preflight.headers.get('access-control-allow-origin')).toBe(uiUrl);
  const elsewhere = await fetch(`${codecUrl}/decode`, {
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example' },
  });
  expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
});

test('the Temporal CLI reads a run with its codec options, and cannot without them', async () => {
  const temporal = await findTemporalCli({ cacheDir: userCacheDir() });
  const input = async (extra: string[]) => {
    const { stdout } = await promisify(execFile)(
      temporal.path!,
      ['workflow', 'show', '--workflow-id', adaRun, '--address', address, '--output', 'json', ...extra],
      { maxBuffer: 32 << 20 },
    );
    const [payload] = JSON.parse(stdout).events[0].workflowExecutionStartedEventAttributes.input.payloads as {
      metadata: { encoding: string };
      data: string;
    }[];
    return {
      encoding: Buffer.from(payload!.metadata.encoding, 'base64').toString(),
      data: Buffer.from(payload!.data, 'base64').toString(),
    };
  };
  const without = await input([]);
  expect(without.encoding).toBe('binary/encrypted');
  expect(without.data).not.toContain('ada@example.com');
  const decoded = await input(['--codec-endpoint', codecUrl, '--codec-auth', `Bearer ${token}`]);
  expect(decoded.encoding).toBe('json/plain');
  expect(JSON.parse(decoded.data).customer).toMatchObject({ id: 'cust-ada', email: 'ada@example.com' });
});

test("the Web UI of journeys dev shows a run's input decrypted, through the codec server", async () => {
  const executablePath = ensureChromium(path.join(root, '.journeys'), (line) => console.log(line));
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const page = await browser.newPage();
  await page.goto(`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(adaRun)}`);
  await page.getByText('ada@example.com').first().waitFor({ timeout: 60_000 });
  expect(await page.content()).toContain('ada@example.com');
}, 240_000);
