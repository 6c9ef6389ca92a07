import {
  CancelledFailure,
  log,
  sleep as temporalSleep,
  upsertSearchAttributes,
  workflowInfo,
  type CancellationScope,
} from '@temporalio/workflow';
import { isJourneyError } from '../errors';
import { messageEventTypes, parseEnvelope, parseEventData, type JourneyEvent } from '../events';
import {
  DEFAULT_ORDERING,
  journeySearchAttributes as attrs,
  type DeferredSend,
  type ExitRequest,
  type JourneyDefinition,
  type JourneyInput,
  type JourneyOutcome,
  type JourneyState,
  type SendRecord,
  type StepPassed,
} from '../journey';
import { EventOrder, type Arrival } from './event-order';
import type { GatePatches } from './contact-gate';

/** Remember this many event ids for de-duplication; older ids are forgotten first. */
const SEEN_IDS_LIMIT = 10_000;

/** How the body is being ended from outside: a goal event or an exit request. */
export interface Ending {
  /** `exited`, or the goal's outcome (`converted` unless the journey names another). */
  readonly outcome: string;
  /** Whether a goal ended it (the step it converted after is recorded). */
  readonly goal?: boolean;
  readonly reason: string;
}

/** A `waitFor` in progress: the event types it takes and how to hand one over. */
interface Waiter {
  readonly types: readonly string[];
  readonly resolve: (event: JourneyEvent) => void;
}

/**
 * The state of one running journey: its event buffer, steps and outcome. Lives on `globalThis`, which
 * Temporal isolates per workflow execution, so the free functions (`step`, `waitFor`, `send`) find it.
 *
 * Runs started on this code are *ordered* (`order`): arrivals wait out the order window and apply in `at`
 * order (see {@link EventOrder}). Runs started before it replay as they ran: each event applied on arrival.
 */
export class JourneyRuntime {
  readonly customerId: string;
  readonly timeScale: number;
  /** Workflow time (ms) of enrolment; journey time runs `timeScale` times faster from here. */
  readonly enrolledAt: number;
  trigger: JourneyEvent | undefined;
  /** The journey's key (keyed journeys), read from the trigger. */
  key: string | undefined;
  ending: Ending | undefined;
  bodyScope: CancellationScope | undefined;
  outcome: JourneyOutcome | null = null;
  variant: string | null = null;
  /** In a split's holdout group: every send is skipped (`holdout`). */
  holdout = false;
  convertedAfter: string | null = null;
  waitingFor: readonly string[] | null = null;
  /** Deadlines of the timers running now (workflow time, ms): the earliest is the state's `wakesAt`. */
  private readonly timers = new Map<number, number>();
  private nextTimer = 0;

  /**
   * A durable timer of `wallMs` (Temporal's `sleep`), whose deadline the state shows as `wakesAt` while it
   * runs (a test kit advances to it; an operator sees when the run next moves).
   */
  async timer(wallMs: number): Promise<void> {
    const id = this.nextTimer++;
    this.timers.set(id, Date.now() + wallMs);
    try {
      await temporalSleep(wallMs);
    } finally {
      this.timers.delete(id);
    }
  }
  /** Runs with `temporal-journeys.patches-first`: the gate's patches, decided in the first task. */
  gatePatches: GatePatches | undefined;
  reenterableAt: string | null = null;
  deferred: DeferredSend | null = null;
  rejectedEvents = 0;
  ignoredEvents = 0;
  /** Events applied that no `waitFor` has taken yet, in order. */
  readonly buffer: JourneyEvent[] = [];
  readonly steps: StepPassed[] = [];
  readonly sends: SendRecord[] = [];
  /** The step sends are attributed to, with its pass number and how many sends it made. */
  currentStep: { name: string; pass: number; sends: number } | undefined;
  /** Set on ordered runs: the order window. */
  readonly order: EventOrder | undefined;
  private readonly waiters: Waiter[] = [];
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private readonly passes = new Map<string, number>();
  /** Provider message ids of this run's sends: a delivery event must name one of them. */
  private readonly sentIds = new Set<string>();
  /** Sends in flight, and delivery events that may be about one of them. */
  private inFlight = 0;
  private awaitingSend: JourneyEvent[] = [];
  private exits = 0;

