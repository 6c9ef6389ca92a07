import { randomBytes } from 'node:crypto';
import { encryptingDataConverter, staticKeyRing } from 'temporal-journeys/codec';
import { useJourneyTestEnv } from 'temporal-journeys/testing';
import { templates } from '../templates.js';
import { trialExpiry } from '../workflows/index.js';

const DAY = 86_400_000;
const dataConverter = encryptingDataConverter(
  staticKeyRing({ current: 'app-1', keys: { 'app-1': randomBytes(32) } }),
);
const env = useJourneyTestEnv({ journeys: [trialExpiry], templates, dataConverter });

test('with encryption on, the journey runs as before and its history holds no address', async () => {
  const ada = await env.customer({ email: 'ada.secret@example.com' });
  const endsAt = new Date((await env.now()).getTime() + 14 * DAY).toISOString();
  const { deliveries } = await env.emit('trial.started', ada, { plan: 'pro', endsAt });
  const email = await env.nextMessage(ada);
  expect(email.channel === 'email' && email.to).toEqual(['ada.secret@example.com']);
  // The history as the server stores it (fetchHistory does not decode).
  const history = await env.journeys.temporal.workflow.getHandle(deliveries[0]!.workflowId).fetchHistory();
  const stored = bytesOf(history).map((b) => Buffer.from(b).toString('utf8'));
  expect(stored.length).toBeGreaterThan(0);
  expect(stored.filter((text) => text.includes('ada.secret@example.com'))).toEqual([]);
  expect(stored).toContain('binary/encrypted');
});

/** Every byte string in a history (payload data and metadata), as the server keeps them. */
function bytesOf(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) for (const v of value) bytesOf(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) bytesOf(v, out);
  return out;
}
