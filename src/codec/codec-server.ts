import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { JourneysConfig } from '../config';
import { ConfigError, isJourneyError } from '../errors';
import { dataConverterOf } from './data-converter';

/** The largest request the codec server reads: a page of a history's payloads (Temporal's are ≤ 2 MB each). */
const MAX_BODY_BYTES = 32 << 20;

export interface CodecRoutesOptions {
  /** The codec to run (the one `dataConverterOf(config)` holds). */
  readonly codec: PayloadCodec;
  /** The bearer token callers send; at least 24 characters. */
  readonly token: string;
  /** Browser origins allowed to call (the Web UI's, e.g. `http://localhost:8233`). */
  readonly origins: readonly string[];
  /** Accept the token as the path segment before the operation (default true; the dev server's Web UI needs it). */
  readonly tokenInPath?: boolean;
}

/**
 * Temporal's remote codec protocol on Hono: `POST …/encode` and `POST …/decode` take and answer
 * `{ "payloads": [ … ] }` (Payloads in protobuf JSON: metadata values and data in base64). Only the last
 * path segment picks the operation, so it mounts at any depth. The caller proves itself with
 * `Authorization: Bearer <token>` (the Temporal CLI's `--codec-auth`, the Web UI's "pass access token"), or
 * with the token as the path segment before it (`…/<token>/decode`), since the Web UI of a server without
 * single sign-on sends no Authorization header. CORS answers the origins listed (credentials allowed).
 */
export function codecRoutes(options: CodecRoutesOptions): Hono {
  if (options.token.length < 24)
    throw new ConfigError(
      'The codec server token must be at least 24 characters (e.g. `openssl rand -hex 24`).',
    );
  const expected = digest(options.token);
  const allowed = new Set(options.origins);
  const app = new Hono();
  const cors = (c: Context) => {
    const origin = c.req.header('origin');
    if (!origin || !allowed.has(origin)) return;
    c.header('access-control-allow-origin', origin);
    c.header('access-control-allow-credentials', 'true');
    c.header('vary', 'Origin');
  };
  app.options('*', (c) => {
    cors(c);
    c.header('access-control-allow-methods', 'POST, OPTIONS');
    c.header(
      'access-control-allow-headers',
      'content-type, x-namespace, authorization, authorization-extras',
    );
    c.header('access-control-max-age', '600');
    // Chrome asks before a page on the internet calls a server on a private address (a local codec server).
    if (c.req.header('access-control-request-private-network') === 'true')
      c.header('access-control-allow-private-network', 'true');
    return c.body(null, 204);
  });
  app.post(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        cors(c);
        return c.json({ error: `a codec request is at most ${MAX_BODY_BYTES} bytes` }, 413);
      },
    }),
    async (c) => {
      cors(c);
      const segments = c.req.path.split('/').filter(Boolean);
      const operation = segments.at(-1);
      if (operation !== 'encode' && operation !== 'decode')
        return c.json({ error: 'POST to …/encode or …/decode' }, 404);
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const inPath = options.tokenInPath === false ? undefined : segments.at(-2);
      if (!matches(bearer, expected) && !matches(inPath, expected)) {
        c.header('www-authenticate', 'Bearer realm="journeys codec"');
        return c.json({ error: 'send the codec token as "Authorization: Bearer <token>"' }, 401);
      }
      let payloads: Payload[];
      try {
        payloads = payloadsFromJson(await c.req.json());
      } catch (err) {
        return c.json(
          { error: `not Payloads JSON: ${err instanceof Error ? err.message : String(err)}` },
          400,
        );
      }
      try {
        const done =
          operation === 'encode'
            ? await options.codec.encode(payloads)
            : await options.codec.decode(payloads);
        return c.json({ payloads: done.map(payloadToJson) });
      } catch (err) {
        if (isJourneyError(err, 'KEY_MISSING') || isJourneyError(err, 'PAYLOAD_UNREADABLE'))
          return c.json({ error: err.message }, 422);
        throw err;
      }
    },
  );
  app.onError((err, c) => {
    cors(c);
    console.error('journeys codec server:', err);
    return c.json({ error: 'the codec failed; see the server log' }, 500);
  });
  return app;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
const matches = (presented: string | undefined, expected: Buffer) =>
  presented !== undefined && timingSafeEqual(digest(presented), expected);

/** Payloads from protobuf JSON (`{ payloads: [{ metadata: { k: base64 }, data: base64 }] }`). */
export function payloadsFromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new Error('expected { "payloads": [ … ] }');
  return list.map((p: unknown, i) => {
    if (typeof p !== 'object' || p === null) throw new Error(`payloads.${i} is not an object`);
    const { metadata = {}, data = '' } = p as { metadata?: unknown; data?: unknown };
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
      throw new Error(`payloads.${i}.metadata is not an object`);
    if (typeof data !== 'string') throw new Error(`payloads.${i}.data is not base64`);
    return {
      metadata: Object.fromEntries(
        Object.entries(metadata).map(([k, v]) => {
          if (typeof v !== 'string') throw new Error(`payloads.${i}.metadata.${k} is not base64`);
          return [k, new Uint8Array(Buffer.from(v, 'base64'))];
        }),
      ),
      data: new Uint8Array(Buffer.from(data, 'base64')),
    };
  });
}

/** A payload as protobuf JSON. */
export function payloadToJson(p: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v ?? new Uint8Array()).toString('base64'),
      ]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/** The codec server's settings from temporal.yaml: its codec, token (from the environment) and origins. */
export function codecServerSettings(
  config: JourneysConfig,
  env: NodeJS.ProcessEnv = process.env,
): CodecRoutesOptions & { readonly host: string; readonly port: number } {
  const converter = dataConverterOf(config, env);
  if (!config.encryption || !converter)
    throw new ConfigError(
      'temporal.yaml has no encryption: section, so there is nothing for a codec server to do.',
    );
  const server = config.encryption.codecServer;
  const token = env[server.tokenEnv];
  if (!token)
    throw new ConfigError(
      `The codec server needs its token in ${server.tokenEnv} (encryption.codecServer.tokenEnv): e.g. \`export ${server.tokenEnv}=$(openssl rand -hex 24)\`.`,
    );
  return {
    codec: converter.payloadCodecs[0]!,
    token,
    origins: server.origins,
    host: server.host,
    port: server.port,
  };
}

export interface CodecServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A codec server on its own port (`journeys codec-server`); `journeys serve` mounts the same routes at `/codec`. */
export async function startCodecServer(
  options: CodecRoutesOptions & { readonly host?: string; readonly port?: number },
): Promise<CodecServer> {
  const app = codecRoutes(options);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