  constructor(
    readonly definition: JourneyDefinition,
    readonly input: JourneyInput,
    ordered: boolean,
  ) {
    this.customerId = input.customer.id;
    this.timeScale = input.timeScale && input.timeScale > 0 ? input.timeScale : 1;
    this.enrolledAt = workflowInfo().runStartTime.getTime();
    this.order = ordered ? new EventOrder(this.ordering, this.beganAt() ?? this.enrolledAt) : undefined;
  }

  /** The run's order window and time bounds: from its input, or the defaults for runs started elsewhere. */
  get ordering() {
    return { ...DEFAULT_ORDERING, ...this.input.ordering };
  }

  /**
   * Handles one `journeys.event` signal. Never throws: a bad envelope or data is logged and counted, so a
   * forged payload cannot wedge the workflow task. `kept`: read from the inbox, its order window long gone.
   */
  receive(raw: unknown, kept = false, arrivedAt = Date.now()): void {
    let event: JourneyEvent;
    try {
      event = parseEnvelope(raw);
      if (event.customerId !== this.customerId) {
        return this.reject(`event ${event.id} is for customer ${event.customerId}, not ${this.customerId}`);
      }
      if (this.seen.has(event.id)) return;
      const definition = this.definitionOf(event.type);
      if (!definition) return; // not an event this journey reacts to
      event = { ...event, data: parseEventData(definition, event.data) };
    } catch (err) {
      if (isJourneyError(err)) return this.reject(err.message);
      throw err;
    }
    if (this.order) {
      const problem = this.timeProblem(event.at);
      if (problem) return this.reject(`event ${event.id}: at ${event.at} ${problem}`);
    }
    this.remember(event.id);
    if (this.order) this.order.hold({ kind: 'event', event }, kept, arrivedAt);
    else this.applyOnArrival(event);
  }

  /**
   * Signals received while the run reads its inbox (runs with `temporal-journeys.patches-first`), with
   * their workflow time: handled right after what the inbox kept, so a signal and a kept copy of the same
   * event meet in one order, however the read's result and the signals were grouped into tasks.
   */
  private early: { kind: 'event' | 'exit'; raw: unknown; at: number }[] | undefined;

  holdSignals(): void {
    this.early = [];
  }

  releaseSignals(): void {
    const early = this.early ?? [];
    this.early = undefined;
    for (const s of early)
      if (s.kind === 'event') this.receive(s.raw, false, s.at);
      else this.receiveExit(s.raw as ExitRequest | undefined, s.at);
  }

  /** The `journeys.event` signal's handler. */
  onEventSignal(raw: unknown): void {
    if (this.early) this.early.push({ kind: 'event', raw, at: Date.now() });
    else this.receive(raw);
  }

  /** The `journeys.exit` signal's handler. */
  onExitSignal(request: ExitRequest | undefined): void {
    if (this.early) this.early.push({ kind: 'exit', raw: request, at: Date.now() });
    else this.receiveExit(request);
  }

  /** Handles one `journeys.exit` signal: ordered like an event on ordered runs, at once on the others. */
  receiveExit(request: ExitRequest | undefined, arrivedAt = Date.now()): void {
    const reason = String(request?.reason ?? 'exit');
    if (!this.order) return this.end({ outcome: 'exited', reason });
    this.exits += 1;
    const id = typeof request?.id === 'string' && request.id !== '' ? request.id : `exit-${this.exits}`;
    if (this.seen.has(id)) return;
    const at = typeof request?.at === 'string' ? request.at : new Date(arrivedAt).toISOString();
    const problem = Number.isNaN(Date.parse(at)) ? 'is not a date' : this.timeProblem(at);
    if (problem) return this.reject(`exit ${id}: at ${at} ${problem}`);
    this.remember(id);
    this.order.hold({ kind: 'exit', id, at, reason }, false, arrivedAt);
  }

  /** What the inbox kept for this run before it started: applied in `at` order with the rest. */
  receiveKept(arrival: Arrival): void {
    const id = arrival.kind === 'event' ? arrival.event.id : arrival.id;
    if (this.seen.has(id)) return;
    if (arrival.kind === 'event') return this.receive(arrival.event, true);
    this.remember(id);
    this.order?.hold(arrival, true);
  }

