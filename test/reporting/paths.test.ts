import path from 'node:path';
import { mapJourney } from '../../src/map';
import {
  codeTransitions,
  formatPaths,
  pathMap,
  pathTransitions,
  PATH_RUNNING,
  type JourneyPaths,
  type PathPoint,
} from '../../src/reporting';

const workflows = path.resolve(__dirname, '..', '..', 'workflows');
const cart = mapJourney('abandoned-cart', { dir: workflows });

const paths: JourneyPaths = {
  journey: 'abandoned-cart',
  goalOutcome: 'converted',
  total: 9,
  sampled: 9,
  paths: [
    { steps: ['reminder-email'], end: 'completed', count: 5 },
    { steps: [], end: 'converted', count: 2 },
    { steps: ['reminder-email'], end: PATH_RUNNING, count: 2 },
  ],
  dropOffs: [{ after: 'reminder-email', outcome: 'completed', count: 5 }],
};

const text = (p: PathPoint) => (p.kind === 'start' ? 'start' : p.kind === 'step' ? p.step : `end:${p.end}`);

test('the moves the code allows, from the map drawn from code', () => {
  expect(
    codeTransitions(cart)
      .map(([from, to]) => `${text(from)} -> ${text(to)}`)
      .sort(),
  ).toEqual(
    [
      'start -> reminder-email',
      'reminder-email -> reminder-sms',
      'reminder-email -> end:completed',
      'reminder-sms -> end:completed',
    ].sort(),
  );
});

test('step names are only names: one that looks like an ending or an arrow is still a step', () => {
  const odd: JourneyPaths = {
    ...paths,
    paths: [{ steps: ['a->b', 'end:completed'], end: 'completed', count: 3 }],
  };
  expect(pathTransitions(odd).map((m) => [text(m.from), text(m.to), m.count])).toEqual([
    ['start', 'a->b', 3],
    ['a->b', 'end:completed', 3],
    ['end:completed', 'end:completed', 3],
  ]);
  const { map } = pathMap(odd);
  expect(map.nodes.map((n) => [n.kind, n.label])).toEqual([
    ['start', 'entered'],
    ['step', 'a->b'],
    ['step', 'end:completed'],
    ['end', 'completed'],
  ]);
});

test('the path map counts each move taken and draws the untaken ones the code allows with 0', () => {
  const { map, counts } = pathMap(paths, cart);
  const name = (id: string) => {
    const node = map.nodes.find((n) => n.id === id)!;
    return node.kind === 'end' ? `end:${node.outcome}` : node.kind === 'start' ? 'start' : node.step!;
  };
  const edges = Object.fromEntries(
    map.edges.map((e) => [`${name(e.from)} -> ${name(e.to)}`, counts.edges![`${e.from}->${e.to}`]]),
  );
  expect(edges).toEqual({
    'start -> reminder-email': 7,
    'reminder-email -> end:completed': 5,
    'reminder-email -> end:(running)': 2,
    'start -> end:converted': 2,
    // Allowed by the code, taken by nobody yet.
    'reminder-email -> reminder-sms': 0,
    'reminder-sms -> end:completed': 0,
  });
  const email = map.nodes.find((n) => n.step === 'reminder-email')!;
  expect(email).toMatchObject({ channels: ['email'], templates: ['cart-reminder'] });
  expect(counts.nodes![email.id]).toEqual({ passed: 7 });
  expect(counts.nodes![map.nodes.find((n) => n.step === 'reminder-sms')!.id]).toEqual({ passed: 0 });
  expect(map.nodes[0]).toMatchObject({ kind: 'start', label: 'cart.abandoned' });
});

test('without the code, only what happened is drawn', () => {
  const { map } = pathMap(paths);
  expect(map.nodes.map((n) => n.label)).toEqual([
    'entered',
    'reminder-email',
    'completed',
    'converted',
    'still in the journey',
  ]);
});

test('formatPaths lists the paths most taken first and the drop-off points', () => {
  expect(formatPaths(paths)).toBe(
    [
      'journey abandoned-cart: 9 of 9 runs read',
      '',
      'paths taken:',
      '       5  (start) → reminder-email → completed',
      '       2  (start) → converted',
      '       2  (start) → reminder-email → (running)',
      '',
      'drop-off points (ended without "converted"):',
      '       5  after reminder-email → completed',
    ].join('\n'),
  );
});
