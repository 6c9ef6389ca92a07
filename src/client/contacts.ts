import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { ContactPatch, ContactPreferences, ContactSnapshot, SuppressionReason } from '../contact';
import { contactWorkflowId, isTimeZone, newContact } from '../contact';
import { JourneyError } from '../errors';
import { queryContact, updateContact } from './contact-calls';
import { checkId } from './ids';
import type { ConsentTarget } from '../events';

const subscription = z.enum(['subscribed', 'unsubscribed', 'pending']);

/** What `contacts.update` accepts; checked before anything is sent. */
export const contactPatchSchema = z
  .object({
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'not an IANA time zone, e.g. "America/New_York"' })
      .optional(),
    channels: z.record(z.string().min(1), subscription).optional(),
    topics: z.record(z.string().min(1), subscription).optional(),
  })
  .strict();

/**
 * Reading and changing a customer's contact entity: consent, time zone, what the gate decided. The changes
 * return the customer's preferences after them (time zone, subscriptions, suppressions); `get` reads the
 * whole contact, ledger and decisions included.
 */
export interface Contacts {
  /** The contact's state; a customer never seen yet reads as the defaults (subscribed, no time zone). */
  get(customerId: string): Promise<ContactSnapshot>;
  /** Changes time zone, channel or topic subscriptions; starts the contact if it does not exist. */
  update(customerId: string, patch: z.input<typeof contactPatchSchema>): Promise<ContactPreferences>;
  /** Suppresses a channel for every journey (a hard bounce, a complaint, an SMS STOP). */
  suppress(customerId: string, channel: string, reason: SuppressionReason): Promise<ContactPreferences>;
  /** Opts out of a channel, or of one topic; takes effect at the next send of every journey. */
  unsubscribe(customerId: string, what: ConsentTarget): Promise<ContactPreferences>;
  /**
   * Opts in again (or confirms a `pending` double opt-in): the channel or topic is `subscribed`. An SMS
   * STOP is lifted too; a hard bounce or a complaint is not, since the provider would refuse anyway.
   */
  resubscribe(customerId: string, what: ConsentTarget): Promise<ContactPreferences>;
}

/** The contacts API of a journey client (its Temporal client and task queue). */
export function createContacts(client: Client, taskQueue: string): Contacts {
  // The same id rule as every other door: the contact a consent change reaches is the one journeys ask.
  const id = (customerId: string) => contactWorkflowId(checkId(customerId, 'customerId'));
  // A plain update when the contact exists, else update-with-start; a few at once per contact (see
  // contact-calls.ts). The checked id is the one the contact is named by.
  const send = (customerId: string, update: string, arg: unknown): Promise<ContactPreferences> => {
    id(customerId);
    return updateContact<ContactPreferences>(customerId, { client, taskQueue, update, arg });
  };
  const update = async (customerId: string, patch: ContactPatch): Promise<ContactPreferences> => {
    id(customerId); // validates the customer id first
    const parsed = contactPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new JourneyError(
        'CONTACT_INVALID',
        `Contact ${customerId}: ${issue?.path.join('.') || 'patch'}: ${issue?.message}`,
        { cause: parsed.error },
      );
    }
    return send(customerId, 'contact.update', parsed.data);
  };
  return {
    async get(customerId) {
      try {
        id(customerId);
        return await queryContact(client, customerId);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return newContact(customerId);
        throw err;
      }
    },
    update,
    suppress: (customerId, channel, reason) => send(customerId, 'contact.suppress', { channel, reason }),
    unsubscribe: async (customerId, what) => update(customerId, consent('unsubscribe', what, 'unsubscribed')),
    resubscribe: async (customerId, what) => update(customerId, consent('resubscribe', what, 'subscribed')),
  };
}

/** The patch that sets one channel's or topic's subscription. */
function consent(verb: string, what: ConsentTarget, to: 'subscribed' | 'unsubscribed'): ContactPatch {
  if (!what?.channel === !what?.topic)
    throw new JourneyError('CONTACT_INVALID', `${verb} a channel or a topic: pass exactly one`);
  return what.channel ? { channels: { [what.channel]: to } } : { topics: { [what.topic as string]: to } };
}
