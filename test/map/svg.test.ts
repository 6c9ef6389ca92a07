import { renderHtml } from '../../src/map/html';
import { renderSvg } from '../../src/map/svg';
import { escapeXml, wrapText } from '../../src/map/svg-text';
import type { JourneyMap, MapCounts } from '../../src/map/types';

/** A journey with every node kind: a split, a wait that is received or times out, a loop, a goal. */
const everyKind: JourneyMap = {
  journey: 'abandoned-cart',
  file: 'workflows/abandoned-cart.ts',
  trigger: 'cart.abandoned',
  goals: ['order.placed'],
  goalOutcome: 'converted',
  nodes: [
    { id: 'n1', kind: 'start', label: 'cart.abandoned', line: 10 },
    { id: 'n2', kind: 'split', label: 'first-delay', line: 25 },
    { id: 'n3', kind: 'sleep', label: '15 minutes', line: 28 },
    { id: 'n4', kind: 'sleep', label: '1 hour', line: 28 },
    {
      id: 'n5',
      kind: 'step',
      label: 'reminder-email',
      step: 'reminder-email',
      channels: ['email'],
      templates: ['cart-reminder'],
      line: 29,
    },
    { id: 'n6', kind: 'wait', label: 'email.clicked within 1 day', line: 32 },
    { id: 'n7', kind: 'decision', label: 'cart.total < 50 && tier == "gold"', line: 33 },
    { id: 'n8', kind: 'step', label: 'reminder-sms', step: 'reminder-sms', channels: ['sms'], line: 34 },
    { id: 'n9', kind: 'loop', label: 'for each item', line: 36 },
    {
      id: 'n10',
      kind: 'send',
      label: 'notify crm',
      channels: ['webhook'],
      templates: ['crm-item'],
      line: 37,
    },
    { id: 'n11', kind: 'end', label: 'completed', outcome: 'completed', line: 40 },
    { id: 'n12', kind: 'goal', label: 'order.placed', outcome: 'converted', line: 0 },
    { id: 'n13', kind: 'end', label: 'converted', outcome: 'converted', line: 0 },
    { id: 'n14', kind: 'end', label: 'failed', outcome: 'failed', line: 0 },
  ],
  edges: [
    { from: 'n1', to: 'n2' },
    { from: 'n2', to: 'n3', label: '15 minutes' },
    { from: 'n2', to: 'n4', label: '1 hour' },
    { from: 'n2', to: 'n4', label: 'holdout' },
    { from: 'n3', to: 'n5' },
    { from: 'n4', to: 'n5' },
    { from: 'n5', to: 'n6' },
    { from: 'n6', to: 'n11', label: 'received' },
    { from: 'n6', to: 'n7', label: 'timed out' },
    { from: 'n7', to: 'n8', label: 'yes' },
    { from: 'n7', to: 'n11', label: 'no' },
    { from: 'n8', to: 'n9' },
    { from: 'n9', to: 'n10', label: 'next' },
    { from: 'n10', to: 'n9', label: 'again', kind: 'loop' },
    { from: 'n9', to: 'n11', label: 'done' },
    { from: 'n8', to: 'n14', label: 'rejected' },
    { from: 'n1', to: 'n12', label: 'any time', kind: 'goal' },
    { from: 'n12', to: 'n13' },
  ],
};

/** What customers did: steps, an end per outcome, and an edge the code allows that nobody took. */
const pathMap: JourneyMap = {
  journey: 'welcome',
  file: 'workflows/welcome.ts',
  trigger: 'user.signed_up',
  goals: ['order.placed'],
  goalOutcome: 'converted',
  nodes: [
    { id: 'n1', kind: 'start', label: 'user.signed_up', line: 0 },
    { id: 'n2', kind: 'step', label: 'welcome-email', step: 'welcome-email', channels: ['email'], line: 0 },
    { id: 'n3', kind: 'step', label: 'promo-code', step: 'promo-code', channels: ['email'], line: 0 },
    { id: 'n4', kind: 'step', label: 'sales-handoff', step: 'sales-handoff', channels: ['webhook'], line: 0 },
    { id: 'n5', kind: 'end', label: 'converted', outcome: 'converted', line: 0 },
    { id: 'n6', kind: 'end', label: 'completed', outcome: 'completed', line: 0 },
    { id: 'n7', kind: 'end', label: 'exited', outcome: 'exited', line: 0 },
  ],
  edges: [
    { from: 'n1', to: 'n2' },
    { from: 'n2', to: 'n3' },
    { from: 'n2', to: 'n5' },
    { from: 'n3', to: 'n4' },
    { from: 'n3', to: 'n5' },
    { from: 'n4', to: 'n6' },
    { from: 'n2', to: 'n7' },
  ],
};

