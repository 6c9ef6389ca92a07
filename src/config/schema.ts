import { z } from 'zod';
import { isTimeZone } from '../contact';
import { toMs, type Duration } from '../journey';
import { duration } from './duration';
import { workerTuningSchema } from './worker-tuning';

const port = z.number().int().min(0).max(65_535);

/** mTLS client certificate files, read when connecting. Paths are relative to `temporal.yaml`. */
export const tlsSchema = z
  .object({
    cert: z.string().min(1),
    key: z.string().min(1),
    ca: z.string().min(1).optional(),
    serverName: z.string().min(1).optional(),
  })
  .strict();

/** The embedded local server (`journeys dev`): the Temporal CLI dev server on a SQLite file, with the Web UI. */
export const localProfileSchema = z
  .object({
    type: z.literal('local'),
    ip: z.string().default('127.0.0.1'),
    port: port.default(7233),
    uiPort: port.default(8233),
    /** The journeys dashboard `journeys dev` serves (`--dashboard-port` overrides it). */
    dashboardPort: port.default(8234),
    namespace: z.string().min(1).default('default'),
    /** SQLite file the dev server persists to, relative to `temporal.yaml`. */
    dbFile: z.string().min(1).default('.journeys/dev.sqlite'),
  })
  .strict();

/** A self-hosted Temporal cluster. */
export const clusterProfileSchema = z
  .object({
    type: z.literal('cluster'),
    address: z.string().min(1),
    namespace: z.string().min(1),
    tls: tlsSchema.optional(),
  })
  .strict();

/** Temporal Cloud, with an API key read from an environment variable, or mTLS. */
export const cloudProfileSchema = z
  .object({
    type: z.literal('cloud'),
    address: z.string().min(1),
    namespace: z.string().min(1),
    apiKeyEnv: z.string().min(1).optional(),
    tls: tlsSchema.optional(),
  })
  .strict()
  .refine((p) => p.apiKeyEnv !== undefined || p.tls !== undefined, {
    message: 'a cloud profile needs apiKeyEnv (the variable holding the API key) or tls (mTLS files)',
  });

export const profileSchema = z.discriminatedUnion('type', [
  localProfileSchema,
  clusterProfileSchema,
  cloudProfileSchema,
]);

export const resendSchema = z
  .object({
    from: z.string().min(3),
    apiKeyEnv: z.string().min(1).default('RESEND_API_KEY'),
    /** Variable holding Resend's webhook signing secret (`whsec_…`), for `POST /webhooks/resend` (`journeys serve`). */
    webhookSecretEnv: z.string().min(1).optional(),
    /** Overrides Resend's API address (e.g. a local fake); `RESEND_BASE_URL` works too. */
    baseUrl: z.url().optional(),
  })
  .strict();

export const twilioSchema = z
  .object({
    from: z.string().min(3),
    accountSidEnv: z.string().min(1).default('TWILIO_ACCOUNT_SID'),
    authTokenEnv: z.string().min(1).default('TWILIO_AUTH_TOKEN'),
    baseUrl: z.url().optional(),
    /** Public URL of `/webhooks/twilio/status` (`journeys serve`), for delivery status callbacks. */
    statusCallback: z.url().optional(),
  })
  .strict();