  /** Applies one arrival on an ordered run, in `at` order (see {@link EventOrder}). */
  apply(arrival: Arrival, at: number): void {
    if (this.outcome !== null) return; // finished (waiting out re-entry): nothing changes any more
    if (this.order?.horizon !== undefined && at > this.order.horizon) return; // after the body returned
    if (arrival.kind === 'event' && this.definition.trigger?.name === arrival.event.type) {
      if (this.trigger === undefined) {
        this.trigger = arrival.event;
        this.order?.begin(at);
      } else this.offer(arrival.event);
      return;
    }
    const began = this.beganAt();
    if (began === undefined || at < began) {
      this.ignoredEvents += 1; // from before the journey began: it does not count for this run
      return;
    }
    if (arrival.kind === 'exit') return this.end({ outcome: 'exited', reason: arrival.reason });
    const { event } = arrival;
    if (this.definition.goals.some((g) => g.name === event.type)) {
      return this.end({ outcome: this.definition.goalOutcome, reason: event.type, goal: true });
    }
    if (messageEventTypes.has(event.type)) return this.checkMessage(event);
    this.offer(event);
  }

  /** When the journey began, epoch ms: its trigger's `at`, or the enrolment; `undefined` before a trigger. */
  beganAt(): number | undefined {
    if (this.definition.trigger) return this.trigger ? Date.parse(this.trigger.at) : undefined;
    const enrolled = this.input.enrolledAt === undefined ? NaN : Date.parse(this.input.enrolledAt);
    return Number.isNaN(enrolled) ? this.enrolledAt : enrolled;
  }

  /** Registers a `waitFor`; returns how to withdraw it. */
  wait(types: readonly string[], resolve: (event: JourneyEvent) => void): () => void {
    const waiter = { types, resolve };
    this.waiters.push(waiter);
    return () => {
      const i = this.waiters.indexOf(waiter);
      if (i >= 0) this.waiters.splice(i, 1);
    };
  }

  /** Ends the body from wherever it is. The first ending wins. */
  end(ending: Ending): void {
    if (this.ending || this.outcome !== null) return;
    this.ending = ending;
    if (ending.goal) this.convertedAfter = this.steps.at(-1)?.name ?? null;
    this.bodyScope?.cancel();
  }

  /** Throws the cancellation the body unwinds with, when a goal or an exit has ended the journey. */
  assertLive(): void {
    if (this.ending)
      throw new CancelledFailure(`Journey ${this.definition.name} ended: ${this.ending.reason}`);
  }

  /**
   * Before a step or a send: every arrival from the body's past applied first; a goal or an exit among them
   * ends the run before it, so a run's steps and sends are those of the order events happened in.
   */
  async beforeAction(): Promise<void> {
    this.assertLive();
    await this.order?.catchUp();
    this.assertLive();
  }

  /** Brackets a send, so delivery events about it are kept until its message id is known. */
  sending(): () => void {
    this.inFlight += 1;
    return () => {
      this.inFlight -= 1;
      this.settleAwaiting();
    };
  }

  /** Enters a step: records it and upserts `JourneyStep` and `JourneySteps`. */
  enterStep(name: string): void {
    if (this.order) this.assertLive(); // no step is entered after a goal or an exit
    const pass = (this.passes.get(name) ?? 0) + 1;
    this.passes.set(name, pass);
    this.currentStep = { name, pass, sends: 0 };
    this.steps.push({ name, at: new Date(this.journeyNow()).toISOString() });
    upsertSearchAttributes([
      { key: attrs.step, value: name },
      { key: attrs.steps, value: [...new Set(this.steps.map((s) => s.name))] },
    ]);
  }

  /** Keeps a send in the journey's state, with its step and journey time. */
  recordSend(record: SendRecord): void {
    this.sends.push(record);
    if (record.status === 'sent') this.sentIds.add(record.messageId);
  }

  /** Records the outcome in state and in the `JourneyOutcome` search attribute. */
  finish(outcome: JourneyOutcome): void {
    this.outcome = outcome;
    upsertSearchAttributes([{ key: attrs.outcome, value: outcome }]);
  }

  /** Journey time: workflow time sped up by `timeScale` since enrolment (equal to it when the scale is 1). */
  journeyNow(): number {
    return this.enrolledAt + (Date.now() - this.enrolledAt) * this.timeScale;
  }

  /** Wall (workflow) milliseconds for a journey-time duration. */
  scaled(ms: number): number {
    return ms / this.timeScale;
  }

