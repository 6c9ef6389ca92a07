import { renderSvg } from './svg';
import { renderSwatch } from './svg-shapes';
import { escapeXml } from './svg-text';
import type { JourneyMap, MapCounts, MapNodeKind } from './types';

/** Options for {@link renderHtml}. */
export interface MapHtmlOptions {
  /** Live numbers to draw on the map (see {@link renderSvg}). */
  readonly counts?: MapCounts;
  /** The page's title and heading; the journey's name when not given. */
  readonly title?: string;
}

const KIND_ORDER = [
  'start',
  'step',
  'send',
  'sleep',
  'wait',
  'decision',
  'split',
  'loop',
  'end',
  'goal',
] as const satisfies readonly MapNodeKind[];

const KIND_NAMES = {
  start: 'start (trigger or enrolment)',
  step: 'step, with its channel and template',
  send: 'send outside a step',
  sleep: 'sleep',
  wait: 'wait for an event',
  decision: 'decision',
  split: 'A/B split',
  loop: 'loop',
  end: 'end',
  goal: 'goal event (ends the journey any time)',
} as const satisfies Record<MapNodeKind, string>;

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px 40px; background: #f8fafc; color: #1e293b;
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; }
header { margin-bottom: 16px; }
h1 { margin: 0 0 6px; font-size: 20px; font-weight: 650; letter-spacing: -0.01em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; color: #475569; }
dt { color: #64748b; }
dd { margin: 0; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef2f7;
  padding: 1px 5px; border-radius: 4px; color: #334155; }
.layout { display: flex; gap: 20px; align-items: flex-start; flex-wrap: wrap; }
.map { background: #ffffff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 8px; overflow: auto;
  max-width: 100%; }
.map svg { display: block; }
aside { min-width: 220px; max-width: 300px; font-size: 13px; color: #475569; }
aside h2 { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em;
  color: #64748b; margin: 4px 0 8px; }
aside ul { list-style: none; margin: 0 0 18px; padding: 0; }
aside li { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
aside li svg { flex: none; }
aside p { margin: 0 0 8px; }
.passed { font-weight: 700; color: #1e293b; }
.at { font-size: 12px; color: #047857; }
`;

function edgeSwatch(color: string, dash?: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="36" height="20" viewBox="0 0 36 20" aria-hidden="true">` +
    `<line x1="3" y1="10" x2="26" y2="10" stroke="${color}" stroke-width="1.5"` +
    (dash ? ` stroke-dasharray="${dash}"` : '') +
    `/><path d="M26,6L33,10L26,14z" fill="${color}"/></svg>`
  );
}

function legend(map: JourneyMap, counts: MapCounts | undefined): string {
  const items: string[] = [];
  for (const kind of KIND_ORDER) {
    const nodes = map.nodes.filter((n) => n.kind === kind);
    if (nodes.length === 0) continue;
    if (kind !== 'end') {
      items.push(`<li>${renderSwatch(kind)}<span>${escapeXml(KIND_NAMES[kind])}</span></li>`);
      continue;
    }
    const outcomes = [...new Set(nodes.map((n) => n.outcome ?? n.label))];
    const variant = (o: string) =>
      o === map.goalOutcome ? 'goal' : o === 'failed' ? 'failed' : o === 'exited' ? 'exited' : 'other';
    for (const v of ['goal', 'other', 'failed', 'exited'] as const) {
      const names = outcomes.filter((o) => variant(o) === v);
      if (names.length === 0) continue;
      items.push(
        `<li>${renderSwatch('end', v)}<span>end: ${escapeXml(names.join(', '))}${v === 'goal' ? ' (goal)' : ''}</span></li>`,
      );
    }
  }
  const edges: string[] = [`<li>${edgeSwatch('#64748b')}<span>flow</span></li>`];
  if (map.edges.some((e) => e.kind === 'goal'))
    edges.push(`<li>${edgeSwatch('#16a34a', '6 4')}<span>goal, any time</span></li>`);
  if (map.edges.some((e) => e.kind === 'loop'))
    edges.push(`<li>${edgeSwatch('#64748b', '6 4')}<span>back to a loop</span></li>`);
  if (Object.values(counts?.edges ?? {}).some((c) => c === 0))
    edges.push(`<li>${edgeSwatch('#cbd5e1', '4 4')}<span>a path nobody took</span></li>`);
  const numbers = counts
    ? `<h2>Numbers</h2><p><span class="passed">1,204</span> runs that passed a node or ended there; ` +
      `<span class="at">at 12 now</span> running runs at it now. Edges: runs that took them, the line ` +
      `thicker the more.</p>`
    : '';
  return `<h2>Nodes</h2><ul>${items.join('')}</ul><h2>Edges</h2><ul>${edges.join('')}</ul>${numbers}`;
}

/**
 * A journey map as a self-contained HTML page: the journey's name, trigger, goals and source file, the
 * map drawn by {@link renderSvg} (with `counts` when given), and a legend of the node kinds and edge
 * styles it uses. Inline CSS only, no scripts and no network, so the file opens anywhere.
 *
 * @example
 * ```ts
 * await writeFile('abandoned-cart.html', renderHtml(map, { counts }));
 * ```
 */
export function renderHtml(map: JourneyMap, options: MapHtmlOptions = {}): string {
  const title = options.title ?? map.journey;
  const goals = map.goals.length
    ? `${map.goals.map((g) => `<code>${escapeXml(g)}</code>`).join(', ')} → ${escapeXml(map.goalOutcome)}`
    : 'none';
  const trigger = map.trigger
    ? `<code>${escapeXml(map.trigger)}</code>`
    : 'none (proactive: customers are enrolled)';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)} · journey map</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeXml(title)}</h1>
<dl>
<dt>Journey</dt><dd><code>${escapeXml(map.journey)}</code></dd>
<dt>Trigger</dt><dd>${trigger}</dd>
<dt>Goals</dt><dd>${goals}</dd>
<dt>Source</dt><dd><code>${escapeXml(map.file)}</code></dd>
</dl>
</header>
<div class="layout">
<div class="map">${renderSvg(map, options.counts)}</div>
<aside>${legend(map, options.counts)}</aside>
</div>
</body>
</html>
`;
}