/** Retry and timeouts of one channel's sends; fixed at enrolment (in the journey's input). */
export const channelOptionsSchema = z
  .object({
    timeout: duration.optional(),
    giveUpAfter: duration.optional(),
    retry: z
      .object({
        initialInterval: duration.optional(),
        backoffCoefficient: z.number().min(1).max(10).optional(),
        maximumInterval: duration.optional(),
        maximumAttempts: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A signed-webhook target (`send.webhook(target, payload)`), or the push gateway. */
export const endpointSchema = z
  .object({
    url: z.url(),
    /** Variable holding the signing secret. */
    secretEnv: z.string().min(1).optional(),
  })
  .strict();

const clock = z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'a local time as HH:MM, e.g. "21:00"');

/** The rules of the contact entity's send gate, across journeys. */
export const contactsSchema = z
  .object({
    /**
     * Marketing messages per channel (or `any`) per rolling window, e.g. `{ channel: email, max: 3, per: 7 days }`;
     * with `journey`, a campaign cooldown: that journey's sends only, e.g. `{ journey: win-back, max: 1, per: 30 days }`.
     */
    caps: z
      .array(
        z
          .object({
            channel: z.string().min(1).default('any'),
            journey: z.string().min(1).optional(),
            max: z.number().int().min(1),
            per: duration,
          })
          .strict(),
      )
      .default([]),
    /** Per channel, in the customer's time zone: `{ sms: { from: "21:00", to: "09:00" } }`. */
    quietHours: z.record(z.string(), z.object({ from: clock, to: clock }).strict()).default({}),
    overCap: z.enum(['defer', 'suppress']).default('defer'),
    defaultTimeZone: z
      .string()
      .refine(isTimeZone, { message: 'not an IANA time zone, e.g. "America/New_York"' })
      .default('UTC'),
  })
  .strict();

/** How the client and the journeys treat an event's `at`, its size and its order. */
export const eventsSchema = z
  .object({
    /** Every event a journey receives waits this long, so events sent at once apply in `at` order (0: off). */
    orderWindow: duration.default('2 seconds'),
    /** An event no run listens to yet is kept this long for a run that starts meanwhile (at most 1 day). */
    keepUnrouted: duration
      .refine((v) => toMs(v as Duration) > 0 && toMs(v as Duration) <= 86_400_000, {
        message: 'between 1 ms and 1 day',
      })
      .default('10 minutes'),
    /** The latest `at` accepted, ahead of the clock (clock skew between services). */
    maxFuture: duration.default('5 minutes'),
    /** The oldest `at` accepted; defaults to the namespace's retention period. */
    maxAge: duration.optional(),
    /** The largest event accepted, in bytes of JSON (Temporal refuses payloads over 2 MB by default). */
    maxBytes: z.number().int().min(1_024).max(2_000_000).default(262_144),
  })
  .strict();

/**
 * What an API key of `journeys serve` may do. `events:write` emits events (and Segment calls);
 * `journeys:write` enrols and exits; `journeys:read` reads a run's state; `contacts:*` reads and changes
 * contacts (and `contacts:write` is needed, besides `events:write`, to send a consent event such as
 * `subscription.confirmed`); `deliveries:write` lets a key send delivery events itself (`email.bounced`,
 * `sms.stop`, … which otherwise come only from signed provider webhooks); `dashboard:read` opens the
 * dashboard; `metrics:read` scrapes `GET /metrics`.
 */
export const API_SCOPES = [
  'events:write',
  'journeys:read',
  'journeys:write',
  'contacts:read',
  'contacts:write',
  'deliveries:write',
  'dashboard:read',
  'metrics:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const rateSchema = z
  .object({
    /** Requests per second, on average. */
    perSecond: z.number().positive().max(1_000_000),
    /** Requests allowed at once above the average (default: one second's worth). */
    burst: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict();

/**
 * An API key as `temporal.yaml` (or `JOURNEYS_API_KEYS`) holds it: never the key, only its SHA-256
 * (`journeys keys create` prints both). `hashEnv` names a variable holding the hash instead.
 */
export const apiKeySchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-" (at most 64)'),
    hash: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, 'sha256: and 64 lowercase hex digits (journeys keys create)')
      .optional(),
    hashEnv: z.string().min(1).optional(),
    scopes: z.array(z.enum(API_SCOPES)).min(1),
    /** This key's rate limit; `serve.rate` otherwise. */
    rate: rateSchema.optional(),
  })
  .strict()
  .refine((k) => (k.hash === undefined) !== (k.hashEnv === undefined), {
    message: 'give exactly one of hash or hashEnv',
  });
export type ApiKeyConfig = z.output<typeof apiKeySchema>;

/** `journeys serve`: the HTTP API for services in any language, provider webhooks and signed links. */
export const serveSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(8787),
    /** API keys, by hash. More come from the variable `keysEnv` names (a JSON array of the same entries). */
    keys: z.array(apiKeySchema).default([]),
    keysEnv: z.string().min(1).default('JOURNEYS_API_KEYS'),
    /** Every key's rate limit unless the key sets its own. */
    rate: rateSchema.default({ perSecond: 100, burst: 200 }),
    /** The largest request body, in bytes (413 above it). */
    maxBodyBytes: z
      .number()
      .int()
      .min(1_024)
      .max(64 << 20)
      .default(1 << 20),
    /** The most events in one `POST /v1/events` or Segment `batch`. */
    maxBatch: z.number().int().min(1).max(10_000).default(100),
    /** How long a request may wait for Temporal before it is answered 503 (nothing applied is safe to retry). */
    requestTimeout: duration.default('10 seconds'),
    /** Origins allowed to call the API from a browser; none by default (CORS off). */
    cors: z
      .object({ origins: z.array(z.string().min(1)).min(1) })
      .strict()
      .optional(),
    /** Segment-spec calls (`POST /v1/segment`): Segment event names to event types, e.g. `Order Completed: order.placed`. */
    segment: z
      .object({ events: z.record(z.string().min(1), z.string().min(1)).default({}) })
      .strict()
      .default({ events: {} }),
  })
  .strict();
export type ServeConfig = z.output<typeof serveSchema>;

/**
 * Payload encryption (README, "Encrypting customer data"): the key new payloads are encrypted with, and every
 * key that may still be needed to read (each a 32-byte key, base64 or hex, in the variable `env` names). The
 * codec server, for the Web UI and the CLI: where it listens, the variable holding its bearer token, and the
 * browser origins (the Web UI's) allowed to call it.
 */
export const encryptionSchema = z
  .object({
    currentKey: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'a key id: 1 to 64 letters, digits or . _ : -'),
    keys: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'a key id: 1 to 64 letters, digits or . _ : -'),
            env: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
    codecServer: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(8788),
        tokenEnv: z.string().min(1).default('JOURNEYS_CODEC_TOKEN'),
        origins: z.array(z.string().min(1)).default([]),
        /** Also answer under `/codec` on `journeys serve` (bearer token only). */
        onServe: z.boolean().default(false),
      })
      .strict()
      .default({
        host: '127.0.0.1',
        port: 8788,
        tokenEnv: 'JOURNEYS_CODEC_TOKEN',
        origins: [],
        onServe: false,
      }),
  })
  .strict()
  .refine((e) => e.keys.some((k) => k.id === e.currentKey), {
    message: 'currentKey must be one of the ids in keys',
    path: ['currentKey'],
  })
  .refine((e) => new Set(e.keys.map((k) => k.id)).size === e.keys.length, {
    message: 'each key id appears once',
    path: ['keys'],
  });
