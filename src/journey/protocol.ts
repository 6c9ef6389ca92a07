import type { ChannelActivityOptions, SendRecord } from './channels';

/**
 * The wire contract between the client and a running journey: signal and query names and the shapes they
 * carry. Plain JSON, so a service in another language can speak it too.
 */

/**
 * How a journey ended. `converted`: its goal event arrived (or the journey's `goalOutcome`, e.g.
 * `reactivated`); `exited`: asked to leave (client `exit`); `completed`: the body returned nothing; any
 * other kebab-case word is what the body returned (`lapsed`, `paid`, `not-satisfied`).
 */
export type JourneyOutcome = 'completed' | 'converted' | 'exited' | 'failed' | (string & {});

/** A step the customer passed, with the workflow time they entered it. */
export interface StepPassed {
  readonly name: string;
  readonly at: string;
}

/** What the `journeys.state` query returns, and what a finished journey returns as its result. */
export interface JourneyState {
  readonly journey: string;
  readonly customerId: string;
  /** The step the customer is in, or the last one entered. */
  readonly step: string | null;
  /** Every step entered, in order, a step entered twice listed twice. */
  readonly steps: readonly StepPassed[];
  readonly outcome: JourneyOutcome | null;
  readonly variant: string | null;
  /** For `converted`: the last step entered before the goal arrived (null: before the first step). */
  readonly convertedAfter: string | null;
  /** Event types the journey is waiting for right now, if it is inside `waitFor`. */
  readonly waitingFor: readonly string[] | null;
  /**
   * Events dropped at the workflow boundary: their envelope or data failed validation, their `at` was out of
   * bounds, or a delivery event named a message this run never sent.
   */
  readonly rejectedEvents: number;
  /** Events that reached the run but happened (`at`) before the journey began: they do not count for it. */
  readonly ignoredEvents: number;
  /** Events that reached the run and wait out the order window before they are applied, oldest `at` first. */
  readonly pendingEvents: number;
  /** With `reentry: { after }`: when the customer may enter again. */
  readonly reenterableAt: string | null;
  /** Every send, in order, with its step, status and provider message id. */
  readonly sends: readonly SendRecord[];
  /** A send the customer's contact deferred (quiet hours, a full cap), while the journey waits for its slot. */
  readonly deferred: DeferredSend | null;
  /** When the run's next timer fires (a sleep, a wait's deadline), in workflow time; null when none runs. */
  readonly wakesAt: string | null;
}

/** A send waiting for the slot its contact named; `until` is wall time (the contact's rules run on the real clock). */
export interface DeferredSend {
  readonly channel: string;
  readonly step: string;
  readonly until: string;
  readonly reason: 'quiet_hours' | 'frequency_cap';
}

/** Arguments a journey workflow is started with. */
export interface JourneyInput {
  readonly customer: CustomerRef;
  /** Input of a proactive enrolment. */
  readonly data?: unknown;
  /** The key of a keyed proactive enrolment (`keyed: true`), e.g. the invoice id. */
  readonly key?: string;
  /**
   * Journey time runs this many times faster than wall time (1 in production). Fixed at enrolment and kept
   * in the history, so a replay computes the same timers.
   */
  readonly timeScale?: number;
  /** Retry and timeouts per channel (`temporal.yaml` `channels`), fixed at enrolment like the time scale. */
  readonly channels?: Readonly<Record<string, ChannelActivityOptions>>;
  /** How the run orders the events that reach it (`temporal.yaml` `events`), fixed at enrolment. */
  readonly ordering?: EventOrdering;
  /**
   * When a proactive enrolment happened (ISO-8601, the client's clock): an event from before it does not
   * count for the run. Reactive runs begin at their trigger's `at`.
   */
  readonly enrolledAt?: string;
}

/**
 * How a journey orders the events that reach it: each is held `windowMs` (workflow time) after it arrives,
 * then the held ones are applied oldest `at` first, so events emitted at once by different services apply in
 * the order they happened, whichever reached Temporal first. Events whose `at` lies more than `maxFutureMs`
 * ahead of the run's clock, or more than `maxAgeMs` behind it, are rejected.
 */
export interface EventOrdering {
  readonly windowMs: number;
  readonly maxFutureMs: number;
  readonly maxAgeMs: number;
}

/** What a run started by something other than this client orders its events with. */
export const DEFAULT_ORDERING: EventOrdering = {
  windowMs: 2_000,
  maxFutureMs: 5 * 60_000,
  maxAgeMs: 30 * 86_400_000,
};

/** The customer a journey runs for. `id` must be an opaque id: it is stored in search attributes, unencrypted. */
export interface CustomerRef {
  readonly id: string;
  readonly email?: string;
  readonly phone?: string;
}

/** Argument of the `journeys.exit` signal. */
export interface ExitRequest {
  readonly reason: string;
  /** When the exit was asked for (ISO-8601); ordered with the run's events. Defaults to its arrival. */
  readonly at?: string;
  /** Makes a retried exit idempotent, like an event id. */
  readonly id?: string;
}

export const STATE_QUERY = 'journeys.state';
export const EXIT_SIGNAL = 'journeys.exit';
