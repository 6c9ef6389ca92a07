/**
 * The dashboard `journeys dev` serves, in headless Chromium (Debian's, driven by playwright-core), on the
 * demo's real runs: it loads with no console errors, lists the journeys, draws a map with live counts and
 * a funnel, and links runs to the Web UI. A screenshot is kept in test-artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { LIBRARY_JOURNEYS } from '../support/library';
import { freePort } from '../support/ports';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser } from 'playwright-core';
import { createJourneyClient } from '../../src/client';
import { abandonedCart } from '../../workflows/abandoned-cart';
import { ensureChromium } from '../support/chromium';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli', 'main.js');
const artifacts = path.join(root, 'test-artifacts');

/**
 * Forty more shoppers abandon carts through the public client, as a backend would, and a quarter of them
 * order: the map, funnel and paths then have numbers worth looking at (journey time runs 3600x in dev, so
 * in a few seconds they have had their email and wait for a click).
 */
async function crowd(address: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const journeys = await createJourneyClient({
      journeys: [abandonedCart],
      client,
      taskQueue: 'journeys',
      timeScale: 3600,
    });
    const cart = (i: number) => `crowd-cart-${i}`;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        journeys.emit({
          type: 'cart.abandoned',
          customer: {
            id: `shopper-${i}`,
            email: `shopper-${i}@example.com`,
            ...(i % 2 ? { phone: `+1415555${2000 + i}` } : {}),
          },
          data: { cartId: cart(i), items: ['Oolong 100g'], url: `https://shop.example/cart/${cart(i)}` },
        }),
      ),
    );
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        journeys.emit({
          type: 'order.placed',
          customer: `shopper-${4 * k}`,
          data: { orderId: `crowd-order-${k}`, cartId: cart(4 * k), total: 12 },
        }),
      ),
    );
    // Until the counts hold still: the thirty who did not order have passed the email step (each event
    // waits out its order window first), and two looks a second apart agree.
    const passed = async () =>
      (await client.workflow.count('JourneyName = "abandoned-cart" AND JourneySteps = "reminder-email"'))
        .count;
    let last = -1;
    for (let i = 0; i < 60; i++) {
      const now = await passed();
      if (now >= 30 && now === last) break;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await connection.close();
  }
}

let dev: ChildProcess;
let out = '';
let dashboard: string;
let uiPort: number;
let browser: Browser;

