import { JourneyDefinitionError } from '../errors';
import { defineJourney, type JourneyDefinition, type JourneyOptions } from './define-journey';
import { describeValue } from './describe-value';

/** How {@link checkJourneyList} names the entries of the list in its messages. */
export interface CheckJourneyListOptions {
  /** One label per definition, e.g. the name a module exports it under; defaults to `journeys[<i>]`. */
  readonly labels?: readonly string[];
}

/**
 * Checks a list of journeys as the client and the worker are given it: each definition again (one built by
 * hand, or changed after `defineJourney`, is refused like a bad option), then that no two journeys share a
 * name or a workflow type. Two of one name would each receive every event routed to that name, so a
 * customer would be reminded twice; the same journey listed twice is refused for the same reason.
 *
 * @throws {@link JourneyDefinitionError} (`JOURNEY_INVALID`) naming the journey and both entries.
 * @example
 * ```ts
 * checkJourneyList([welcome.definition, abandonedCart.definition]);
 * ```
 */
export function checkJourneyList(
  definitions: readonly JourneyDefinition[],
  options: CheckJourneyListOptions = {},
): void {
  const label = (i: number) => options.labels?.[i] ?? `journeys[${i}]`;
  const byName = new Map<string, number>();
  const byType = new Map<string, number>();
  definitions.forEach((definition, i) => {
    checkJourneyDefinition(definition, label(i));
    const sameName = byName.get(definition.name);
    if (sameName !== undefined) {
      throw new JourneyDefinitionError({
        journey: definition.name,
        option: 'name',
        given: `"${definition.name}" twice, as ${label(sameName)} and ${label(i)}`,
        allowed: 'one journey per name: each would receive every event routed to it',
      });
    }
    const sameType = byType.get(definition.workflowType);
    if (sameType !== undefined) {
      throw new JourneyDefinitionError({
        journey: definition.name,
        option: 'workflowType',
        given: `workflow type ${definition.workflowType} for both "${definitions[sameType]?.name}" (${label(sameType)}) and "${definition.name}" (${label(i)})`,
        allowed: 'one journey per workflow type (the name in camelCase): rename one of them',
      });
    }
    byName.set(definition.name, i);
    byType.set(definition.workflowType, i);
  });
}

/**
 * Checks a definition as `defineJourney` made it: a value that is not one, or one whose fields no longer
 * agree with what `defineJourney` would make of them, throws {@link JourneyDefinitionError}.
 */
export function checkJourneyDefinition(
  definition: unknown,
  where = 'definition',
): asserts definition is JourneyDefinition {
  const d = definition as Partial<JourneyDefinition> | null | undefined;
  if (typeof d !== 'object' || d === null || d.kind !== 'journeys.journey-definition') {
    throw new JourneyDefinitionError({
      journey: typeof d?.name === 'string' ? d.name : '(unnamed)',
      option: where,
      given: describeValue(definition),
      allowed: 'a journey made by journey(), or its definition made by defineJourney()',
    });
  }
  const again = defineJourney(d.name as string, optionsOf(d as JourneyDefinition));
  for (const field of ['workflowType', 'keyed'] as const) {
    if (d[field] !== again[field]) {
      throw new JourneyDefinitionError({
        journey: again.name,
        option: field,
        given: describeValue(d[field]),
        allowed: `${describeValue(again[field])}, as defineJourney() derives it from the name and options`,
      });
    }
  }
}

/** The options a definition was made from (as near as its fields tell), to check them again. */
function optionsOf(d: JourneyDefinition): JourneyOptions {
  const options: Record<string, unknown> = {
    trigger: d.trigger,
    key: d.key,
    // `keyed` is derived from `key` when there is one; only a keyed journey without a key said it.
    keyed: d.keyed === true && d.key === undefined ? true : undefined,
    goal: d.goals,
    // The default outcome is set on every definition, with a goal or without.
    goalOutcome: d.goalOutcome === 'converted' ? undefined : d.goalOutcome,
    events: d.events,
    route: d.route,
    reentry: d.reentry,
    description: d.description,
  };
  return options as JourneyOptions;
}
