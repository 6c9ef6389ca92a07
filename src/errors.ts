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
  | 'INPUT_INVALID';

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
