import { EventValidationError } from '../errors';
import { idProblem } from '../journey';

/**
 * Checks a customer id or a journey key the way every client door does (emit, enroll, enrollMany, state,
 * exit, contacts): used exactly as given, or refused with an {@link EventValidationError} naming `field`.
 * See `idProblem` for what is refused.
 */
export function checkId(value: unknown, field: string, eventType?: string): string {
  const problem = idProblem(value);
  if (problem === undefined) return value as string;
  throw new EventValidationError(
    `${field} ${JSON.stringify(value) ?? String(value)} ${problem}.`,
    eventType,
    [{ path: field, message: problem }],
  );
}
