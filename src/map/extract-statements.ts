/**
 * Reading a journey's statements: blocks, declarations, `if`, `return` and `throw` (outcomes), loops
 * (unrolled over a constant array, else drawn with a head and an `again` edge), `switch`, `try`, `break`
 * and `continue`.
 */
import ts from 'typescript';
import { decide } from './extract-decide';
import type { ExpressionReader } from './extract-expressions';
import { type Frame, intersect, type Pending } from './extract-graph';
import { collapse } from './extract-labels';
import type { Reading } from './extract-reading';
import { EMPTY, type Env, isKnownPrimitive, truthiness, UNKNOWN } from './extract-values';

/** Draws the statements of one journey into its graph; expressions are read by an {@link ExpressionReader}. */
export class StatementReader {
  constructor(
    private readonly r: Reading,
    private readonly expressions: ExpressionReader,
  ) {}

  /** Reads statements in order from the pending exits; what follows a `return` is not reached. */
  block(statements: readonly ts.Statement[], pendings: Pending[], frames: readonly Frame[]): Pending[] {
    let ps = pendings;
    for (const s of statements) {
      if (ps.length === 0) break; // unreachable
      ps = this.statement(s, ps, frames);
    }
    return ps;
  }

  private statement(s: ts.Statement, ps: Pending[], frames: readonly Frame[]): Pending[] {
    const { graph: g, labels, values } = this.r;
    if (ts.isBlock(s)) return this.block(s.statements, ps, frames);
    if (ts.isExpressionStatement(s)) return this.expressions.read(s.expression, ps);
    if (ts.isVariableStatement(s)) return this.declarations(s.declarationList, ps);
    if (ts.isIfStatement(s)) {
      const cond = s.expression;
      const after = this.expressions.read(cond, ps);
      return decide(this.r, after, {
        label: labels.label(cond),
        line: labels.line(s),
        test: (env) => truthiness(values.evaluate(cond, env)),
        yes: (yes) => this.statement(s.thenStatement, yes, frames),
        no: (no) => (s.elseStatement ? this.statement(s.elseStatement, no, frames) : no),
        scope: s,
      });
    }
    if (ts.isReturnStatement(s) || ts.isThrowStatement(s)) {
      const expr = s.expression;
      const after = expr ? this.expressions.read(expr, ps) : ps;
      for (const p of after) {
        let outcome = 'failed';
        if (ts.isReturnStatement(s)) {
          const v = expr ? values.evaluate(expr, p.env) : undefined;
          outcome = typeof v === 'string' ? v : v === undefined ? 'completed' : labels.label(expr!);
        }
        g.connect([p], g.end(outcome, labels.line(s)));
      }
      return [];
    }
    if (ts.isBreakStatement(s) || ts.isContinueStatement(s)) {
      const frame = [...frames].reverse().find((f) => ts.isBreakStatement(s) || f.kind === 'loop');
      if (frame) {
        (ts.isBreakStatement(s) ? frame.breaks : frame.continues).push(...ps);
        g.changes++;
      }
      return [];
    }
    if (ts.isForOfStatement(s)) return this.forOf(s, ps, frames);
    if (ts.isForStatement(s)) {
      let before = ps;
      if (s.initializer)
        before = ts.isVariableDeclarationList(s.initializer)
          ? this.declarations(s.initializer, ps)
          : this.expressions.read(s.initializer, ps);
      const label = s.condition ? `while ${labels.label(s.condition)}` : 'repeat';
      return this.loop(s, label, before, frames, { cond: s.condition, incrementor: s.incrementor });
    }
    if (ts.isWhileStatement(s))
      return this.loop(s, `while ${labels.label(s.expression)}`, ps, frames, { cond: s.expression });
    if (ts.isDoStatement(s))
      return this.loop(s, `do … while ${labels.label(s.expression)}`, ps, frames, {
        cond: s.expression,
        doWhile: true,
      });
    if (ts.isForInStatement(s)) {
      const after = this.expressions.read(s.expression, ps);
      return this.loop(s, `for each key in ${labels.label(s.expression)}`, after, frames, {
        eachOf: s.initializer,
      });
    }
    if (ts.isSwitchStatement(s)) return this.switchStatement(s, ps, frames);
    if (ts.isTryStatement(s)) {
      // The happy path: what the try block does, then finally. A catch is the exception, not the journey.
      const tried = this.block(s.tryBlock.statements, ps, frames);
      return s.finallyBlock ? this.block(s.finallyBlock.statements, tried, frames) : tried;
    }
    if (ts.isLabeledStatement(s)) return this.statement(s.statement, ps, frames);
    return ps; // declarations of functions, types, classes; empty statements
  }

  private declarations(list: ts.VariableDeclarationList, ps: Pending[]): Pending[] {
    const { bindings, values } = this.r;
    let out = ps;
    for (const d of list.declarations) {
      if (d.initializer) out = this.expressions.read(d.initializer, out);
      const init = d.initializer;
      out = out.map((p) => ({
        ...p,
        env: bindings.bind(p.env, d.name, init ? values.evaluate(init, p.env) : undefined),
      }));
    }
    return out;
  }

