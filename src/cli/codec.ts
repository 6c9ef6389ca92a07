import { randomBytes } from 'node:crypto';
import { codecServerSettings, startCodecServer } from '../codec';
import { loadConfig } from '../config';
import { parseFlags, portFlag } from './args';

/**
 * `journeys codec-server [--port N] [--host H]`: Temporal's remote codec protocol with temporal.yaml's keys,
 * for the Web UI and `temporal workflow show --codec-endpoint`, until SIGINT or SIGTERM.
 */
export async function codecServer(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { port: { type: 'string' }, host: { type: 'string' } });
  const settings = codecServerSettings(loadConfig());
  const server = await startCodecServer({
    ...settings,
    host: values.host ?? settings.host,
    port: portFlag(values.port, 'port', settings.port),
  });
  console.error(
    `journeys codec-server: ${server.url} (POST /encode, /decode; Authorization: Bearer <token>)`,
  );
  console.error(
    `journeys codec-server: browsers allowed from ${settings.origins.length ? settings.origins.join(', ') : 'no origin (encryption.codecServer.origins)'}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return 0;
}

/** `journeys keys encryption <id>`: a new 32-byte payload key (shown once) and its temporal.yaml entry. */
export function newEncryptionKey(id: string): number {
  const key = randomBytes(32).toString('base64');
  const variable = `JOURNEYS_KEY_${id.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  console.log(`Payload encryption key "${id}" (shown once; keep it in your secret store, never in git):\n`);
  console.log(`  export ${variable}=${key}\n`);
  console.log(
    `temporal.yaml:\n\nencryption:\n  currentKey: ${id}\n  keys:\n    - { id: ${id}, env: ${variable} }\n    # keep the previous keys listed while histories hold payloads under them\n`,
  );
  return 0;
}