  state(): JourneyState {
    return {
      journey: this.definition.name,
      customerId: this.customerId,
      step: this.currentStep?.name ?? null,
      steps: [...this.steps],
      outcome: this.outcome,
      variant: this.variant,
      convertedAfter: this.convertedAfter,
      waitingFor: this.waitingFor,
      rejectedEvents: this.rejectedEvents,
      ignoredEvents: this.ignoredEvents,
      pendingEvents: (this.order?.pending ?? 0) + this.awaitingSend.length + (this.early?.length ?? 0),
      reenterableAt: this.reenterableAt,
      sends: [...this.sends],
      deferred: this.deferred,
      wakesAt: this.timers.size > 0 ? new Date(Math.min(...this.timers.values())).toISOString() : null,
    };
  }

  /** Runs started before ordering: the event applied on arrival, as they were recorded. */
  private applyOnArrival(event: JourneyEvent): void {
    if (this.outcome !== null) return;
    if (this.definition.trigger?.name === event.type) {
      // A second trigger while live (the same cart abandoned again, a second order) reaches this run
      // instead of starting another; the journey keeps its first trigger, and may `waitFor` the next one.
      if (this.trigger === undefined) this.trigger = event;
      else this.offer(event);
      return;
    }
    if (this.definition.goals.some((g) => g.name === event.type)) {
      this.end({ outcome: this.definition.goalOutcome, reason: event.type, goal: true });
      return;
    }
    this.offer(event);
  }

  /** Hands an applied event to the `waitFor` that wants it, or buffers it for a later one. */
  private offer(event: JourneyEvent): void {
    const waiter = this.waiters.find((w) => w.types.includes(event.type));
    if (!waiter) {
      this.buffer.push(event);
      return;
    }
    this.waiters.splice(this.waiters.indexOf(waiter), 1);
    this.order?.resumedBy(event.at);
    waiter.resolve(event);
  }

  /** A delivery event counts only for a message this run sent; one about a send in flight waits for it. */
  private checkMessage(event: JourneyEvent): void {
    const id = (event.data as { messageId?: unknown } | null)?.messageId;
    if (typeof id === 'string' && this.sentIds.has(id)) return this.offer(event);
    if (this.inFlight > 0 && typeof id === 'string') {
      this.awaitingSend.push(event);
      return;
    }
    this.reject(`${event.type} ${event.id} names message ${String(id)}, which this run did not send`);
  }

  private settleAwaiting(): void {
    const waiting = this.awaitingSend;
    this.awaitingSend = [];
    for (const event of waiting) this.checkMessage(event);
  }

  /** Why `at` is outside the window the run accepts, or `undefined`. */
  private timeProblem(at: string): string | undefined {
    const ms = Date.parse(at);
    const { maxFutureMs, maxAgeMs } = this.ordering;
    if (ms > Date.now() + maxFutureMs) return `is more than ${maxFutureMs / 1000} s ahead of the run's clock`;
    if (ms < Date.now() - maxAgeMs) return `is more than ${Math.round(maxAgeMs / 3_600_000)} h old`;
    return undefined;
  }

  private definitionOf(type: string) {
    const d = this.definition;
    return [d.trigger, ...d.goals, ...d.events].find((e) => e?.name === type);
  }

  private remember(id: string): void {
    this.seen.add(id);
    this.seenOrder.push(id);
    if (this.seenOrder.length > SEEN_IDS_LIMIT) this.seen.delete(this.seenOrder.shift() as string);
  }

  private reject(reason: string): void {
    this.rejectedEvents += 1;
    log.warn('Journey dropped an invalid event', { journey: this.definition.name, reason });
  }
}

const RUNTIME = Symbol.for('temporal-journeys.runtime');

/** Installs the runtime of the journey running in this workflow execution. */
export function installRuntime(runtime: JourneyRuntime): void {
  (globalThis as Record<symbol, unknown>)[RUNTIME] = runtime;
}

/** The runtime of the running journey; throws when called outside a journey body. */
export function currentRuntime(caller: string): JourneyRuntime {
  const runtime = (globalThis as Record<symbol, unknown>)[RUNTIME];
  if (!(runtime instanceof JourneyRuntime)) {
    throw new TypeError(`${caller}() must be called inside a journey body (a workflow made with journey()).`);
  }
  return runtime;
}
