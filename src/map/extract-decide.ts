/**
 * Branching: an `if`, `?:`, `&&`/`||` or conditional step name, drawn as a decision node only where the
 * bindings on a path do not already tell which way it goes.
 */
import type ts from 'typescript';
import { intersect, type Pending } from './extract-graph';
import type { Reading } from './extract-reading';
import type { Env } from './extract-values';

/** A choice in the code: the decision node it would draw, and what each way does. */
export interface Choice {
  readonly label: string;
  readonly line: number;
  /** Which way a path goes, when its bindings tell. */
  readonly test: (env: Env) => boolean | undefined;
  readonly yes: (ps: Pending[]) => Pending[];
  readonly no: (ps: Pending[]) => Pending[];
  /** The code of the whole choice: what it may assign is forgotten when the decision is taken back. */
  readonly scope: ts.Node;
  /** The labels of the two ways out of the decision node (default `yes` and `no`). */
  readonly labels?: readonly [string, string];
}

/**
 * Reads a choice. Each path whose condition is known takes its branch without a node (a wait's `received`
 * skipping `if (!click)`); the others meet at a decision node. A decision whose branches draw nothing is
 * taken back.
 */
export function decide(r: Reading, ps: Pending[], choice: Choice): Pending[] {
  const { label, line, test, yes, no, scope, labels = ['yes', 'no'] } = choice;
  const g = r.graph;
  const yesIn: Pending[] = [];
  const noIn: Pending[] = [];
  const open: Pending[] = [];
  for (const p of ps) {
    const t = test(p.env);
    (t === true ? yesIn : t === false ? noIn : open).push(p);
  }
  const before = g.snapshot();
  let decision: string | undefined;
  if (open.length > 0) {
    decision = g.add('decision', label, line);
    g.connect(open, decision);
    const env = intersect(open);
    yesIn.push({ from: decision, label: labels[0], env });
    noIn.push({ from: decision, label: labels[1], env });
  }
  const mark = g.changes;
  const out = [...yes(yesIn), ...no(noIn)];
  if (decision !== undefined && g.changes === mark) {
    g.restore(before);
    const assigned = r.bindings.assigned(scope);
    return ps.map((p) => r.bindings.forget(p, assigned));
  }
  return out;
}
