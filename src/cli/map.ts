import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isJourneyError } from '../errors';
import {
  journeySourceDir,
  mapJourney,
  mapJourneys,
  renderHtml,
  renderSvg,
  toMermaid,
  type JourneyMap,
} from '../map';
import { parseFlags } from './args';
import { appWorkflowsPath } from './journeys-module';

const USAGE = [
  'journeys map <journey> [--format mermaid|svg|html] [--out FILE] [--workflows PATH]',
  'journeys map --all [--format mermaid|svg|html] [--out FILE|DIR] [--workflows PATH]',
].join('\n       ');

const FORMATS = { mermaid: 'mmd', svg: 'svg', html: 'html' } as const;
type Format = keyof typeof FORMATS;

function render(map: JourneyMap, format: Format): string {
  switch (format) {
    case 'mermaid':
      return toMermaid(map);
    case 'svg':
      return renderSvg(map);
    case 'html':
      return renderHtml(map, { title: `${map.journey}: journey map` });
  }
}

function usage(message: string): number {
  console.error(`${message}\nUsage: ${USAGE}`);
  return 2;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`Wrote ${path.relative(process.cwd(), file) || file}`);
}

/**
 * `journeys map <journey> [--format mermaid|svg|html] [--out FILE] [--workflows PATH]`: the journey's map
 * read from its source (the directory of `--workflows`, else the package's `workflows/`), as Mermaid on
 * stdout by default. `--all` draws every journey: Mermaid one after the other, or one file per journey
 * into `--out DIR`. Exits 2 on a usage error or an unknown journey, naming the journeys it found.
 */
export function map(argv: string[]): number {
  let parsed;
  try {
    parsed = parseFlags(argv, {
      format: { type: 'string', default: 'mermaid' },
      out: { type: 'string' },
      workflows: { type: 'string' },
      all: { type: 'boolean', default: false },
    });
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'mermaid';
  if (!Object.hasOwn(FORMATS, format))
    return usage(`Unknown format "${format}": use ${Object.keys(FORMATS).join(', ')}.`);
  const as = format as Format;
  const dir = journeySourceDir(appWorkflowsPath(values.workflows));
  try {
    if (values.all) {
      if (positionals.length > 0) return usage('Give a journey name or --all, not both.');
      return all(mapJourneys({ dir }), as, values.out);
    }
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) return usage('Give one journey name (or --all).');
    const text = render(mapJourney(name, { dir }), as);
    if (values.out) write(path.resolve(values.out), text);
    else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  } catch (err) {
    if (isJourneyError(err, 'JOURNEY_NOT_FOUND')) {
      console.error(`${err.name} [${err.code}]: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

function all(maps: readonly JourneyMap[], format: Format, out: string | undefined): number {
  if (maps.length === 0) return usage('No journey found: pass --workflows PATH for your own.');
  if (format !== 'mermaid' && out === undefined)
    return usage(`--all --format ${format} writes one file per journey: give --out DIR.`);
  // Mermaid goes into one file unless --out names a directory; SVG and HTML always one file per journey.
  const toDir =
    out !== undefined &&
    (format !== 'mermaid' || /[\\/]$/.test(out) || (existsSync(out) && statSync(out).isDirectory()));
  if (toDir) {
    for (const m of maps) write(path.resolve(out, `${m.journey}.${FORMATS[format]}`), render(m, format));
    return 0;
  }
  const text = maps.map((m) => `%% ${m.journey} (${m.file})\n${toMermaid(m)}`).join('\n');
  if (out) write(path.resolve(out), text);
  else process.stdout.write(text);
  return 0;
}