export type EncryptionConfig = z.output<typeof encryptionSchema>;

export const configSchema = z
  .object({
    /** Which entry of `profiles` to connect with; `JOURNEYS_PROFILE` overrides it. */
    profile: z.string().min(1).default('local'),
    profiles: z
      .record(z.string(), profileSchema)
      .default({ local: localProfileSchema.parse({ type: 'local' }) }),
    taskQueue: z.string().min(1).default('journeys'),
    /** The app's journeys module (a folder or file, relative to `temporal.yaml`): the worker, the kit and the CLI read it. */
    workflows: z.string().min(1).default('workflows'),
    /** Journey time runs this many times faster than the clock, for local demos. Fixed per enrolment. */
    timeScale: z.number().positive().max(1_000_000).default(1),
    server: z
      .object({
        /** The Temporal CLI binary; `TEMPORAL_CLI_PATH` overrides it. */
        cliPath: z.string().min(1).optional(),
        /** The time-skipping test server executable; `TEMPORAL_TEST_SERVER_PATH` overrides it. */
        testServerPath: z.string().min(1).optional(),
        /**
         * Where installed binaries are cached, relative to `temporal.yaml`; by default once per user
         * (`$XDG_CACHE_HOME/temporal-journeys`, else `~/.cache/temporal-journeys`), shared by every project.
         * `JOURNEYS_CACHE_DIR` overrides both.
         */
        cacheDir: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    providers: z
      .object({
        resend: resendSchema.optional(),
        twilio: twilioSchema.optional(),
        webhooks: z.record(z.string(), endpointSchema).optional(),
        push: endpointSchema.optional(),
      })
      .strict()
      .default({}),
    contacts: contactsSchema.default({ caps: [], quietHours: {}, overCap: 'defer', defaultTimeZone: 'UTC' }),
    /**
     * Signed unsubscribe and double opt-in links in emails: `baseUrl` is where customers reach the
     * journeys' HTTP server (`createWebhookServer`), `secretEnv` the variable holding the signing secret.
     */
    links: z
      .object({
        baseUrl: z.url(),
        secretEnv: z.string().min(1).default('JOURNEYS_LINK_SECRET'),
      })
      .strict()
      .optional(),
    /** Retry policy and timeouts per channel (`email`, `sms`, `webhook`, `push`, a custom one, or `default`). */
    channels: z.record(z.string(), channelOptionsSchema).default({}),
    /** Worker tuning: cache and concurrency (`createJourneyWorker` options override it). */
    worker: workerTuningSchema.default({}),
    /**
     * A worker's metrics, the Temporal SDK's and the package's (`journeys_sends`, `journeys_gate_decisions`):
     * a Prometheus endpoint to scrape (`prometheus: { bindAddress: 0.0.0.0:9464 }`) or an OpenTelemetry
     * collector to push to (`otel: { url: http://collector:4317 }`). `createJourneyWorker` installs
     * Temporal's runtime with it.
     */
    metrics: z
      .union([
        z.strictObject({
          prometheus: z.strictObject({ bindAddress: z.string().regex(/^[^:\s]+:\d{1,5}$/) }),
        }),
        z.strictObject({ otel: z.strictObject({ url: z.url() }) }),
      ])
      .optional(),
    /** `journeys serve`: host, port, API keys, limits, CORS, the Segment mapping. */
    serve: serveSchema.default({
      host: '127.0.0.1',
      port: 8787,
      keys: [],
      keysEnv: 'JOURNEYS_API_KEYS',
      rate: { perSecond: 100, burst: 200 },
      maxBodyBytes: 1 << 20,
      maxBatch: 100,
      requestTimeout: '10 seconds',
      segment: { events: {} },
    }),
    /** Payload encryption and the codec server; off when absent. */
    encryption: encryptionSchema.optional(),
    /** How events are checked and ordered (README, "How events are ordered"). */
    events: eventsSchema.default({
      orderWindow: '2 seconds',
      keepUnrouted: '10 minutes',
      maxFuture: '5 minutes',
      maxBytes: 262_144,
    }),
  })
  .strict();

export type JourneysConfigInput = z.input<typeof configSchema>;
/** The `events` section: order window, how long unrouted events are kept, `at` bounds, size. */
export type EventsConfig = z.output<typeof eventsSchema>;
/** A loaded, validated `temporal.yaml`, with paths resolved against its folder. */
export type JourneysConfig = z.output<typeof configSchema> & {
  /** The file it came from, or `undefined` when built from defaults. */
  readonly file: string | undefined;
  /** The profile chosen by `profile` or `JOURNEYS_PROFILE`. */
  readonly connection: Profile;
  /**
   * Whether the profile was named (the file's `profile:` key, `JOURNEYS_PROFILE`, or the option): then it
   * wins over Temporal's own configuration (see `connectionOptionsOf`).
   */
  readonly profileChosen: boolean;
  /** `server.cacheDir` resolved: always set. */
  readonly server: { readonly cacheDir: string };
};
export type Profile = z.output<typeof profileSchema>;
export type LocalProfile = z.output<typeof localProfileSchema>;
