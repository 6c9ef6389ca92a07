/**
 * Channel activities: email on Resend, SMS on Twilio, signed webhooks, push through a gateway, and any
 * channel of your own. Each is a factory that receives its client, so tests pass a real client pointed at
 * a local fake.
 */
import { Resend } from 'resend';
import {
  createChannelActivities,
  type ChannelActivities,
  type ChannelSender,
  type Channels,
} from './channel';
import type { GateDecision } from '../src/contact';
import {
  createContactGate,
  createContactTimeZone,
  type AskContactRequest,
  type ContactGateOptions,
} from './contact-gate';
import type { TemplatesInput } from './email-templates';
import { createInboxReader } from './inbox';
import { createPushGateway, type PushGatewayOptions } from './push';
import type { KeptItem, ReadRequest } from '../src/inbox';
import type { ProfileSource } from '../src/profile/types';
import type { ProfileActivities } from '../src/workflow/profile';
import { createProfileActivities } from './profile';
import { createResendEmail } from './resend-email';
import { createSignedLinks, type SignedLinksOptions } from './signed-links';
import { createTwilioClient, createTwilioSms } from './twilio-sms';
import { createWebhookChannel, type WebhookTarget } from './webhook';

export { createChannelActivities } from './channel';
export { createContactGate, createContactTimeZone, OPEN_POLICY } from './contact-gate';
export type { AskContactRequest, ContactGateOptions } from './contact-gate';
export type { ChannelActivities, ChannelSender, Channels, Delivered } from './channel';
export { createProfileActivities } from './profile';
export { createInboxReader } from './inbox';
export type { InboxReaderOptions } from './inbox';
export { createResendEmail } from './resend-email';
export type { ResendEmailOptions } from './resend-email';
export { createTwilioClient, createTwilioSms, TWILIO_IDEMPOTENCY_HEADER } from './twilio-sms';
export type { TwilioClientOptions, TwilioSmsOptions } from './twilio-sms';
export { createWebhookChannel } from './webhook';
export type { WebhookTarget } from './webhook';
export { createPushGateway } from './push';
export type { PushGatewayOptions } from './push';
export { postSigned, SIGNATURE_HEADER, signBody, verifyBody } from './signed-post';
export { deliveryTags, readDeliveryTags } from './delivery-tags';
export { createLinkToken, createSignedLinks, readLinkToken } from './signed-links';
export type { LinkAction, LinkClaims, SignedLinks, SignedLinksOptions } from './signed-links';
export { PermanentSendError, providerFailure, RetryableSendError, sendFailure } from './provider-errors';
export { defaultEmailTemplates, defineTemplate, renderEmail, templatesByName } from './email-templates';
export { escapeHtml } from './template-helpers';
export type {
  AnyTemplateDefinition,
  EmailTemplate,
  EmailTemplates,
  ReactEmail,
  RenderedEmail,
  TemplateDataOf,
  TemplateDefinition,
  TemplateLinks,
  TemplateSchema,
  TemplatesInput,
  TemplatesOf,
} from './email-templates';

/** Credentials and endpoints of the real providers; a channel left out is a channel not configured. */
export interface ProviderSettings {
  readonly resend?: {
    readonly apiKey: string;
    readonly from: string;
    readonly baseUrl?: string;
  };
  /** Signed unsubscribe and confirmation links in emails (`temporal.yaml` `links`). */
  readonly links?: SignedLinksOptions;
  readonly twilio?: {
    readonly accountSid: string;
    readonly authToken: string;
    readonly from: string;
    readonly baseUrl?: string;
    readonly statusCallback?: string;
  };
  readonly webhooks?: Readonly<Record<string, WebhookTarget>>;
  readonly push?: PushGatewayOptions;
  readonly templates?: TemplatesInput;
  /** Channels of your own, by name. */
  readonly custom?: Readonly<Record<string, ChannelSender<never>>>;
  /** Customer data behind `profile.get()` and `promoCode()`; without it those fail with a clear message. */
  readonly profiles?: ProfileSource;
  /** The contact entity every send asks first; without it only the provider's own refusals apply. */
  readonly gate?: ContactGateOptions;
}

/** The activities a journeys worker registers: the channels, `askContact` and the profile reads. */
export type JourneyActivities = ChannelActivities &
  ProfileActivities & {
    askContact(request: AskContactRequest): Promise<GateDecision>;
    contactTimeZone(request: { customerId: string }): Promise<string>;
    /** A starting run reads what the customer's inbox kept for it (a local activity). */
    readInbox(
      request: ReadRequest & { readonly customerId: string; readonly runId?: string },
    ): Promise<KeptItem[]>;
  };

/**
 * Channel activities on real `resend` and `twilio` clients (pointed at `baseUrl` when given), and the
 * contact gate.
 */
export function createProviderChannels(settings: ProviderSettings): JourneyActivities {
  const { resend, twilio, templates } = settings;
  const channels: Channels = {
    ...settings.custom,
    email:
      resend &&
      createResendEmail({
        client: new Resend(resend.apiKey, resend.baseUrl ? { baseUrl: resend.baseUrl } : undefined),
        from: resend.from,
        templates,
        links: settings.links && createSignedLinks(settings.links),
      }),
    sms:
      twilio &&
      createTwilioSms({
        client: createTwilioClient({
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          baseUrl: twilio.baseUrl,
        }),
        from: twilio.from,
        statusCallback: twilio.statusCallback,
      }),
    webhook: settings.webhooks && createWebhookChannel(settings.webhooks),
    push: settings.push && createPushGateway(settings.push),
  };
  const askContact = settings.gate
    ? createContactGate(settings.gate)
    : (): Promise<GateDecision> => Promise.resolve({ decision: 'allow' });
  const contactTimeZone = settings.gate ? createContactTimeZone(settings.gate) : () => Promise.resolve('UTC');
  return {
    ...createChannelActivities(channels),
    ...createProfileActivities(settings.profiles),
    askContact,
    contactTimeZone,
    readInbox: settings.gate
      ? createInboxReader({ client: settings.gate.client })
      : (): Promise<KeptItem[]> => Promise.resolve([]),
  };
}
