import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { JourneyError } from '../errors';
import { journeyWorkflowId, type CustomerRef, type JourneyDefinition, type JourneyInput } from '../journey';
import { parseCustomer } from './customer';
import {
  runEnrollMany,
  type EnrollManyBadRow,
  type EnrollManyItem,
  type EnrollManyOptions,
  type EnrollManySummary,
} from './enroll-many';
import type { EventTime } from './event-time';
import { checkId } from './ids';

interface EnrollItem {
  readonly customer: unknown;
  readonly data?: unknown;
  readonly key?: string;
}

/** Proactive enrolment: one customer, or many with bounded concurrency. */
export function createEnroll(ctx: {
  readonly client: Client;
  readonly time: EventTime;
  readonly startOptions: (
    journey: JourneyDefinition,
    customer: CustomerRef,
    workflowId: string,
    extra: Pick<JourneyInput, 'data' | 'key' | 'enrolledAt'>,
  ) => Promise<Omit<WorkflowStartOptions, 'args'> & { args: [JourneyInput] }>;
}) {
  const proactive = (journey: JourneyDefinition) => {
    if (journey.trigger) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is reactive (trigger "${journey.trigger.name}"): emit its trigger event instead of enrolling.`,
      );
    }
  };
  /** Checks an enrolment (the customer, the key when keyed) and derives its workflow id. */
  const enrolment = (journey: JourneyDefinition, item: EnrollItem) => {
    proactive(journey);
    const customer = parseCustomer(item.customer);
    if (journey.keyed && item.key === undefined) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is keyed: enrol with a key (e.g. { customer, key: invoiceId }).`,
      );
    }
    if (!journey.keyed && item.key !== undefined) {
      throw new JourneyError(
        'JOURNEY_INVALID',
        `Journey "${journey.name}" is not keyed; enrol without a key.`,
      );
    }
    const key = item.key === undefined ? undefined : checkId(item.key, 'key');
    return { customer, key, id: journeyWorkflowId(journey.name, customer.id, key) };
  };
  const start = async (journey: JourneyDefinition, item: EnrollItem, conflict: 'USE_EXISTING' | 'FAIL') => {
    const { customer, key, id } = enrolment(journey, item);
    const enrolledAt = await ctx.time.check(undefined, 'at');
    const handle = await ctx.client.workflow.start(journey.workflowType, {
      ...(await ctx.startOptions(journey, customer, id, { data: item.data, key, enrolledAt })),
      workflowIdConflictPolicy: conflict,
    });
    return { id, handle };
  };

  return {
    async one(journey: JourneyDefinition, options: EnrollItem) {
      const { id } = enrolment(journey, options);
      try {
        const { handle } = await start(journey, options, 'USE_EXISTING');
        return { workflowId: id, runId: handle.firstExecutionRunId, status: 'enrolled' as const };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError)
          return { workflowId: id, runId: undefined, status: 'not-entered' as const };
        throw err;
      }
    },

    many(
      journey: JourneyDefinition,
      items: AsyncIterable<EnrollManyItem | EnrollManyBadRow> | Iterable<EnrollManyItem | EnrollManyBadRow>,
      options?: EnrollManyOptions,
    ): Promise<EnrollManySummary> {
      proactive(journey); // a reactive journey fails here, before any item is read
      return runEnrollMany(
        items,
        async (item) => {
          try {
            // FAIL, not USE_EXISTING: a customer already inside is reported as skipped, not enrolled again.
            await start(journey, item, 'FAIL');
            return { status: 'enrolled' };
          } catch (err) {
            if (err instanceof WorkflowExecutionAlreadyStartedError)
              return { status: 'skipped', reason: `already enrolled (${enrolment(journey, item).id})` };
            throw err;
          }
        },
        options,
      );
    },
  };
}
