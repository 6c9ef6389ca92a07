import type { SendPushRequest } from '../src/journey';
import type { Delivered } from './channel';
import { postSigned } from './signed-post';

export interface PushGatewayOptions {
  /** The gateway that fans a notification out to the customer's devices (FCM, APNs, OneSignal, your own). */
  readonly url: string;
  readonly secret?: string;
}

/**
 * The push adapter shipped with the SDK: posts `{ id, customerId, title, body, data }` to a gateway URL,
 * signed. Push is a channel interface like any other: to talk to a push provider directly, implement
 * `(request: SendPushRequest) => Promise<Delivered>` and pass it as `push` to `createChannelActivities`.
 */
export function createPushGateway(
  options: PushGatewayOptions,
): (request: SendPushRequest) => Promise<Delivered> {
  return async (request) => {
    const { customerId, title, body, data, idempotencyKey } = request;
    return {
      messageId: await postSigned(
        'push',
        options.url,
        { id: idempotencyKey, customerId, title, body, data },
        { idempotencyKey, secret: options.secret },
      ),
    };
  };
}
