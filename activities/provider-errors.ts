import { ApplicationFailure } from '@temporalio/activity';

/**
 * Turns a provider's answer into Temporal's retry semantics: 429, 5xx and network errors (no status) are
 * thrown plainly so Temporal retries them with backoff; any other 4xx is a permanent rejection, thrown as
 * a non-retryable failure whose type is the provider's error name or code.
 */
export function providerFailure(
  provider: string,
  status: number | null | undefined,
  code: string,
  message: string,
): Error {
  const retryable = status === null || status === undefined || status === 429 || status >= 500;
  const text = `${provider} ${status ?? 'network error'} ${code}: ${message}`;
  if (retryable) return new Error(text);
  return ApplicationFailure.nonRetryable(text, code, { provider, status });
}
