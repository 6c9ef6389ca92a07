/**
 * Journey maps read from code: the journeys of a directory found and compiled ({@link openSource}), each
 * drawn as a graph by reading its body ({@link readJourney}).
 */
import { JourneyError } from '../errors';
import { readJourney } from './extract-journey';
import { type MapSourceOptions, openSource } from './extract-sources';
import type { JourneyMap } from './types';

/**
 * Every journey declared in a directory (each `journey('<literal name>', options, body)` call), drawn as a
 * graph from its source with the TypeScript compiler: steps, sends, sleeps, waits, branches, splits, loops,
 * outcomes and goal exits. Reads `.ts` files, or `.js` ones (compiled journeys) when there are none.
 *
 * @example
 * ```ts
 * for (const map of mapJourneys({ dir: 'workflows' })) console.log(toMermaid(map));
 * ```
 */
export function mapJourneys(options: MapSourceOptions = {}): JourneyMap[] {
  const source = openSource(options);
  return source.journeys.map((found) => readJourney(source.checker, found));
}

/**
 * One journey's map, by name. Throws a `JOURNEY_NOT_FOUND` {@link JourneyError} listing the journeys it
 * found when there is none of that name.
 *
 * @example
 * ```ts
 * const map = mapJourney('abandoned-cart');
 * map.nodes.filter((n) => n.kind === 'step').map((n) => n.step); // ['reminder-email', 'reminder-sms']
 * ```
 */
export function mapJourney(name: string, options: MapSourceOptions = {}): JourneyMap {
  const source = openSource(options);
  const found = source.journeys.find((j) => j.name === name);
  if (!found) {
    const known = source.journeys.map((j) => j.name).join(', ') || 'none';
    throw new JourneyError(
      'JOURNEY_NOT_FOUND',
      `No journey "${name}" in ${source.dir}; it has ${known}. Pass --workflows PATH for your own.`,
    );
  }
  return readJourney(source.checker, found);
}
