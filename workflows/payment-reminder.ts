import { journey, profile, send, sleepUntil, step, type SendResult } from '../src/workflow';

const DAY = 86_400_000;

/** The notices, relative to the due date; the channel escalates from email to SMS once the date has passed. */
export const PAYMENT_NOTICES = [
  { step: 'upcoming', offsetDays: -3, channel: 'email' },
  { step: 'due-today', offsetDays: 0, channel: 'email' },
  { step: 'overdue', offsetDays: 3, channel: 'sms' },
  { step: 'final-notice', offsetDays: 7, channel: 'sms' },
] as const;

/**
 * Payment reminder (proactive, `data: { invoiceId }`): notices three days before the due date and on it by
 * email, then three and seven days after it by SMS (email when there is no phone); the last one also hands
 * the invoice to collections. Before each notice and after it, the invoice is read again, so the journey
 * stops `paid` as soon as the funds arrive. Transactional: consent and caps do not hold it back.
 */
export const paymentReminder = journey(
  'payment-reminder',
  {
    reentry: 'always',
    description:
      'Email 3 days before and on the due date, SMS 3 and 7 days after; stops as soon as it is paid.',
  },
  async ({ customer, data }) => {
    const { invoiceId } = data as { invoiceId: string };
    const isPaid = async () => (await profile.invoice(invoiceId))?.paidAt != null;
    const invoice = await profile.invoice(invoiceId);
    if (!invoice) return 'unknown-invoice';
    if (invoice.paidAt) return 'paid';
    const due = Date.parse(invoice.dueAt);
    const details = { invoiceId, amount: invoice.amount, currency: invoice.currency, dueAt: invoice.dueAt };

    for (const notice of PAYMENT_NOTICES) {
      await sleepUntil(new Date(due + notice.offsetDays * DAY));
      if (await isPaid()) return 'paid';
      await step(notice.step, async (): Promise<SendResult> => {
        if (notice.channel === 'sms' && customer.phone) {
          return send.sms(
            `Invoice ${invoiceId}: ${invoice.amount} ${invoice.currency} was due ${invoice.dueAt.slice(0, 10)}. Pay now to avoid fees.`,
            { category: 'transactional' },
          );
        }
        return send.email(`payment-${notice.step}`, details, { category: 'transactional' });
      });
      if (await isPaid()) return 'paid';
    }
    await step('collections', () =>
      send.webhook('crm', { customerId: customer.id, invoiceId, reason: 'unpaid 7 days after due date' }),
    );
    return 'unpaid';
  },
);
