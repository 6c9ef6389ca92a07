import path from 'node:path';
import { API_SCOPES, loadConfig, type ApiScope } from '../config';
import {
  createApiKey,
  createIngestServer,
  createOpenApiDocument,
  ingestEvents,
  packageVersion,
} from '../http';
import { parseFlags, portFlag } from './args';
import { newEncryptionKey } from './codec';
import { loadJourneysModule } from './journeys-module';

/**
 * `journeys serve [--port N] [--host H] [--workflows PATH]`: the HTTP API on the configured Temporal, until
 * SIGINT or SIGTERM, which drain the requests in flight first.
 */
export async function serve(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    workflows: { type: 'string' },
    'web-ui': { type: 'string' },
  });
  const config = loadConfig();
  const loaded = loadJourneysModule(values.workflows);
  const server = await createIngestServer({
    journeys: [...loaded.journeys.values()],
    config,
    port: portFlag(values.port, 'port', config.serve.port),
    host: values.host ?? config.serve.host,
    dashboard: { sourceDir: path.dirname(loaded.path), webUiUrl: values['web-ui'] },
  });
  const keys = config.serve.keys.length + (process.env[config.serve.keysEnv] ? 1 : 0);
  console.error(
    `journeys serve: ${server.url} (API reference ${server.url}/docs, OpenAPI ${server.url}/openapi.json)`,
  );
  console.error(`journeys serve: ${loaded.journeys.size} journeys from ${loaded.path}`);
  if (!keys)
    console.error(
      `journeys serve: no API keys (serve.keys in temporal.yaml, or ${config.serve.keysEnv}): every /v1 call is refused. Make one with \`journeys keys create <id> --scopes events:write\`.`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.error('journeys serve: draining requests in flight …');
  await server.close();
  return 0;
}

/** `journeys openapi [--workflows PATH]`: the OpenAPI document `journeys serve` answers, on stdout. */
export function openapi(argv: string[]): number {
  const { values } = parseFlags(argv, { workflows: { type: 'string' } });
  const config = loadConfig();
  const loaded = loadJourneysModule(values.workflows);
  const journeys = [...loaded.journeys.values()];
  const document = createOpenApiDocument({
    events: ingestEvents(journeys),
    journeys: journeys.map((j) => j.definition),
    serve: config.serve,
    version: packageVersion(),
  });
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  return 0;
}

/** `journeys keys create <id> --scopes a,b`: a new API key (shown once) and the entry for temporal.yaml. */
export function keys(argv: string[]): number {
  const { values, positionals } = parseFlags(argv, { scopes: { type: 'string' } });
  const [verb, id] = positionals;
  if (verb === 'encryption' && id && /^[A-Za-z0-9._:-]{1,64}$/.test(id)) return newEncryptionKey(id);
  if (verb !== 'create' || !id || !values.scopes) {
    console.error(
      `Usage: journeys keys create <id> --scopes ${API_SCOPES.join(',')}\n       journeys keys encryption <key-id>`,
    );
    return 2;
  }
  const scopes = values.scopes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(API_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    console.error(`Unknown scope ${unknown.join(', ')}; the scopes are ${API_SCOPES.join(', ')}.`);
    return 2;
  }
  const { key, entry } = createApiKey(id, scopes as ApiScope[]);
  console.log(`API key (shown once; give it to the caller, keep it out of git):\n\n  ${key}\n`);
  console.log(
    `temporal.yaml (only the hash is kept):\n\nserve:\n  keys:\n    - id: ${entry.id}\n      hash: ${entry.hash}\n      scopes: [${entry.scopes.join(', ')}]\n`,
  );
  console.log(`or in ${'JOURNEYS_API_KEYS'} (a JSON array): ${JSON.stringify([entry])}`);
  return 0;
}
