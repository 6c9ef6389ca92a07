/** Maps read from journeys written here, in temp folders: edits show up, compiled JavaScript reads the same. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { isJourneyError } from '../../src/errors';
import { mapJourney, mapJourneys, toMermaid, type JourneyMap } from '../../src/map';
import { parseMermaid } from './mermaid-graph';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOW = JSON.stringify(path.join(ROOT, 'src', 'workflow'));
const EVENTS = JSON.stringify(path.join(ROOT, 'src', 'events'));

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'journeys-map-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A journey file importing the real authoring API by absolute path. */
function journeyFile(
  body: string,
  options = '{ trigger: subscriptionConfirmed, events: [emailClicked] }',
): string {
  return [
    `import { journey, send, sleep, split, step, waitFor } from ${WORKFLOW};`,
    `import { emailClicked, subscriptionConfirmed } from ${EVENTS};`,
    `export const tiny = journey('tiny', ${options}, async ({ customer }) => {`,
    body,
    '});',
    '',
  ].join('\n');
}

const steps = (map: JourneyMap) => map.nodes.filter((n) => n.kind === 'step').map((n) => n.step);

test('editing a journey changes its map: a step added, a wait changed', () => {
  const dir = folder({
    'tiny.ts': journeyFile(`
  await step('hello', () => send.email('hello'));
  await sleep('1 day');`),
  });
  const before = mapJourney('tiny', { dir });
  expect(steps(before)).toEqual(['hello']);
  expect(before.trigger).toBe('subscription.confirmed');
  expect(before.nodes.filter((n) => n.kind === 'sleep').map((n) => n.label)).toEqual(['1 day']);

  writeFileSync(
    path.join(dir, 'tiny.ts'),
    journeyFile(`
  await step('hello', () => send.email('hello'));
  await sleep('2 days');
  const click = await waitFor(emailClicked, { within: '3 days' });
  if (!click && customer.phone) await step('nudge', () => send.sms('psst'));`),
  );
  const after = mapJourney('tiny', { dir });
  expect(steps(after)).toEqual(['hello', 'nudge']);
  expect(after.nodes.filter((n) => n.kind === 'sleep').map((n) => n.label)).toEqual(['2 days']);
  const g = parseMermaid(toMermaid(after));
  const decision = g.next(g.node('wait for email.clicked within 3 days'), 'timed out');
  expect(decision.text).toBe('!click && customer.phone');
  expect(g.next(decision, 'yes').lines).toEqual(['nudge', 'sms']);
  expect(toMermaid(after)).not.toBe(toMermaid(before));
});

test('compiled JavaScript (no .ts in the folder) gives the same maps as the TypeScript', () => {
  const workflows = path.join(ROOT, 'workflows');
  const files: Record<string, string> = {};
  for (const name of readdirSync(workflows).filter((f) => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(path.join(workflows, name), 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    // Imports of the package's src/ point at the real one from the temp folder.
    files[name.replace(/\.ts$/, '.js')] = outputText.replace(
      /require\("\.\.\/src\//g,
      `require("${ROOT}/src/`,
    );
  }
  const dir = folder(files);
  const shape = (m: JourneyMap) => ({
    ...m,
    file: path.basename(m.file),
    nodes: m.nodes.map(({ line: _line, ...n }) => n),
  });
  const js = mapJourneys({ dir }).map(shape);
  const fromTs = mapJourneys({ dir: workflows }).map((m) => ({
    ...shape(m),
    file: path.basename(m.file, '.ts') + '.js',
  }));
  expect(js).toEqual(fromTs);
  expect(js.map((m) => m.journey)).toHaveLength(8);
});

test('switch, while, a non-constant for…of with break and continue, a send outside a step', () => {
  const dir = folder({
    'tiny.ts': journeyFile(`
  switch (customer.email) {
    case 'vip@example.com':
      await step('vip', () => send.email('vip'));
      break;
    default:
      await send.sms('hi');
  }
  while (customer.phone) {
    await sleep('1 hour');
  }
  for (const item of customer.id.split(',')) {
    if (item === 'stop') break;
    if (item === 'skip') continue;
    await step(\`item-\${item}\`, () => send.webhook('crm', { item }));
  }
  return 'done';`),
  });
  const map = mapJourney('tiny', { dir });
  const g = parseMermaid(toMermaid(map));
  const sw = g.node('customer.email');
  expect(g.next(sw, "case 'vip@example.com'").text).toBe('vip');
  const sms = g.next(sw, 'default');
  expect(sms).toMatchObject({ text: 'send sms', lines: ['send sms', 'sms'], shape: 'rect' });
  const loop = g.node('while customer.phone');
  expect(g.next(g.next(loop), 'again')).toBe(loop);
  const each = g.next(loop, 'done');
  expect(each.text).toBe("for each customer.id.split(',')");
  const stop = g.next(each);
  expect(stop.text).toBe("item === 'stop'");
  expect(g.next(stop, 'yes').text).toBe('done'); // break: the end `done` the journey returns
  const skip = g.next(stop, 'no');
  expect(g.out(skip).find((e) => e.label === 'yes')).toMatchObject({ to: each.id, dashed: true });
  const item = g.next(skip, 'no');
  expect(item.lines).toEqual(['item-{item}', 'webhook']);
  expect(map.nodes.find((n) => n.step === 'item-{item}')!.stepPattern).toBe('^item-.+$');
  // `String#split` is not the authoring API's split.
  expect(map.nodes.filter((n) => n.kind === 'split')).toEqual([]);
});

test('a helper of your own named step is not a step; patched() draws the current branch only', () => {
  const dir = folder({
    'tiny.ts': `import { journey, patched, send, sleep, step as journeyStep } from ${WORKFLOW};
const step = (name: string) => name;
export const tiny = journey('tiny', { goal: [] }, async () => {
  step('not-a-step');
  if (patched('tiny.new-delay')) await sleep('2 hours');
  else await sleep('1 day');
  await journeyStep('real', () => send.email('real'));
});
`,
  });
  const map = mapJourney('tiny', { dir });
  expect(map.nodes.map((n) => [n.kind, n.label])).toEqual([
    ['start', 'enrolled'],
    ['sleep', '2 hours'],
    ['step', 'real'],
    ['end', 'completed'],
  ]);
});

test('a folder without journeys, or without sources, is JOURNEY_NOT_FOUND', () => {
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return isJourneyError(err) ? err.code : err;
    }
    return 'no error';
  };
  const util = folder({ 'util.ts': 'export const x = 1;\n' });
  expect(mapJourneys({ dir: util })).toEqual([]);
  expect(codeOf(() => mapJourney('tiny', { dir: util }))).toBe('JOURNEY_NOT_FOUND');
  expect(codeOf(() => mapJourneys({ dir: folder({ 'notes.md': '# none' }) }))).toBe('JOURNEY_NOT_FOUND');
});
