import type { Resend } from 'resend';
import type { SendEmailRequest } from '../src/journey';
import type { Delivered } from './channel';
import { defaultEmailTemplates, type EmailTemplates } from './email-templates';
import { deliveryTags } from './delivery-tags';
import { providerFailure } from './provider-errors';

export interface ResendEmailOptions {
  /** A real `resend` client; point it at a fake with `new Resend(key, { baseUrl })`. */
  readonly client: Resend;
  /** The sender, e.g. `Shop <shop@example.com>`. */
  readonly from: string;
  /** Templates by name, merged over the bundled ones. */
  readonly templates?: EmailTemplates;
  /** Where List-Unsubscribe points; `{customerId}` is replaced. */
  readonly unsubscribeUrl?: string;
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
  const templates = { ...defaultEmailTemplates, ...options.templates };
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
    const rendered = template(request.data);
    const unsubscribe = options.unsubscribeUrl?.replace(
      '{customerId}',
      encodeURIComponent(request.customerId),
    );
    const { data, error, headers } = await options.client.emails.send(
      {
        from: options.from,
        to: request.to,
        ...rendered,
        headers: unsubscribe
          ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
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
