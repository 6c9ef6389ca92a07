import { journeyEmailTemplates } from './journey-templates';
import { escapeHtml, footer, list, text } from './template-helpers';

/** An email rendered from typed data: what a template function returns. */
export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** A template: a plain function of its data. */
export type EmailTemplate = (data: Readonly<Record<string, unknown>>) => RenderedEmail;

/** Templates by name, as `send.email(name, data)` refers to them. */
export type EmailTemplates = Readonly<Record<string, EmailTemplate>>;

/** The templates the bundled journeys use. A worker merges its own over these. */
export const defaultEmailTemplates: EmailTemplates = {
  ...journeyEmailTemplates,
  'cart-reminder': (data) => {
    const items = list(data.items);
    const url = typeof data.url === 'string' ? data.url : undefined;
    const lines = items.map((i) => `- ${i}`).join('\n');
    return {
      subject:
        items.length === 1
          ? `You left ${items[0]} in your cart`
          : `You left ${items.length} items in your cart`,
      text: `Still thinking it over?\n\n${lines}\n${url ? `\nFinish your order: ${url}\n` : ''}${footer(data).text}`,
      html:
        `<p>Still thinking it over?</p><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` +
        (url ? `<p><a href="${escapeHtml(url)}">Finish your order</a></p>` : '') +
        footer(data).html,
    };
  },
  /** Double opt-in: send it `{ category: 'transactional' }`, then `waitFor(subscriptionConfirmed, …)`. */
  'confirm-subscription': (data) => {
    const url = text(data.confirmUrl);
    if (!url)
      throw new TypeError(
        'The confirm-subscription template needs confirmUrl: give the worker signed links (temporal.yaml `links`).',
      );
    const name = text(data.name);
    return {
      subject: 'Please confirm your subscription',
      text: `${name ? `Hi ${name},\n\n` : ''}Confirm that you want our emails: ${url}\n\nIf this was not you, ignore this email.\n`,
      html:
        `${name ? `<p>Hi ${escapeHtml(name)},</p>` : ''}<p><a href="${escapeHtml(url)}">Confirm that you want our emails</a></p>` +
        '<p>If this was not you, ignore this email.</p>',
    };
  },
};
