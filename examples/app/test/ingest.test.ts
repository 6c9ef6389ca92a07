import { createIngestServer, hashApiKey } from 'temporal-journeys/http';
import { useJourneyTestEnv } from 'temporal-journeys/testing';
import { templates } from '../templates.js';
import { trialExpiry } from '../workflows/index.js';

const DAY = 86_400_000;
const env = useJourneyTestEnv({ journeys: [trialExpiry], templates });
const KEY = 'billing-service-key-0123456789abcdef';

test('the billing service (any language) starts a trial over HTTP, and the email goes out', async () => {
  const server = await createIngestServer({
    journeys: [trialExpiry],
    client: env.journeys,
    keys: [{ id: 'billing', hash: hashApiKey(KEY), scopes: ['events:write'] }],
    port: 0,
    audit: () => undefined,
    dashboard: false,
  });
  try {
    const ada = await env.customer({ email: 'ada@example.com' });
    const endsAt = new Date((await env.now()).getTime() + 14 * DAY).toISOString();
    const post = () =>
      fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: `trial-${ada.id}`,
          type: 'trial.started',
          customer: { id: ada.id, email: 'ada@example.com' },
          data: { plan: 'pro', endsAt },
        }),
      });
    const first = (await (await post()).json()) as { results: { status: string }[] };
    expect(first.results[0]?.status).toBe('accepted');
    const retry = (await (await post()).json()) as { results: { status: string }[] };
    expect(retry.results[0]?.status).toBe('duplicate');
    const email = await env.nextMessage(ada);
    expect(email.channel === 'email' && email.subject).toBe(`Your pro trial ends on ${endsAt.slice(0, 10)}`);
  } finally {
    await server.close();
  }
});
