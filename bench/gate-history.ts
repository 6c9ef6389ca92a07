/**
 * The size of a workflow's history run by run, in bytes: what the gate's benches and tests measure a contact by.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { HistoryEvent } = temporal.api.history.v1;

/** One run of a workflow: its id, events and size in bytes (the events as protobuf, as the server keeps them). */
export interface RunSize {
  readonly runId: string;
  readonly events: number;
  readonly bytes: number;
  /** Bytes of the run's first event, which carries its input (a contact's snapshot). */
  readonly inputBytes: number;
}

const sizeOf = (e: temporal.api.history.v1.IHistoryEvent) =>
  HistoryEvent.encode(HistoryEvent.create(e)).finish().length;

/** Every run of `workflowId` from the first, following continue-as-new, with its size. */
export async function runSizes(client: Client, workflowId: string): Promise<RunSize[]> {
  const described = await client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = described.raw.workflowExecutionInfo?.firstRunId ?? described.runId;
  const runs: RunSize[] = [];
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    runs.push({
      runId,
      events: events.length,
      bytes: events.reduce((n, e) => n + sizeOf(e), 0),
      inputBytes: events[0] ? sizeOf(events[0]) : 0,
    });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}
