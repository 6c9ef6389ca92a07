/**
 * Simulated days per wall second for the longest bundled journey, loyalty (a year: tier-up email, the
 * expiry reminder two weeks before points expire, lapsed), on the time-skipping server, against the raw SDK
 * doing the same activities and timers (`bench/raw-workflows.ts`). Rounds alternate raw and ours.
 */
import path from 'node:path';
import { createJourneyTestEnv } from '../src/testing';
import { loyalty } from '../workflows/loyalty';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function longestJourneyBench(runs: number): Promise<void> {
  const env = await createJourneyTestEnv({
    profiles: 'sql',
    journeys: [loyalty],
    workflowsPath: path.join(__dirname, 'raw-workflows'),
  });
  try {
    const client = env.t.env.client;
    const rates = { ours: [] as number[], raw: [] as number[] };
    for (let run = -1; run < runs; run++) {
      for (const kind of ['raw', 'ours'] as const) {
        const c = await env.customer({ email: `bench-${kind}-${run}-${Date.now()}@example.com` });
        const orderId = `bench-order-${c.id}`;
        const start = await env.now();
        await env.data.addOrder({
          id: orderId,
          customerId: c.id,
          placedAt: start,
          items: [{ productId: 'p', name: 'Tea', category: 'tea', price: 400, quantity: 1 }],
        });
        const wallStart = process.hrtime.bigint();
        let workflowId: string;
        if (kind === 'ours') {
          const { deliveries } = await env.journeys.emit({
            type: 'order.placed',
            customer: { ...c },
            data: { orderId, total: 400 },
            at: start,
          });
          workflowId = deliveries[0]!.workflowId;
        } else {
          workflowId = `bench/raw-loyalty/${c.id}`;
          await client.workflow.start('rawLoyalty', {
            workflowId,
            taskQueue: env.taskQueue,
            args: [{ customerId: c.id, email: c.email }],
          });
        }
        // Time moved by hand, as the tests do (awaiting result() would let the time-skipping server jump
        // ahead to the contact workflow's ten-year horizon), then the same polling for both kinds.
        await env.t.env.sleep(366 * 86_400_000);
        const handle = client.workflow.getHandle(workflowId);
        while ((await handle.describe()).status.name === 'RUNNING')
          await new Promise((r) => setTimeout(r, 5));
        const wall = Number(process.hrtime.bigint() - wallStart) / 1e9;
        const days = ((await env.now()).getTime() - start.getTime()) / 86_400_000;
        const ended = kind === 'ours' ? await env.outcome(loyalty, c) : (await handle.describe()).status.name;
        if (ended !== (kind === 'ours' ? 'lapsed' : 'COMPLETED'))
          throw new Error(`${kind} loyalty: ${ended}`);
        if (run >= 0) rates[kind].push(days / wall);
      }
    }
    const ours = median(rates.ours);
    const raw = median(rates.raw);
    console.log(
      `loyalty, a year to lapsed (2 emails through the gate, 3 profile reads), time-skipping server, ${runs} runs`,
    );
    console.log(
      `         ${ours.toFixed(0).padStart(6)} simulated days/s   raw SDK, same work ${raw.toFixed(0).padStart(6)} days/s   ratio ${(ours / raw).toFixed(2)}`,
    );
  } finally {
    await env.close();
  }
}
