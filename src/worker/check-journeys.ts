import { JourneyError } from '../errors';
import type { JourneyDefinition } from '../journey';

/** Each journey must be exported under its workflow type, or the client would start a type nobody runs. */
export function checkJourneyExports(exports: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(exports)) {
    const definition = (value as { definition?: JourneyDefinition } | undefined)?.definition;
    if (typeof value !== 'function' || definition?.kind !== 'journeys.journey-definition') continue;
    if (definition.workflowType !== name) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${definition.name}" is exported as "${name}"; export it as "${definition.workflowType}" (its workflow type).`,
      );
    }
  }
}
