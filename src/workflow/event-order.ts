import { condition, isCancellation } from '@temporalio/workflow';
import type { JourneyEvent } from '../events';
import type { EventOrdering } from '../journey';

/** Something that reached a run and changes it once applied: a customer event or an exit request. */
export type Arrival =
  | { readonly kind: 'event'; readonly event: JourneyEvent }
  | { readonly kind: 'exit'; readonly id: string; readonly at: string; readonly reason: string };

interface Held {
  readonly arrival: Arrival;
  /** Its `at`, epoch ms. */
  readonly at: number;
  /** Workflow time it reached the run; `-Infinity` for what the inbox kept before the run started. */
  readonly arrivedAt: number;
  readonly seq: number;
}

/**
 * The order window of one run. Whatever reaches the run is held for `windowMs` of workflow time and then
 * applied, oldest `at` first: the arrival with the earliest `at` goes once its own window has passed, and
 * everything later waits behind it, so events sent at once by different services apply in the order they
 * happened whichever reached Temporal first. One arrival is applied per turn and the body reacts to it (runs
 * until it waits again) before the next.
 *
 * The body has a clock in `at` terms, {@link logicalNow}: it starts at the run's beginning, is set to an
 * event's `at` when that event resumes the body, and runs on with workflow time. The body never acts (sends,
 * decides a wait timed out, returns) while an arrival from its past is still held: {@link catchUp}.
 *
 * Deterministic: it uses workflow time, conditions and timers only.
 */
export class EventOrder {
  private held: Held[] = [];
  private seq = 0;
  private version = 0;
  /** `logicalNow()` is `base.at + (now - base.wf)`. */
  private base: { at: number; wf: number };
  /** After the body returned: arrivals from after this instant no longer count. */
  horizon: number | undefined;

  constructor(
    private readonly ordering: EventOrdering,
    beganAt: number,
  ) {
    this.base = { at: beganAt, wf: Date.now() };
  }

  get pending(): number {
    return this.held.length;
  }

  /**
   * Holds an arrival until its window has passed (`kept`: read from the inbox, its window long gone;
   * `arrivedAt`: when its signal came, if it waited before being held).
   */
  hold(arrival: Arrival, kept = false, arrivedAt = Date.now()): void {
    const at = Date.parse(arrival.kind === 'event' ? arrival.event.at : arrival.at);
    this.seq += 1;
    this.version += 1;
    this.held.push({ arrival, at, arrivedAt: kept ? -Infinity : arrivedAt, seq: this.seq });
  }

  /** Whether an event of `type` waits in the window. */
  holds(type: string): boolean {
    return this.held.some((h) => h.arrival.kind === 'event' && h.arrival.event.type === type);
  }

  /** The body's clock in `at` terms (epoch ms). */
  logicalNow(): number {
    return this.base.at + (Date.now() - this.base.wf);
  }

  /** An event resumed the body: its clock moves to that event's `at`. */
  resumedBy(at: string): void {
    this.base = { at: Date.parse(at), wf: Date.now() };
  }

  /** The run begins (its trigger applied): the body's clock starts at the trigger's `at`. */
  begin(at: number): void {
    this.base = { at, wf: Date.now() };
  }

  /**
   * Waits until nothing from the body's past is held: every arrival whose `at` is at or before the body's
   * clock now has been applied (each waits out its window first; later arrivals do not prolong the wait).
   * Cancellable with the body.
   */
  catchUp(): Promise<void> {
    const upTo = this.logicalNow();
    return condition(() => !this.held.some((h) => h.at <= upTo));
  }

  /**
   * Applies arrivals for the life of the run, one per turn, in `at` order as their windows pass. Runs in the
   * workflow's root scope, so a goal cancelling the body does not stop it.
   */
  async run(apply: (arrival: Arrival, at: number) => void): Promise<void> {
    try {
      for (;;) {
        await condition(() => this.held.length > 0);
        const next = this.earliest();
        const due = next.arrivedAt + this.ordering.windowMs;
        if (due > Date.now()) {
          const version = this.version;
          // An arrival with an earlier `at` may come meanwhile and go first.
          await condition(() => this.version !== version, due - Date.now());
          continue;
        }
        this.held = this.held.filter((h) => h !== next);
        apply(next.arrival, next.at);
        await nextTurn();
      }
    } catch (err) {
      if (!isCancellation(err)) throw err;
    }
  }

  private earliest(): Held {
    return this.held.reduce((a, b) => (b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a));
  }
}

/**
 * Resolves once every microtask queued now has run and the workflow's conditions were checked again: by then
 * the body has reacted to what was just applied and waits on a timer, an activity or a condition.
 */
function nextTurn(): Promise<void> {
  let asked = false;
  return condition(() => {
    const ready = asked;
    asked = true;
    return ready;
  });
}
