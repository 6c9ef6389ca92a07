/**
 * A node drawn at its place: its shape, its text lines with the divider above the channel line, its count
 * badge, and a `<title>` tooltip with everything the map knows of it.
 */
import { renderBadge } from './svg-badge';
import type { NodeBox } from './svg-node-box';
import { type Point, renderDecoration, renderShape } from './svg-shapes';
import { escapeXml, FONT, formatCount, num } from './svg-text';

function nodeTitle(box: NodeBox): string {
  const { node, count } = box;
  const rows = [`${node.kind}: ${node.label}`];
  if (node.step !== undefined && node.step !== node.label) rows.push(`step: ${node.step}`);
  if (node.channels?.length) rows.push(`channels: ${node.channels.join(', ')}`);
  if (node.templates?.length) rows.push(`templates: ${node.templates.join(', ')}`);
  if (node.outcome !== undefined) rows.push(`outcome: ${node.outcome}`);
  if (node.line > 0) rows.push(`line ${node.line}`);
  if (count?.passed !== undefined) rows.push(`${formatCount(count.passed)} passed`);
  if ((count?.at ?? 0) > 0) rows.push(`${formatCount(count?.at ?? 0)} there now`);
  return rows.join('\n');
}

/** A node as a `<g class="node node-<kind>">` centred on `c`, with its data attributes. */
export function renderNode(box: NodeBox, c: Point): string {
  const { node } = box;
  const attrs =
    `class="node node-${node.kind}" data-node-id="${escapeXml(node.id)}"` +
    (node.step !== undefined ? ` data-step="${escapeXml(node.step)}"` : '') +
    (node.outcome !== undefined ? ` data-outcome="${escapeXml(node.outcome)}"` : '');
  const cx = c.x + box.insetLeft / 2;
  let y = c.y - box.contentHeight / 2;
  let body = '';
  box.lines.forEach((line, i) => {
    if (i === box.dividerBefore) {
      const half = Math.min(box.contentWidth / 2 + 4, box.width / 2 - 8);
      y += 3;
      body += `<line x1="${num(cx - half)}" y1="${num(y)}" x2="${num(cx + half)}" y2="${num(y)}" stroke="${box.palette.stroke}" stroke-width="1" stroke-opacity="0.6"/>`;
      y += 4;
    }
    const baseline = y + line.font.line / 2 + line.font.size * 0.35;
    body +=
      `<text x="${num(cx)}" y="${num(baseline)}" text-anchor="middle" fill="${line.fill}"` +
      (line.font === FONT ? '' : ` font-size="${line.font.size}"`) +
      (line.bold ? ' font-weight="600"' : '') +
      `>${escapeXml(line.text)}</text>`;
    y += line.font.line;
  });
  if (box.count !== undefined) body += renderBadge(box, cx, y + 6);
  return (
    `<g ${attrs}><title>${escapeXml(nodeTitle(box))}</title>` +
    `${renderShape(box, c)}${renderDecoration(box, c)}${body}</g>`
  );
}
