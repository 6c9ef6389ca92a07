/**
 * The README's run command in --once mode, on the real dev server (in memory, free ports, journey time
 * sped up so the 1-day wait takes a second). Runs the compiled CLI, as a user would.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './support/ports';

const cli = path.resolve(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

test('journeys dev --once runs the demo to its end and exits 0', async () => {
  expect(existsSync(cli)).toBe(true); // `npm test` builds first
  const uiPort = await freePort();
  const env = { ...process.env };
  delete env.JOURNEYS_CONFIG; // the repository's own temporal.yaml
  const child = spawn(
    process.execPath,
    [
      cli,
      'dev',
      '--once',
      '--port',
      '0',
      '--ui-port',
      String(uiPort),
      '--db',
      ':memory:',
      '--time-scale',
      '36000',
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

  expect(out).toContain(`Web UI    http://127.0.0.1:${uiPort}/namespaces/default/workflows`);
  expect(out).toContain('Dashboard http://127.0.0.1:8234'); // the README's address
  expect(out).toMatch(/email +→ ada@example\.com/);
  expect(out).toMatch(/sms +→ \+14155550101/);
  expect(out).toMatch(/journey +cust-linus +converted, nothing sent/);
  expect(out).toMatch(/journey +cust-grace +completed after reminder-email\n/);
  expect(out).toMatch(/webhook +email\.opened +cust-ada/); // opens and clicks flow back from the fakes
  expect(out).toMatch(/webhook +email\.clicked +cust-grace \(abandoned-cart\/reminder-email\)/);
  expect(out).toMatch(/webhook +sms\.delivered +cust-ada/);
  // Edsger unsubscribed from email, and it is night where he lives: his SMS waits for 09:00 his time.
  expect(out).toMatch(
    /journey +cust-edsger +deferred after reminder-email → reminder-sms \(email suppressed: unsubscribed, sms deferred: quiet_hours until 09:00 [\w/]+\)/,
  );
  expect(out).not.toMatch(/sms +→ \+14155550104/);
  expect(out).toContain('scenario finished: every journey is where it should be');
  expect(out).not.toContain('UNEXPECTED');
  expect(code).toBe(0);
});

test('Ctrl-C stops the demo cleanly: the worker drains, the server stops, exit 0', async () => {
  const env = { ...process.env };
  delete env.JOURNEYS_CONFIG;
  const child = spawn(
    process.execPath,
    [
      cli,
      'dev',
      '--port',
      '0',
      '--ui-port',
      String(await freePort()),
      '--dashboard-port',
      '0',
      '--db',
      ':memory:',
      '--no-scenario',
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const running = new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ctrl-C to stop')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  });
  await running;
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(out).toContain('stopping');
});
