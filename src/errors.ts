/**
 * Errors thrown by temporal-journeys. Every error is a {@link JourneyError} with a `code`; check it with
 * {@link isJourneyError}, not `instanceof`, because errors cross Temporal's workflow sandbox and duplicate
 * installs of this package. Dependency-free, so the workflow sandbox can import it.
 */

/** What went wrong, as a string that survives serialisation. */
export type JourneyErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'EVENT_INVALID'
  | 'EVENT_UNKNOWN'
  | 'JOURNEY_INVALID'
  | 'JOURNEY_NOT_FOUND'
  | 'PROVIDER_REJECTED'
  | 'PROVIDER_UNAVAILABLE'
  | 'BINARY_NOT_FOUND'
  | 'CONTACT_INVALID'
  | 'INPUT_INVALID'
  | 'EMIT_INCOMPLETE'
  | 'CLIENT_CLOSED'
  | 'JOURNEY_UNAVAILABLE'
  | 'KEY_MISSING'
  | 'PAYLOAD_UNREADABLE'
  | 'ROLLOUT_REFUSED';

/** Base class of every error this package throws on purpose. */
export class JourneyError extends Error {
  override readonly name: string = 'JourneyError';
  /** Marker read by {@link isJourneyError}; survives a second copy of this package. */
  readonly isJourneyError = true;

  constructor(
    readonly code: JourneyErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown by `loadConfig` when `temporal.yaml` is missing a required value or has one it does not know. */
export class ConfigError extends JourneyError {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    /** Where the problem is: the file, the path inside it and its line, when known. */
    readonly location: { file?: string; path?: string; line?: number } = {},
    options?: { cause?: unknown; code?: 'CONFIG_INVALID' | 'CONFIG_NOT_FOUND' },
  ) {
    super(options?.code ?? 'CONFIG_INVALID', message, options);
  }
}

/** One field of an event that failed its schema. */
export interface EventIssue {
  /** Dotted path of the field, e.g. `data.cartId`; empty for the event itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * Thrown by the client (`emit`, `enroll`) and by HTTP ingest when an event is unknown, has no customer id,
 * or its data fails the event's schema. Nothing has been sent when it is thrown.
 */
export class EventValidationError extends JourneyError {
  override readonly name = 'EventValidationError';

  constructor(
    message: string,
    /** The event type, when it was known. */
    readonly eventType: string | undefined,
    /** Each failing field, by path. */
    readonly issues: readonly EventIssue[],
    options?: { cause?: unknown; code?: 'EVENT_INVALID' | 'EVENT_UNKNOWN' },
  ) {
    super(options?.code ?? 'EVENT_INVALID', message, options);
  }
}

/** Thrown by channel activities when a provider answers with an error. `retryable` tells Temporal's retry apart. */
export class ProviderError extends JourneyError {
  override readonly name = 'ProviderError';

  constructor(
    message: string,
    readonly provider: string,
    readonly retryable: boolean,
    /** The provider's own error name or code, e.g. `validation_error` or `21211`. */
    readonly providerCode?: string,
    options?: { cause?: unknown },
  ) {
    super(retryable ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_REJECTED', message, options);
  }
}

/** What is wrong with a journey definition, as {@link JourneyDefinitionError} carries it. */
export interface JourneyDefinitionProblem {
  /** The journey's name, as written (even when the name is what is wrong). */
  readonly journey: string;
  /** The option at fault, as a path: `reentry`, `reentry.after`, `events[1]`, `name`, `workflowType`. */
  readonly option: string;
  /** What was given, in words: `"sometimes"`, `a key function but no trigger`. */
  readonly given: string;
  /** What the option accepts. */
  readonly allowed: string;
}

/**
 * Thrown by `journey()` and `defineJourney()` when a journey is defined, by the client when it is given its
 * journeys, and by `createJourneyWorker` before it starts, when a definition is invalid: an unknown option,
 * a wrong type, a bad duration, a reserved outcome or name, options that contradict each other, or two
 * journeys with one name or workflow type.
 */
export class JourneyDefinitionError extends JourneyError {
  override readonly name = 'JourneyDefinitionError';
  readonly journey: string;
  readonly option: string;
  readonly given: string;
  readonly allowed: string;

  constructor(problem: JourneyDefinitionProblem, options?: { cause?: unknown }) {
    super(
      'JOURNEY_INVALID',
      `Journey "${problem.journey}", option ${problem.option}: given ${problem.given}; allowed: ${problem.allowed}.`,
      options,
    );
    this.journey = problem.journey;
    this.option = problem.option;
    this.given = problem.given;
    this.allowed = problem.allowed;
  }
}

/** What one route of an event did: the journey, the run it aimed at, and what happened there. */
export interface EmitRouteResult {
  readonly journey: string;
  readonly workflowId: string;
  readonly status: 'delivered' | 'not-running' | 'not-entered';
}

/** A route Temporal refused after validation passed (a server error, a limit the client could not check). */
export interface EmitRouteFailure {
  readonly journey: string;
  readonly workflowId: string | undefined;
  readonly error: unknown;
}

/**
 * Thrown by `emit` when Temporal refused some of an event's routes after others were applied. `applied`
 * says what reached which journey; `failed` what did not and why. Emit the same event again (same `id`) to
 * complete it: the journeys that have it already ignore it, so nothing is applied twice.
 */
export class EmitIncompleteError extends JourneyError {
  override readonly name = 'EmitIncompleteError';

  constructor(
    readonly eventId: string,
    readonly eventType: string,
    readonly applied: readonly EmitRouteResult[],
    readonly failed: readonly EmitRouteFailure[],
  ) {
    const why = failed
      .map((f) => `${f.journey} (${f.error instanceof Error ? f.error.message : String(f.error)})`)
      .join('; ');
    super(
      'EMIT_INCOMPLETE',
      `Event ${eventId} (${eventType}) was applied at ${applied.map((a) => a.journey).join(', ') || 'no journey'} but failed at ${why}; emit it again with the same id to complete it (nothing is applied twice).`,
      { cause: failed[0]?.error },
    );
  }
}

/** Thrown by the client when a journey asked about (`state`, `exit`) is not running for that customer. */
export class JourneyNotFoundError extends JourneyError {
  override readonly name = 'JourneyNotFoundError';

  constructor(
    readonly workflowId: string,
    options?: { cause?: unknown },
  ) {
    super('JOURNEY_NOT_FOUND', `No journey with workflow id "${workflowId}" is known to Temporal.`, options);
  }
}

/**
 * True when `err` is a {@link JourneyError}, optionally of the given code. Works across copies of the
 * package and the workflow sandbox, where `instanceof` does not.
 */
export function isJourneyError(err: unknown, code?: JourneyErrorCode): err is JourneyError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { isJourneyError?: unknown; code?: unknown };
  return e.isJourneyError === true && (code === undefined || e.code === code);
}
