import { ApplicationFailure } from '@temporalio/activity';

/**
 * Turns a provider's answer into Temporal's retry semantics. 429, 5xx, 408 and network errors (no status)
 * are retryable: Temporal retries them with the channel's backoff, or after `Retry-After` when the provider
 * sent one. Any other 4xx is a permanent rejection: non-retryable, its type the provider's error name or
 * code, so the journey gets `{ status: 'failed', reason }`.
 */
export function providerFailure(
  provider: string,
  status: number | null | undefined,
  code: string,
  message: string,
  retryAfter?: string | null,
): ApplicationFailure {
  const retryable =
    status === null || status === undefined || status === 408 || status === 429 || status >= 500;
  const text = `${provider} ${status ?? 'network error'} ${code}: ${message}`;
  if (!retryable) return ApplicationFailure.nonRetryable(text, code, { provider, status });
  const seconds = retryAfter ? retryAfterSeconds(retryAfter) : undefined;
  return ApplicationFailure.create({
    message: text,
    type: code,
    nonRetryable: false,
    details: [{ provider, status }],
    nextRetryDelay: seconds !== undefined ? `${seconds}s` : undefined,
  });
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date. */
function retryAfterSeconds(value: string): number | undefined {
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * Thrown by a channel of your own when the provider refused the message for good (a bad address, a
 * blocked recipient): no retry, and the journey's send returns `{ status: 'failed', reason }`.
 */
export class PermanentSendError extends Error {
  override readonly name = 'PermanentSendError';
  /** What the journey's `SendResult.reason` says: a short code such as `invalid_recipient`. */
  readonly reason: string;

  constructor(message: string, options: { readonly reason?: string; readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.reason = options.reason ?? 'rejected';
  }
}

/**
 * Thrown by a channel of your own when the provider may accept the message later (rate limited, down):
 * Temporal retries the send with the channel's backoff, or after `retryAfterMs` when the provider said.
 */
export class RetryableSendError extends Error {
  override readonly name = 'RetryableSendError';
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { readonly retryAfterMs?: number; readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A channel's error as Temporal's retry semantics: the two above mapped, anything else retried as it is. */
export function sendFailure(err: unknown): unknown {
  if (err instanceof PermanentSendError) return ApplicationFailure.nonRetryable(err.message, err.reason);
  if (err instanceof RetryableSendError)
    return ApplicationFailure.create({
      message: err.message,
      type: 'RetryableSendError',
      nonRetryable: false,
      nextRetryDelay: err.retryAfterMs !== undefined ? Math.max(0, err.retryAfterMs) : undefined,
    });
  return err;
}
