import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import type { ContactPatch, ContactSnapshot, SuppressionReason } from '../contact';
import { contactWorkflowId, isTimeZone, newContact } from '../contact';
import { JourneyError } from '../errors';
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

/** Reading and changing a customer's contact entity: consent, time zone, what the gate decided. */
export interface Contacts {
  /** The contact's state; a customer never seen yet reads as the defaults (subscribed, no time zone). */
  get(customerId: string): Promise<ContactSnapshot>;
  /** Changes time zone, channel or topic subscriptions; starts the contact if it does not exist. */
  update(customerId: string, patch: z.input<typeof contactPatchSchema>): Promise<ContactSnapshot>;
  /** Suppresses a channel for every journey (a hard bounce, a complaint, an SMS STOP). */
  suppress(customerId: string, channel: string, reason: SuppressionReason): Promise<ContactSnapshot>;
  /** Opts out of a channel, or of one topic; takes effect at the next send of every journey. */
  unsubscribe(customerId: string, what: ConsentTarget): Promise<ContactSnapshot>;
  /**
   * Opts in again (or confirms a `pending` double opt-in): the channel or topic is `subscribed`. An SMS
   * STOP is lifted too; a hard bounce or a complaint is not, since the provider would refuse anyway.
   */
  resubscribe(customerId: string, what: ConsentTarget): Promise<ContactSnapshot>;
}

/** The contacts API of a journey client (its Temporal client and task queue). */
export function createContacts(client: Client, taskQueue: string): Contacts {
  const id = (customerId: string) => {
    if (typeof customerId !== 'string' || customerId.trim() === '')
      throw new JourneyError('CONTACT_INVALID', 'customerId is required');
    return contactWorkflowId(customerId);
  };
  const withStart = (customerId: string) =>
    new WithStartWorkflowOperation('contact', {
      workflowId: id(customerId),
      taskQueue,
      args: [newContact(customerId)],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  const update = async (customerId: string, patch: ContactPatch): Promise<ContactSnapshot> => {
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
    return client.workflow.executeUpdateWithStart<
      (s: ContactSnapshot) => Promise<void>,
      ContactSnapshot,
      [ContactPatch]
    >('contact.update', {
      args: [parsed.data],
      startWorkflowOperation: withStart(customerId),
    });
  };
  return {
    async get(customerId) {
      try {
        return await client.workflow.getHandle(id(customerId)).query<ContactSnapshot>('contact.state');
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return newContact(customerId);
        throw err;
      }
    },
    update,
    suppress(customerId, channel, reason) {
      return client.workflow.executeUpdateWithStart<
        (s: ContactSnapshot) => Promise<void>,
        ContactSnapshot,
        [{ channel: string; reason: SuppressionReason }]
      >('contact.suppress', { args: [{ channel, reason }], startWorkflowOperation: withStart(customerId) });
    },
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