const pathCounts: MapCounts = {
  nodes: {
    n1: { passed: 12840 },
    n2: { passed: 12840, at: 35 },
    n3: { passed: 9021, at: 4 },
    n4: { passed: 1200 },
    n5: { passed: 3011 },
    n6: { passed: 1180 },
  },
  edges: {
    'n1->n2': 12840,
    'n2->n3': 9021,
    'n2->n5': 2100,
    'n3->n4': 1200,
    'n3->n5': 911,
    'n4->n6': 1180,
    'n2->n7': 0,
  },
};

interface Element {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** The element's source, open tag to matching close tag. */
  readonly source: string;
}

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [, name = '', value = ''] of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[name] = value;
  return attrs;
}

/** Checks that tags balance (the output is well-formed) and returns every element with its source. */
function parse(xml: string): Element[] {
  const stack: { name: string; start: number; attrs: Record<string, string> }[] = [];
  const elements: Element[] = [];
  for (const m of xml.matchAll(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [tag, closing, name = '', attrText = '', selfClosing] = m;
    const index = m.index;
    if (closing) {
      const open = stack.pop();
      expect(open?.name).toBe(name);
      if (open) elements.push({ name, attrs: open.attrs, source: xml.slice(open.start, index + tag.length) });
    } else if (selfClosing) {
      elements.push({ name, attrs: attributes(attrText), source: tag });
    } else {
      stack.push({ name, start: index, attrs: attributes(attrText) });
    }
  }
  expect(stack).toEqual([]);
  // Outside tags, only text with escaped `<`, `&`: a raw one would be a tag the regex did not match.
  const text = xml.replace(/<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g, '');
  expect(text).not.toMatch(/<|&(?!#\d+;|amp;|lt;|gt;|quot;)/);
  return elements;
}

const byClass = (elements: Element[], cls: string) =>
  elements.filter((e) => e.name === 'g' && (e.attrs.class ?? '').split(' ').includes(cls));

const decode = (s: string) =>
  s.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');

describe('renderSvg', () => {
  it('draws one node group per node with its kind, id and step', () => {
    const elements = parse(renderSvg(everyKind));
    const nodes = byClass(elements, 'node');
    expect(nodes.map((n) => n.attrs['data-node-id'])).toEqual(everyKind.nodes.map((n) => n.id));
    for (const node of everyKind.nodes) {
      const g = nodes.find((n) => n.attrs['data-node-id'] === node.id);
      expect(g?.attrs.class).toBe(`node node-${node.kind}`);
      expect(g?.attrs['data-step']).toBe(node.step);
      expect(g?.source).toContain('<title>');
    }
    expect(new Set(everyKind.nodes.map((n) => n.kind)).size).toBe(10);
  });

  it('draws one edge group per edge, parallel edges included, goal and loop edges dashed', () => {
    const elements = parse(renderSvg(everyKind));
    const edges = byClass(elements, 'edge');
    expect(edges.map((e) => [e.attrs['data-from'], e.attrs['data-to']])).toEqual(
      everyKind.edges.map((e) => [e.from, e.to]),
    );
    for (const [i, edge] of everyKind.edges.entries()) {
      const path = edges[i]?.source.match(/<path [^>]*>/)?.[0] ?? '';
      expect(path).toContain('marker-end="url(#');
      if (edge.kind === 'goal' || edge.kind === 'loop') expect(path).toContain('stroke-dasharray');
      else expect(path).not.toContain('stroke-dasharray');
      if (edge.label) expect(decode(edges[i]?.source ?? '')).toContain(`>${edge.label}<`);
    }
  });

  it('escapes labels and shows the step channel line', () => {
    const svg = renderSvg(everyKind);
    parse(svg);
    expect(svg).not.toContain('< 50');
    expect(svg).not.toContain('"gold"');
    const decision = byClass(parse(svg), 'node-decision')[0]?.source ?? '';
    expect(decode(decision)).toContain('cart.total < 50 && tier == "gold"');
    const step = byClass(parse(svg), 'node-step')[0]?.source ?? '';
    expect(decode(step)).toContain('email · cart-reminder');
  });

  it('draws counts only when given', () => {
    const plain = renderSvg(pathMap);
    expect(plain).not.toMatch(/count-passed|count-at|edge-count/);

    const elements = parse(renderSvg(pathMap, pathCounts));
    const node = (id: string) =>
      byClass(elements, 'node').find((n) => n.attrs['data-node-id'] === id)?.source ?? '';
    expect(node('n2')).toMatch(/class="count-passed"[^>]*>12,840</);
    expect(node('n2')).toMatch(/class="count-at"[^>]*>at 35 now</);
    expect(node('n4')).toMatch(/class="count-passed"[^>]*>1,200</);
    expect(node('n4')).not.toContain('count-at');
    expect(node('n7')).not.toContain('count-');

    const edges = byClass(elements, 'edge');
    const edge = (from: string, to: string) =>
      edges.find((e) => e.attrs['data-from'] === from && e.attrs['data-to'] === to)?.source ?? '';
    expect(edge('n1', 'n2')).toMatch(/class="edge-count"[^>]*>12,840</);
    expect(edge('n3', 'n4')).toMatch(/class="edge-count"[^>]*>1,200</);
  });

  it('scales edge width with the count and draws a 0-count edge dashed and light grey', () => {
    const elements = parse(renderSvg(pathMap, pathCounts));
    const edges = byClass(elements, 'edge');
    const stroke = (from: string, to: string) => {
      const g = edges.find((e) => e.attrs['data-from'] === from && e.attrs['data-to'] === to);
      return attributes(g?.source.match(/<path [^>]*>/)?.[0] ?? '');
    };
    const width = (from: string, to: string) => Number(stroke(from, to)['stroke-width']);
    expect(width('n1', 'n2')).toBe(6);
    expect(width('n1', 'n2')).toBeGreaterThan(width('n2', 'n3'));
    expect(width('n2', 'n3')).toBeGreaterThan(width('n3', 'n5'));
    expect(width('n3', 'n5')).toBeGreaterThanOrEqual(1);

    const unused = edges.find((e) => e.attrs['data-to'] === 'n7');
    expect(unused?.attrs.class).toContain('edge-unused');
    expect(stroke('n2', 'n7')['stroke-dasharray']).toBeDefined();
    expect(stroke('n2', 'n7').stroke).toBe('#cbd5e1');
    expect(unused?.source).toMatch(/class="edge-count"[^>]*>0</);
    expect(stroke('n1', 'n2')['stroke-dasharray']).toBeUndefined();
  });

  it.each([
    ['every kind', everyKind, undefined],
    ['path map with counts', pathMap, pathCounts],
  ])('sizes the drawing to hold every node and edge: %s', (_, map, counts) => {
    const svg = renderSvg(map, counts);
    const root = attributes(svg.match(/^<svg [^>]*>/)?.[0] ?? '');
    const width = Number(root.width);
    const height = Number(root.height);
    expect(width).toBeGreaterThan(0);
    expect(height).toBeGreaterThan(0);
    expect(root.viewBox).toBe(`0 0 ${width} ${height}`);
    const inside = (x: number, y: number) => {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(width);
      expect(y).toBeLessThanOrEqual(height);
    };
    for (const node of byClass(parse(svg), 'node')) {
      // Every coordinate a node draws (shape, text, badge) lies inside the view box.
      for (const m of node.source.matchAll(/\b(x|cx|x1|x2)="([-\d.]+)"/g)) inside(Number(m[2]), 0);
      for (const m of node.source.matchAll(/\b(y|cy|y1|y2)="([-\d.]+)"/g)) inside(0, Number(m[2]));
      const rect = node.source.match(/<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"/);
      if (rect) inside(Number(rect[1]) + Number(rect[3]), Number(rect[2]) + Number(rect[4]));
      for (const m of node.source.matchAll(/points="([^"]+)"/g)) {
        for (const p of (m[1] ?? '').split(' ')) {
          const [x, y] = p.split(',').map(Number);
          inside(x ?? -1, y ?? -1);
        }
      }
    }
    for (const edge of byClass(parse(svg), 'edge')) {
      const d = edge.source.match(/ d="([^"]+)"/)?.[1] ?? '';
      const numbers = [...d.matchAll(/-?[\d.]+/g)].map((m) => Number(m[0]));
      for (let i = 0; i + 1 < numbers.length; i += 2) inside(numbers[i] ?? -1, numbers[i + 1] ?? -1);
    }
  });

  it('is deterministic and self-contained', () => {
    expect(renderSvg(everyKind, pathCounts)).toBe(renderSvg(everyKind, pathCounts));
    expect(renderSvg(pathMap, pathCounts)).toBe(renderSvg(pathMap, pathCounts));
    for (const svg of [renderSvg(everyKind), renderSvg(pathMap, pathCounts)]) {
      expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(
        /http|href|@import|url\((?!#)/,
      );
    }
  });

  it('draws an empty map and a node without edges', () => {
    const empty = renderSvg({ ...pathMap, nodes: [], edges: [] });
    expect(parse(empty).filter((e) => e.name === 'svg')).toHaveLength(1);
    const single = parse(renderSvg({ ...pathMap, nodes: pathMap.nodes.slice(0, 1), edges: [] }));
    expect(byClass(single, 'node')).toHaveLength(1);
  });

  it('draws an edge from a node to itself and skips edges to nodes the map does not have', () => {
    const map: JourneyMap = {
      ...pathMap,
      edges: [
        ...pathMap.edges,
        { from: 'n3', to: 'n3', label: 'again', kind: 'loop' },
        { from: 'n3', to: 'n99' },
      ],
    };
    const edges = byClass(parse(renderSvg(map, { edges: { 'n3->n3': 4 } })), 'edge');
    expect(edges).toHaveLength(pathMap.edges.length + 1);
    const self = edges.find((e) => e.attrs['data-from'] === 'n3' && e.attrs['data-to'] === 'n3');
    expect(self?.source).toMatch(/ d="M[-\d.,]+C/);
    expect(self?.source).toMatch(/class="edge-count"[^>]*> · 4</);
  });

  it('wraps long labels and cuts what does not fit', () => {
    expect(wrapText('email.clicked within 1 day', 16, 3)).toEqual(['email.clicked', 'within 1 day']);
    expect(wrapText('tier-up-{next.name}-and-more-words', 12, 3)).toEqual([
      'tier-up-',
      '{next.name}-',
      'and-more-…',
    ]);
    const cut = wrapText('one two three four five six seven', 9, 2);
    expect(cut).toHaveLength(2);
    expect(cut[1]?.endsWith('…')).toBe(true);
    expect(cut.every((l) => [...l].length <= 9)).toBe(true);
  });
});

describe('renderHtml', () => {
  it('is a self-contained page with the map, the journey facts and a legend', () => {
    const html = renderHtml(everyKind, { counts: pathCounts, title: 'Cart <reminders>' });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Cart &#60;reminders&#62; · journey map</title>');
    expect(html).toContain('workflows/abandoned-cart.ts');
    expect(html).toContain('cart.abandoned');
    expect(html).toContain('order.placed');
    expect(html).toContain('class="journey-map"');
    expect(html).not.toMatch(/<script|<link|src=|href=/);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toContain('http');
    for (const kind of ['wait', 'decision', 'split', 'loop', 'goal']) expect(html).toContain(`node-${kind}`);
  });
});

test('control characters, which XML forbids even escaped, are dropped from text', () => {
  expect(escapeXml('tier\u0001-up <gold> & "more"\ttab')).toBe(
    'tier-up &#60;gold&#62; &#38; &#34;more&#34;\ttab',
  );
});
