import {
  journey,
  journeyNow,
  profile,
  send,
  sleepUntil,
  step,
  type SendResult,
} from 'temporal-journeys/workflow';

const DAY = 86_400_000;

/** The notices, relative to the due date; the channel escalates from email to SMS once the date has passed. */
export const PAYMENT_NOTICES = [
  { step: 'upcoming', offsetDays: -3, channel: 'email' },
  { step: 'due-today', offsetDays: 0, channel: 'email' },
  { step: 'overdue', offsetDays: 3, channel: 'sms' },
  { step: 'final-notice', offsetDays: 7, channel: 'sms' },
] as const;

/**
 * Payment reminder (proactive, one run per invoice: `enroll(paymentReminder, { customer, key: invoiceId })`):
 * notices three days before the due date and on it by email, then three and seven days after it by SMS
 * (email when there is no phone); the last one also hands the invoice to collections. Before each notice
 * and after it, the invoice is read again, so the journey stops `paid` as soon as the funds arrive. Enrolled
 * late, it starts with the latest notice due, not with all the ones it missed. Transactional: consent and
 * caps do not hold it back.
 */
export const paymentReminder = journey(
  'payment-reminder',
  {
    keyed: true,
    reentry: 'always',
    description:
      'Email 3 days before and on the due date, SMS 3 and 7 days after; stops as soon as it is paid.',
  },
  async ({ customer, data, key }) => {
    // Runs enrolled before invoices were keys carry the id in their data.
    const invoiceId = key ?? (data as { invoiceId: string }).invoiceId;
    const isPaid = async () => (await profile.invoice(invoiceId))?.paidAt != null;
    const invoice = await profile.invoice(invoiceId);
    if (!invoice || invoice.customerId !== customer.id) return 'unknown-invoice';
    if (invoice.paidAt) return 'paid';
    const due = Date.parse(invoice.dueAt);
    const details = { invoiceId, amount: invoice.amount, currency: invoice.currency, dueAt: invoice.dueAt };

    const at = (notice: (typeof PAYMENT_NOTICES)[number]) => due + notice.offsetDays * DAY;
    // Notices whose time passed before enrolment are skipped, all but the latest of them.
    const now = journeyNow().getTime();
    const missed = PAYMENT_NOTICES.filter((n) => at(n) <= now).length;
    for (const notice of PAYMENT_NOTICES.slice(Math.max(0, missed - 1))) {
      await sleepUntil(new Date(at(notice)));
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
