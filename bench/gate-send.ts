/**
 * "Gated ÷ ungated send" as a journey feels it, on the dev server (SQLite file, WAL): the time from the
 * workflow task that reaches a send to the workflow task that goes on after the email activity completed,
 * read from the runs' histories (server timestamps), for a journey's `send.email` through the contact gate
 * against a raw Temporal workflow sending the same email with the same activity options and no gate. Runs
 * alternate, one at a time, over five customers whose contacts exist after the warm-up.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { OPEN_POLICY } from '../activities';
import { createJourneyClient, type JourneyClient } from '../src/client';
import { startProviderFakes } from '../src/testing';
import { bundleJourneys } from '../src/worker';
import { gatedSend } from './gate-journeys';
import { onServer, type BenchServer } from './servers';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const time = (e: HistoryEvent) =>
  Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);

/**
 * From the start of the workflow task whose commands begin the send (the gate's local activity marker or
 * activity, or the email activity itself) to the start of the task after the email activity completed.
 */
export function sendSpan(events: readonly HistoryEvent[]): number {
  const first = events.findIndex(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED ||
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  );
  const taskStarted = events
    .slice(0, first)
    .reverse()
    .find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const email = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendEmail',
  );
  const done = events.findIndex(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED &&
      Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === Number(email?.eventId),
  );
  const after = events.slice(done).find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  if (!taskStarted || !after || done < 0) throw new Error('send span: the send is not in this history');
  return time(after) - time(taskStarted);
}

/** Median send time of each kind over `runs` runs each; prints and returns them. */
export function gateSendBench(
  runs: number,
  given?: BenchServer,
): Promise<{ gated: number; ungated: number }> {
  return onServer(given, 'send', (server) => gateSend(server, runs));
}

async function gateSend(server: BenchServer, runs: number): Promise<{ gated: number; ungated: number }> {
  const fakes = await startProviderFakes();
  try {
    const client = server.client;
    const taskQueue = 'bench-gate-send';
    const worker = await Worker.create({
      connection: server.nativeConnection,
      taskQueue,
      workflowBundle: await bundleJourneys(path.resolve(__dirname, 'gate-journeys')),
      activities: fakes.activities({ gate: { client, taskQueue, policy: OPEN_POLICY } }),
    });
    const journeys = await createJourneyClient({ journeys: [gatedSend], client, taskQueue });
    const result = await worker.runUntil(() => alternate(client, journeys, taskQueue, runs));
    console.log(
      `gated ÷ ungated send in a journey, ${server.label}, history timestamps (${runs} runs each, one at a time)`,
    );
    console.log(
      `         journey send.email through the gate ${result.gated.toFixed(0)} ms   raw workflow's sendEmail ${result.ungated.toFixed(0)} ms   ratio ${(result.gated / result.ungated).toFixed(2)}`,
    );
    return result;
  } finally {
    await fakes.close();
  }
}

async function alternate(
  client: Client,
  journeys: JourneyClient,
  taskQueue: string,
  runs: number,
): Promise<{ gated: number; ungated: number }> {
  const gated: number[] = [];
  const ungated: number[] = [];
  const span = async (workflowId: string) =>
    sendSpan((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []);
  for (let i = -5; i < runs; i++) {
    const c = { id: `send-${(i + 5) % 5}`, email: `send${(i + 5) % 5}@example.com` };
    const rawId = `bench/raw-send/${c.id}/${i}`;
    await client.workflow.execute('rawSend', {
      workflowId: rawId,
      taskQueue,
      args: [{ customerId: c.id, email: c.email, key: rawId }],
    });
    const { workflowId } = await journeys.enroll(gatedSend, { customer: c });
    await client.workflow.getHandle(workflowId).result();
    if (i < 0) continue; // warm-up: each contact's first start, the JIT, the worker's cache
    ungated.push(await span(rawId));
    gated.push(await span(workflowId));
  }
  return { gated: median(gated), ungated: median(ungated) };
}