  private forOf(s: ts.ForOfStatement, ps: Pending[], frames: readonly Frame[]): Pending[] {
    const before = this.expressions.read(s.expression, ps);
    const items = this.r.values.iterable(s.expression, intersect(before));
    if (!items)
      return this.loop(s, `for each ${this.r.labels.label(s.expression)}`, before, frames, {
        eachOf: s.initializer,
      });
    // A constant array: one pass per element, the loop variables bound so names and branches evaluate.
    let current = before;
    const breaks: Pending[] = [];
    for (const item of items) {
      if (current.length === 0) break;
      const bound = current.map((p) => ({
        ...p,
        env: this.r.bindings.bindTarget(p.env, s.initializer, item),
      }));
      const frame: Frame = { kind: 'loop', breaks: [], continues: [] };
      current = [...this.statement(s.statement, bound, [...frames, frame]), ...frame.continues];
      breaks.push(...frame.breaks);
    }
    return [...current, ...breaks];
  }

  /** A loop the reader does not unroll: a head node, the body, `again` edges back, a `done` exit. */
  private loop(
    s: ts.IterationStatement,
    label: string,
    ps: Pending[],
    frames: readonly Frame[],
    parts: {
      cond?: ts.Expression;
      incrementor?: ts.Expression;
      doWhile?: boolean;
      eachOf?: ts.ForInitializer;
    },
  ): Pending[] {
    const { graph: g, bindings, labels, values } = this.r;
    const { cond, doWhile } = parts;
    const skip: Pending[] = [];
    const enter: Pending[] = [];
    for (const p of ps) {
      const t = cond && !doWhile ? truthiness(values.evaluate(cond, p.env)) : undefined;
      (t === false ? skip : enter).push(p);
    }
    if (enter.length === 0) return skip;
    const head = g.add('loop', collapse(label), labels.line(s));
    g.connect(enter, head);
    const assigned = bindings.assigned(s);
    let headEnv: Env = bindings.forget({ from: head, env: intersect(enter) }, assigned).env;
    if (parts.eachOf) headEnv = bindings.bindTarget(headEnv, parts.eachOf, UNKNOWN);
    const exits: Pending[] = [];
    const exitLabel = (p: Pending): Pending => (p.from === head ? { ...p, label: 'done' } : p);
    let body: Pending[] = [{ from: head, env: headEnv }];
    if (parts.eachOf) exits.push({ from: head, label: 'done', env: headEnv });
    if (cond && !doWhile) {
      const tested = this.expressions.read(cond, body);
      body = [];
      for (const p of tested) {
        const t = truthiness(values.evaluate(cond, p.env));
        if (t !== false) body.push(p);
        if (t !== true) exits.push(exitLabel(p));
      }
    }
    const frame: Frame = { kind: 'loop', breaks: [], continues: [] };
    let back = [...this.statement(s.statement, body, [...frames, frame]), ...frame.continues];
    if (parts.incrementor) back = this.expressions.read(parts.incrementor, back);
    if (cond && doWhile) {
      const tested = this.expressions.read(cond, back);
      back = [];
      for (const p of tested) {
        const t = truthiness(values.evaluate(cond, p.env));
        if (t !== false) back.push(p);
        if (t !== true) exits.push(p);
      }
    }
    g.connect(back, head, true);
    return [...skip, ...exits, ...frame.breaks];
  }

  private switchStatement(s: ts.SwitchStatement, ps: Pending[], frames: readonly Frame[]): Pending[] {
    const { graph: g, bindings, labels, values } = this.r;
    const after = this.expressions.read(s.expression, ps);
    const clauses = s.caseBlock.clauses;
    const caseValues = clauses.map((c) =>
      ts.isCaseClause(c) ? values.evaluate(c.expression, EMPTY) : UNKNOWN,
    );
    const defaultIndex = clauses.findIndex((c) => ts.isDefaultClause(c));
    const routed: Pending[][] = clauses.map(() => []);
    const unmatched: Pending[] = [];
    const open: Pending[] = [];
    for (const p of after) {
      const v = values.evaluate(s.expression, p.env);
      const known =
        isKnownPrimitive(v) && caseValues.every((c, i) => i === defaultIndex || isKnownPrimitive(c));
      if (!known) open.push(p);
      else {
        const i = caseValues.findIndex((c, j) => j !== defaultIndex && c === v);
        const target = i >= 0 ? i : defaultIndex;
        (target >= 0 ? routed[target]! : unmatched).push(p);
      }
    }
    const before = g.snapshot();
    let decision: string | undefined;
    if (open.length > 0) {
      decision = g.add('decision', labels.label(s.expression), labels.line(s));
      g.connect(open, decision);
    }
    const env = intersect(open);
    const mark = g.changes;
    const frame: Frame = { kind: 'switch', breaks: [], continues: [] };
    let fallthrough: Pending[] = [];
    clauses.forEach((clause, i) => {
      const incoming = [...fallthrough, ...routed[i]!];
      if (decision)
        incoming.push({
          from: decision,
          label: ts.isCaseClause(clause) ? `case ${labels.label(clause.expression)}` : 'default',
          env,
        });
      fallthrough = this.block(clause.statements, incoming, [...frames, frame]);
    });
    const out = [...fallthrough, ...frame.breaks, ...unmatched];
    if (decision && defaultIndex < 0) out.push({ from: decision, label: 'other', env });
    if (decision && g.changes === mark) {
      g.restore(before);
      const assigned = bindings.assigned(s);
      return after.map((p) => bindings.forget(p, assigned));
    }
    return out;
  }
}
