import { z } from 'zod';
import { JourneyDefinitionError } from '../errors';
import type { AnyEventDefinition } from '../events';
import { describeValue } from './describe-value';
import { toMs, type Duration } from './duration';
import { MAX_JOURNEY_NAME_LENGTH, OUTCOME } from './journey-name';

/**
 * Outcomes a goal may not end a journey with. `exited` (asked to leave) and `failed` are set by the runtime;
 * `completed` is what a body returning nothing gets, so a goal ending as `completed` would count the
 * customers who converted as the ones who ran out of journey (reports count conversions by outcome).
 * `converted` is the goal's own default, so writing it out is allowed.
 */
export const RESERVED_GOAL_OUTCOMES: readonly string[] = ['completed', 'exited', 'failed'];

/** The longest re-entry delay: longer is a typo (`'90000 days'`), and would hold a closed run for ages. */
const MAX_REENTRY_MS = 3650 * 86_400_000;

const EVENT = 'an event made by defineEvent(name, schema)';
const ALLOWED = {
  options: 'an object of journey options',
  trigger: EVENT,
  key: 'a function of the trigger event returning its key, e.g. (e) => e.data.cartId',
  keyed: 'true or false',
  goal: `${EVENT}, or a list of them`,
  goalOutcome: `a kebab-case word of at most ${MAX_JOURNEY_NAME_LENGTH} characters, e.g. "reactivated", other than ${RESERVED_GOAL_OUTCOMES.join(', ')} (the runtime's own outcomes)`,
  events: `a list of events, each ${EVENT}`,
  route: 'a function of a goal or listened event returning the key of its run, or undefined',
  reentry: '"never", "always" or { after: a duration }',
  reentryAfter: 'a duration > 0 of at most 10 years, e.g. "7 days", "12 hours" or a number of milliseconds',
  description: 'a string',
  versioning: '"auto-upgrade" or "pinned"',
} as const;

function isEventDefinition(value: unknown): value is AnyEventDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as { kind?: unknown; name?: unknown; schema?: { safeParse?: unknown } };
  return (
    e.kind === 'journeys.event-definition' &&
    typeof e.name === 'string' &&
    e.name !== '' &&
    typeof e.schema?.safeParse === 'function'
  );
}

function isReentryDelay(value: unknown): boolean {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  try {
    const ms = toMs(value as Duration);
    return ms > 0 && ms <= MAX_REENTRY_MS;
  } catch {
    return false;
  }
}

const isFunction = (value: unknown): boolean => typeof value === 'function';
const event = z.custom<AnyEventDefinition>(isEventDefinition, { error: ALLOWED.trigger });

/**
 * One schema per journey option. The types of the options are {@link JourneyOptions}' (they infer event
 * types zod cannot); these check the values at run time, for callers the compiler does not see.
 */
export const journeyOptionSchemas = {
  trigger: event.optional(),
  key: z.custom<(event: never) => string>(isFunction, { error: ALLOWED.key }).optional(),
  keyed: z.boolean({ error: ALLOWED.keyed }).optional(),
  goal: z.union([event, z.array(event)], { error: ALLOWED.goal }).optional(),
  goalOutcome: z
    .custom<string>(
      (v) =>
        typeof v === 'string' &&
        v.length <= MAX_JOURNEY_NAME_LENGTH &&
        OUTCOME.test(v) &&
        !RESERVED_GOAL_OUTCOMES.includes(v),
      { error: ALLOWED.goalOutcome },
    )
    .optional(),
  events: z.array(event, { error: ALLOWED.events }).optional(),
  route: z.custom<(event: never) => string | undefined>(isFunction, { error: ALLOWED.route }).optional(),
  reentry: z
    .union(
      [
        z.literal('never'),
        z.literal('always'),
        z.strictObject({ after: z.custom<Duration>(isReentryDelay, { error: ALLOWED.reentryAfter }) }),
      ],
      { error: ALLOWED.reentry },
    )
    .optional(),
  description: z.string({ error: ALLOWED.description }).optional(),
  versioning: z.enum(['auto-upgrade', 'pinned'], { error: ALLOWED.versioning }).optional(),
};

/** The options as checked: every value has its type, no option is unknown. */
export type CheckedJourneyOptions = z.output<typeof journeyOptionsSchema>;

const journeyOptionsSchema = z.strictObject(journeyOptionSchemas, { error: ALLOWED.options });

/** The keys a strict object of the options accepts, by path: for the message on an unknown one. */
const KNOWN_KEYS: Readonly<Record<string, string>> = {
  '': `one of the options ${Object.keys(journeyOptionSchemas).join(', ')}`,
  reentry: 'reentry: { after } and nothing else',
};

