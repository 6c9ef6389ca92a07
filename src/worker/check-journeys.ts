import { JourneyDefinitionError } from '../errors';
import { checkJourneyList, type JourneyDefinition } from '../journey';

/**
 * Checks a journeys module's exports before a worker runs them: every journey's definition again, no two
 * journeys of one name or workflow type (each would receive every event routed to it), and each journey
 * exported under its workflow type (or the client would start a type nobody runs).
 *
 * @throws {@link JourneyDefinitionError} naming the journey, the export and what is allowed.
 */
export function checkJourneyExports(exports: Readonly<Record<string, unknown>>): void {
  // A journey is an exported function carrying a definition; the SDK's own workflows carry none.
  const journeys = Object.entries(exports).filter(
    (entry): entry is [string, { definition: JourneyDefinition }] =>
      typeof entry[1] === 'function' && (entry[1] as { definition?: unknown }).definition !== undefined,
  );
  checkJourneyList(
    journeys.map(([, journey]) => journey.definition),
    { labels: journeys.map(([name]) => `export ${name}`) },
  );
  for (const [name, { definition }] of journeys) {
    if (definition.workflowType !== name) {
      throw new JourneyDefinitionError({
        journey: definition.name,
        option: 'workflowType',
        given: `the journey exported as ${name}`,
        allowed: `export it as ${definition.workflowType} (its workflow type, the name in camelCase)`,
      });
    }
  }
}
