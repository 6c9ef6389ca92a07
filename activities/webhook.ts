import type { SendWebhookRequest } from '../src/journey';
import type { Delivered } from './channel';
import { providerFailure } from './provider-errors';
import { postSigned } from './signed-post';

export interface WebhookTarget {
  readonly url: string;
  /** Signs each POST (`x-journeys-signature`); the receiver checks it with `verifyBody`. */
  readonly secret?: string;
}

/**
 * The webhook channel: a signed JSON POST to a target named in `temporal.yaml` (a CRM, a sales team's
 * hand-off endpoint). The body is `{ id, journey, customerId, key, step, payload }`; `id` is the send's
 * idempotency key, also sent as `Idempotency-Key`, so a receiver can drop a retried delivery.
 */
export function createWebhookChannel(
  targets: Readonly<Record<string, WebhookTarget>>,
): (request: SendWebhookRequest) => Promise<Delivered> {
  return async (request) => {
    const target = targets[request.target];
    if (!target) {
      throw providerFailure(
        'webhook',
        404,
        'unknown_target',
        `no webhook target "${request.target}" in temporal.yaml channels.webhooks (known: ${Object.keys(targets).join(', ') || 'none'})`,
      );
    }
    const { journey, customerId, key, step, idempotencyKey, payload } = request;
    const messageId = await postSigned(
      `webhook ${request.target}`,
      target.url,
      { id: idempotencyKey, journey, customerId, key, step, payload },
      { idempotencyKey, secret: target.secret },
    );
    return { messageId };
  };
}
