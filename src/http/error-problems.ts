import { EmitIncompleteError, isJourneyError, type JourneyError } from '../errors';
import { problem, type Problem } from './problem';

/** gRPC status codes meaning "Temporal did not answer": UNAVAILABLE, DEADLINE_EXCEEDED, and a cancelled call. */
const UNREACHABLE = new Set([1, 4, 14]);

/** True when `err` (or what caused it) says Temporal could not be reached in time. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 8; depth++) {
    if (e instanceof EmitIncompleteError) return e.failed.some((f) => isTemporalUnavailable(f.error));
    if (isJourneyError(e, 'JOURNEY_UNAVAILABLE')) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number' && UNREACHABLE.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Seconds a client should wait before retrying when Temporal is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * The problem a thrown error becomes: invalid input 400 (with every field), an unknown run 404, Temporal
 * unreachable 503 (with `Retry-After`), anything else 500 without its message (it is logged, not shown).
 */
export function problemOf(
  err: unknown,
  where: string,
): { problem: Problem; headers?: Record<string, string>; unexpected?: boolean } {
  if (isTemporalUnavailable(err))
    return {
      problem: problem(
        'unavailable',
        `${where}: Temporal did not answer in time. Retry after ${UNAVAILABLE_RETRY_AFTER_S} s with the same event ids; nothing is applied twice.`,
      ),
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) },
    };
  if (isJourneyError(err)) {
    const e = err as JourneyError & { issues?: readonly { path: string; message: string }[] };
    switch (e.code) {
      case 'EVENT_INVALID':
      case 'EVENT_UNKNOWN':
      case 'CONTACT_INVALID':
      case 'INPUT_INVALID':
      case 'JOURNEY_INVALID':
        return { problem: problem('invalid-request', e.message, { issues: e.issues ?? [] }) };
      case 'JOURNEY_NOT_FOUND':
        return { problem: problem('not-found', e.message) };
      case 'BINARY_NOT_FOUND':
      case 'CLIENT_CLOSED':
      case 'CONFIG_INVALID':
      case 'CONFIG_NOT_FOUND':
      case 'EMIT_INCOMPLETE':
      case 'JOURNEY_UNAVAILABLE':
      case 'PROVIDER_REJECTED':
      case 'PROVIDER_UNAVAILABLE':
      case 'KEY_MISSING':
      case 'PAYLOAD_UNREADABLE':
      case 'ROLLOUT_REFUSED':
        break; // the server's own trouble (unavailability is answered above): a 500
    }
  }
  return {
    problem: problem('internal', `${where} failed; the server's log has the details.`),
    unexpected: true,
  };
}
