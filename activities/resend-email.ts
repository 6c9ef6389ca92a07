import type { Resend } from 'resend';
import type { SendEmailRequest } from '../src/journey';
import type { Delivered } from './channel';
import {
  defaultEmailTemplates,
  renderEmail,
  templatesByName,
  type RenderedEmail,
  type TemplatesInput,
} from './email-templates';
import { deliveryTags } from './delivery-tags';
import { providerFailure } from './provider-errors';
import type { SignedLinks } from './signed-links';

export interface ResendEmailOptions {
  /** A real `resend` client; point it at a fake with `new Resend(key, { baseUrl })`. */
  readonly client: Resend;
  /** The sender, e.g. `Shop <shop@example.com>`. */
  readonly from: string;
  /** Templates ({@link defineTemplate} definitions, or functions by name), merged over the bundled ones. */
  readonly templates?: TemplatesInput;
  /**
   * Signed unsubscribe and confirmation links. With them every email's template data carries
   * `unsubscribeUrl` and `confirmUrl`, and marketing emails get `List-Unsubscribe` with one-click POST
   * (RFC 8058), which Gmail and Yahoo require of bulk senders.
   */
  readonly links?: SignedLinks;
}

/**
 * The email channel on Resend. The send's idempotency key is Resend's `Idempotency-Key`, so a retry after
 * a timeout or a worker crash does not send twice.
 *
 * @see https://resend.com/docs/api-reference/emails/send-email
 */
export function createResendEmail(
  options: ResendEmailOptions,
): (request: SendEmailRequest) => Promise<Delivered> {
  const templates = { ...defaultEmailTemplates, ...templatesByName(options.templates) };
  return async (request) => {
    const template = templates[request.template];
    if (!template) {
      throw providerFailure(
        'resend',
        422,
        'unknown_template',
        `no email template "${request.template}" is registered on the worker (known: ${Object.keys(templates).join(', ')})`,
      );
    }
    // A topic's email unsubscribes from that topic only; otherwise from marketing email.
    const target = request.topic ? { topic: request.topic } : { channel: 'email' };
    const unsubscribe = options.links?.unsubscribe(request.customerId, target);
    let rendered: RenderedEmail;
    try {
      rendered = await renderEmail(
        template({
          ...request.data,
          ...(options.links && {
            unsubscribeUrl: unsubscribe,
            confirmUrl: options.links.confirm(request.customerId, target),
          }),
        }),
      );
    } catch (err) {
      // A template that cannot render will not render on a retry either.
      const message = err instanceof Error ? err.message : String(err);
      throw providerFailure('resend', 422, 'template_failed', `template "${request.template}": ${message}`);
    }
    const marketing = (request.category ?? 'marketing') === 'marketing';
    const { data, error, headers } = await options.client.emails.send(
      {
        from: options.from,
        to: request.to,
        ...rendered,
        headers:
          unsubscribe && marketing
            ? {
                'List-Unsubscribe': `<${unsubscribe}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }
            : undefined,
        tags: deliveryTags(request),
      },
      { idempotencyKey: request.idempotencyKey },
    );
    if (error)
      throw providerFailure('resend', error.statusCode, error.name, error.message, headers?.['retry-after']);
    if (!data) throw providerFailure('resend', null, 'empty_response', 'Resend answered without an email id');
    return { messageId: data.id };
  };
}