beforeAll(async () => {
  uiPort = await freePort();
  const env = { ...process.env };
  delete env.JOURNEYS_CONFIG; // the repository's own temporal.yaml
  dev = spawn(
    process.execPath,
    [cli, 'dev', '--port', '0', '--ui-port', String(uiPort), '--dashboard-port', '0', '--db', ':memory:'],
    { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  dev.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  dev.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // The demo's scenario has run once the dev command says so: every journey has runs to show.
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
  dashboard = /Dashboard (http:\/\/\S+)/.exec(out)![1]!;
  await crowd(/Temporal +(\S+) \(namespace/.exec(out)![1]!);
  const executablePath = ensureChromium(path.join(root, '.journeys'), (line) => console.log(line));
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  if (dev && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    dev.kill('SIGINT');
    await exited;
  }
});

interface Detail {
  funnel: { entered: number; steps: { step: string; passed: number }[]; outcomes: Record<string, number> };
  runs: { workflowId: string; url: string | null }[];
}

test('the page loads without console errors and shows the journeys, a map with counts and a funnel', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) => errors.push(`${request.url()}: ${request.failure()?.errorText}`));

  await page.goto(`${dashboard}/#/abandoned-cart`);
  // Every journey of the library is listed, with its numbers.
  await page.waitForSelector('nav a[data-journey="loyalty"]');
  const listed = await Promise.all(
    (await page.locator('nav a[data-journey]').all()).map((a) => a.getAttribute('data-journey')),
  );
  expect(listed).toEqual(expect.arrayContaining([...LIBRARY_JOURNEYS]));

  // The map from code, with the live counts of the API on its step nodes.
  await page.waitForSelector('#map svg g.node[data-step="reminder-email"] .count-passed');
  const detail = (await (await fetch(`${dashboard}/api/journeys/abandoned-cart`)).json()) as Detail;
  const emailed = detail.funnel.steps.find((s) => s.step === 'reminder-email')!.passed;
  expect(emailed).toBeGreaterThan(0);
  const drawn = (await page.textContent('#map svg g.node[data-step="reminder-email"] .count-passed')) ?? '';
  expect(drawn.replace(/\D/g, '')).toBe(String(emailed));
  expect(await page.locator('#map svg g.node').count()).toBeGreaterThan(6);

  // The funnel chart (Chart.js, served by the dashboard) holds the funnel's numbers.
  // (Browser code as text: the tests are compiled without the DOM's types.)
  await page.waitForFunction("Boolean(window.Chart && window.Chart.getChart('funnel-chart'))");
  const charted = await page.evaluate<{ labels: string[]; passed: number[] }>(
    "(() => { const c = window.Chart.getChart('funnel-chart'); return { labels: c.data.labels, passed: c.data.datasets[0].data }; })()",
  );
  expect(charted.labels[0]).toBe('entered');
  expect(charted.passed[0]).toBe(detail.funnel.entered);
  expect(charted.passed[charted.labels.indexOf('reminder-email')]).toBe(emailed);

  // The paths customers took, and recent runs linked to the Temporal Web UI.
  await page.waitForSelector('#paths svg g.edge .edge-count');
  const link = await page.getAttribute('#runs a[href*="/history"]', 'href');
  expect(link).toMatch(
    new RegExp(`^http://(127\\.0\\.0\\.1|localhost):${uiPort}/namespaces/default/workflows/`),
  );
  expect(detail.runs.map((r) => r.url)).toContain(link);

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'dashboard.png'), fullPage: true });

  // A variant filter narrows the numbers and can be undone; the variants stay to choose from.
  await page.selectOption('#variant', '1 hour');
  await page.waitForFunction(
    "document.querySelector('#runs') && [...document.querySelectorAll('#runs td:nth-child(4)')].every((td) => td.textContent === '1 hour')",
  );
  expect(await page.locator('#variant option').count()).toBe(3);
  await page.selectOption('#variant', '');
  await page.waitForFunction(
    "new Set([...document.querySelectorAll('#runs td:nth-child(4)')].map((td) => td.textContent).filter(Boolean)).size === 2",
  );

  // Another journey from the list.
  await page.click('nav a[data-journey="reactivation"]');
  await page.waitForSelector('#map svg g.node[data-step="win-back-1"]');
  expect(errors).toEqual([]);
  await page.close();
}, 60_000);

test('the API answers bad requests clearly', async () => {
  const unknown = await fetch(`${dashboard}/api/journeys/nope`);
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toMatchObject({
    error: 'No journey "nope".',
    journeys: expect.arrayContaining(['welcome']) as unknown,
  });
  const badWindow = await fetch(`${dashboard}/api/journeys/welcome?since=forever`);
  expect(badWindow.status).toBe(400);
  expect(((await badWindow.json()) as { error: string }).error).toMatch(/since takes a duration/);
  const badName = await fetch(`${dashboard}/api/journeys/%E0%A4%A`);
  expect(badName.status).toBe(400);
  // A page whose DNS name was rebound to 127.0.0.1 sends its own name as Host: refused.
  const rebound = await new Promise<number>((resolve, reject) => {
    const { port } = new URL(dashboard);
    request(
      { host: '127.0.0.1', port, path: '/api/journeys', headers: { Host: 'attacker.example' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    )
      .on('error', reject)
      .end();
  });
  expect(rebound).toBe(403);
  const post = await fetch(`${dashboard}/api/journeys`, { method: 'POST' });
  expect(post.status).toBe(405);
  const svg = await fetch(`${dashboard}/api/journeys/welcome/map.svg`);
  expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
  expect(await svg.text()).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});
