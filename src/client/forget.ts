import type { Client } from '@temporalio/client';
import { contactWorkflowId } from '../contact/entity';
import { JourneyError } from '../errors';
import { inboxWorkflowId } from '../inbox/definitions';
import { idProblem } from '../journey';

/** Where a customer's profile rows are, to erase them with their runs (a SQL profile source has this). */
export interface ForgettableProfiles {
  forgetCustomer(customerId: string): Promise<Readonly<Record<string, number>>>;
}

export interface ForgetOptions {
  /** The customer's profile rows to delete too (e.g. `createPostgresProfileSource(…)`). */
  readonly profiles?: ForgettableProfiles;
  /** How long to wait for visibility to stop listing the deleted runs (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * How long to keep looking for runs visibility has not indexed yet (started just before), sweeping again
   * every half second (default 2 s).
   */
  readonly settleMs?: number;
}

/** What `forget` removed. */
export interface ForgetReport {
  readonly customerId: string;
  /** Every execution deleted: journeys' runs, the contact and the inbox, each with how it stood. */
  readonly executions: readonly {
    readonly workflowId: string;
    readonly runId: string;
    readonly status: string;
  }[];
  /** How many of them were still running (ended by the deletion, outcome lost with the history). */
  readonly ended: number;
  /** Profile rows deleted, by table; absent without `profiles`. */
  readonly profileRows?: Readonly<Record<string, number>>;
  /** Executions visibility still listed when the wait ran out (deletion is asynchronous on the server). */
  readonly stillListed: number;
}

/**
 * Erases a customer (the right to be forgotten): their inbox first (so no event waiting there starts a new
 * run), then every journey run visibility lists for them (`CustomerId`), open or closed, every run of each,
 * then their contact; then their profile rows. Each execution is deleted with its whole history (a running
 * one is terminated by the server first), every run of each id (a contact that continued as new included),
 * sweeping again until visibility, which indexes new runs shortly after they start, shows nothing new. Then
 * waits until visibility lists none of them. Safe to run again: a second run finds nothing. Errors other
 * than "not found" (Temporal unavailable, permission denied) are thrown, never taken as "gone". An event emitted for the customer while this runs can start a run after it:
 * stop the producers first, or run it again.
 */
export async function forgetCustomer(
  client: Client,
  customerId: string,
  options: ForgetOptions = {},
): Promise<ForgetReport> {
  const problem = idProblem(customerId);
  if (problem) throw new JourneyError('INPUT_INVALID', `customer id ${problem}`);
  const query = `CustomerId = ${JSON.stringify(customerId)}`;
  const executions: { workflowId: string; runId: string; status: string }[] = [];
  const deleted = new Set<string>();
  const notFound = (err: unknown) => (err as { code?: number }).code === 5 || /not found/i.test(String(err));
  const remove = async (workflowId: string, runId: string, status: string) => {
    if (deleted.has(`${workflowId} ${runId}`)) return;
    try {
      await client.workflowService.deleteWorkflowExecution({
        namespace: client.options.namespace,
        workflowExecution: { workflowId, runId },
      });
      deleted.add(`${workflowId} ${runId}`);
      executions.push({ workflowId, runId, status });
    } catch (err) {
      if (!notFound(err)) throw err; // gone already; anything else (unavailable, denied) is the caller's
    }
  };
  // Every run of an id: the ones visibility lists, then the current one by id until there is none, so a
  // run that continued as new (or started) after the listing goes too.
  const removeAll = async (workflowId: string) => {
    for await (const run of client.workflow.list({ query: `WorkflowId = ${JSON.stringify(workflowId)}` }))
      await remove(run.workflowId, run.runId, run.status.name);
    for (let i = 0; i < 20; i++) {
      let described;
      try {
        described = await client.workflow.getHandle(workflowId).describe();
      } catch (err) {
        if (notFound(err)) return;
        throw err;
      }
      if (deleted.has(`${workflowId} ${described.runId}`)) {
        await new Promise((resolve) => setTimeout(resolve, 200)); // deleted, not yet gone
        continue;
      }
      await remove(workflowId, described.runId, described.status.name);
    }
  };
  const journeyIds = new Set<string>();
  const sweep = async () => {
    const before = executions.length;
    await removeAll(inboxWorkflowId(customerId));
    for await (const run of client.workflow.list({ query })) journeyIds.add(run.workflowId);
    for (const id of journeyIds) await removeAll(id);
    await removeAll(contactWorkflowId(customerId));
    return executions.length - before;
  };
  // Visibility indexes a run shortly after it starts: sweep again after it has had time to, until a sweep
  // finds nothing new.
  const started = Date.now();
  const settleMs = options.settleMs ?? 2_000;
  // Bounded: a producer still emitting for the customer would otherwise keep it sweeping (reported below
  // as still listed, so the caller knows to stop it and run again).
  for (let pass = 0; pass < 20; pass++) {
    const found = await sweep();
    if (found === 0 && Date.now() - started >= settleMs) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const profileRows = await options.profiles?.forgetCustomer(customerId);

  // Visibility drops deleted executions shortly after: wait, so a caller listing next sees none.
  const ids = [
    ...new Set([
      ...executions.map((e) => e.workflowId),
      inboxWorkflowId(customerId),
      contactWorkflowId(customerId),
    ]),
  ];
  const listed = async () => {
    let n = 0;
    for await (const _ of client.workflow.list({
      query: `${query} OR WorkflowId IN (${ids.map((id) => JSON.stringify(id)).join(', ')})`,
    }))
      n++;
    return n;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let stillListed = await listed();
  while (stillListed > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stillListed = await listed();
  }
  return {
    customerId,
    executions,
    ended: executions.filter((e) => e.status === 'RUNNING').length,
    ...(profileRows && { profileRows }),
    stillListed,
  };
}
