/**
 * The contract between journeys and channel activities: what a send asks for and what it returns. The
 * workflow side imports these types only; `activities/` implements them. Each built-in channel is an
 * activity `send<Channel>` (`sendEmail`, `sendSms`, `sendWebhook`, `sendPush`); custom channels share
 * `sendCustom`. These names are in every recorded history: renaming one breaks customers mid-journey.
 */

/** Built-in channels; any other name is a custom channel registered on the worker. */
export type Channel = 'email' | 'sms' | 'webhook' | 'push' | (string & {});

/** Who is sending, for logs, tags and idempotency. */
export interface SendContext {
  readonly journey: string;
  readonly customerId: string;
  /** The journey's key (e.g. a cart id) for keyed journeys, so delivery events find the run again. */
  readonly key?: string;
  readonly step: string;
  /** Derived from workflow id + run id + step + pass: the same send retried carries the same key. */
  readonly idempotencyKey: string;
}

export interface SendEmailRequest extends SendContext {
  readonly to: string;
  readonly template: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** From `SendOptions`: marketing emails carry List-Unsubscribe; a topic's link unsubscribes from it alone. */
  readonly category?: 'marketing' | 'transactional';
  readonly topic?: string;
}

export interface SendSmsRequest extends SendContext {
  readonly to: string;
  readonly body: string;
}

/** A signed POST to a URL named in `temporal.yaml` (`channels.webhooks.<target>`), e.g. a CRM or sales hand-off. */
export interface SendWebhookRequest extends SendContext {
  readonly target: string;
  readonly payload: unknown;
}

/** A push notification to the customer's devices. */
export interface SendPushRequest extends SendContext {
  readonly title: string;
  readonly body: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** A custom channel's request (activity `sendCustom`): the channel's name and the journey's payload. */
export interface SendCustomRequest extends SendContext {
  readonly channel: string;
  readonly payload: unknown;
}

/**
 * What a send returns to the journey. A permanent rejection (bad address, opted out) or a send that gave
 * up after its retries is a `failed` result to branch on, never a crash; `skipped` means the customer has
 * no address on the channel.
 */
export type SendResult =
  | {
      readonly status: 'sent';
      readonly channel: Channel;
      readonly messageId: string;
      /** How many attempts it took (1: first time). */
      readonly attempts: number;
      readonly segments?: number;
    }
  | {
      readonly status: 'failed';
      readonly channel: Channel;
      readonly reason: string;
      readonly message: string;
    }
  | { readonly status: 'skipped'; readonly channel: Channel; readonly reason: string }
  /** The customer's contact refused the send: no consent, suppressed (bounce, STOP) or over a cap. */
  | { readonly status: 'suppressed'; readonly channel: Channel; readonly reason: string };

/** How a send counts for the contact's rules: marketing (default) needs consent and counts toward caps. */
export interface SendOptions {
  readonly category?: 'marketing' | 'transactional';
  /** A topic the customer may unsubscribe from alone (newsletter, promotions). */
  readonly topic?: string;
}

/** A send as recorded in the journey's state, so a later open or click is tied to the step that sent it. */
export type SendRecord = SendResult & { readonly step: string; readonly at: string };

/** Retry and timeouts of one channel's activity (from `temporal.yaml` `channels.<name>`), fixed at enrolment. */
export interface ChannelActivityOptions {
  /** One attempt's limit, e.g. `30 seconds`. */
  readonly timeout?: string;
  /** Give up (result `failed`, reason `gave_up`) after this long in all, e.g. `1 day`. */
  readonly giveUpAfter?: string;
  readonly retry?: {
    readonly initialInterval?: string;
    readonly backoffCoefficient?: number;
    readonly maximumInterval?: string;
    /** 0: no limit but `giveUpAfter`. */
    readonly maximumAttempts?: number;
  };
}

/** The activity type of a built-in channel, or of `custom`: `email` → `sendEmail`. */
export const channelActivity = (channel: Channel): `send${string}` =>
  `send${channel.charAt(0).toUpperCase()}${channel.slice(1)}`;
