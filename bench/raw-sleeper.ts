/**
 * The memory bench's baseline, bundled on its own: `bench-sleeper`'s work written with the raw Temporal SDK
 * (the same webhook activity, the same month's sleep, a signal to end it), with none of the journey runtime.
 */
import { condition, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SendWebhookRequest } from '../src/journey';

const act = proxyActivities<{ sendWebhook(request: SendWebhookRequest): Promise<unknown> }>({
  startToCloseTimeout: '30 seconds',
});

export const wakeSignal = defineSignal('wake');

export async function rawSleeper(customerId: string): Promise<'woke' | 'slept'> {
  let woke = false;
  setHandler(wakeSignal, () => void (woke = true));
  await act.sendWebhook({
    journey: 'raw-sleeper',
    customerId,
    step: 'hand-off',
    idempotencyKey: `${workflowInfo().runId}/hand-off`,
    target: 'crm',
    payload: { customer: customerId },
  });
  return (await condition(() => woke, '30 days')) ? 'woke' : 'slept';
}