type Issue = z.core.$ZodIssue;

/**
 * Checks a journey's options completely: types, durations, outcomes, and options that contradict each
 * other. Throws {@link JourneyDefinitionError} naming the first problem (an unknown option first: a typo is
 * the likeliest cause of the rest).
 */
export function checkJourneyOptions(journey: string, options: unknown): CheckedJourneyOptions {
  const result = journeyOptionsSchema.safeParse(options);
  if (!result.success) {
    const issues = result.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
    if (issue) throw new JourneyDefinitionError(problemOf(journey, options, issue, []));
  }
  const checked = result.data as CheckedJourneyOptions;
  checkCombination(journey, checked);
  return checked;
}

/** The problem an issue describes, with a union's issue resolved to the branch the value was meant for. */
function problemOf(journey: string, options: unknown, issue: Issue, prefix: PropertyKey[]) {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    // A branch that got past the value's type (an object with a bad field, a list with a bad item) is
    // the one the value was meant for: report its issue, e.g. `reentry.after` rather than `reentry`.
    const meant = issue.errors
      .map((branch) => branch[0])
      .find((i) => i !== undefined && (i.path.length > 0 || i.code === 'unrecognized_keys'));
    if (meant) return problemOf(journey, options, meant, path);
  }
  if (issue.code === 'unrecognized_keys') {
    const option = [...path, issue.keys[0] ?? ''];
    return {
      journey,
      option: formatPath(option),
      given: `an unknown option (${describeValue(valueAt(options, option))})`,
      allowed: KNOWN_KEYS[formatPath(path, '')] ?? 'no other option',
    };
  }
  return {
    journey,
    option: formatPath(path),
    given: describeValue(valueAt(options, path)),
    allowed: issue.message,
  };
}

/** `['goal', 1]` → `goal[1]`, `['reentry', 'after']` → `reentry.after`, `[]` → `options`. */
function formatPath(path: readonly PropertyKey[], root = 'options'): string {
  if (path.length === 0) return root;
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const p of path)
    at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[p] : undefined;
  return at;
}

/** Options each valid alone that contradict each other. */
function checkCombination(journey: string, o: CheckedJourneyOptions): void {
  const fail = (option: string, given: string, allowed: string): never => {
    throw new JourneyDefinitionError({ journey, option, given, allowed });
  };
  if (o.key && !o.trigger) {
    fail(
      'key',
      'a key function but no trigger',
      'key only with a trigger, which it reads the key from; a proactive journey keyed at enrolment has keyed: true',
    );
  }
  if (o.keyed !== undefined && o.trigger) {
    fail(
      'keyed',
      `keyed: ${String(o.keyed)} on a journey with trigger "${o.trigger.name}"`,
      'keyed only on a proactive journey (no trigger); a reactive journey is keyed by a key function of its trigger',
    );
  }
  const goals = o.goal === undefined ? [] : Array.isArray(o.goal) ? o.goal : [o.goal];
  const events = o.events ?? [];
  if (o.route && o.key === undefined && o.keyed !== true) {
    fail(
      'route',
      'a route function on a journey that is not keyed',
      'route only on a keyed journey (key or keyed: true); one that is not keyed has one run per customer, which every event reaches',
    );
  }
  if (o.route && goals.length + events.length === 0) {
    fail('route', 'a route function but no goal or events to route', 'route only with a goal or events');
  }
  if (o.goalOutcome !== undefined && goals.length === 0) {
    fail(
      'goalOutcome',
      `"${o.goalOutcome}" but no goal`,
      'goalOutcome only with a goal, whose arrival ends the journey with it',
    );
  }
  const named: [string, AnyEventDefinition | undefined][] = [
    ['trigger', o.trigger],
    ...goals.map((g, i): [string, AnyEventDefinition] => [Array.isArray(o.goal) ? `goal[${i}]` : 'goal', g]),
    ...events.map((e, i): [string, AnyEventDefinition] => [`events[${i}]`, e]),
  ];
  const seen = new Map<string, string>();
  for (const [option, e] of named) {
    if (!e) continue;
    const first = seen.get(e.name);
    if (first !== undefined) {
      fail(
        option,
        `event "${e.name}" again, already ${first === 'trigger' ? 'the trigger' : `in ${first}`}`,
        'each event once among trigger, goal and events: the trigger starts the journey, a goal ends it, events are waited for',
      );
    }
    seen.set(e.name, option);
  }
}
