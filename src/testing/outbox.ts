import { EventEmitter } from 'node:events';

/** A message a provider fake accepted, as a test or the demo sees it. */
export type OutboxMessage =
  | {
      readonly channel: 'email';
      readonly id: string;
      readonly from: string;
      readonly to: readonly string[];
      readonly subject: string;
      readonly html: string | undefined;
      readonly text: string | undefined;
      readonly headers: Readonly<Record<string, string>>;
      readonly tags: readonly { readonly name: string; readonly value: string }[];
      readonly idempotencyKey: string | undefined;
      readonly receivedAt: Date;
    }
  | {
      readonly channel: 'sms';
      readonly id: string;
      readonly from: string;
      readonly to: string;
      readonly body: string;
      readonly segments: number;
      readonly idempotencyKey: string | undefined;
      readonly receivedAt: Date;
    }
  | {
      readonly channel: 'webhook' | 'push';
      readonly id: string;
      readonly path: string;
      readonly body: unknown;
      readonly idempotencyKey: string | undefined;
      readonly receivedAt: Date;
    };

/** What the provider fakes sent, in order. Emits `message` for each new one. */
export class Outbox extends EventEmitter<{ message: [OutboxMessage] }> {
  readonly messages: OutboxMessage[] = [];

  constructor() {
    super();
    // Each pending `waitFor` listens: a test waiting for fifty customers at once is not a leak.
    this.setMaxListeners(0);
  }

  add(message: OutboxMessage): void {
    this.messages.push(message);
    this.emit('message', message);
  }

  /** Emails, optionally only those to `to`. */
  emails(to?: string) {
    return this.messages.filter(
      (m) => m.channel === 'email' && (to === undefined || m.to.includes(to)),
    ) as Extract<OutboxMessage, { channel: 'email' }>[];
  }

  /** SMS, optionally only those to `to`. */
  sms(to?: string) {
    return this.messages.filter((m) => m.channel === 'sms' && (to === undefined || m.to === to)) as Extract<
      OutboxMessage,
      { channel: 'sms' }
    >[];
  }

  /** Posts `send.webhook` or `send.push` delivered. */
  posts(channel: 'webhook' | 'push') {
    return this.messages.filter((m) => m.channel === channel) as Extract<
      OutboxMessage,
      { channel: 'webhook' | 'push' }
    >[];
  }

  /** Resolves when `count` messages match `predicate`; rejects after `timeoutMs` of real time. */
  async waitFor(
    predicate: (m: OutboxMessage) => boolean,
    options: { count?: number; timeoutMs?: number } = {},
  ): Promise<OutboxMessage[]> {
    const count = options.count ?? 1;
    const matching = () => this.messages.filter(predicate);
    if (matching().length >= count) return matching();
    return new Promise((resolve, reject) => {
      const onMessage = () => {
        if (matching().length < count) return;
        cleanup();
        resolve(matching());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `Outbox: ${matching().length} of ${count} expected messages after ${options.timeoutMs ?? 10_000} ms`,
          ),
        );
      }, options.timeoutMs ?? 10_000);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('message', onMessage);
      };
      this.on('message', onMessage);
    });
  }
}
