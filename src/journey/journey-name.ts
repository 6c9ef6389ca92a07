import { JourneyDefinitionError } from '../errors';
import { describeValue } from './describe-value';

/** Kebab-case: lower-case words of letters and digits joined by single dashes, starting with a letter. */
export const JOURNEY_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Outcomes are kebab-case words, like journey names: they are search attribute values and report rows. */
export const OUTCOME = JOURNEY_NAME;

/**
 * The longest journey name. Workflow ids are `journey/<name>/<customer>/<key>` and Temporal refuses ids
 * over 1,000 bytes: 64 leaves more than 900 bytes to the customer id and the key.
 */
export const MAX_JOURNEY_NAME_LENGTH = 64;

/**
 * Workflow types of the SDK's own workflows, registered in every bundle next to the journeys: a journey
 * running under one of them would replace it (the contact entity, the campaign sweep, the journey inbox).
 */
export const RESERVED_WORKFLOW_TYPES: readonly string[] = ['contact', 'campaignSweep', 'journeyInbox'];

/** `abandoned-cart` → `abandonedCart`. */
export function workflowTypeOf(journeyName: string): string {
  return journeyName.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Throws {@link JourneyDefinitionError} (option `name`) unless `name` can name a journey. */
export function checkJourneyName(name: unknown): asserts name is string {
  // How the message names the journey: its name, cut when absurdly long, or what stood in for one.
  const journey =
    typeof name !== 'string' ? describeValue(name) : name.length > 200 ? `${name.slice(0, 64)}…` : name;
  const fail = (given: string, allowed: string): never => {
    throw new JourneyDefinitionError({ journey, option: 'name', given, allowed });
  };
  const kebab = `a kebab-case name of at most ${MAX_JOURNEY_NAME_LENGTH} characters, e.g. "abandoned-cart"`;
  if (typeof name !== 'string') return fail(describeValue(name), kebab);
  // The length first: the pattern need not read a megabyte to refuse it.
  if (name.length > MAX_JOURNEY_NAME_LENGTH) fail(`a name of ${name.length} characters`, kebab);
  if (!JOURNEY_NAME.test(name)) fail(describeValue(name), kebab);
  const workflowType = workflowTypeOf(name);
  if (RESERVED_WORKFLOW_TYPES.includes(workflowType)) {
    fail(
      `"${name}", whose workflow type ${workflowType} is one of the SDK's own workflows`,
      `any other name; the workflow types ${RESERVED_WORKFLOW_TYPES.join(', ')} are the SDK's`,
    );
  }
}
