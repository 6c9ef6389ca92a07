/** The dashboard re-reads a journey's map when its source changes, and keeps it while nothing changed. */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DashboardData } from '../../src/dashboard';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOW = JSON.stringify(path.join(ROOT, 'src', 'workflow'));
const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-dashboard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = path.join(dir, 'tiny.ts');
const write = (body: string, mtime: Date) => {
  writeFileSync(
    file,
    [
      `import { journey, send, sleep, step } from ${WORKFLOW};`,
      `export const tiny = journey('tiny', {}, async () => {`,
      body,
      '});',
      '',
    ].join('\n'),
  );
  utimesSync(file, mtime, mtime);
};
const steps = (data: DashboardData) => {
  const map = data.codeMap('tiny');
  if (map instanceof Error) throw map;
  return map.nodes.filter((n) => n.kind === 'step').map((n) => n.step);
};

test('a changed source file gives a new map; an unknown journey is an error, not a throw', () => {
  // The map is read from source; no visibility call is made, so no server is needed here.
  const data = new DashboardData({
    client: {} as Client,
    namespace: 'default',
    journeys: [],
    sourceDir: dir,
  });
  write(`  await step('hello', () => send.email('hello'));`, new Date('2026-11-01T00:00:00Z'));
  expect(steps(data)).toEqual(['hello']);
  const first = data.codeMap('tiny');
  expect(data.codeMap('tiny')).toBe(first); // nothing changed: the same map, not read again

  write(
    `  await step('hello', () => send.email('hello'));\n  await sleep('1 day');\n  await step('again', () => send.sms('hi'));`,
    new Date('2026-11-02T00:00:00Z'),
  );
  expect(steps(data)).toEqual(['hello', 'again']);
  expect(data.codeMap('nope')).toEqual(new Error(`No journey "nope" in ${dir}.`));
});
