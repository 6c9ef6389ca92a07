import type { EmailTemplate, EmailTemplates } from './email-templates';
import { escapeHtml, footer, text } from './template-helpers';

type Data = Readonly<Record<string, unknown>>;

/**
 * A plain email: a subject and paragraphs, the same words in text and HTML, with the unsubscribe footer
 * for marketing. Templates of your own can be any function returning `{ subject, html, text }`.
 */
function plain(
  subject: (d: Data) => string,
  paragraphs: (d: Data) => (string | false | undefined)[],
): EmailTemplate {
  return (data) => {
    const lines = paragraphs(data).filter((p): p is string => typeof p === 'string');
    const end = footer(data);
    return {
      subject: subject(data),
      text: `${lines.join('\n\n')}\n${end.text}`,
      html: `${lines.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}${end.html}`,
    };
  };
}

const hi = (d: Data) => (text(d.name) ? `Hi ${text(d.name)},` : 'Hi,');
const money = (d: Data) => `${String(d.amount)} ${text(d.currency) ?? ''}`.trim();
const day = (d: Data) => (text(d.dueAt) ?? '').slice(0, 10);

/** The templates of the bundled journeys (`workflows/`). */
export const journeyEmailTemplates: EmailTemplates = {
  welcome: plain(
    () => 'Welcome! Here is 10% off your first order',
    (d) => [hi(d), 'Thanks for confirming. Welcome aboard.', `Your code: ${text(d.code) ?? ''}`],
  ),
  'welcome-tips': plain(
    () => 'Three things to try this week',
    (d) => [hi(d), 'Browse the new arrivals, save favourites, and set your delivery preferences.'],
  ),
  'thank-you': plain(
    (d) => `Thank you for your order ${text(d.orderId) ?? ''}`.trim(),
    (d) => [
      'Thank you for your first order!',
      `Order ${text(d.orderId) ?? ''}, total ${typeof d.total === 'number' ? d.total : ''}.`,
    ],
  ),
  'how-to': plain(
    () => 'Getting the most out of your order',
    (d) => [`Guides for ${(Array.isArray(d.categories) ? d.categories : []).join(', ') || 'your order'}.`],
  ),
  'review-request': plain(
    () => 'How was your order?',
    (d) => [`Your order ${text(d.orderId) ?? ''} arrived a few days ago. Tell us how it went.`],
  ),
  'private-sale': plain(
    () => 'A private sale, just for you',
    (d) => ['It has been a month since your first order.', `Your private-sale code: ${text(d.code) ?? ''}`],
  ),
  'win-back': plain(
    (d) => `We miss you: ${text(d.offer) ?? ''} off`,
    (d) => [
      `Come back for ${text(d.offer) ?? ''} off your next order.`,
      text(d.code) && `Your code: ${text(d.code)}`,
    ],
  ),
  'payment-upcoming': plain(
    (d) => `Invoice ${text(d.invoiceId) ?? ''} is due on ${day(d)}`,
    (d) => [`${money(d)} is due on ${day(d)}.`],
  ),
  'payment-due-today': plain(
    (d) => `Invoice ${text(d.invoiceId) ?? ''} is due today`,
    (d) => [`${money(d)} is due today.`],
  ),
  'payment-overdue': plain(
    (d) => `Invoice ${text(d.invoiceId) ?? ''} is overdue`,
    (d) => [`${money(d)} was due on ${day(d)}. Please pay now to avoid fees.`],
  ),
  'payment-final-notice': plain(
    (d) => `Final notice: invoice ${text(d.invoiceId) ?? ''}`,
    (d) => [`${money(d)} was due on ${day(d)}. Without payment it goes to collections.`],
  ),
  'related-product': plain(
    (d) => `${d.reminder ? 'Still thinking about ' : ''}${text(d.product) ?? 'something new'}`,
    (d) => [`${text(d.product) ?? ''}: ${text(d.reason) ?? ''}.`],
  ),
  upsell: plain(
    (d) => `${d.reminder ? 'Last chance: ' : ''}Upgrade to ${text(d.plan) ?? ''}`,
    (d) => [`You like what you have; ${text(d.plan) ?? ''} gives you more.`],
  ),
  'loyalty-tier': plain(
    (d) => (d.up ? `Welcome to ${text(d.tier) ?? ''}!` : `Your tier is now ${text(d.tier) ?? ''}`),
    (d) => [`${String(d.points)} points. Your perks: ${text(d.perk) ?? ''}.`],
  ),
  'points-expiring': plain(
    (d) => `${String(d.points)} points expire soon`,
    (d) => [
      `${String(d.points)} points expire on ${(text(d.expiresAt) ?? '').slice(0, 10)}. Use them before then.`,
    ],
  ),
};
