import { z } from 'zod';
import { EventValidationError } from '../errors';
import { idProblem, type CustomerRef } from '../journey';

/**
 * The customer an enrolment or event is for. `id` must be an opaque id (it is stored in search attributes,
 * unencrypted): never an email address or phone number.
 */
export const customerSchema = z
  .object({
    // Used exactly as given everywhere (never trimmed): see `idProblem` for what an id may not hold.
    id: z
      .string()
      .min(1, 'customer id is required')
      .superRefine((id, ctx) => {
        const problem = id === '' ? undefined : idProblem(id);
        if (problem) ctx.addIssue({ code: 'custom', message: `customer id ${problem}` });
      }),
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, 'phone must be E.164, e.g. +14155550100')
      .optional(),
  })
  .strict();

/** A customer id, or the id with the addresses journeys send to. */
export type CustomerInput = string | z.input<typeof customerSchema>;

/** Parses a customer; throws {@link EventValidationError} naming `customer.<field>`. */
export function parseCustomer(input: unknown, eventType?: string): CustomerRef {
  const result = customerSchema.safeParse(typeof input === 'string' ? { id: input } : input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: ['customer', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const missing = input === undefined || input === null;
  throw new EventValidationError(
    missing
      ? 'customer is required: pass its id or { id, email?, phone? }'
      : `Invalid customer: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    eventType,
    missing ? [{ path: 'customer.id', message: 'customer id is required' }] : issues,
  );
}
