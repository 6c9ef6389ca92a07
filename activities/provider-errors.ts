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
