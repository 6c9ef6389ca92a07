/**
 * The contract between journeys and channel activities: what a send asks for and what it returns. The
 * workflow side imports these types only; `activities/` implements them.
 */

/** Who is sending, for logs, tags and idempotency. */
export interface SendContext {
  readonly journey: string;
  readonly customerId: string;
  readonly step: string;
  /** Derived from workflow id + run id + step + pass: the same send retried carries the same key. */
  readonly idempotencyKey: string;
}

export interface SendEmailRequest extends SendContext {
  readonly to: string;
  readonly template: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface SendSmsRequest extends SendContext {
  readonly to: string;
  readonly body: string;
}

/**
 * What a send returns to the journey. A permanent provider rejection (bad address, opted out) is a
 * `failed` result to branch on, never a crash; `skipped` means the customer has no address on the channel.
 */
export type SendResult =
  | {
      readonly status: 'sent';
      readonly channel: Channel;
      readonly messageId: string;
      readonly segments?: number;
    }
  | {
      readonly status: 'failed';
      readonly channel: Channel;
      readonly reason: string;
      readonly message: string;
    }
  | { readonly status: 'skipped'; readonly channel: Channel; readonly reason: string };

export type Channel = 'email' | 'sms';

/** Activity names and signatures the worker registers for channels. */
export interface ChannelActivities {
  sendEmail(request: SendEmailRequest): Promise<SendResult>;
  sendSms(request: SendSmsRequest): Promise<SendResult>;
}
