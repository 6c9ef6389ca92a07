import { journeyEmailTemplates } from './journey-templates';
import type { EmailTemplates, ReactEmail, RenderedEmail } from './template-definition';
import { escapeHtml, footer, list, text } from './template-helpers';

/** A template's output as the provider takes it: a React Email element rendered to HTML and text. */
export async function renderEmail(
  output: RenderedEmail | ReactEmail | Promise<RenderedEmail | ReactEmail>,
): Promise<RenderedEmail> {
  const email = await output;
  if (!('react' in email)) return email;
  let render: (element: unknown, options?: { plainText?: boolean }) => string | Promise<string>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    render = (require('@react-email/render') as { render: typeof render }).render;
  } catch {
    throw new TypeError(
      'it returned a React Email element: install @react-email/render (npm i @react-email/render react react-dom)',
    );
  }
  return {
    subject: email.subject,
    html: await render(email.react),
    text: await render(email.react, { plainText: true }),
  };
}

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

export {
  defineTemplate,
  templatesByName,
  type AnyTemplateDefinition,
  type EmailTemplate,
  type EmailTemplates,
  type ReactEmail,
  type RenderedEmail,
  type TemplateDataOf,
  type TemplateDefinition,
  type TemplateLinks,
  type TemplateSchema,
  type TemplatesInput,
  type TemplatesOf,
} from './template-definition';
