import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { endedByDeadline } from './contact-calls';
import { EventValidationError, JourneyError, JourneyNotFoundError } from '../errors';
import {
  EXIT_SIGNAL,
  journeyWorkflowId,
  STATE_QUERY,
  type ExitRequest,
  type JourneyDefinition,
  type JourneyState,
} from '../journey';
import type { Delivery } from './emit';
import type { EventTime } from './event-time';
import { checkId } from './ids';
import { keepInInbox } from './inbox';

/** Which run of a journey: a customer, and the key for keyed journeys. */
interface Target {
  readonly customerId: string;
  readonly key?: string;
}

/** A run to take a customer out of, and why. */
export interface ExitTarget extends Target {
  readonly reason?: string;
  /** When the exit was asked for (default now): ordered with the run's events by `at`. */
  readonly at?: Date | string;
  /** Makes a retried exit idempotent, like an event id. */
  readonly id?: string;
}

export interface StateOptions {
  /**
   * How long to wait for a worker to answer (default 30 s: a run whose worker died is answered by another
   * once Temporal gives up on the dead one's sticky queue, 10 s by default, and replays it).
   */
  readonly timeoutMs?: number;
}

const STATE_TIMEOUT_MS = 30_000;

/** The client's calls on one run: its workflow id, its state, and exit. */
export function createRuns(ctx: {
  readonly client: Client;
  readonly taskQueue: string;
  readonly time: EventTime;
  readonly keepMs: number;
}) {
  const workflowId = (journey: JourneyDefinition, target: Target): string => {
    const customerId = checkId(target?.customerId, 'customerId');
    if (journey.keyed && target.key === undefined) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is keyed; pass the key of the run (e.g. the cart id).`,
      );
    }
    const key = journey.keyed ? checkId(target.key, 'key') : undefined;
    return journeyWorkflowId(journey.name, customerId, key);
  };

  const signalExit = async (id: string, request: ExitRequest): Promise<boolean> => {
    try {
      await ctx.client.workflow.getHandle(id).signal(EXIT_SIGNAL, request);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  };

  return {
    workflowId,

    async exit(journey: JourneyDefinition, target: ExitTarget): Promise<Delivery> {
      const id = workflowId(journey, target);
      const request = {
        reason: typeof target.reason === 'string' ? target.reason : 'exit',
        at: await ctx.time.check(target.at, 'at'),
        id: target.id === undefined ? randomUUID() : checkId(target.id, 'id'),
      };
      if (await signalExit(id, request))
        return { journey: journey.name, workflowId: id, status: 'delivered' };
      // Not running now: kept, so a run whose trigger is on its way still ends; then tried once more.
      await keepInInbox(ctx.client, ctx.taskQueue, target.customerId, {
        item: { kind: 'exit', exit: request },
        targets: [{ journey: journey.name, workflowId: id }],
        keepMs: ctx.keepMs,
      });
      const status = (await signalExit(id, request)) ? 'delivered' : 'not-running';
      return { journey: journey.name, workflowId: id, status };
    },

    async state(
      journey: JourneyDefinition,
      target: Target,
      options: StateOptions = {},
    ): Promise<JourneyState> {
      const id = workflowId(journey, target);
      const timeout = options.timeoutMs ?? STATE_TIMEOUT_MS;
      if (!(timeout > 0))
        throw new EventValidationError('timeoutMs must be a positive number', undefined, [
          { path: 'timeoutMs', message: 'must be > 0' },
        ]);
      const deadline = Date.now() + timeout;
      try {
        return await ctx.client.withDeadline(deadline, () =>
          ctx.client.workflow.getHandle(id).query<JourneyState>(STATE_QUERY),
        );
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new JourneyNotFoundError(id, { cause: err });
        if (endedByDeadline(err, deadline)) {
          throw new JourneyError(
            'JOURNEY_UNAVAILABLE',
            `No worker answered the state of ${id} within ${timeout / 1000} s: is a worker running on task queue "${ctx.taskQueue}"?`,
            { cause: err },
          );
        }
        throw err;
      }
    },
  };
}
