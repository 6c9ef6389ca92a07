import { log, upsertSearchAttributes, workflowInfo, type CancellationScope } from '@temporalio/workflow';
import { isJourneyError } from '../errors';
import { parseEnvelope, parseEventData, type JourneyEvent } from '../events';
import {
  journeySearchAttributes as attrs,
  type DeferredSend,
  type JourneyDefinition,
  type JourneyInput,
  type JourneyOutcome,
  type JourneyState,
  type SendRecord,
  type StepPassed,
} from '../journey';

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

/**
 * The state of one running journey: its event buffer, steps and outcome. Lives on `globalThis`, which
 * Temporal isolates per workflow execution, so the free functions (`step`, `waitFor`, `send`) find it.
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
  reenterableAt: string | null = null;
  deferred: DeferredSend | null = null;
  rejectedEvents = 0;
  /** Events that arrived and no `waitFor` has taken yet, in arrival order. */
  readonly buffer: JourneyEvent[] = [];
  readonly steps: StepPassed[] = [];
  readonly sends: SendRecord[] = [];
  /** The step sends are attributed to, with its pass number and how many sends it made. */
  currentStep: { name: string; pass: number; sends: number } | undefined;
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private readonly passes = new Map<string, number>();

  constructor(
    readonly definition: JourneyDefinition,
    readonly input: JourneyInput,
  ) {
    this.customerId = input.customer.id;
    this.timeScale = input.timeScale && input.timeScale > 0 ? input.timeScale : 1;
    this.enrolledAt = workflowInfo().runStartTime.getTime();
  }

  /**
   * Handles one `journeys.event` signal. Never throws: a bad envelope or data is logged and counted, so a
   * forged payload cannot wedge the workflow task.
   */
  receive(raw: unknown): void {
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
    this.remember(event.id);
    if (this.outcome !== null) return; // finished (waiting out re-entry): nothing changes any more
    if (this.definition.trigger?.name === event.type) {
      // A second trigger while live (the same cart abandoned again, a second order) reaches this run
      // instead of starting another; the journey keeps its first trigger, and may `waitFor` the next one.
      if (this.trigger === undefined) this.trigger = event;
      else this.buffer.push(event);
      return;
    }
    if (this.definition.goals.some((g) => g.name === event.type)) {
      this.end({ outcome: this.definition.goalOutcome, reason: event.type, goal: true });
      return;
    }
    this.buffer.push(event);
  }

  /** Ends the body from wherever it is. The first ending wins. */
  end(ending: Ending): void {
    if (this.ending || this.outcome !== null) return;
    this.ending = ending;
    if (ending.goal) this.convertedAfter = this.steps.at(-1)?.name ?? null;
    this.bodyScope?.cancel();
  }

  /** Enters a step: records it and upserts `JourneyStep` and `JourneySteps`. */
  enterStep(name: string): void {
    const pass = (this.passes.get(name) ?? 0) + 1;
    this.passes.set(name, pass);
    this.currentStep = { name, pass, sends: 0 };
    this.steps.push({ name, at: new Date(this.journeyNow()).toISOString() });
    upsertSearchAttributes([
      { key: attrs.step, value: name },
      { key: attrs.steps, value: [...new Set(this.steps.map((s) => s.name))] },
    ]);
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
      reenterableAt: this.reenterableAt,
      sends: [...this.sends],
      deferred: this.deferred,
    };
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
