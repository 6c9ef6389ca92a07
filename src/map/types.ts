/**
 * A journey drawn as a flowchart: the graph the map reader builds from a journey's source (steps, sends,
 * sleeps, waits, branches, splits, goal exits) and the path map builds from what customers did. Mermaid
 * text and the SVG are both drawn from it.
 */

/** What a node stands for. */
export type MapNodeKind =
  /** Where customers come in: the trigger event, or enrolment for proactive journeys. */
  | 'start'
  /** A `step(name, …)`: what JourneyStep/JourneySteps record, with the sends inside it. */
  | 'step'
  /** A send outside any step. */
  | 'send'
  /** `sleep(…)` or `sleepUntil(…)`. */
  | 'sleep'
  /** `waitFor(event, { within | until })`: leaves by `received` or `timed out`. */
  | 'wait'
  /** An `if`, a `switch`, a `?:` or a `&&` deciding which way the code goes. */
  | 'decision'
  /** `split(name, arms, { holdout })`: one edge per arm. */
  | 'split'
  /** A loop the reader could not unroll. */
  | 'loop'
  /** Where the body ends: its outcome (`completed`, or the word it returns). */
  | 'end'
  /** A goal event, which ends the journey from anywhere with the goal outcome. */
  | 'goal';

export interface MapNode {
  /** Unique in its map, stable for the same code: `n1`, `n2`, … in the order the code reads. */
  readonly id: string;
  readonly kind: MapNodeKind;
  /** What a person reads on the node: `1 day`, `email.clicked within 1 day`, `!click && customer.phone`. */
  readonly label: string;
  /** Steps: the step name as JourneySteps holds it, or a readable pattern (`tier-up-{next.name}`). */
  readonly step?: string;
  /** Steps: a regular expression (source, anchored) matching every step name this node stands for. */
  readonly stepPattern?: string;
  /** Steps and sends: the channels it may send on (`email`, `sms`, `webhook`, `push`). */
  readonly channels?: readonly string[];
  /** Steps and sends: templates named with a literal. */
  readonly templates?: readonly string[];
  /** End and goal nodes: the outcome the run ends with. */
  readonly outcome?: string;
  /** 1-based line of the code the node was read from (0 for nodes not read from code). */
  readonly line: number;
}

export interface MapEdge {
  readonly from: string;
  readonly to: string;
  /** `yes`/`no`, `received`/`timed out`, an arm name, `again`, `done`, `any time`. */
  readonly label?: string;
  /** `goal` edges (from start to a goal node) and `loop` edges (back to a loop head) are drawn dashed. */
  readonly kind?: 'flow' | 'goal' | 'loop';
}

export interface JourneyMap {
  readonly journey: string;
  /** The source file the map was read from, relative to the working directory. */
  readonly file: string;
  /** The trigger event's type, for reactive journeys. */
  readonly trigger?: string;
  /** Goal event types. */
  readonly goals: readonly string[];
  readonly goalOutcome: string;
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

/** Live numbers drawn on a node. */
export interface NodeCount {
  /** Runs that passed it (a step) or ended there (an end node). */
  readonly passed?: number;
  /** Running runs whose current step it is. */
  readonly at?: number;
}

/** Numbers to draw on a map: per node id, and per edge keyed `${from}->${to}`. */
export interface MapCounts {
  readonly nodes?: Readonly<Record<string, NodeCount>>;
  readonly edges?: Readonly<Record<string, number>>;
}
