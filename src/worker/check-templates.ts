import { JourneyError } from '../errors';
import { journeySourceDir, mapJourneys } from '../map';

/**
 * Refuses to start a worker whose journeys send an email template it does not have: read from the journeys'
 * code (the map reader knows each step's templates, when named with a literal), so a misspelt or
 * unregistered template is a start-up error naming the journey, instead of `failed: unknown_template` on
 * the first customer. A module whose sources cannot be read is not checked (the send still fails clearly).
 */
export function checkJourneyTemplates(workflowsPath: string, templates: readonly string[]): void {
  let maps;
  try {
    maps = mapJourneys({ dir: journeySourceDir(workflowsPath) });
  } catch {
    return;
  }
  const known = new Set(templates);
  const missing = maps.flatMap((map) =>
    [...new Set(map.nodes.flatMap((node) => node.templates ?? []))]
      .filter((name) => !known.has(name))
      .map((name) => `journey "${map.journey}" (${map.file}) sends template "${name}"`),
  );
  if (missing.length === 0) return;
  throw new JourneyError(
    'JOURNEY_INVALID',
    `The worker has no email template for what its journeys send:\n- ${missing.join('\n- ')}\n` +
      `Pass it to createJourneyWorker({ templates }) (defineTemplate); the worker has ${[...known].sort().join(', ')}.`,
  );
}
