import { z } from 'zod';
import { EventValidationError } from '../errors';
import type { JourneyEvent } from './define-event';

/** The one signal that carries every customer event to a journey. */
export const EVENT_SIGNAL = 'journeys.event';

/**
 * The shape of the `journeys.event` signal's argument. Checked at the workflow boundary before the event's
 * own schema, so a forged payload is dropped instead of wedging the workflow.
 */
export const eventEnvelopeSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  customerId: z.string().min(1).max(200),
  data: z.unknown(),
  at: z.iso.datetime({ offset: true }),
});

/** Parses a signal argument into an event envelope whose `data` is not yet checked. */
export function parseEnvelope(raw: unknown): JourneyEvent {
  const result = eventEnvelopeSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const type =
    typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string'
      ? (raw as { type: string }).type
      : undefined;
  throw new EventValidationError(
    `Event envelope is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    type,
    issues,
    { cause: result.error },
  );
}
