/**
 * Everything reading one journey shares: the graph under construction, and the views of the journey's
 * code (calls, values, declarations, bindings, labels, sends) that the statement and expression readers
 * ask.
 */
import type ts from 'typescript';
import { Bindings } from './extract-bindings';
import { Api } from './extract-calls';
import { Declarations } from './extract-declarations';
import { Evaluator } from './extract-evaluate';
import { Graph } from './extract-graph';
import { Labels } from './extract-labels';
import { SendScanner } from './extract-sends';

/** The state of reading one journey, passed to each reader. */
export interface Reading {
  readonly graph: Graph;
  readonly api: Api;
  readonly values: Evaluator;
  readonly declarations: Declarations;
  readonly bindings: Bindings;
  readonly labels: Labels;
  readonly sends: SendScanner;
}

/** A fresh reading of the journey declared in `file`, with an empty graph. */
export function startReading(checker: ts.TypeChecker, file: ts.SourceFile): Reading {
  const api = new Api(checker);
  const values = new Evaluator(checker, api);
  const declarations = new Declarations(checker, api);
  return {
    graph: new Graph(),
    api,
    values,
    declarations,
    bindings: new Bindings(checker, values),
    labels: new Labels(checker, file, values, declarations),
    sends: new SendScanner(api, values),
  };
}
