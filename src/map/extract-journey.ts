/**
 * One journey's map from its `journey(name, options, body)` call: the start node with its trigger, the
 * goal exits from its options, then the body read statement by statement into the graph.
 */
import ts from 'typescript';
import { JourneyError } from '../errors';
import { ExpressionReader } from './extract-expressions';
import type { Pending } from './extract-graph';
import { startReading } from './extract-reading';
import type { FoundJourney } from './extract-sources';
import { StatementReader } from './extract-statements';
import { EMPTY } from './extract-values';
import type { JourneyMap } from './types';

/** Reads a found journey into its map; throws `JOURNEY_INVALID` when its body is not a function. */
export function readJourney(checker: ts.TypeChecker, found: FoundJourney): JourneyMap {
  const r = startReading(checker, found.file);
  const { declarations, labels, values } = r;
  const { name, call } = found;
  const [, optionsArg, bodyArg] = call.arguments;
  const options = declarations.objectLiteral(optionsArg);
  const prop = (key: string) =>
    options?.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && values.propertyName(p.name) === key,
    );
  const triggerProp = prop('trigger');
  const trigger = triggerProp ? labels.eventNames(triggerProp.initializer).join(' or ') : undefined;
  const goalProp = prop('goal');
  const goals = goalProp ? labels.eventNames(goalProp.initializer) : [];
  const value = (key: string) => {
    const p = prop(key);
    return p ? values.evaluate(p.initializer, EMPTY) : undefined;
  };
  const outcome = value('goalOutcome');
  const goalOutcome = typeof outcome === 'string' ? outcome : 'converted';
  const keyed =
    value('keyed') === true ||
    options?.properties.some((p) => p.name !== undefined && values.propertyName(p.name) === 'key') === true;

  const g = r.graph;
  const start = g.add('start', `${trigger ?? 'enrolled'}${keyed ? ' (keyed)' : ''}`, labels.line(call));
  for (const goal of goals) {
    const line = labels.line(goalProp!);
    const id = g.add('goal', `goal: ${goal}`, line, { outcome: goalOutcome });
    g.edge({ from: start, to: id, label: 'any time', kind: 'goal' });
    g.edge({ from: id, to: g.end(goalOutcome, line) });
  }

  const body = declarations.functionOf(bodyArg);
  if (!body) {
    throw new JourneyError(
      'JOURNEY_INVALID',
      `Journey "${name}" (${labels.relativeFile()}:${labels.line(call)}): its body, the third argument of journey(), is not a function the map can read.`,
    );
  }
  const expressions = new ExpressionReader(r);
  const statements = new StatementReader(r, expressions);
  let pendings: Pending[] = [{ from: start, env: EMPTY }];
  if (body.body && ts.isBlock(body.body)) pendings = statements.block(body.body.statements, pendings, []);
  else if (body.body) pendings = expressions.read(body.body, pendings);
  if (pendings.length > 0) {
    const endLine = found.file.getLineAndCharacterOfPosition(body.end).line + 1;
    g.connect(pendings, g.end('completed', endLine));
  }
  return {
    journey: name,
    file: labels.relativeFile(),
    ...(trigger !== undefined ? { trigger } : {}),
    goals,
    goalOutcome,
    nodes: g.nodes,
    edges: g.edges.map(({ arm: _arm, ...edge }) => edge),
  };
}
