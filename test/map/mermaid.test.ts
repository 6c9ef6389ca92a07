/** `toMermaid`: shapes per kind, escaping, live counts, classes; read back by the test parser. */
import { toMermaid, type JourneyMap } from '../../src/map';
import { parseMermaid } from './mermaid-graph';

const map: JourneyMap = {
  journey: 'demo',
  file: 'workflows/demo.ts',
  trigger: 'cart.abandoned',
  goals: ['order.placed'],
  goalOutcome: 'converted',
  nodes: [
    { id: 'n1', kind: 'start', label: 'cart.abandoned', line: 1 },
    { id: 'n2', kind: 'goal', label: 'goal: order.placed', outcome: 'converted', line: 2 },
    { id: 'n3', kind: 'end', label: 'converted', outcome: 'converted', line: 2 },
    { id: 'n4', kind: 'split', label: 'first-delay', line: 3 },
    { id: 'n5', kind: 'sleep', label: '1 hour', line: 4 },
    {
      id: 'n6',
      kind: 'step',
      label: 'reminder-email',
      step: 'reminder-email',
      stepPattern: '^reminder-email$',
      channels: ['email'],
      templates: ['cart-reminder'],
      line: 5,
    },
    { id: 'n7', kind: 'wait', label: 'email.clicked within 1 day', line: 6 },
    { id: 'n8', kind: 'decision', label: `items.length > 2 && name === "<b>" && \`#1\``, line: 7 },
    { id: 'n9', kind: 'loop', label: 'repeat', line: 8 },
    { id: 'n10', kind: 'send', label: 'send sms', channels: ['sms'], templates: [], line: 9 },
    { id: 'n11', kind: 'end', label: 'completed', outcome: 'completed', line: 10 },
  ],
  edges: [
    { from: 'n1', to: 'n2', label: 'any time', kind: 'goal' },
    { from: 'n2', to: 'n3' },
    { from: 'n1', to: 'n4' },
    { from: 'n4', to: 'n5', label: 'A' },
    { from: 'n5', to: 'n6' },
    { from: 'n6', to: 'n7' },
    { from: 'n7', to: 'n8', label: 'timed out' },
    { from: 'n8', to: 'n9', label: 'yes' },
    { from: 'n9', to: 'n10' },
    { from: 'n10', to: 'n9', label: 'again', kind: 'loop' },
    { from: 'n7', to: 'n11', label: 'received' },
    { from: 'n8', to: 'n11', label: 'no' },
  ],
};

test('one line per node and edge, a shape per kind, dashed goal and loop edges', () => {
  const text = toMermaid(map);
  expect(text.split('\n')[0]).toBe('flowchart TD');
  expect(toMermaid(map)).toBe(text);
  const g = parseMermaid(text);
  expect(g.nodes.map((n) => [n.id, n.shape])).toEqual([
    ['n1', 'stadium'],
    ['n2', 'circle'],
    ['n3', 'circle'],
    ['n4', 'subroutine'],
    ['n5', 'parallelogram'],
    ['n6', 'rect'],
    ['n7', 'hexagon'],
    ['n8', 'rhombus'],
    ['n9', 'trapezoid'],
    ['n10', 'rect'],
    ['n11', 'circle'],
  ]);
  expect(g.edges.map((e) => [e.from, e.to, e.label, e.dashed])).toEqual(
    map.edges.map((e) => [e.from, e.to, e.label, e.kind === 'goal' || e.kind === 'loop']),
  );
  expect(g.node('reminder-email').lines).toEqual(['reminder-email', 'email: cart-reminder']);
  expect(g.node('split first-delay').id).toBe('n4');
  expect(g.node('sleep 1 hour').id).toBe('n5');
  expect(g.node('wait for email.clicked within 1 day').id).toBe('n7');
  expect(g.node('send sms').lines).toEqual(['send sms', 'sms']);
});

test('label text is escaped for Mermaid and reads back unchanged', () => {
  const text = toMermaid(map);
  expect(text).toContain('n8{"items.length #gt; 2 && name === #quot;#lt;b#gt;#quot; && #96;#35;1#96;"}');
  expect(parseMermaid(text).node(`items.length > 2 && name === "<b>" && \`#1\``).shape).toBe('rhombus');
});

test('counts go on node labels (passed, at) and edge labels', () => {
  const g = parseMermaid(
    toMermaid(map, {
      nodes: { n1: { passed: 1200 }, n6: { passed: 950, at: 4 }, n11: { passed: 300 } },
      edges: { 'n7->n8': 30, 'n6->n7': 946 },
    }),
  );
  expect(g.node('cart.abandoned').lines).toEqual(['cart.abandoned · 1,200']);
  expect(g.node('reminder-email').lines).toEqual(['reminder-email · 950 · at 4', 'email: cart-reminder']);
  expect(g.node('completed').lines).toEqual(['completed · 300']);
  expect(g.out('wait for email.clicked within 1 day').map((e) => e.label)).toEqual([
    'timed out · 30',
    'received',
  ]);
  expect(g.out('reminder-email')).toEqual([{ from: 'n6', to: 'n7', label: '946', dashed: false }]);
});

test('a class per kind; the goal outcome ends like the goal', () => {
  const text = toMermaid(map);
  const g = parseMermaid(text);
  expect(Object.fromEntries(g.nodes.map((n) => [n.id, n.className]))).toEqual({
    n1: 'mapStart',
    n2: 'mapGoal',
    n3: 'mapConverted',
    n4: 'mapSplit',
    n5: 'mapSleep',
    n6: 'mapStep',
    n7: 'mapWait',
    n8: 'mapDecision',
    n9: 'mapLoop',
    n10: 'mapSend',
    n11: 'mapEnd',
  });
  // `end` is a Mermaid keyword: no class may be called that.
  expect(text).not.toMatch(/classDef end\b|class [\w,]+ end$/m);
});
